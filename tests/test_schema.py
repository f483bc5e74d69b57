"""`sreladder schema`: the committed schemas match the models, and agree with them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.io import rubric
from sreladder.io.schema import SCHEMA_FILES

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
DATA_FILES = sorted((REPO / "data").glob("*/*.yaml"))
KIND_OF_FOLDER = {"levels": "ladder", "roles": "role"}

runner = CliRunner()


def check_jsonschema(schema: str, *files: Path) -> dict:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "-o",
            "json",
            "--schemafile",
            str(SCHEMAS / schema),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)


def test_schema_out_matches_the_committed_files(tmp_path):
    # The sync test: change a model without `sreladder schema --out schemas` and this fails.
    result = runner.invoke(app, ["schema", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(SCHEMA_FILES.values())
    for name in written:
        assert (tmp_path / "out" / name).read_text() == (SCHEMAS / name).read_text(), (
            f"schemas/{name} is out of date: run `sreladder schema --out schemas`"
        )


def test_schema_prints_one_or_all():
    result = runner.invoke(app, ["schema", "role"])
    assert result.exit_code == 0
    assert result.stdout == (SCHEMAS / "role.schema.json").read_text()
    everything = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert set(everything) == set(SCHEMA_FILES.values())
    assert runner.invoke(app, ["schema", "nope"]).exit_code == 2


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES.values()))
def test_schemas_are_draft7_without_dangling_refs(name):
    schema = json.loads((SCHEMAS / name).read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "$defs" not in text
    for ref in re.findall(r'"\$ref": "#/definitions/([^"]+)"', text):
        assert ref in schema["definitions"]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_data_files_point_at_their_schema(path):
    kind = KIND_OF_FOLDER[path.parent.name]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target.is_file()
    assert target == (SCHEMAS / f"{kind}.schema.json").resolve()


def test_check_jsonschema_accepts_the_shipped_data(tmp_path):
    roles = check_jsonschema("role.schema.json", *sorted((REPO / "data/roles").glob("*.yaml")))
    assert roles["status"] == "ok", roles
    scales = check_jsonschema("ladder.schema.json", *sorted((REPO / "data/levels").glob("*.yaml")))
    assert scales["status"] == "ok", scales


def _role() -> dict:
    role = yaml.safe_load((REPO / "data/roles/sre.yaml").read_text())
    role["dimensions"] = role["dimensions"][:2]  # small: check-jsonschema is slow on big files
    return role


def _scale() -> dict:
    return yaml.safe_load((REPO / "data/levels/professional.yaml").read_text())


def _assessment() -> dict:
    return {
        "sreladder": 1,
        "role": "sre",
        "subject": {"name": "Dana"},
        "assessor": {"name": "Dana", "relation": "self"},
        "answers": {"ir-p1-a": {"rating": "consistently", "evidence": [{"text": "did it"}]}},
    }


def _without(doc: dict, *path) -> dict:
    node = doc
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return doc


def _with(doc: dict, value, *path) -> dict:
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


MUTANTS = {
    "role": [
        ("missing-name", lambda: _without(_role(), "name")),
        ("missing-dimensions", lambda: _without(_role(), "dimensions")),
        ("missing-expectation-text", lambda: _without(_role(), "dimensions", 0, "levels", "P1",
                                                      "expectations", 0, "text")),
        ("weight-text", lambda: _with(_role(), "heavy", "dimensions", 0, "weight")),
        ("expectations-text", lambda: _with(_role(), "x", "dimensions", 0, "levels", "P1",
                                            "expectations")),
        ("name-number", lambda: _with(_role(), 5, "name")),
        ("extra-top", lambda: _with(_role(), 1, "bogus")),
        ("extra-expectation", lambda: _with(_role(), 1, "dimensions", 0, "levels", "P1",
                                            "expectations", 0, "bogus")),
        ("weight-zero", lambda: _with(_role(), 0, "dimensions", 0, "weight")),
        ("threshold-high", lambda: _with(_role(), {"threshold": 1.5}, "scoring")),
        ("bad-id", lambda: _with(_role(), "no spaces", "id")),
    ],
    "ladder": [
        ("missing-levels", lambda: _without(_scale(), "levels")),
        ("levels-empty", lambda: _with(_scale(), [], "levels")),
        ("level-id-number", lambda: _with(_scale(), 3, "levels", 0, "id")),
        ("extra-attribute", lambda: _with(_scale(), "x", "levels", 0, "attributes", "bogus")),
    ],
    "assessment": [
        ("missing-answers", lambda: _without(_assessment(), "answers")),
        ("missing-role", lambda: _without(_assessment(), "role")),
        ("version-2", lambda: _with(_assessment(), 2, "sreladder")),
        ("rating-bad", lambda: _with(_assessment(), "sometimes", "answers", "ir-p1-a", "rating")),
        ("relation-bad", lambda: _with(_assessment(), "boss", "assessor", "relation")),
        ("extra-answer-key", lambda: _with(_assessment(), 1, "answers", "ir-p1-a", "bogus")),
        ("evidence-text", lambda: _with(_assessment(), "x", "answers", "ir-p1-a", "evidence")),
    ],
}  # fmt: skip
LOADER_KIND = {"role": "role", "ladder": "scale", "assessment": "assessment"}


@pytest.mark.parametrize("kind", sorted(MUTANTS))
def test_schema_and_models_reject_the_same_documents(tmp_path, kind):
    good = {"role": _role, "ladder": _scale, "assessment": _assessment}[kind]()
    files = {"good": tmp_path / "good.yaml"}
    files["good"].write_text(yaml.safe_dump(good, sort_keys=False))
    for name, make in MUTANTS[kind]:
        files[name] = tmp_path / f"{name}.yaml"
        files[name].write_text(yaml.safe_dump(make(), sort_keys=False))
    # the models
    for name, path in files.items():
        loaded = rubric.load_file(path, LOADER_KIND[kind])  # type: ignore[arg-type]
        errors = [d for d in loaded.diagnostics if d.severity == "error"]
        assert bool(errors) == (name != "good"), (name, loaded.diagnostics)
    # the exported schema, through check-jsonschema
    report = check_jsonschema(f"{kind}.schema.json", *files.values())
    failed = {Path(e["filename"]).stem for e in report["errors"]}
    assert not report["parse_errors"]
    assert failed == set(files) - {"good"}


def test_schema_out_onto_a_file_is_a_clean_error(tmp_path):
    (tmp_path / "taken").write_text("x")
    result = runner.invoke(app, ["schema", "--out", str(tmp_path / "taken")])
    assert result.exit_code == 1
    assert "cannot create folder" in result.stderr
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_ci_floors_pin_exactly_the_declared_minimum_versions():
    """.ci/run's second pass installs .ci/floors.txt: every `name>=X` that pyproject.toml
    declares is pinned there at X, so the oldest versions we claim are the ones tested."""
    import re
    import tomllib

    from packaging.version import Version  # pytest's own dependency

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    floors = {}
    for requirement in declared:
        found = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?\s*>=\s*([^,;\s]+)", requirement)
        if found and found.group(1).lower() != "ruff":  # a linter: not run by the tests
            floors[found.group(1).lower()] = Version(found.group(2))
    pinned = {}
    for line in (REPO / ".ci" / "floors.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pinned[name.strip().lower()] = Version(version.strip())
    assert pinned == floors
