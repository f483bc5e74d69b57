"""Rubric and user text reaches the terminal as text, never as Rich markup: a ladder
whose names, titles, statements and scale hold ``[/]``, ``[link=...]``, ``[bold red]``,
emoji codes, terminal escapes, OSC 8 hyperlinks and bidi overrides prints them as
written in every view (roles, levels, show, diff, score, compare, team, progress,
impact, evidence, the assess role picker), piped and on a terminal (Rich forced by
``FORCE_COLOR`` or ``TTY_COMPATIBLE``), at 40, 80 and 200 columns: exit 0, the literal
text visible, no hyperlink, no control character of the rubric's own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app

FIXTURE = Path(__file__).parent / "fixtures" / "markup"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the styles Rich itself writes on a terminal
WIDTHS = [40, 80, 200]
DATA = "<the ladder folder>"
PIPED = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None, "NO_COLOR": None}
TERMINAL = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": None, "NO_COLOR": None}


def assessment(path: Path, relation: str) -> Path:
    answers = {
        "ops-1a": {"rating": "consistently"},
        "ops-1b": {
            "rating": "partially",
            "evidence": [{"text": "Paged [/] people [link=https://evil.example]x[/link]"}],
        },
        "lead-2a": {"rating": "consistently" if relation == "self" else "partially"},
        "late-3a": {"rating": "not-yet"},
    }
    document = {
        "sreladder": 1,
        "role": "marks",
        "subject": {"name": "Dana [/] [link=https://evil.example]x[/link] \x1b[31mred"},
        "assessor": {"name": "Sam [bold red]", "relation": relation},
        "answers": answers,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("markup")
    brag = folder / "brag.md"
    brag.write_text(
        "# Brag [/]\n\n"
        "- Runs playbooks [/] and pages people [link=https://evil.example]x[/link]\n"
        "- Mentors one person \x1b]8;;https://evil.example\x1b\\\\osc\x1b]8;;\x1b\\\\ :thumbs_up:\n"
        "- Owns the pager \u202eevil for a service [bold red]\n",
        encoding="utf-8",
    )
    changed = folder / "changed"  # the ladder after a change: ops-1b replaced
    for part in ("levels", "roles"):
        (changed / part).mkdir(parents=True)
        for source in (FIXTURE / part).glob("*.yaml"):
            text = source.read_text(encoding="utf-8").replace("ops-1b", "ops-1c")
            (changed / part / source.name).write_text(text, encoding="utf-8")
    return {
        "changed": changed,
        "self": assessment(folder / "team" / "dana-self.yaml", "self"),
        "manager": assessment(folder / "team" / "dana-manager.yaml", "manager"),
        "team": folder / "team",
        "brag": brag,
    }


def commands(inputs: dict[str, Path]) -> dict[str, list[str]]:
    one, other = str(inputs["self"]), str(inputs["manager"])
    changed = str(inputs["changed"])
    return {
        "roles": ["roles"],
        "levels": ["levels"],
        "levels marks": ["levels", "marks"],
        "show": ["show", "marks"],
        "show --level": ["show", "marks", "--level", "M2"],
        "show --dimension": ["show", "marks", "--dimension", "ops"],
        "show cell": ["show", "marks", "--dimension", "ops", "--level", "M1"],
        "show same cell": ["show", "marks", "--dimension", "lead", "--level", "M3"],
        "diff": ["diff", "marks", "M1", "M4"],
        "score": ["score", one],
        "score --target": ["score", one, "--target", "M4"],
        "compare": ["compare", one, other],
        "team": ["team", str(inputs["team"])],
        "progress": ["progress", str(inputs["team"])],
        "impact": ["impact", str(inputs["team"]), "--before", DATA, "--after", changed],
        "evidence": ["evidence", str(inputs["brag"]), "--role", "marks"],
        "evidence --assessment": ["evidence", str(inputs["brag"]), "--assessment", one],
    }


NAMES = list(commands({k: Path(k) for k in ("self", "manager", "team", "brag", "changed")}))


def argv(args: list[str], data: Path) -> list[str]:
    """``args`` reading the ladder in ``data`` (``impact`` names it where DATA stands)."""
    if DATA in args:
        return [str(data) if arg == DATA else arg for arg in args]
    return [*args, "--data", str(data)]


def links_only(folder: Path) -> Path:
    """The fixture without ``[/]``: markup that Rich would parse without an error, so a
    view that let it through would print a hyperlink instead of failing."""
    for part in ("levels", "roles"):
        (folder / part).mkdir(parents=True)
        for source in (FIXTURE / part).glob("*.yaml"):
            text = source.read_text(encoding="utf-8").replace("[/]", "")
            (folder / part / source.name).write_text(text, encoding="utf-8")
    return folder


def assert_text_not_markup(out: str, width: int, terminal: bool) -> None:
    assert "\x1b]" not in out  # no OSC 8 hyperlink, no title change: ours or the rubric's
    plain = SGR.sub("", out) if terminal else out
    assert "\x1b" not in plain and "\x07" not in plain  # the rubric's escapes are shown
    assert "\u202e" not in plain and "\u2066" not in plain  # bidi overrides are shown
    assert "👍" not in plain  # :thumbs_up: is text, not an emoji code
    squashed = re.sub(r"\s+", "", plain)  # words wrapped or folded at any width
    assert "[link=" in squashed and "\\x1b" in squashed
    if width == 200:  # one line wide enough for the role's name
        assert "[link=https://evil.example]x[/link]" in plain


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_every_view_prints_rubric_markup_as_text(inputs, name, width, terminal):
    args = commands(inputs)[name]
    env = {"COLUMNS": str(width), **(TERMINAL if terminal else PIPED)}
    result = CliRunner().invoke(app, argv(args, FIXTURE), env=env)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert_text_not_markup(out, width, terminal)
    assert "[/]" in re.sub(r"\s+", "", SGR.sub("", out))
    if terminal:
        assert SGR.search(out), "Rich was not printing for a terminal"
    else:
        assert "\x1b" not in out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_markup_that_would_parse_is_no_hyperlink_either(inputs, tmp_path, name, width):
    data = links_only(tmp_path / "data")
    args = commands(inputs)[name]
    env = {"COLUMNS": str(width), **TERMINAL}
    result = CliRunner().invoke(app, argv(args, data), env=env)
    assert result.exit_code == 0, result.output
    assert_text_not_markup(result.stdout, width, terminal=True)


@pytest.mark.parametrize(
    ("args", "width", "force"),
    [
        (["show", "marks"], 200, {"TTY_COMPATIBLE": "1"}),  # the bordered matrix
        (["show", "marks"], 40, {"FORCE_COLOR": "1"}),
        (["levels"], 80, {"TTY_COMPATIBLE": "1"}),
        (["diff", "marks", "M1", "M4"], 80, {}),
    ],
)
def test_a_real_run_prints_the_titles_as_written(args, width, force):
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env |= {"COLUMNS": str(width), **force}
    done = subprocess.run(
        [sys.executable, "-m", "sreladder", *args, "--data", str(FIXTURE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert_text_not_markup(done.stdout, width, terminal=bool(force))
    if args == ["show", "marks"] and width == 200:
        assert "┃ M1 Lead [/] \\u202eevil" in SGR.sub("", done.stdout)


def test_the_role_picker_prints_role_names_as_written():
    result = CliRunner().invoke(
        app, ["assess", "--data", str(FIXTURE)], input="q\n", env={"COLUMNS": "200", **TERMINAL}
    )
    assert result.exit_code == 0, result.output
    assert "\x1b]" not in result.stderr
    plain = SGR.sub("", result.stderr)
    assert "Marks [/] role [link=https://evil.example]x[/link] \\x1b[7minverse" in plain
    assert "\x1b" not in plain
