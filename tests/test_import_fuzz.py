"""Property tests of the readers: random sources never end in a traceback, and a
random matrix comes back whole (every item at its level, nothing added)."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core.cell_text import survives_cell
from sreladder.io.rubric import validate_paths

KINDS = [None, "csv", "markdown", "html", "monzo", "ft"]
PIECES = [
    "|",
    "| --- | --- |",
    "\n",
    "<table>",
    "<tr>",
    "<th>L1</th>",
    "<thead>",
    '<td colspan="3">',
    '<td rowspan="0">',
    '<th rowspan="99999">',
    "</table>",
    "<div>",
    "<!DOCTYPE html>",
    "<td>",
    "<ul><li>",
    "</li>",
    "---\n",
    "topics:\n",
    "  - name: a\n",
    "competencies:\n",
    "levels: 3\n",
    "# Heading\n",
    "**Skill**",
    "*x*",
    "• ",
    "- ",
    "1. ",
    '=HYPERLINK("a")',
    "Senior (L3)",
    ",",
    ";",
    "\t",
    '"',
    "'",
    "\x1b[31m",
    "&amp;",
    "\\|",
    "<br>",
    "é",
    "\ufeff",
    "🙂",
]
SOURCE = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=40).map("".join)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _import(source: Path, out: Path, *options: str):
    return CliRunner().invoke(app, ["import", str(source), "--out", str(out), *options])


@settings(SETTINGS, max_examples=150)
@given(text=SOURCE, kind=st.sampled_from(KINDS))
def test_random_sources_import_or_stop_with_one_line(text, kind):
    folder = Path(tempfile.mkdtemp())
    try:
        source = folder / "ladder.txt"
        source.write_text(text, encoding="utf-8")
        out = folder / "out"
        result = _import(source, out, *(["--from", kind] if kind else []))
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code:
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert not out.exists()
        else:
            errors = [d for d in validate_paths([out]).diagnostics if d.severity == "error"]
            assert errors == []
    finally:
        shutil.rmtree(folder)


ITEM = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    min_size=1,
    max_size=40,
).filter(lambda t: survives_cell(t) and t.strip() == t and not t.startswith("'"))
NAME = st.from_regex(r"[A-Z][a-z]{2,10}( [a-z]{2,8})?", fullmatch=True)


@SETTINGS
@given(
    levels=st.integers(min_value=2, max_value=5),
    rows=st.lists(
        st.tuples(NAME, st.lists(st.lists(ITEM, max_size=3), min_size=5, max_size=5)),
        min_size=1,
        max_size=6,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_a_random_matrix_comes_back_whole(levels, rows, delimiter, encoding):
    header = ["Dimension"] + [f"Level {n} (L{n})" for n in range(1, levels + 1)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    wanted: set[tuple[str, str]] = set()
    for name, cells in rows:
        cells = cells[:levels]
        if not any(cells):
            continue
        writer.writerow([name, *("\n".join(f"• {i}" for i in items) for items in cells)])
        for n, items in enumerate(cells, start=1):
            wanted |= {(f"L{n}", item) for item in items}
    folder = Path(tempfile.mkdtemp())
    try:
        source = folder / "matrix.csv"
        source.write_bytes(buffer.getvalue().encode(encoding))
        out = folder / "out"
        result = _import(source, out)
        if not wanted:
            assert result.exit_code == 1
            return
        assert result.exit_code == 0, result.output
        role = yaml.safe_load((out / "roles" / "matrix.yaml").read_text(encoding="utf-8"))
        got = {
            (level, e["text"])
            for d in role["dimensions"]
            for level, cell in d["levels"].items()
            for e in cell["expectations"]
        }
        assert got == wanted
    finally:
        shutil.rmtree(folder)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = [
    "id",
    "name",
    "ladder",
    "levels",
    "group",
    "weight",
    "expectations",
    "text",
    "examples",
    "source",
    "summary",
    "scoring",
    "description",
    "title",
    "P1",
    "threshold",
]


@settings(SETTINGS, max_examples=80)
@given(data=st.data(), fmt=st.sampled_from(["csv", "md"]))
def test_a_tampered_export_imports_or_stops_with_one_line(data, fmt):
    """The JSON an export keeps is user-editable: any change gives a rubric or one line."""
    import json

    from sreladder.io import exporters
    from sreladder.io.rubric import load_rubric

    role = load_rubric(None).role("production-engineer")
    text = exporters.to_csv(role) if fmt == "csv" else exporters.to_markdown(role)
    blobs = [m for m in __import__("re").finditer(r"\{[^\n]*\}", text)]
    target = data.draw(st.sampled_from(blobs))
    raw = target.group()
    if fmt == "csv":
        raw = raw.replace('""', '"')
    try:
        kept = json.loads(raw.replace("\\u003c", "<").replace("\\u003e", ">"))
    except ValueError:
        return
    path = data.draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3))
    node = kept
    for key in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(key, {})
    if isinstance(node, dict):
        node[path[-1]] = data.draw(JSON)
    new = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
    new = new.replace('"', '""') if fmt == "csv" else new.replace("<", "\\u003c")
    if fmt == "md":
        new = new.replace(">", "\\u003e")
    changed = text[: target.start()] + new + text[target.end() :]
    folder = Path(tempfile.mkdtemp())
    try:
        source = folder / f"export.{fmt}"
        source.write_text(changed, encoding="utf-8")
        result = _import(source, folder / "out")
        assert result.exit_code in (0, 1), result.output
        if result.exit_code:
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    finally:
        shutil.rmtree(folder)


# --- workbooks: any damage to any part is a ladder or one line, never a crash --------


def _workbook() -> bytes:
    import io as _io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Ladder"
    for row in (["Skill", "Junior (L1)", "Senior (L2)"], ["Coding", "writes\n• tests", "designs"]):
        sheet.append(row)
    sheet.merge_cells("B3:C3")
    buffer = _io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK = _workbook()
XML_PIECES = [
    b"<",
    b">",
    b"</c>",
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<mergeCell ref="A1:C9"/>',
    b'<row r="9">',
    b"<!DOCTYPE x>",
    b"&amp;",
    b"&x;",
    b'<c r="A1" t="s"><v>99</v></c>',
    b'<c t="inlineStr"><is><t>x</t></is></c>',
    b"\x00",
    b"\xff",
]


@settings(SETTINGS, max_examples=80)
@given(data=st.data())
def test_a_damaged_workbook_imports_or_stops_with_one_line(data):
    import io as _io
    import zipfile

    with zipfile.ZipFile(_io.BytesIO(WORKBOOK)) as book:
        parts = {info.filename: book.read(info.filename) for info in book.infolist()}
    name = data.draw(st.sampled_from(sorted(parts)))
    body = parts[name]
    at = data.draw(st.integers(min_value=0, max_value=len(body)))
    cut = data.draw(st.integers(min_value=0, max_value=40))
    piece = data.draw(st.sampled_from(XML_PIECES) | st.binary(max_size=8))
    parts[name] = body[:at] + piece + body[at + cut :]
    buffer = _io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for part, content in parts.items():
            book.writestr(part, content)
    raw = buffer.getvalue()
    if data.draw(st.booleans()):  # and the file itself torn or flipped
        spot = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw = raw[:spot] + bytes([raw[spot] ^ 0x55]) + raw[spot + 1 :]
    folder = Path(tempfile.mkdtemp())
    try:
        source = folder / "book.xlsx"
        source.write_bytes(raw)
        result = _import(source, folder / "out")
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        if result.exit_code:
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert not (folder / "out").exists()
    finally:
        shutil.rmtree(folder)
