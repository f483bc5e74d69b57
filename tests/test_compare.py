"""`sreladder compare`: levels side by side, ratings that differ, the agreement figure,
refusals, escaping. The pair below is computed by hand on tests/fixtures/packet/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from markdown_table import md_cells
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core.compare import compare
from sreladder.core.models import Assessment
from sreladder.io.rubric import load_rubric

FIXTURES = Path(__file__).parent / "fixtures" / "packet"
DATA = FIXTURES / "data"
runner = CliRunner()

# Hand-computed: both rated ops-1a (=), ops-1b (=), ops-2a (partially / not-yet: 1 step),
# code-1a (=), code-2a (consistently / not-yet: 2 steps) -> 3 of 5 equal = 0.6.
# code-3a: A skipped, B not-yet -> "no answer", not a disagreement. lead-3a: neither.
# Levels: A ops L1, code L2, lead L2; B ops L1, code L1, lead L2 -> 2 of 3 dimensions.
SELF = {
    "ops-1a": "consistently",
    "ops-1b": "consistently",
    "ops-2a": "partially",
    "code-1a": "consistently",
    "code-2a": "consistently",
    "code-3a": None,
}
MANAGER = {
    "ops-1a": "consistently",
    "ops-1b": "consistently",
    "ops-2a": "not-yet",
    "code-1a": "consistently",
    "code-2a": "not-yet",
    "code-3a": "not-yet",
}


def doc(
    ratings: dict, subject="Dana", assessor="Dana", relation="self", role="mini", evidence=None
) -> dict:
    return {
        "sreladder": 1,
        "role": role,
        "subject": {"name": subject},
        "assessor": {"name": assessor, "relation": relation},
        "answers": {
            k: {"rating": v, "evidence": (evidence or {}).get(k, [])} for k, v in ratings.items()
        },
    }


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a = write(tmp_path / "self.yaml", doc(SELF))
    b = write(tmp_path / "manager.yaml", doc(MANAGER, assessor="Sam", relation="manager"))
    return a, b


def run(*args: str):
    return runner.invoke(app, [*args, "--data", str(DATA)])


def test_core_hand_computed_pair() -> None:
    role = load_rubric(DATA).role("mini")
    a = Assessment.model_validate(doc(SELF))
    b = Assessment.model_validate(doc(MANAGER, assessor="Sam", relation="manager"))
    result = compare(role, a, b)
    assert (result.both_rated, result.equal) == (5, 3)
    assert result.expectation_agreement == pytest.approx(0.6)
    assert result.dimension_agreement == pytest.approx(2 / 3)
    assert [(p.expectation, p.a, p.b, p.steps) for p in result.differences] == [
        ("ops-2a", "partially", "not-yet", 1),
        ("code-2a", "consistently", "not-yet", 2),
    ]
    assert [(p.expectation, p.a, p.b) for p in result.no_answer] == [("code-3a", None, "not-yet")]
    assert [(d.id, d.level_a, d.level_b) for d in result.dimensions] == [
        ("ops", "L1", "L1"),
        ("code", "L2", "L1"),
        ("lead", "L2", "L2"),
    ]
    assert (result.label_a, result.label_b) == ("self (Dana)", "manager (Sam)")


def test_core_nothing_rated_by_both_has_no_expectation_figure() -> None:
    role = load_rubric(DATA).role("mini")
    a = Assessment.model_validate(doc({"ops-1a": "consistently"}))
    b = Assessment.model_validate(doc({"ops-1b": None}))
    result = compare(role, a, b)
    assert result.expectation_agreement is None
    assert [p.expectation for p in result.no_answer] == ["ops-1a"]


def test_json_agreement_figure(pair) -> None:
    result = run("compare", str(pair[0]), str(pair[1]), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["agreement"] == {
        "expectations": 0.6,
        "expectations_equal": 3,
        "expectations_rated_by_both": 5,
        "dimensions": 0.6667,
        "dimensions_equal": 2,
        "dimensions_total": 3,
    }
    assert data["a"]["label"] == "self (Dana)"
    assert data["b"]["label"] == "manager (Sam)"
    assert [d["expectation"] for d in data["differences"]] == ["ops-2a", "code-2a"]
    assert [d["steps"] for d in data["differences"]] == [1, 2]
    assert [d["expectation"] for d in data["no_answer"]] == ["code-3a"]
    assert [(d["id"], d["a"], d["b"], d["same"]) for d in data["dimensions"]] == [
        ("ops", "L1", "L1", True),
        ("code", "L2", "L1", False),
        ("lead", "L2", "L2", True),
    ]


def test_table_labels_levels_and_differences(pair) -> None:
    result = run("compare", str(pair[0]), str(pair[1]))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "self (Dana)" in out and "manager (Sam)" in out
    assert "60% of the 5 expectation(s) rated by both" in out
    assert "2 of 3 dimensions" in out
    assert "Ratings that differ (2)" in out
    assert "Ships features" in out  # code-2a differs
    assert "Rated by one side only (1" in out
    assert "Designs systems" in out  # code-3a: no answer
    assert "Answers pages" not in out  # equal ratings are not listed


def test_markdown(pair) -> None:
    result = run("compare", str(pair[0]), str(pair[1]), "--format", "md")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "| Code | L2 | L1 | no |" in out
    assert "| Code | L2 | Ships features | consistently | not yet | 2 |" in out
    assert "| Code | L3 | Designs systems | no answer | not yet |" in out


def test_order_of_files_sets_the_columns(pair) -> None:
    result = run("compare", str(pair[1]), str(pair[0]), "--format", "json")
    data = json.loads(result.stdout)
    assert data["a"]["label"] == "manager (Sam)"
    assert data["differences"][0]["a"] == "not-yet"


def test_refuses_different_subjects(tmp_path: Path, pair) -> None:
    other = write(tmp_path / "alex.yaml", doc(MANAGER, subject="Alex", assessor="Sam"))
    result = run("compare", str(pair[0]), str(other))
    assert result.exit_code == 1
    assert "different people" in result.stderr
    assert "--force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    forced = run("compare", str(pair[0]), str(other), "--force", "--format", "json")
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["agreement"]["expectations_rated_by_both"] == 5


def test_subject_names_match_trimmed_and_case_insensitively(tmp_path: Path, pair) -> None:
    other = write(tmp_path / "m.yaml", doc(MANAGER, subject="  dANA ", assessor="Sam"))
    result = run("compare", str(pair[0]), str(other), "--format", "json")
    assert result.exit_code == 0, result.output


def test_refuses_different_roles(tmp_path: Path, pair) -> None:
    other = write(tmp_path / "o.yaml", doc({"ops-1a": "consistently"}, role="other"))
    result = run("compare", str(pair[0]), str(other))
    assert result.exit_code == 1
    assert "different roles" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    forced = run("compare", str(pair[0]), str(other), "--force", "--format", "json")
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["role"] == "mini"


def test_same_labels_are_told_apart_by_file_name(tmp_path: Path) -> None:
    a = write(tmp_path / "june.yaml", doc(SELF))
    b = write(tmp_path / "december.yaml", doc(MANAGER))
    data = json.loads(run("compare", str(a), str(b), "--format", "json").stdout)
    assert data["a"]["label"] == "self (Dana) [june.yaml]"
    assert data["b"]["label"] == "self (Dana) [december.yaml]"


def test_bad_file_is_one_line_exit_1(tmp_path: Path, pair) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sreladder: 1\nrole: [\n")
    result = run("compare", str(pair[0]), str(bad))
    assert result.exit_code == 1
    assert "Traceback" not in result.output


NASTY = '\x1b[2J[red]x[/] <script>alert(1)</script> | pipe | `tick` =HYPERLINK("http://x","y")'


def test_terminal_output_is_inert(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", doc(SELF, assessor=NASTY))
    b = write(tmp_path / "b.yaml", doc(MANAGER, assessor="Sam", relation="manager"))
    result = run("compare", str(a), str(b))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "\\x1b[2J" in result.stdout
    assert "[red]x[/]" in result.stdout  # shown as written, not eaten as markup


def test_markdown_output_keeps_table_shape(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", doc(SELF, assessor=NASTY))
    b = write(tmp_path / "b.yaml", doc(MANAGER, assessor="Sam", relation="manager"))
    out = run("compare", str(a), str(b), "--format", "md").stdout
    assert "\x1b" not in out
    table = [line for line in out.splitlines() if line.startswith("| Dimension")]
    assert table, out
    # `| Dimension | A | B | Same |`: four cells, whatever the label holds
    assert len(md_cells(table[0])) == 4
