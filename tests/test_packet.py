"""`sreladder packet`: content in md/html/json, the self-contained HTML, the SVG chart,
--compare, --out, and user text coming out inert in every format.

The realistic pair (tests/fixtures/packet/dana-*.yaml, built-in `sre` role): Sam
(manager) rates Dana at P3 with target P4; Dana's self-assessment is the second view."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from markdown_table import md_cells
from typer.testing import CliRunner

from sreladder.cli.app import app

FIXTURES = Path(__file__).parent / "fixtures" / "packet"
MANAGER = str(FIXTURES / "dana-manager.yaml")
SELF = str(FIXTURES / "dana-self.yaml")
runner = CliRunner()

EXPLAIN = (
    "P3 is the highest level held in at least 75% of the dimensions by weight (here 92%, "
    "a dimension holding a level when 80% of its expectation weight there is met) with no "
    "dimension more than 1 level below it."
)
EVIDENCE = "Incident commander for the 2026-10-03 checkout outage"
EVIDENCE_LINK = "https://docs.example.com/pm/2026-10-03-checkout"
GAP = "Drives architectural improvements and sets best practices for reliability"
SRE_DIMENSIONS = 9


def packet(*args: str, data: Path | None = None):
    extra = ["--data", str(data)] if data else []
    result = runner.invoke(app, ["packet", *args, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def md_tables(text: str) -> list[list[str]]:
    """Runs of consecutive lines starting with a pipe."""
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def assert_tables_keep_shape(text: str) -> int:
    tables = md_tables(text)
    for table in tables:
        widths = {len(md_cells(row)) for row in table}
        assert len(widths) == 1, table
    return len(tables)


# --- content -----------------------------------------------------------------------


def test_markdown_content() -> None:
    out = packet(MANAGER)
    assert out.startswith("# Promotion packet: Dana Okafor\n")
    assert "| Current level (recommended) | P3 |" in out
    assert "| Target level | P4 |" in out
    assert "| Assessor | manager (Sam Reyes) |" in out
    assert "| Date | 2026-11-20 |" in out
    assert EXPLAIN in out
    assert EVIDENCE in out
    assert f"[{EVIDENCE_LINK}]({EVIDENCE_LINK})" in out
    assert GAP in out
    # leadership starts at P3: P2 is held by the rule only, marked and explained
    assert "| Leadership & mentoring | 1 | P2† | 2 levels below |" in out
    assert "† not expected yet: the dimension starts at a later level" in out
    assert "## Claims without evidence" in out
    assert "self (Dana Okafor)" not in out  # no second view without --compare
    assert_tables_keep_shape(out)


def test_markdown_met_lists_levels_up_to_the_target_only() -> None:
    out = packet(MANAGER)
    section = out.split("## Incident response & on-call\n", 1)[1].split("\n## ", 1)[0]
    met = section.split("### Met up to P4", 1)[1]
    levels = re.findall(r"^- \*\*(P\d)\*\*", met, re.M)
    assert levels == ["P1", "P1", "P2", "P2", "P3", "P4"]
    # the self-assessment rates ir-p5-a; the manager's does not, and P5 is above target
    assert "Lead major incident responses." not in out


def test_html_content() -> None:
    out = packet(MANAGER, "--format", "html")
    assert out.startswith("<!DOCTYPE html>")
    assert "<th>Current level (recommended)</th><td><strong>P3</strong></td>" in out
    assert "<th>Target level</th><td><strong>P4</strong></td>" in out
    assert EXPLAIN in out
    assert EVIDENCE in out
    assert f'<a href="{EVIDENCE_LINK}" rel="noopener noreferrer">' in out
    assert GAP in out


def test_json_content_and_keys() -> None:
    data = json.loads(packet(MANAGER, "--format", "json"))
    assert list(data) == [
        "packet",
        "subject",
        "role",
        "assessor",
        "date",
        "recommended",
        "target",
        "explanation",
        "scoring",
        "levels",
        "evidence_coverage",
        "dimensions",
        "unsupported",
        "inconsistencies",
        "unknown_answers",
        "compare",
        "one_off",
    ]
    assert data["subject"] == "Dana Okafor"
    assert data["assessor"] == {
        "name": "Sam Reyes",
        "relation": "manager",
        "label": "manager (Sam Reyes)",
    }
    assert data["recommended"]["id"] == "P3"
    assert data["target"]["id"] == "P4"
    assert data["explanation"] == EXPLAIN
    assert data["compare"] is None
    ir = data["dimensions"][0]
    assert list(ir) == [
        "id",
        "name",
        "group",
        "weight",
        "first_level",
        "top_cell",
        "level",
        "level_label",
        "meets_target",
        "levels_below_target",
        "coverage",
        "met",
        "gaps",
        "other_level",
        "differences",
        "not_expected_yet",
        "other_not_expected_yet",
        "carried",
        "other_carried",
        "claims",
        "artifacts",
        "testimony",
    ]
    assert ir["id"] == "incident-response" and ir["level"] == "P4" and ir["meets_target"]
    commander = next(m for m in ir["met"] if m["expectation"] == "ir-p4-a")
    assert commander["evidence"][0]["link"] == EVIDENCE_LINK
    assert commander["evidence"][0]["date"] == "2026-10-03"
    assert EVIDENCE in commander["evidence"][0]["text"]
    arch = next(d for d in data["dimensions"] if d["id"] == "architecture-performance")
    assert [g["expectation"] for g in arch["gaps"]] == ["arch-p4-a"]
    assert arch["gaps"][0]["rating"] == "not-yet"
    assert all(m["level"] in ("P1", "P2", "P3", "P4") for d in data["dimensions"] for m in d["met"])
    assert "ir-p1-a" in [u["expectation"] for u in data["unsupported"]]


def test_target_option_moves_the_target() -> None:
    data = json.loads(packet(MANAGER, "--format", "json", "--target", "P5"))
    assert data["target"]["id"] == "P5"
    ir = data["dimensions"][0]
    assert not ir["meets_target"] and ir["levels_below_target"] == 1
    assert [g["expectation"] for g in ir["gaps"]] == ["ir-p5-a", "ir-p5-b", "ir-p5-d"]
    assert {m["level"] for d in data["dimensions"] for m in d["met"]} <= {"P1", "P2", "P3", "P4"}


# --- self-contained HTML and the chart ---------------------------------------------


def test_html_is_self_contained() -> None:
    out = packet(MANAGER, "--compare", SELF, "--format", "html")
    lowered = out.lower()
    for banned in ("<link", "@import", "url(", "<script", "<img", "<iframe", "<object", "src="):
        assert banned not in lowered, banned
    hrefs = re.findall(r"""href\s*=\s*["']?([^"'\s>]*)""", out, re.I)
    assert hrefs, "the evidence links should be clickable"
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    assert "default-src 'none'" in out  # the browser is told too
    assert "@page { size: A4" in out and "@media print" in out
    assert "break-inside: avoid" in out


def test_svg_has_one_row_per_dimension() -> None:
    out = packet(MANAGER, "--format", "html")
    assert out.count("<svg") == 1
    assert out.count('class="dim-row"') == SRE_DIMENSIONS
    assert out.count('class="target"') == SRE_DIMENSIONS
    assert 'class="bar other"' not in out
    compared = packet(MANAGER, "--compare", SELF, "--format", "html")
    assert compared.count('class="bar other"') == SRE_DIMENSIONS


def test_svg_bar_lengths_follow_levels() -> None:
    out = packet(MANAGER, "--format", "html")
    widths = [float(w) for w in re.findall(r'class="bar" x="\d+" y="[\d.]+" width="([\d.]+)"', out)]
    # manager levels: P4 P3 P3 P3 P3 P3 P2 P4 P3 -> bar length proportional to the level
    step = widths[1] / 3
    assert [round(w / step) for w in widths] == [4, 3, 3, 3, 3, 3, 2, 4, 3]


# --- --compare ---------------------------------------------------------------------


def test_compare_adds_the_other_view() -> None:
    md = packet(MANAGER, "--compare", SELF)
    assert "| Second view | self (Dana Okafor), 2026-11-18: recommends P3 |" in md
    assert "76% of the 33 expectation(s) rated by both" in md
    assert "| Dimension | Weight | Level: manager (Sam Reyes) | Level: self (Dana Okafor) |" in md
    assert "| Leadership & mentoring | 1 | P2† | P3 | 2 levels below |" in md
    assert "### Ratings that differ" in md
    assert "| P3 | Leads smaller reliability projects" in md
    assert "## Rated by one side only" in md
    assert_tables_keep_shape(md)

    data = json.loads(packet(MANAGER, "--compare", SELF, "--format", "json"))
    assert data["compare"]["assessor"]["label"] == "self (Dana Okafor)"
    assert data["compare"]["agreement"]["expectations_rated_by_both"] == 33
    lead = next(d for d in data["dimensions"] if d["id"] == "leadership")
    assert lead["other_level"] == "P3"
    assert [d["expectation"] for d in lead["differences"]] == ["lead-p3-a", "lead-p4-a"]
    # know-p1-c was removed from the rubric: an unknown answer now, not a missing one
    assert [d["expectation"] for d in data["compare"]["no_answer"]] == ["ir-p5-a"]

    html = packet(MANAGER, "--compare", SELF, "--format", "html")
    assert "<th>Second view</th>" in html and "self (Dana Okafor)" in html


def test_compare_refuses_another_person(tmp_path: Path) -> None:
    other = yaml.safe_load(Path(SELF).read_text())
    other["subject"] = {"name": "Alex"}
    path = tmp_path / "alex.yaml"
    path.write_text(yaml.safe_dump(other))
    result = runner.invoke(app, ["packet", MANAGER, "--compare", str(path)])
    assert result.exit_code == 1
    assert "different people" in result.stderr
    assert result.stdout == ""


# --- --out -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_out_writes_the_file(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"packet.{fmt}"
    result = runner.invoke(app, ["packet", MANAGER, "--format", fmt, "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert target.read_text() == packet(MANAGER, "--format", fmt)


# --- escaping ----------------------------------------------------------------------

NASTY_EVIDENCE = [
    "<script>alert(1)</script>",
    "</td></tr></table>",
    "| pipe | in | cells |",
    "`code` and ``more``",
    "# not a heading",
    '=HYPERLINK("http://x","y")',
    "[red]x[/] rich markup",
    "\x1b[2J clears the screen",
    "- not a list",
    "1. not a list",
    "     not indented code",
]
NASTY_NAME = "Dana | </td> `x` [red]y[/] {0} %s \x1b[31m"
BAD_LINK = "javascript:alert(1)"
ODD_LINK = "https://ok.example/a_(b)|c"
ROLE = """
id: mini
name: Mini Engineer
ladder: mini
levels: {L1: {}, L2: {}}
dimensions:
  - id: ops
    name: "Ops | <b>bold</b> # `x`"
    levels:
      L1:
        expectations:
          - {id: ops-1a, text: "Answers | pages <script>x</script>"}
          - {id: ops-1b, text: Writes runbooks}
      L2:
        expectations:
          - {id: ops-2a, text: "Leads | incidents"}
"""


@pytest.fixture
def nasty(tmp_path: Path) -> tuple[Path, Path, Path]:
    data = tmp_path / "data"
    (data / "levels").mkdir(parents=True)
    (data / "roles").mkdir()
    (data / "levels" / "mini.yaml").write_text(
        "id: mini\nname: Mini\nlevels: [{id: L1}, {id: L2}]\n"
    )
    (data / "roles" / "mini.yaml").write_text(ROLE)
    evidence = [{"text": t} for t in NASTY_EVIDENCE]
    evidence[0]["link"] = BAD_LINK
    evidence[1]["link"] = ODD_LINK

    def doc(relation: str, assessor: str, ratings: dict) -> dict:
        return {
            "sreladder": 1,
            "role": "mini",
            "subject": {"name": NASTY_NAME},
            "assessor": {"name": assessor, "relation": relation},
            "answers": {
                k: {"rating": r, "evidence": evidence if k == "ops-1a" else []}
                for k, r in ratings.items()
            },
        }

    a = tmp_path / "a.yaml"
    a.write_text(
        yaml.safe_dump(
            doc("manager", NASTY_NAME, {"ops-1a": "consistently", "ops-1b": "partially"}),
            allow_unicode=True,
        )
    )
    b = tmp_path / "b.yaml"
    b.write_text(yaml.safe_dump(doc("self", "Dana", {"ops-1a": "not-yet", "ops-2a": "partially"})))
    return data, a, b


def test_escaping_html(nasty) -> None:
    data, a, b = nasty
    out = packet(str(a), "--compare", str(b), "--format", "html", data=data)
    assert "<script" not in out.lower()
    assert out.count("</td>") == out.count("<td>")
    assert out.count("</table>") == out.count("<table")
    assert "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "\x1b" not in out
    assert 'href="javascript' not in out.lower()
    assert "javascript:alert(1)" in out  # shown as text
    assert 'href="https://ok.example/a_(b)|c"' in out
    assert "[red]x[/] rich markup" in out


def test_escaping_markdown(nasty) -> None:
    data, a, b = nasty
    out = packet(str(a), "--compare", str(b), data=data)
    assert "\x1b" not in out
    assert assert_tables_keep_shape(out) >= 4  # facts, dimensions, differences, one side
    facts = md_tables(out)[0]
    assert len(md_cells(facts[2])) == 2  # the subject row, its name full of pipes
    assert "<script>" not in out and "\\<script\\>" in out
    assert not re.search(r"^\s*(- )?# not a heading", out, re.M)
    assert "\\# not a heading" in out
    assert "\\`code\\`" in out
    # both gave the same items: each is labelled, and still no list or code block starts
    assert "  - _both:_ \\- not a list" in out
    assert "  - _both:_ 1\\. not a list" in out
    assert "  - _both:_ not indented code" in out
    alone = packet(str(a), data=data)  # no second view: the items start the list items
    assert "  - \\- not a list" in alone
    assert "  - 1\\. not a list" in alone
    assert "  - not indented code" in alone
    assert "](javascript" not in out
    assert "javascript:alert(1)" in out
    assert "(https://ok.example/a_%28b%29%7Cc)" in out
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert all(not line.startswith("# not") for line in headings)


def test_escaping_json_round_trips(nasty) -> None:
    data, a, b = nasty
    out = packet(str(a), "--compare", str(b), "--format", "json", data=data)
    assert "\x1b" not in out
    parsed = json.loads(out)
    evidence = parsed["dimensions"][0]["met"][0]["evidence"]
    assert [e["text"] for e in evidence] == NASTY_EVIDENCE
    assert evidence[0]["link"] == BAD_LINK
    assert parsed["subject"] == NASTY_NAME
    assert parsed["dimensions"][0]["name"] == "Ops | <b>bold</b> # `x`"


# --- shapes ------------------------------------------------------------------------


def test_html_column_widths_match_the_columns() -> None:
    out = packet(MANAGER, "--compare", SELF, "--format", "html")
    tables = re.findall(r"<table>(.*?)</table>", out, re.S)
    assert len(tables) > 20
    for table in tables:
        head = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
        assert table.count("<col ") == head.count("<th>"), head
        for row in re.findall(r"<tbody>.*?<tr>(.*?)</tr>", table, re.S):
            assert row.count("<td>") == head.count("<th>")


def test_nothing_held_reads_not_yet(tmp_path: Path) -> None:
    data = Path(__file__).parent / "fixtures" / "packet" / "data"
    path = tmp_path / "empty.yaml"
    path.write_text("sreladder: 1\nrole: mini\nanswers: {ops-1a: {rating: not-yet}}\n")
    md = packet(str(path), data=data)
    assert "| Current level (recommended) | not yet L1 |" in md
    assert "| Target level | L1 Junior |" in md
    assert "No level qualifies: L1 needs at least 75% of the dimensions" in md
    assert "| Subject | (unnamed) |" in md
    html = packet(str(path), "--format", "html", data=data)
    assert html.count('class="dim-row"') == 3
    widths = re.findall(r'class="bar" x="\d+" y="[\d.]+" width="([\d.]+)"', html)
    # ops and code hold nothing; leadership starts at L3, so L1 and L2 are not yet expected
    assert [float(w) > 0 for w in widths] == [False, False, True]


def test_dimension_not_expected_up_to_the_target_says_so() -> None:
    md = packet(MANAGER)
    strategy = md.split("## Strategy & influence\n", 1)[1].split("\n## ", 1)[0]
    assert "_Not expected up to P4: this dimension starts at P5._" in strategy
    architecture = md.split("## Architecture & performance\n", 1)[1].split("\n## ", 1)[0]
    assert "_Nothing rated as met up to the target._" in architecture  # starts at P4, not met


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_credit_says_so_instead_of_na_percent(tmp_path: Path, fmt: str) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("sreladder: 1\nrole: sre\nanswers: {}\n")
    result = runner.invoke(app, ["packet", str(empty), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "no credit earned yet" in result.stdout
    assert "n/a of the earned credit" not in result.stdout
