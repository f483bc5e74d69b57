"""Every import is bounded (issue 22 item 3): hostile sources, small on disk, that a
reader trusting them would expand to gigabytes, are refused before anything is
expanded, in one line naming the limit, exit 1, within seconds and a few hundred MB.
Each runs the CLI in a process of its own, whose time and peak memory are measured."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import hostile_imports
import pytest

LIMIT_SECONDS = 30
LIMIT_BYTES = 2**30


def run_measured(source: Path, out: Path) -> tuple[int, str, float, int]:
    """(exit code, stderr, seconds, peak resident bytes) of `sreladder import` run in a
    child process (capped at 2 GiB of address space, so a regression fails, not the
    machine)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * LIMIT_BYTES, 2 * LIMIT_BYTES))

    err = out.parent / f"{source.name}.stderr"
    started = time.monotonic()
    with open(err, "wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "sreladder", "import", str(source), "--out", str(out)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=cap,
        )
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            child.kill()
            raise
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, err.read_text(encoding="utf-8"), seconds, usage.ru_maxrss * 1024


HOSTILE = [
    ("merged-to-the-end.xlsx",
     "Ladder!A1:XFD1048576: merged ranges covering 17,179,869,184 cells; at most 200,000"),
    ("far-cell.xlsx",
     "Ladder!XFD1048576: a cell in row 1,048,576, column 16,384; a ladder sheet has at most 200"),
    ("ten-million-bullets.xlsx", "Ladder!C2: a cell of more than 100,000 characters"),
    ("torn.xlsx", "xl/worksheets/sheet1.xml: broken XML at line 1"),
    ("truncated.xlsx", "not a readable XLSX workbook"),
    ("dtd.xlsx", "xl/worksheets/sheet1.xml: declares a DTD"),
    ("spans.html", "colspan 100,000; a table has at most 200 columns"),
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile_imports.write_all(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize(("name", "message"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_a_hostile_source_is_one_line_exit_1_in_seconds_and_little_memory(
    hostile, tmp_path, name, message
):
    source = hostile[name]
    assert source.stat().st_size < 100_000  # small on disk
    out = tmp_path / "out"
    code, stderr, seconds, peak = run_measured(source, out)
    print(f"{name}: {source.stat().st_size:,} B, exit {code}, {seconds:.1f} s, "
          f"{peak / 2**20:.0f} MiB: {stderr.strip()}")  # fmt: skip
    assert code == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"sreladder: {name}"), stderr
    assert message in lines[0]
    assert seconds < LIMIT_SECONDS and peak < LIMIT_BYTES
    assert not out.exists()


def test_deep_nesting_is_parsed_without_recursion_and_quickly(hostile, tmp_path):
    code, stderr, seconds, peak = run_measured(hostile["nested.html"], tmp_path / "out")
    assert code == 1 and "no table has a header row of levels" in stderr
    assert seconds < LIMIT_SECONDS and peak < LIMIT_BYTES


# --- each limit, by name -----------------------------------------------------------------

from test_import import fails  # noqa: E402


def _workbook(path: Path, rows: list[list], merges: list[str] = ()) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Ladder"
    for row in rows:
        sheet.append(row)
    for block in merges:
        sheet.merge_cells(block)
    book.save(path)
    return path


def test_a_cell_of_too_many_items_is_refused_before_it_is_split(tmp_path):
    source = tmp_path / "items.csv"
    bullets = "\n".join(f"• item {n}" for n in range(600))
    source.write_text(f'Skill,L1,L2\nCoding,"{bullets}",b\n', encoding="utf-8")
    assert "items.csv:2: a cell of 600 lines or items; at most 500 per cell" in fails(
        source, tmp_path / "out"
    )


def test_an_html_cell_of_too_many_list_items_is_refused(tmp_path):
    source = tmp_path / "page.html"
    items = "".join(f"<li>item {n}</li>" for n in range(600))
    source.write_text(
        f"<table><tr><th>Skill</th><th>L1</th><th>L2</th></tr>"
        f"<tr><td>Coding</td><td><ul>{items}</ul></td><td>b</td></tr></table>"
    )
    assert "a cell of 600 lines or items; at most 500" in fails(source, tmp_path / "out")


def test_a_rowspan_past_the_limit_is_refused_and_one_within_it_stops_at_the_table_end(tmp_path):
    source = tmp_path / "page.html"
    source.write_text(
        "<table><tr><th>Skill</th><th>L1</th><th>L2</th></tr>\n"
        '<tr><td>Coding</td><td rowspan="900000">a</td><td>b</td></tr></table>'
    )
    assert "page.html:2: rowspan 900,000; a table has at most 5,100 rows" in fails(
        source, tmp_path / "out"
    )
    source.write_text(source.read_text().replace("900000", "4000"))
    from test_import import imported

    imported(source, tmp_path / "ok")


def test_a_page_of_too_many_tags_is_refused_before_it_is_parsed(tmp_path):
    source = tmp_path / "tags.html"
    source.write_text("<table><tr><td>" + "<b>x</b>" * 120_000 + "</td></tr></table>")
    started = time.monotonic()
    assert "tags.html: 120,003 HTML tags; at most 100,000" in fails(source, tmp_path / "out")
    assert time.monotonic() - started < 5


def test_a_sheet_of_too_many_cells_is_refused_from_the_scan(tmp_path):
    rows = [["Skill", "L1", "L2"], ["Coding", "a", "b"]]
    rows += [[None] * 149 + ["x"] for _ in range(1_500)]
    source = _workbook(tmp_path / "wide.xlsx", rows)
    assert (
        "Ladder!ET1334: the sheet's cells span 1,334 rows x 150 columns; at most 200,000 cells"
        in fails(source, tmp_path / "out")
    )


def test_a_cell_past_the_last_column_is_refused(tmp_path):
    source = _workbook(
        tmp_path / "far.xlsx", [["Skill", "L1", "L2"], ["Coding", "a", "b", *[None] * 300, "x"]]
    )
    assert "far.xlsx:Ladder!KR2: a cell in row 2, column 304" in fails(source, tmp_path / "out")


def test_merged_ranges_inside_the_limits_still_read(tmp_path):
    from test_import import imported, role_file

    rows = [["SRE ladder"], ["Skill", "L1", "L2"], ["Coding", "writes", None]]
    source = _workbook(tmp_path / "ok.xlsx", rows, ["A1:XFD1", "B3:C3"])  # a whole-row title
    imported(source, tmp_path / "out")
    coding = role_file(tmp_path / "out", "sre-ladder")["dimensions"][0]
    assert [e["text"] for e in coding["levels"]["L2"]["expectations"]] == ["writes"]


def test_a_csv_of_too_many_cells_is_refused(tmp_path):
    source = tmp_path / "commas.csv"
    source.write_text("Skill,L1,L2\n" + ("," * 150 + "\n") * 2_000)
    assert "more than 200,000 cells (empty ones counted)" in fails(source, tmp_path / "out")
