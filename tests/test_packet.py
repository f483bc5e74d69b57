"""`sreladder packet`: content in md/html/json, the self-contained HTML, the SVG chart,
--compare, --out, and user text coming out inert in every format.

The realistic pair (tests/fixtures/packet/dana-*.yaml, built-in `sre` role): Sam
(manager) rates Dana at P3 with target P4; Dana's self-assessment is the second view."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from pathlib import Path

import pytest
import yaml
from hypothesis import given as hypothesis_given
from hypothesis import settings
from hypothesis import strategies as st
from markdown_table import md_cells
from pydantic import ValidationError
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core.models import Answer, Assessment, Evidence, Role
from sreladder.core.packet import (
    SUSTAINED_DAYS,
    EvidenceItem,
    Given,
    artifacts_and_testimony,
    given,
    one_off,
    sustained,
)
from sreladder.io.rubric import load_rubric

FIXTURES = Path(__file__).parent / "fixtures" / "packet"
MINI = FIXTURES / "data"
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


# --- both assessors' evidence, side by side (--compare) ----------------------------------

# auto-p4-a: the manager rates it partially without evidence, the self-assessment
# consistently with a linked item. lead-p4-a: the manager's not-yet carries the reason as
# its evidence item, the self-assessment its own item. know-p3-a: only the manager gave
# evidence, and both rate it consistently.
SELF_ONLY = "Designed the automated failover runbook executor (Go)"
MANAGER_REASON = "Not yet across groups; the log-cost project stayed inside the platform team"
SELF_LEAD = "Coordinated the payments and checkout on-call merge with two other teams"
MANAGER_ONLY = "Runs the internal Terraform + Kubernetes workshop"


def dimension_section(md: str, name: str) -> str:
    return md.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]


def test_compare_json_carries_both_assessors_evidence() -> None:
    data = json.loads(packet(MANAGER, "--compare", SELF, "--format", "json"))
    dims = {d["id"]: d for d in data["dimensions"]}
    auto = dims["automation-infrastructure"]
    (diff,) = auto["differences"]
    assert (diff["rating"], diff["evidence"]) == ("partially", [])
    assert diff["other_rating"] == "consistently"
    assert diff["other_evidence"] == [
        {
            "text": SELF_ONLY,
            "link": "https://git.example.com/platform/failover",
            "date": "2026-10-28",
            "source": None,  # typed, not suggested: no provenance
            "suggested": None,
        }
    ]
    # met by the manager (partially): the evidence the self-assessment gave is there too
    met = next(m for m in auto["met"] if m["expectation"] == "auto-p4-a")
    assert met["evidence"] == [] and met["other_evidence"][0]["text"] == SELF_ONLY
    assert met["other_rating"] == "consistently"
    lead = next(d for d in dims["leadership"]["differences"] if d["expectation"] == "lead-p4-a")
    assert [e["text"] for e in lead["evidence"]] == [MANAGER_REASON]
    assert [e["text"] for e in lead["other_evidence"]] == [SELF_LEAD]
    # the other way round: the manager's evidence in the self-assessment's packet
    mirrored = json.loads(packet(SELF, "--compare", MANAGER, "--format", "json"))
    know = next(d for d in mirrored["dimensions"] if d["id"] == "knowledge-growth")
    item = next(m for m in know["met"] if m["expectation"] == "know-p3-a")
    assert item["evidence"] == [] and item["other_evidence"][0]["text"] == MANAGER_ONLY
    assert "given" not in item  # template only: evidence + other_evidence say the same


def test_compare_markdown_shows_both_assessors_evidence() -> None:
    md = packet(MANAGER, "--compare", SELF)
    auto = dimension_section(md, "Automation, infrastructure & toil reduction")
    met = auto.split("### Met up to P4", 1)[1].split("###", 1)[0]
    # no longer "no evidence given" for what the self-assessment evidenced, and whose it is
    assert f"  - _self (Dana Okafor):_ {SELF_ONLY}" in met
    assert "  - _both:_ Built the canary-analysis pipeline" in met
    differ = auto.split("### Ratings that differ", 1)[1]
    row = next(line for line in differ.splitlines() if line.startswith("| P4 |"))
    cells = md_cells(row)
    assert cells[2] == "**partially**, _no evidence_"
    assert cells[3].startswith(f"**consistently**: {SELF_ONLY}")
    assert "2026-10-28" in cells[3]
    lead = dimension_section(md, "Leadership & mentoring")
    row = next(line for line in lead.splitlines() if "| P4 |" in line)
    cells = md_cells(row)
    assert cells[2].startswith(f"**not yet**: {MANAGER_REASON}")  # the manager's reason
    assert cells[3].startswith(f"**partially**: {SELF_LEAD}")
    assert_tables_keep_shape(md)
    mirrored = packet(SELF, "--compare", MANAGER)
    know = dimension_section(mirrored, "Technical knowledge & growth")
    assert f"  - _manager (Sam Reyes):_ {MANAGER_ONLY} — 2026-04-15" in know
    # without a second view, no labels
    assert "_manager (Sam Reyes):_" not in packet(MANAGER)


def test_compare_html_shows_both_assessors_evidence() -> None:
    html = packet(MANAGER, "--compare", SELF, "--format", "html")
    auto = html.split('id="dim-automation-infrastructure"', 1)[1].split("<section", 1)[0]
    assert f'<span class="by">self (Dana Okafor):</span> {SELF_ONLY}' in auto
    differ = auto.split("Ratings that differ", 1)[1]
    assert (
        '<span class="rating">partially</span> <span class="muted">· no evidence</span>' in differ
    )
    assert f'<span class="rating">consistently</span><ul class="evidence"><li>{SELF_ONLY}' in differ
    lead = html.split('id="dim-leadership"', 1)[1].split("<section", 1)[0]
    assert MANAGER_REASON in lead and SELF_LEAD in lead


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_compare_summary_lists_where_the_assessors_differ(fmt: str) -> None:
    out = packet(MANAGER, "--compare", SELF, "--template", "summary", "--format", fmt)
    differ = out.split("Where the assessors differ", 1)[1].split("Gaps to P4", 1)[0]
    for text in (SELF_ONLY, MANAGER_REASON, SELF_LEAD):
        assert text in differ
    strongest = out.split("Strongest evidence per dimension", 1)[1]
    assert MANAGER_ONLY in strongest  # technical knowledge: the manager's item only
    alone = packet(MANAGER, "--template", "summary", "--format", fmt)
    assert "Where the assessors differ" not in alone


# --- where a dimension's rubric stops ----------------------------------------------------


def test_a_level_above_the_last_cell_says_where_the_rubric_stops() -> None:
    # the self-assessment meets automation's last cell, P4: P5-P7 are held by the rule
    data = json.loads(packet(SELF, "--format", "json"))
    auto = next(d for d in data["dimensions"] if d["id"] == "automation-infrastructure")
    assert (auto["level"], auto["top_cell"], auto["carried"]) == ("P7", "P4", ["P5", "P6", "P7"])
    assert all(d["carried"] == [] for d in data["dimensions"] if d is not auto)
    md = packet(MANAGER, "--compare", SELF)
    assert "| Automation, infrastructure & toil reduction | 2 | P3 | P7‡ | 1 level below |" in md
    assert (
        "- Automation, infrastructure & toil reduction: P4, the last cell; counts for P5–P7." in md
    )
    section = dimension_section(md, "Automation, infrastructure & toil reduction")
    assert "**P7‡** (P4, the last cell; counts for P5–P7)" in section
    alone = packet(SELF)
    assert "Level **P7‡** (P4, the last cell; counts for P5–P7) against target" in alone


def test_the_chart_draws_no_bar_above_the_last_cell_as_if_assessed() -> None:
    html = packet(MANAGER, "--compare", SELF, "--format", "html")
    row = html.split('data-dimension="automation-infrastructure"', 1)[1].split("</g>", 1)[0]
    solid = float(re.search(r'class="bar other" x="\d+" y="[\d.]+" width="([\d.]+)"', row)[1])
    dashed = re.search(r'class="bar other carried" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', row)
    widths = [
        float(w) for w in re.findall(r'class="bar" x="\d+" y="[\d.]+" width="([\d.]+)"', html)
    ]
    step = widths[0] / 4  # incident response: P4
    assert round(solid / step) == 4  # solid up to the last cell, P4
    assert dashed and round((float(dashed[2]) + 2) / step) == 3  # P5-P7 only outlined
    assert 'stroke-dasharray="4 3"' in row
    assert "above the dimension's last cell: held by the rule, not assessed (‡)" in html
    assert "P4, the last cell; counts for P5–P7" in html
    assert (
        "carried" not in packet(MANAGER, "--format", "html").split("<svg", 1)[1].split("</svg>")[0]
    )


# --- sustained and verifiable ------------------------------------------------------------

SUSTAINED_ANSWERS = {
    # one dated item: one-off
    "ops-1a": {"rating": "consistently", "evidence": [{"text": "Paged", "date": "2026-03-01"}]},
    # two items four months apart, one with a link: sustained
    "ops-1b": {
        "rating": "consistently",
        "evidence": [
            {"text": "Runbook A", "date": "2026-01-10", "link": "https://wiki.example/a"},
            {"text": "Runbook B", "date": "2026-05-10"},
        ],
    },
    # partially, two items 20 days apart: one-off
    "ops-2a": {
        "rating": "partially",
        "evidence": [
            {"text": "Led INC-1", "date": "2026-04-01", "link": "https://pm.example/1"},
            {"text": "Led INC-2", "date": "2026-04-21", "link": "https://pm.example/2"},
        ],
    },
    "code-1a": {"rating": "consistently"},  # a claim with no evidence: one-off
    "code-2a": {"rating": "not-yet", "evidence": [{"text": "Not yet"}]},  # no claim
}


@pytest.fixture
def sustained_file(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    doc = {"sreladder": 1, "role": "mini", "target": "L2", "answers": SUSTAINED_ANSWERS}
    path.write_text(yaml.safe_dump(doc))
    return path


def test_json_one_off_and_artifacts(sustained_file: Path) -> None:
    data = json.loads(packet(str(sustained_file), "--format", "json", data=MINI))
    one_off = {o["expectation"]: o for o in data["one_off"]}
    assert list(one_off) == ["ops-1a", "ops-2a", "code-1a"]  # role order; not ops-1b
    assert (one_off["ops-1a"]["evidence"], one_off["ops-1a"]["dated"]) == (1, 1)
    assert one_off["ops-1a"]["span_days"] is None
    assert one_off["ops-2a"]["span_days"] == 20
    assert one_off["code-1a"]["evidence"] == 0
    ops, code, lead = data["dimensions"]
    assert (ops["claims"], ops["artifacts"], ops["testimony"]) == (3, 3, 2)
    assert (code["claims"], code["artifacts"], code["testimony"]) == (1, 0, 0)  # not-yet: none
    assert (lead["claims"], lead["artifacts"], lead["testimony"]) == (0, 0, 0)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_sustained_section_reads_in_a_minute(sustained_file: Path, fmt: str) -> None:
    out = packet(str(sustained_file), "--format", fmt, data=MINI)
    section = out.split("Sustained and verifiable", 1)[1].split("Operations", 2)
    assert "at least 60 days apart" in section[0]
    if fmt == "md":
        assert "| Operations | 3 | 1 | 2 | 3 | 2 |" in out
        assert "- **L2** Leads incidents _(partially; dated items 20 days apart)_" in out
        assert "2 more one-off claim(s) below L2" in out
    else:
        cells = "<td>Operations</td><td>3</td><td>1</td><td>2</td><td>3</td><td>2</td>"
        assert cells in out
        assert "(partially; dated items 20 days apart)" in out
    summary = packet(str(sustained_file), "--template", "summary", "--format", fmt, data=MINI)
    assert "1 of 4 claims sustained (dated evidence at least 60 days apart)" in summary
    assert "3 of 5 evidence items link to an artifact, 2 are testimony only" in summary


# --- rubric version and file mode --------------------------------------------------------


def test_packet_and_score_warn_about_another_rubric_version(tmp_path: Path) -> None:
    doc = yaml.safe_load(Path(MANAGER).read_text())
    doc.pop("rubric_digest")
    current = tmp_path / "current.yaml"
    current.write_text(yaml.safe_dump(doc, sort_keys=False))
    quiet = runner.invoke(app, ["packet", str(current)])
    assert "W404" not in quiet.stderr
    stale = runner.invoke(app, ["packet", MANAGER])
    assert stale.exit_code == 0 and stale.stdout == quiet.stdout
    validate = runner.invoke(app, ["validate", MANAGER])
    w404 = next(line for line in validate.stdout.splitlines() if " W404 " in line)
    assert f"sreladder: warning: {w404}\n" in stale.stderr  # validate's finding, as it says it
    both = runner.invoke(app, ["packet", MANAGER, "--compare", SELF, "--format", "json"])
    assert both.exit_code == 0 and both.stderr.count(" W404 ") == 2
    for fmt in ("table", "md", "json"):
        score = runner.invoke(app, ["score", MANAGER, "--format", fmt])
        assert score.exit_code == 0 and f"sreladder: warning: {w404}" in score.stderr
        assert " W404 " not in runner.invoke(app, ["score", str(current), "-f", fmt]).stderr


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_out_is_owner_only(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"packet.{fmt}"
    result = runner.invoke(app, ["packet", MANAGER, "--format", fmt, "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)  # an older packet, written before: tightened on rewrite
    assert runner.invoke(app, ["packet", MANAGER, "--out", str(target)]).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_out_never_loosens_an_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "packet.md"
    target.write_text("old")
    target.chmod(0o200)  # stricter than owner-only: kept so
    assert runner.invoke(app, ["packet", MANAGER, "--out", str(target)]).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o200
    assert target.read_text().startswith("# Promotion packet")


def test_a_rubric_export_is_not_made_private(tmp_path: Path) -> None:
    target = tmp_path / "sre.md"
    result = runner.invoke(app, ["export", "sre", "--format", "md", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


# --- sustained and verifiable: the rules themselves (core) --------------------------------

DAY0 = dt.date(2026, 1, 1)
DATES = st.integers(0, 400).map(lambda n: DAY0 + dt.timedelta(days=n))
ITEMS = st.lists(st.one_of(st.none(), DATES), max_size=5).map(
    lambda dates: [Evidence(text=f"item {i}", date=d) for i, d in enumerate(dates)]
)


def _mini_role() -> Role:
    return load_rubric(MINI).role("mini")


def _claims(evidence: dict[str, list[Evidence]], rating: str = "consistently") -> Assessment:
    answers = {k: Answer(rating=rating, evidence=v) for k, v in evidence.items()}
    return Assessment(sreladder=1, role="mini", answers=answers)


def test_sustained_needs_two_dated_items_sixty_days_apart() -> None:
    def items(*dates: dt.date | None) -> list[Evidence]:
        return [Evidence(text="x", date=d) for d in dates]

    later = DAY0 + dt.timedelta(days=SUSTAINED_DAYS)
    assert sustained(items(DAY0, later))
    assert not sustained(items(DAY0, later - dt.timedelta(days=1)))
    assert not sustained(items(DAY0))
    assert not sustained(items(DAY0, None, None))  # undated items say nothing about time
    assert not sustained(items())
    assert sustained(items(later, None, DAY0))  # in any order


@settings(max_examples=300, deadline=None)
@hypothesis_given(ITEMS)
def test_sustained_is_some_pair_of_dated_items_far_enough_apart(items) -> None:
    dates = [e.date for e in items if e.date is not None]
    pairs = any(abs((a - b).days) >= SUSTAINED_DAYS for a in dates for b in dates)
    assert sustained(items) == pairs
    assert sustained(list(reversed(items))) == pairs


@settings(max_examples=300, deadline=None)
@hypothesis_given(ITEMS, st.data())
def test_an_item_sixty_days_from_a_dated_one_ends_one_off(items, data) -> None:
    role = _mini_role()
    before = one_off(role, _claims({"ops-1a": items}))
    dated = [e.date for e in items if e.date is not None]
    if dated:
        anchor = data.draw(st.sampled_from(dated))
        gap = data.draw(st.integers(SUSTAINED_DAYS, 400)) * data.draw(st.sampled_from([1, -1]))
        added = [*items, Evidence(text="later", date=anchor + dt.timedelta(days=gap))]
        assert "ops-1a" not in one_off(role, _claims({"ops-1a": added}))
    undated = [*items, Evidence(text="undated", link="https://pr.example/1")]
    assert one_off(role, _claims({"ops-1a": undated})) == before  # no date, no change


@settings(max_examples=200, deadline=None)
@hypothesis_given(
    st.dictionaries(st.sampled_from(["ops-1a", "ops-1b", "ops-2a", "code-1a"]), ITEMS),
    st.sampled_from(["not-yet", "partially", "consistently"]),
)
def test_one_off_is_every_claim_not_sustained_in_role_order(evidence, rating) -> None:
    role = _mini_role()
    found = one_off(role, _claims(evidence, rating))
    order = [e.id for _, _, e in role.expectations()]
    expected = (
        []
        if rating == "not-yet"
        else [k for k in order if k in evidence and not sustained(evidence[k])]
    )
    assert found == expected


def test_artifacts_are_items_with_a_link() -> None:
    items = [
        Evidence(text="PR", link="https://git.example/pull/1"),
        Evidence(text="said so"),
        Evidence(text="doc", link="docs/runbook.md"),  # a link is a link, http or not
    ]
    assert artifacts_and_testimony(items) == (2, 1)
    with pytest.raises(ValidationError):  # a blank link is no link: no file can hold one
        Evidence(text="blank link", link="  ")
    assert artifacts_and_testimony([]) == (0, 0)


def test_given_labels_each_item_by_whose_it_is() -> None:
    a, b, c = (EvidenceItem(t, None, None) for t in "abc")
    assert given((a, b), (b, c), "manager", "self") == (
        Given(a, "manager"),
        Given(b, "both"),
        Given(c, "self"),
    )
    assert given((), (), "manager", "self") == ()


# --- where suggested evidence came from ------------------------------------------------

ONBOARDING = "Completed on-call onboarding; primary for the payments rotation since March"
DNS = "Debugged the Kubernetes DNS timeouts (ndots + conntrack) behind the checkout 5xx spike"
TYPED = "Wrote 6 incident timelines and attended every weekly review in Q2"


@pytest.fixture
def suggested_file(tmp_path: Path) -> Path:
    """dana-self.yaml with one item confirmed from a suggestion, one attached unseen (its
    source's name hostile), and the rest typed."""
    data = yaml.safe_load(Path(SELF).read_text())
    answers = data["answers"]
    answers["ir-p2-a"]["evidence"][0].update(
        source={"file": "/home/dana/notes/brag.md", "line": 12}, suggested="confirmed"
    )
    answers["ir-p3-a"]["evidence"][0].update(
        source={"file": "C:\\notes\\<img src=x onerror=alert(1)>_*y*.md", "line": 3},
        suggested="unreviewed",
    )
    path = tmp_path / "dana.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_packet_markdown_says_where_suggested_evidence_came_from(suggested_file: Path) -> None:
    md = packet(str(suggested_file), "--format", "md")
    line = next(x for x in md.splitlines() if ONBOARDING in x)
    assert line.endswith(" — 2026-03-02 — _from brag.md:12, suggested and confirmed_")
    hostile = next(x for x in md.splitlines() if DNS in x)
    assert hostile.endswith(
        r" — _from \<img src=x onerror=alert(1)\>\_\*y\*.md:3, suggested, not reviewed_"
    )
    typed = next(x for x in md.splitlines() if TYPED in x)
    assert "suggested" not in typed and "from " not in typed  # typed: nothing extra
    assert "/home/dana" not in md and "notes\\" not in md  # the folders stay private


def test_packet_html_says_where_suggested_evidence_came_from(suggested_file: Path) -> None:
    html = packet(str(suggested_file), "--format", "html")
    assert '<span class="muted provenance">from brag.md:12, suggested and confirmed</span>' in html
    assert "from &lt;img src=x onerror=alert(1)&gt;_*y*.md:3, suggested, not reviewed" in html
    assert "<img" not in html and "/home/dana" not in html
    typed = html.split(TYPED, 1)[1].split("</li>", 1)[0]
    assert "provenance" not in typed


def test_packet_json_carries_the_source_and_how_it_was_accepted(suggested_file: Path) -> None:
    data = json.loads(packet(str(suggested_file), "--format", "json"))
    items = {e["text"]: e for d in data["dimensions"] for m in d["met"] for e in m["evidence"]}
    assert items[ONBOARDING]["source"] == {"file": "brag.md", "line": 12}
    assert items[ONBOARDING]["suggested"] == "confirmed"
    assert items[DNS]["source"] == {"file": "<img src=x onerror=alert(1)>_*y*.md", "line": 3}
    assert items[DNS]["suggested"] == "unreviewed"
    assert (items[TYPED]["source"], items[TYPED]["suggested"]) == (None, None)


def test_the_same_item_suggested_on_one_side_and_typed_on_the_other_is_both(
    suggested_file: Path,
) -> None:
    md = packet(str(suggested_file), "--compare", SELF, "--format", "md")
    line = next(x for x in md.splitlines() if ONBOARDING in x)
    assert "_both:_" in line and "suggested and confirmed" in line
