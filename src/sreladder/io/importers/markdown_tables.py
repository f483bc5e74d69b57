"""Markdown pipe tables (a handbook page): one role per table, named by the heading
above it; bold name cells with no other cells are groups, italic names dimensions.
``<br>`` inside a cell breaks lines (so bullets written ``• a<br>• b`` split). An
HTML comment ``<!-- sreladder {...} -->`` before a table carries what an export keeps
beside the matrix (ids, weights, sources)."""

from __future__ import annotations

import html
import itertools
import json
import re

from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedLadder, ImportedRole
from sreladder.io.importers.cells import MAX_COLUMNS, MAX_ROWS, GridCell
from sreladder.io.importers.grid import meta_shape_ok, read_grid
from sreladder.io.importers.inline_html import html_to_lines
from sreladder.io.importers.source import page_body, without_code_and_comments

DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")  # an ATX heading
_META = re.compile(r"^\s*<!--\s*sreladder\s+(.*?)\s*-->\s*$")
# Only cells with these tags are read as HTML: `a<b and c>d` stays text.
_INLINE_TAG = re.compile(
    r"</?(?:br|p|div|ul|ol|li|b|i|em|strong|span|a|code|sup|sub|s|u)"
    r"""(?:\s+[a-z-]+=(?:"[^"<>]*"|'[^'<>]*'))*\s*/?>""",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BOLD = re.compile(r"^(\*\*|__)(.+)\1$", re.DOTALL)
_ITALIC = re.compile(r"^([*_])(.+)\1$", re.DOTALL)


def has_pipe_table(text: str) -> bool:
    pairs = itertools.pairwise(without_code_and_comments(text).split("\n"))
    return any(DELIMITER_ROW.match(below) and "|" in above for above, below in pairs)


def split_row(line: str) -> list[str]:
    """A table row's cells as GFM splits them: an unescaped ``|`` ends a cell."""
    row = line.strip()
    cells, current, i = [], [], 0
    while i < len(row):
        char = row[i]
        if char == "\\" and i + 1 < len(row):
            current.append(row[i : i + 2])
            i += 2
            continue
        if char == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    if row.startswith("|"):
        cells = cells[1:]
    if row.endswith("|") and not row.endswith("\\|") and cells:
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def cell_text(raw: str) -> str:
    """A cell's text: ``<br>``, ``<li>`` and other blocks as line breaks, other tags
    dropped, entities and backslash escapes undone."""
    text = html_to_lines(raw) if _INLINE_TAG.search(raw) else html.unescape(raw)
    return _ESCAPE.sub(r"\1", text)


def _unstyled(raw: str, where: str) -> GridCell:
    """A cell without the bold (a group's name) or italics (a dimension's name) around it."""
    for pattern in (_BOLD, _ITALIC):
        match = pattern.match(raw.strip())
        if match and not match.group(2).endswith("\\"):
            return GridCell(cell_text(match.group(2)), where)
    return GridCell(cell_text(raw), where)


def read_markdown_tables(text: str, name: str, stem: str, transpose: bool) -> ImportedLadder:
    title, body = page_body(text, name)
    lines = without_code_and_comments(body).split("\n")
    ladder = ImportedLadder(kind="markdown", source=stem)
    heading: str | None = title  # a page's title names a first table with no heading
    notes: list[str] = []  # text under the current heading, before its table
    page: list[str] = []  # text under no table: the scale's description
    meta: dict | None = None
    i = 0
    while i < len(lines):  # code blocks and comments are blank lines by now
        line = lines[i]
        if (found := HEADING.match(line)) is not None:
            page += notes
            heading, notes, meta = cell_text(found.group(2)), [], None
        elif (comment := _META.match(line)) is not None:
            meta = _meta(comment.group(1), f"{name}:{i + 1}")
        elif "|" in line and i + 1 < len(lines) and DELIMITER_ROW.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
                if end - i > MAX_ROWS + 100:
                    raise SreladderError(
                        f"{name}:{end}: a table of more than {MAX_ROWS:,} rows; a ladder has "
                        "tens of dimensions"
                    )
            role = _table(lines, i, end, name, heading, transpose, meta)
            if notes and not role.description:
                role.description = "\n".join(notes)
            _apply_meta(role, meta, f"{name}:{i + 1}")
            ladder.roles.append(role)
            heading, notes, meta = None, [], None
            i = end
            continue
        elif line.strip():
            notes.append(" ".join(cell_text(line).split()))
        i += 1
    ladder.description = "\n".join(page + notes) or None
    if not ladder.roles:
        raise SreladderError(f"{name}: no Markdown table with a header row of levels")
    for role in ladder.roles:
        if role.name.startswith(f"{name}:"):
            role.name = stem if len(ladder.roles) == 1 else role.name.replace(f"{name}:", "table ")
    return ladder


def _table(
    lines: list[str],
    start: int,
    end: int,
    name: str,
    heading: str | None,
    transpose: bool,
    meta: dict | None,
) -> ImportedRole:
    rows = []
    for number in [start, *range(start + 2, end)]:
        where = f"{name}:{number + 1}"
        cells = split_row(lines[number])
        if len(cells) > MAX_COLUMNS:
            raise SreladderError(f"{where}: {len(cells)} columns; at most {MAX_COLUMNS}")
        rows.append([_unstyled(raw, where) for raw in cells])
    return read_grid(
        rows,
        where=f"{name}:{start + 1}",
        name=heading,
        transpose=transpose,
        header_first=True,
        meta=(meta or {}).get("role"),
    )


def _meta(raw: str, where: str) -> dict:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise SreladderError(f"{where}: the sreladder comment holds no readable JSON") from None
    if not (
        isinstance(value, dict)
        and meta_shape_ok(value.get("role", {}))
        and isinstance(value.get("dimensions", []), list)
        and all(meta_shape_ok(d) for d in value.get("dimensions", []))
    ):
        raise SreladderError(f"{where}: the sreladder comment is not what sreladder export writes")
    return value


def _apply_meta(role: ImportedRole, meta: dict | None, where: str) -> None:
    if meta is None:
        return
    role.meta = meta.get("role") or None
    dimensions = meta.get("dimensions") or []
    if len(dimensions) == len(role.dimensions):
        for dimension, extra in zip(role.dimensions, dimensions, strict=True):
            dimension.meta = {**(dimension.meta or {}), **extra}
