"""Random command lines through the whole CLI never end in a traceback.

Argument lists are drawn from the real command and option names (read from the app,
so new options are fuzzed too), bogus options, and values: level and role ids, format
names, '-', empty and unicode text, and paths to files of random bytes, random YAML,
real rubric and assessment files, folders and missing files. Standard input is random
text (an interview reads it and meets its end). Every run must exit 0, 1, 2 or 130
with no exception escaping and no "Traceback" printed.

Everything runs inside a temporary working folder: commands that write (``schema
--out``, ``assess``'s default file) write there, and a value that names an existing
file or folder outside it (``/``, ``../..``; ``team /`` once walked the whole machine)
is replaced by the working folder itself (:func:`sealed`).
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core.models import Assessment
from sreladder.io.assessments import save_assessment
from sreladder.io.rubric import builtin_data_dir

COMMAND = typer.main.get_command(app)
OPTIONS: dict[str, list[str]] = {
    name: [opt for param in command.params for opt in param.opts if opt.startswith("-")]
    for name, command in COMMAND.commands.items()  # type: ignore[attr-defined]
}
SAFE_JOBS = ["0", "1", "2", "-1", "x", "", "1.5", "99999999999"]  # capped in team_files.outcomes
BOGUS_OPTIONS = ["--nope", "-z", "--format=xml", "--data=", "--", "---", "-", "--help", "-h"]
WORDS = [
    "sre", "ops-sre", "production-engineer", "nope", "professional", "ops",
    "P1", "P3", "P7", "P9", "L2", "L5", "json", "md", "html", "table", "text", "github",
    "self", "manager", "peer", "role", "ladder", "assessment", "0", "-1", "3", "4294967296",
    "", " ", "-", "\x00", "\x1b[31mred", "ünïcödé ✓", "名前", "a" * 300, "..", "./team/..",
    "/", "../..", "~",
]  # fmt: skip


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Files and folders the values may name; the working folder for every run."""
    root = tmp_path_factory.mktemp("fuzz")
    rng = random.Random(2026)
    files: dict[str, bytes | str] = {
        "random.bin": bytes(rng.randrange(256) for _ in range(300)),
        "random.yaml": "".join(rng.choice("ab: -[]{}\n'\"&*!|>#") for _ in range(300)),
        "list.yaml": "- 1\n- 2\n",
        "empty.yaml": "",
        "other-tool.yaml": "{foo: 1}\n",
        "answers.yaml": "ir-p1-a: c\nir-p1-b: p\nnot-an-id: n\n",
        "bad-answers.yaml": "ir-p1-a: maybe\n",
        "role.yaml": (builtin_data_dir() / "roles" / "sre.yaml").read_text(),
    }
    for name, content in files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    answers = {"ir-p1-a": {"rating": "consistently"}, "slo-p1-a": {"rating": "partially"}}
    good = Assessment.model_validate({"sreladder": 1, "role": "sre", "answers": answers})
    save_assessment(root / "dana.yaml", good)
    manager = good.model_copy(update={"assessor": None, "target": "P2"})
    save_assessment(root / "dana-manager.yaml", manager)
    team = root / "team"
    team.mkdir()
    save_assessment(team / "a.yaml", good)
    (team / "broken.yaml").write_text("sreladder: 1\nrole: [\n")
    paths = [str(root / name) for name in (*files, "dana.yaml", "dana-manager.yaml")]
    builtin = root / "builtin"  # a copy: a drawn `schema --out` must not write the real one
    shutil.copytree(builtin_data_dir(), builtin)
    paths += [str(team), str(root / "missing.yaml"), str(builtin), str(root)]
    cwd = Path.cwd()
    os.chdir(root)
    try:
        yield paths
    finally:
        os.chdir(cwd)


def values(paths: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(paths),
        st.sampled_from(WORDS),
        st.text(max_size=20),
    )


@st.composite
def command_lines(draw: st.DrawFn, paths: list[str]) -> list[str]:
    command = draw(st.sampled_from([*OPTIONS, *OPTIONS, "bogus", "", "--version", "--help"]))
    options = OPTIONS.get(command, [])
    args = [command]
    for _ in range(draw(st.integers(0, 6))):
        roll = draw(st.integers(0, 9))
        if roll < 4 and options:
            option = draw(st.sampled_from(options))
            if option in ("--jobs", "-j"):  # never ask for thousands of worker processes
                args += [option, draw(st.sampled_from(SAFE_JOBS))]
            else:
                args += [option, draw(values(paths))]
        elif roll < 5 and options:
            args.append(draw(st.sampled_from(options)))  # a flag, or an option missing its value
        elif roll < 6:
            args.append(draw(st.sampled_from(BOGUS_OPTIONS)))
        else:
            args.append(draw(values(paths)))
    return _safe_jobs(args)


def sealed(args: list[str], root: Path, allowed: list[str]) -> list[str]:
    """``args`` with every value that names a path outside ``root`` (other than the
    ``allowed`` ones), existing or not, replaced by ``root``."""
    out = []
    for token in args:
        try:
            target = (root / Path(token.partition("=")[2] or token).expanduser()).resolve()
            outside = not target.is_relative_to(root)  # read or written: never outside
        except (OSError, ValueError, RuntimeError):  # NUL bytes, loops, over-long names
            outside = False
        if outside and str(target) not in allowed:
            token = token.replace(token.partition("=")[2] or token, str(root))
        out.append(token)
    return out


def _safe_jobs(args: list[str]) -> list[str]:
    """``team --jobs N`` starts N processes: keep N small whatever was drawn."""
    out = []
    for token in args:
        if out and out[-1] in ("--jobs", "-j") and token not in SAFE_JOBS:
            token = "2"
        elif token.startswith(("-j", "--j")) and token not in ("--jobs", "-j"):
            token = "--jobs=2"
        out.append(token)
    return out


@st.composite
def drawn_file(draw: st.DrawFn) -> bytes:
    text = draw(
        st.one_of(
            st.binary(max_size=200),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                lambda kids: (
                    st.lists(kids, max_size=3)
                    | st.dictionaries(st.sampled_from(["sreladder", "role", "answers", "x"]), kids)
                ),
                max_leaves=8,
            ).map(lambda data: yaml.safe_dump(data).encode()),
        )
    )
    return text


def test_fuzz_the_whole_cli(pool: list[str]) -> None:
    runner = CliRunner()
    counter = iter(range(10**6))

    @settings(
        max_examples=140,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def run_one(data: st.DataObject) -> None:
        paths = list(pool)
        if data.draw(st.booleans(), label="with a drawn file"):
            drawn = Path(f"drawn-{next(counter)}.yaml").resolve()
            drawn.write_bytes(data.draw(drawn_file(), label="file content"))
            paths.append(str(drawn))
        args = data.draw(command_lines(paths), label="argv")
        args = sealed(args, Path.cwd().resolve(), [])
        stdin = data.draw(st.text(max_size=60), label="stdin")
        result = runner.invoke(app, args, input=stdin, env={"SRELADDER_DEBUG": ""})
        escaped = result.exception
        assert escaped is None or isinstance(escaped, SystemExit), (args, repr(escaped))
        assert result.exit_code in (0, 1, 2, 130), (args, result.exit_code, result.output)
        assert "Traceback" not in result.output, (args, result.output)
        assert "internal error" not in result.output, (args, result.output)

    run_one()


def test_values_that_leave_the_working_folder_are_sealed(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    (root / "team").mkdir()
    args = ["team", "/", "--data=../..", "../..", "~", "team", "./team/..", "missing", "a\x00",
            "--out=/0", "/nonexistent/x.yaml"]  # fmt: skip
    assert sealed(args, root, []) == [
        "team", str(root), f"--data={root}", str(root), str(root), "team", "./team/..",
        "missing", "a\x00", f"--out={root}", str(root),
    ]  # fmt: skip
