"""Hostile sources for `sreladder import`, made small on disk: each unpacks, expands
or nests to gigabytes if a reader trusts it. Every one must be refused in one line,
exit 1, within seconds and a few hundred MB (tests/test_import_limits.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

LADDER = [["Skill", "Junior (L1)", "Senior (L2)"], ["Coding", "writes code", "designs code"]]


def workbook_bytes(rows: list[list[str]] = LADDER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Ladder"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezipped(data: bytes, part: str, edit) -> bytes:
    """The workbook with one part's XML passed through ``edit`` (bytes -> bytes, or an
    iterable of chunks, streamed so that a large part never sits in memory)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new,
    ):
        for info in old.infolist():
            body = old.read(info.filename)
            if info.filename != part:
                new.writestr(info.filename, body)
                continue
            with new.open(info.filename, "w", force_zip64=True) as target:
                edited = edit(body)
                for chunk in [edited] if isinstance(edited, bytes) else edited:
                    target.write(chunk)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def merged_to_the_end() -> bytes:
    """One merged range from A1 to the sheet's last cell (XFD1048576)."""
    return _rezipped(
        workbook_bytes(),
        SHEET,
        lambda xml: xml.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        ),
    )


def far_cell() -> bytes:
    """A ladder and one more cell, at the sheet's last row and column."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _rezipped(
        workbook_bytes(),
        SHEET,
        lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>").replace(
            b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>'
        ),
    )


def ten_million_bullets() -> bytes:
    """One cell holding ten million one-letter bullets (50 MB of text, ~90 KB zipped)."""

    def edit(xml: bytes):
        head, tail = xml.split(b"designs code", 1)
        yield head
        block = "• x\n".encode() * 100_000
        for _ in range(100):
            yield block
        yield tail

    data = workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in book.namelist() else SHEET
    return _rezipped(data, part, edit)


def torn() -> bytes:
    """A workbook whose worksheet XML stops halfway (a writer that died mid-part)."""
    return _rezipped(workbook_bytes(), SHEET, lambda xml: xml[: len(xml) // 2])


def truncated() -> bytes:
    """A workbook file cut off halfway, as a failed download leaves it."""
    data = workbook_bytes()
    return data[: len(data) // 2]


def with_a_dtd() -> bytes:
    """A worksheet whose XML declares a DTD with nested entities (a billion laughs):
    OOXML allows no DTD at all."""
    entities = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + n]), (b"&" + bytes([97 + n]) + b";") * 10)
        for n in range(8)
    )
    return _rezipped(
        workbook_bytes(),
        SHEET,
        lambda xml: (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet ['
            + entities
            + b"]>\n"
            + xml.replace(b"<t>writes code</t>", b"<t>&i;</t>")
        ),
    )


def html_spans() -> str:
    """A 5 KB page whose table spans a hundred thousand columns and rows."""
    cells = "".join(f'<td colspan="100000" rowspan="100000">cell {n}</td>' for n in range(60))
    return (
        "<h1>Ladder</h1><table><tr><th>Skill</th><th>L1</th><th>L2</th></tr>"
        f"<tr><td>Coding</td>{cells}</tr></table>\n"
    )


def html_nested() -> str:
    """Elements nested ever deeper: cheap to write, costly to build as a tree."""
    return "<table><tr><td>" + "<div>" * 40_000 + "x</td></tr></table>\n"


XLSX = {
    "merged-to-the-end.xlsx": merged_to_the_end,
    "far-cell.xlsx": far_cell,
    "ten-million-bullets.xlsx": ten_million_bullets,
    "torn.xlsx": torn,
    "truncated.xlsx": truncated,
    "dtd.xlsx": with_a_dtd,
}
HTML = {"spans.html": html_spans, "nested.html": html_nested}


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in XLSX.items():
        (folder / name).write_bytes(make())
        out[name] = folder / name
    for name, make_text in HTML.items():
        (folder / name).write_text(make_text(), encoding="utf-8")
        out[name] = folder / name
    return out
