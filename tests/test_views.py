"""Every view tells "held" from "not expected yet" (a dimension that starts later holds
the levels below its first cell by the rule, not by a rating); one renderer table per
command, every choice walked; `assess --assessor`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.cli.common import ViewFormat
from sreladder.cli.packet import PacketFormat
from sreladder.present import report_compare, report_packet, report_score, report_team
from sreladder.present.labels import CARRIED_LEGEND, NOT_EXPECTED_LEGEND

MINI = Path(__file__).parent / "fixtures" / "packet" / "data"
runner = CliRunner()
# ops L3 (no cell above L2), code L2, leadership (from L3 on) nothing rated: L2 by the rule only
ANSWERS = {k: {"rating": "consistently"} for k in ("ops-1a", "ops-1b", "ops-2a", "code-1a")}
ANSWERS["code-2a"] = {"rating": "consistently"}


def write(folder: Path, name: str, relation: str = "self") -> Path:
    path = folder / name
    path.write_text(
        yaml.safe_dump(
            {
                "sreladder": 1,
                "role": "mini",
                "subject": {"name": "Dana"},
                "assessor": {
                    "name": "Sam" if relation == "manager" else "Dana",
                    "relation": relation,
                },
                "answers": ANSWERS,
            }
        )
    )
    return path


def cli(*args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(MINI)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def one(tmp_path: Path) -> Path:
    return write(tmp_path, "a.yaml")


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "a.yaml"), write(tmp_path, "b.yaml", "manager")


def test_score_marks_not_expected_yet(one: Path) -> None:
    table = cli("score", str(one))
    assert "L2†" in table and NOT_EXPECTED_LEGEND in " ".join(table.split())
    md = cli("score", str(one), "--format", "md")
    assert "| Leadership | 1 | L2† |" in md and NOT_EXPECTED_LEGEND in md
    # no L3 cell: held past its last cell, and the view says where the rubric stops
    assert "| Operations | 1 | L3‡ |" in md and CARRIED_LEGEND in md
    assert "- Operations: L2, the last cell; counts for L3." in md
    assert "L3‡" in table and "Operations: L2, the last cell; counts for L3." in " ".join(
        table.split()
    )
    data = json.loads(cli("score", str(one), "--format", "json"))
    flags = {d["id"]: (d["level"], d["not_expected_yet"]) for d in data["dimensions"]}
    assert flags == {"ops": ("L3", False), "code": ("L2", False), "lead": ("L2", True)}
    assert {d["id"]: d["top_cell"] for d in data["dimensions"]} == {
        "ops": "L2",
        "code": "L3",
        "lead": "L3",
    }


def test_nothing_not_expected_means_no_legend(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("sreladder: 1\nrole: other\nanswers: {ops-1a: {rating: consistently}}\n")
    for fmt in ("table", "md"):
        out = cli("score", str(path), "--format", fmt)
        assert "not expected yet" not in out
        assert "last cell" not in out and "‡" not in out


def test_compare_marks_not_expected_yet(pair) -> None:
    a, b = map(str, pair)
    md = cli("compare", a, b, "--format", "md")
    assert "| Leadership | L2† | L2† | yes |" in md and NOT_EXPECTED_LEGEND in md
    assert "L2†" in cli("compare", a, b)
    lead = json.loads(cli("compare", a, b, "--format", "json"))["dimensions"][2]
    assert lead["a"] == "L2" and lead["a_not_expected_yet"] and lead["b_not_expected_yet"]


def test_team_marks_not_expected_yet(pair) -> None:
    folder = str(pair[0].parent)
    table = cli("team", folder)
    assert "L2†" in table and NOT_EXPECTED_LEGEND in " ".join(table.split())
    md = cli("team", folder, "--format", "md")
    assert "| L3 | L2 | L2† |" in md and NOT_EXPECTED_LEGEND in md
    rows = list(csv.DictReader(io.StringIO(cli("team", folder, "--format", "csv"))))
    assert rows[0]["lead"] == "L2 (not expected yet)" and rows[0]["ops"] == "L3"
    person = json.loads(cli("team", folder, "--format", "json"))["roles"][0]["people"][0]
    assert person["levels"]["lead"] == "L2" and person["not_expected_yet"] == ["lead"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_packet_marks_not_expected_yet(pair, fmt: str) -> None:
    a, b = map(str, pair)
    out = cli("packet", a, "--compare", b, "--format", fmt)
    assert "L2†" in out and NOT_EXPECTED_LEGEND in out
    data = json.loads(cli("packet", a, "--compare", b, "--format", "json"))
    lead = data["dimensions"][2]
    assert lead["level"] == "L2" and lead["not_expected_yet"] and lead["other_not_expected_yet"]


# --- one renderer table per command, every choice walked ---------------------------------


@pytest.mark.parametrize(
    ("choices", "table"),
    [
        (ViewFormat, report_score.RENDERER_BY_FORMAT),
        (ViewFormat, report_compare.RENDERER_BY_FORMAT),
        (PacketFormat, report_packet.RENDERER_BY_FORMAT),
    ],
)
def test_every_format_choice_has_a_renderer(choices, table) -> None:
    assert set(table) == {c.value for c in choices}


def test_every_team_format_has_a_renderer() -> None:
    from sreladder.cli.team import Format

    assert set(report_team.RENDERER_BY_FORMAT) == {c.value for c in Format}


@pytest.mark.parametrize("fmt", [c.value for c in ViewFormat])
def test_score_and_compare_render_every_choice(pair, fmt: str) -> None:
    a, b = map(str, pair)
    assert "Leadership" in cli("score", a, "--format", fmt)
    assert "Leadership" in cli("compare", a, b, "--format", fmt)


def test_team_renders_every_choice(pair) -> None:
    from sreladder.cli.team import Format

    for fmt in Format:
        assert "Dana" in cli("team", str(pair[0].parent), "--format", fmt.value)


@pytest.mark.parametrize("fmt", [c.value for c in PacketFormat])
def test_packet_renders_every_choice(one: Path, fmt: str) -> None:
    assert "Leadership" in cli("packet", str(one), "--format", fmt)


# --- assess --assessor --------------------------------------------------------------------


def test_assessor_name_is_recorded(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("ops-1a: c\n")
    out = tmp_path / "out.yaml"
    args = ["assess", "mini", "--as", "manager", "--subject", "Dana", "--assessor", "Sam Reyes"]
    result = runner.invoke(
        app, [*args, "--answers", str(answers), "--out", str(out), "--data", str(MINI)]
    )
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load(out.read_text())
    assert saved["assessor"] == {"name": "Sam Reyes", "relation": "manager"}
    packet = json.loads(cli("packet", str(out), "--format", "json"))
    assert packet["assessor"]["label"] == "manager (Sam Reyes)"


def test_assessor_is_refused_on_resume_and_when_empty(one: Path) -> None:
    resumed = runner.invoke(app, ["assess", "--resume", str(one), "--assessor", "Sam"])
    assert resumed.exit_code == 2 and "--assessor" in resumed.stderr
    empty = runner.invoke(app, ["assess", "mini", "--assessor", " ", "--data", str(MINI)])
    assert empty.exit_code == 2 and "--assessor needs a name" in empty.stderr


@pytest.mark.parametrize("table", ["ROLES", "LEVELS", "SHOW", "DIFF"])
def test_every_browse_format_has_a_renderer(table: str) -> None:
    from sreladder.present import report_browse

    assert set(getattr(report_browse, table)) == {c.value for c in ViewFormat}


@pytest.mark.parametrize("fmt", [c.value for c in ViewFormat])
@pytest.mark.parametrize(
    "args",
    [
        ["roles"],
        ["levels"],
        ["levels", "mini"],
        ["show", "mini"],
        ["show", "mini", "-d", "ops"],
        ["show", "mini", "-l", "L2"],
        ["show", "mini", "-d", "ops", "-l", "L2"],
        ["diff", "mini", "L1", "L3"],
    ],
)
def test_browse_commands_render_every_choice(args: list[str], fmt: str) -> None:
    out = cli(*args, "--format", fmt)
    assert out.strip()
    if fmt == "json":
        json.loads(out)


def test_validate_renders_every_choice(tmp_path: Path) -> None:
    from sreladder.cli.validate import Format

    for fmt in Format:
        result = runner.invoke(app, ["validate", str(MINI), "--format", fmt.value])
        assert result.exit_code == 0, result.output


def test_refusal_names_people_without_raw_control_characters(tmp_path: Path, one: Path) -> None:
    other = tmp_path / "eve.yaml"
    other.write_text(
        'sreladder: 1\nrole: mini\nsubject: {name: "Eve\\u202e\\e[31m"}\nanswers: {}\n'
    )
    result = runner.invoke(app, ["compare", str(one), str(other), "--data", str(MINI)])
    assert result.exit_code == 1
    assert "different people ('Dana' and 'Eve\\u202e\\x1b[31m')" in result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [
        (0.795, 0.8, "79.5%"),  # fails: never "80%"
        (0.7999, 0.8, "79.99%"),
        (0.79999999, 0.8, "79.999%"),
        (0.8, 0.8, "80%"),
        (0.8 - 1e-12, 0.8, "80%"),  # within the scorer's float tolerance: passes
        (0.805, 0.8, "80%"),  # passes, and "80%" does not contradict it
        (0.75, 0.8, "75%"),
        (0.0, 0.75, "0%"),
        (1.0, 1.0, "100%"),
        (0.9999, 1.0, "99.99%"),
    ],
)
def test_a_percentage_never_contradicts_the_comparison_it_explains(value, limit, shown):
    from sreladder.present.labels import percent_against

    assert percent_against(value, limit) == shown


@settings(max_examples=500, deadline=None)
@given(st.floats(0, 1), st.floats(0.01, 1))
def test_percent_against_agrees_with_the_decision(value, limit):
    """At the precision printed, the value is at least the limit exactly when it passes."""
    from sreladder.core.scoring import EPSILON
    from sreladder.present.labels import percent_against

    shown = percent_against(value, limit).rstrip("%")
    decimals = len(shown.partition(".")[2])
    bar = float(f"{limit * 100:.{decimals}f}")
    assert (float(shown) >= bar) == (value >= limit - EPSILON) or abs(value - limit) < 1e-5


def test_the_explanation_never_shows_a_failing_share_as_the_quorum() -> None:
    """A share of 0.795 against a quorum of 0.8 printed "(here 80%)" while failing."""
    import dataclasses

    from sreladder.core.models import Assessment
    from sreladder.core.scoring import score
    from sreladder.io.rubric import load_rubric
    from sreladder.present.labels import explain

    role = load_rubric(None).roles["sre"]
    role = role.model_copy(update={"scoring": role.scoring.model_copy(update={"quorum": 0.8})})
    result = score(role, Assessment(sreladder=1, role="sre", answers={}))
    failing = dataclasses.replace(result, recommended=None, quorum_share={"P1": 0.795})
    assert "(here 79.5%)" in explain(role, failing)
    held = dataclasses.replace(result, recommended="P1", quorum_share={"P1": 0.8})
    assert "(here 80%," in explain(role, held)


def test_score_tells_no_answer_from_a_deliberate_not_yet(tmp_path: Path) -> None:
    # code-2a rated not yet, code-3a skipped; nobody rated ops-2a (the target is L3)
    answers = {
        "ops-1a": {"rating": "consistently"},
        "ops-1b": {"rating": "consistently"},
        "code-1a": {"rating": "consistently"},
        "code-2a": {"rating": "not-yet"},
        "code-3a": {"rating": None},
    }
    path = tmp_path / "a.yaml"
    path.write_text(
        yaml.safe_dump({"sreladder": 1, "role": "mini", "target": "L3", "answers": answers})
    )
    md = cli("score", str(path), "--format", "md")
    assert "- **L2** Leads incidents _(no answer)_" in md
    assert "- **L2** Ships features _(not yet)_" in md
    assert "- **L3** Designs systems _(no answer)_" in md
    table = " ".join(cli("score", str(path)).split())
    assert "Leads incidents [no answer]" in table and "Ships features [not yet]" in table
    packet = cli("packet", str(path))
    assert "- **L2** Leads incidents _(no answer)_" in packet
    assert "- **L2** Ships features _(not yet)_" in packet


def test_a_gap_says_what_was_rated_and_what_it_earns() -> None:
    from sreladder.present.labels import gap_word

    assert gap_word(None, 0.0) == "no answer"
    assert gap_word("not-yet", 0.0) == "not yet"
    assert gap_word("partially", 0.5) == "partially"
    # the role requires evidence and there is none: the rating stands, but earns nothing
    assert gap_word("consistently", 0.0) == "consistently, no evidence"
    assert gap_word("partially", 0.0) == "partially, no evidence"


def test_a_one_off_claim_says_why() -> None:
    from sreladder.present.labels import one_off_reason

    assert one_off_reason(0, 0, None) == "no evidence"
    assert one_off_reason(2, 0, None) == "2 items, none dated"
    assert one_off_reason(1, 1, None) == "one dated item"
    assert one_off_reason(3, 1, None) == "3 items, one dated"
    assert one_off_reason(2, 2, 12) == "dated items 12 days apart"
