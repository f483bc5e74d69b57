"""A role as the matrix people share: CSV, XLSX or a Markdown table.

One row per dimension (a name-only row before each group), one column per level
(``Title (ID)`` in the header), one bullet per expectation in each cell. What the
matrix does not show (ids, weights, sources, examples, scoring, any other field) is
kept beside it as JSON: in a last column ``sreladder`` (hidden in XLSX) and in the
top row for the role, or in an HTML comment above a Markdown table, so that
``sreladder import`` of an export gives back the same role. Text a spreadsheet would
run as a formula gets a leading apostrophe in CSV and is stored as plain text in XLSX.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any

from sreladder.core.cell_text import (
    FORMULA_STARTS,
    escape_formula,
    header_text,
    join_items,
    one_line,
    sheet_safe,
)
from sreladder.core.models import Dimension, LevelScale, Role
from sreladder.io.diagnostics import HIDDEN, shown_escaped

META_HEADER = "sreladder"
_MD_SPECIAL = "\\`*_[]|#~!"


def role_meta(role: Role, scale: LevelScale | None = None) -> dict[str, Any]:
    """The role's fields but its dimensions, and its level scale when given (so the
    import writes the same scale, names and attributes of every level included)."""
    meta = role.model_dump(mode="json", exclude_defaults=True, exclude={"dimensions"})
    if scale is not None:
        meta["scale"] = scale.model_dump(mode="json", exclude_defaults=True)
    return meta


def dimension_meta(dimension: Dimension, previous_group: str | None) -> dict[str, Any]:
    """Everything of the dimension, its expectations' words included: the importer
    matches an edited cell's items to these by text, so unchanged ones keep their ids."""
    meta = dimension.model_dump(mode="json", exclude_defaults=True)
    if dimension.group is None and previous_group is not None:
        meta["group"] = None  # the rows below a group row would otherwise inherit it
    for level_id, cell in dimension.levels.items():
        kept = meta["levels"][level_id]["expectations"]
        for expectation, item in zip(cell.expectations, kept, strict=True):
            if expectation.source is None:
                item["source"] = None  # the importer would otherwise name the export
    return meta


def _rows(role: Role) -> list[tuple[str | None, Dimension, dict[str, Any]]]:
    """(the group row to put before it, the dimension, its kept fields), in order.
    A group row holds for the rows below it, as the importer reads it."""
    out = []
    current: str | None = None
    for dimension in role.dimensions:
        new_group = dimension.group if dimension.group and dimension.group != current else None
        out.append((new_group, dimension, dimension_meta(dimension, current)))
        current = dimension.group or current
    return out


def matrix(role: Role, scale: LevelScale | None = None) -> list[list[str]]:
    """The rows of the spreadsheet: title, description, header, groups and dimensions."""
    width = len(role.level_ids) + 2
    title = [role.name] + [""] * (width - 2) + [_json(role_meta(role, scale))]
    rows = [title]
    if role.description:
        rows.append([role.description] + [""] * (width - 1))
    rows.append(["Dimension", *(header_text(lv, role.levels[lv].title) for lv in role.level_ids)])
    rows[-1].append(META_HEADER)
    for group, dimension, meta in _rows(role):
        if group:
            rows.append([group] + [""] * (width - 1))
        cells = [
            join_items([e.text for e in dimension.levels[lv].expectations])
            if lv in dimension.levels
            else ""
            for lv in role.level_ids
        ]
        rows.append([dimension.name, *cells, _json(meta)])
    return rows


def shown_controls(text: str) -> str:
    """Control and invisible characters shown as escapes (``\\x1b``), as every other
    document sreladder writes shows them; the exact text is kept beside the matrix."""
    return _HIDDEN.sub(shown_escaped, text)


_HIDDEN = re.compile(HIDDEN)


def _json(value: Any) -> str:
    """Compact JSON, every control or invisible character in it as a ``\\u`` escape."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _HIDDEN.sub(lambda match: json.dumps(match.group())[1:-1], text)


def to_csv(role: Role, scale: LevelScale | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in matrix(role, scale):  # the last column is JSON: escaped as JSON escapes
        writer.writerow([escape_formula(shown_controls(cell)) for cell in row[:-1]] + row[-1:])
    return buffer.getvalue()


def to_xlsx(role: Role, scale: LevelScale | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.create_sheet(index=0)  # the one sheet, typed as a worksheet
    book.remove(book.worksheets[1])  # the empty sheet a new workbook starts with
    sheet.title = _sheet_title(role.id)
    rows = matrix(role, scale)
    header_row = 3 if role.description else 2
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            if not text:
                continue
            cell = sheet.cell(row=r, column=c)
            cell.value = sheet_safe(text)
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            cell.quotePrefix = text.startswith(FORMULA_STARTS)  # and still text once edited
            cell.alignment = wrap
            if r == header_row or r == 1 or (len(row) > 1 and not any(row[1:])):
                cell.font = Font(bold=True)
    width = len(rows[header_row - 1])
    sheet.column_dimensions["A"].width = 28
    for c in range(2, width):
        sheet.column_dimensions[get_column_letter(c)].width = 45
    sheet.column_dimensions[get_column_letter(width)].hidden = True
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str) -> str:
    cleaned = "".join("-" if c in "[]:*?/\\" else c for c in text)
    return cleaned[:31] or "ladder"


def md_escape(text: str) -> str:
    """Markdown text the importer reads back exactly: entities for ``& < >``, a
    backslash before every character that could start markup or end a cell."""
    escaped = html.escape(shown_controls(text), quote=False)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in escaped)


def to_markdown(role: Role, scale: LevelScale | None = None) -> str:
    meta = {"role": role_meta(role, scale), "dimensions": [m for _, _, m in _rows(role)]}
    comment = _json(meta).replace("<", "\\u003c").replace(">", "\\u003e")
    lines = [f"# {md_escape(one_line(role.name))}", ""]
    if role.description:
        lines += [md_escape(line) for line in role.description.splitlines()] + [""]
    lines.append(f"<!-- sreladder {comment} -->")
    headers = [md_escape(one_line(header_text(lv, role.levels[lv].title))) for lv in role.level_ids]
    lines.append("| Dimension | " + " | ".join(headers) + " |")
    lines.append("| --- " * (len(headers) + 1) + "|")
    blank = " |" * len(headers)
    for group, dimension, _ in _rows(role):
        if group:
            lines.append(f"| **{md_escape(one_line(group))}** |{blank}")
        cells = [
            md_escape(join_items([e.text for e in dimension.levels[lv].expectations])).replace(
                "\n", "<br>"
            )
            if lv in dimension.levels
            else ""
            for lv in role.level_ids
        ]
        name = md_escape(one_line(dimension.name))
        lines.append(f"| *{name}* | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
