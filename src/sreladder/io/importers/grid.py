"""A matrix of cells (a CSV, a worksheet, a Markdown pipe table) as a role.

The shape people share: a header row of levels, one row per dimension, a cell per
dimension and level holding one expectation per line or bullet. Tolerated on the way:
rows above the header (a title, notes: the first is the role's name, the others its
description), empty rows and columns, ragged rows, a row with a name and no cells (a
group for the rows below), a row with cells and no name (more of the dimension above),
rows that share a name, a group column before the name column, description and weight
columns, a first header cell ``Level`` (levels are rows: read transposed), a row per
expectation (``Competency, Level, Expectation`` columns). A column named ``sreladder``
holds what ``sreladder export`` keeps beside the matrix (ids, weights, sources) as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sreladder.core.cell_text import (
    as_id,
    clean,
    has_explicit_id,
    header_text,
    level_header,
    slug,
    split_items,
    word_id,
)
from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedDimension, ImportedItem, ImportedLevel, ImportedRole
from sreladder.io.importers.cells import (
    GROUP_WORDS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TABLE_CHARS,
    META_HEADER,
    NAME_WORDS,
    CellItem,
    GridCell,
    NoHeaderError,
    cell_getter,
    check_cell,
    check_size,
    column_key,
    plain_name,
)
from sreladder.io.importers.long_form import long_columns, read_long

_LEVELS_AS_ROWS = re.compile(r"^(?:level|levels|grade|band|seniority|career level|job level)\b")
_DESCRIPTION_WORDS = {"description", "summary", "definition", "what it means", "about"}
_WEIGHT_WORDS = {"weight"}
_TITLE_ROW_WORDS = {"title", "titles", "level title", "job title", "level name", "role"}
_LEVEL_WORDS = re.compile(
    r"\b(?:junior|mid|middle|intermediate|senior|staff|principal|distinguished|lead|"
    r"associate|entry|graduate|apprentice|fellow|expert|novice|beginner|advanced|level|"
    r"grade|band|tier)\b|младш|старш|ведущ|ジュニア|シニア|ミドル",
    re.IGNORECASE,
)
_COUNTER_WORDS = {"#", "no", "no.", "nr", "nr.", "number", "row"}


@dataclass
class _Columns:
    name: int
    group: int | None
    description: int | None
    weight: int | None
    meta: int | None
    levels: dict[int, str]  # column -> level id
    ids: int | None = None  # a column of dimension ids


def read_grid(
    rows: list[list[GridCell]],
    *,
    where: str,
    name: str | None,
    transpose: bool = False,
    header_first: bool = False,
    meta: dict[str, Any] | None = None,
) -> ImportedRole:
    """The role a matrix holds. ``where`` names the whole table in messages; ``name``
    is the role's name when something outside the table gives it (a heading);
    ``header_first`` when the format says the first row is the header (Markdown);
    ``meta`` what an export kept beside the table, when the format keeps it outside."""
    check_table(rows, where)
    rows = [[GridCell(clean(c.text), c.where, c.items, c.copy) for c in row] for row in rows]
    if transpose:
        rows = _transposed(rows)
    rows = _without_empty_columns(rows)
    header_at = 0 if header_first and rows and not transpose else _header_row(rows, where)
    if not rows[header_at]:
        raise NoHeaderError(f"{where}: the header row is empty")
    if not transpose and _levels_are_rows(rows[header_at]):
        # `Level | Scope | Collaboration`: a row per level; read it the other way round
        rows = rows[:header_at] + _transposed(rows[header_at:])
    if _all_levels(rows[header_at]):
        # every header cell is a level (`Junior (L1) | Senior (L2)`): the table is one
        # dimension, named by what names the table
        rows = _with_name_column(rows, header_at, name or where)
    header = rows[header_at]
    long_form = long_columns(header)
    if long_form is not None:
        return read_long(rows, header_at, long_form, where, name)
    columns = _columns(header, rows[header_at + 1 :], where)
    role = ImportedRole(name=name or "", meta=meta)
    texts = []
    for row in rows[:header_at]:
        for index, cell in enumerate(row):
            if index == columns.meta and cell.text:
                role.meta = _meta(cell)
            elif cell.text and not cell.copy:
                texts.append(cell.text)
    role.levels = _levels(header, columns, (role.meta or {}).get("levels"))
    body = rows[header_at + 1 :]
    if body and _titles_row(body[0], columns, role.levels):
        body = body[1:]
    if texts and not name:
        role.name = " ".join(texts.pop(0).split())
    if texts:
        role.description = "\n".join(texts)
    _read_body(role, body, columns)
    if not role.name:
        role.name = where
    return role


def check_table(rows: list[list[GridCell]], where: str) -> None:
    """The limits of ``cells``, before any cell is cleaned or split: the table's size,
    each cell's text and items, and the text of the whole table."""
    check_size(len(rows), max((len(row) for row in rows), default=0), where)
    total = 0
    for row in rows:
        for cell in row:
            listed = sum(1 + len(i.examples) for i in cell.items) if cell.items else None
            check_cell(cell.text, cell.where, listed)
            total += len(cell.text)
    if total > MAX_TABLE_CHARS:
        raise SreladderError(
            f"{where}: a table of {total:,} characters (merged cells counted in each place "
            f"they cover); at most {MAX_TABLE_CHARS:,}"
        )


def _levels_are_rows(header: list[GridCell]) -> bool:
    """`Level | Scope | Collaboration`: the first header cell says the rows are levels
    (and no other header cell names a level id, as `Level | L1 | L2` would)."""
    if not _LEVELS_AS_ROWS.match(column_key(header[0].text)):
        return False
    return not any(has_explicit_id(cell.text) for cell in header[1:] if cell.text)


def _all_levels(header: list[GridCell]) -> bool:
    named = [cell.text for cell in header if cell.text]
    return bool(header) and bool(header[0].text) and all(map(has_explicit_id, named))


def _with_name_column(
    rows: list[list[GridCell]], header_at: int, name: str
) -> list[list[GridCell]]:
    out = [list(row) for row in rows[:header_at]]
    for n, row in enumerate(rows[header_at:]):
        where = row[0].where if row else ""
        label = name if n == 1 else ""
        out.append([GridCell(label, where), *row])
    return out


def _transposed(rows: list[list[GridCell]]) -> list[list[GridCell]]:
    width = max((len(row) for row in rows), default=0)
    padded = [
        row + [GridCell("", row[0].where if row else "")] * (width - len(row)) for row in rows
    ]
    return [list(column) for column in zip(*padded, strict=True)]


def _without_empty_columns(rows: list[list[GridCell]]) -> list[list[GridCell]]:
    width = max((len(row) for row in rows), default=0)
    used = [any(c < len(row) and row[c].text for row in rows) for c in range(width)]
    return [[cell for c, cell in enumerate(row) if used[c]] for row in rows]


def _header_row(rows: list[list[GridCell]], where: str) -> int:
    """The header: of the rows with at least two filled cells after the first column,
    the first one followed by a row of data (so a title or notes row with a few cells
    above the header is passed over); a nearby row that names more levels (``Senior``,
    ``L3``) than that one, in most of its cells, wins over it."""
    candidates = [index for index, row in enumerate(rows) if _filled(row[1:]) >= 2]
    if not candidates:
        raise NoHeaderError(
            f"{where}: no header row of levels (a row with a name column and at least two "
            "level columns); use --transpose if the levels are rows"
        )
    with_data = [index for index in candidates if _followed_by_data(rows, index)]
    best = with_data[0] if with_data else candidates[0]
    window = candidates[: candidates.index(best) + 2]
    for index in window:
        named = _level_like(rows[index][1:])
        most = named >= 2 and 2 * named >= _filled(rows[index][1:])
        if most and named > _level_like(rows[best][1:]):
            best = index
    row = rows[best]
    if len(row) > MAX_COLUMNS:
        raise SreladderError(
            f"{row[0].where}: {len(row)} columns; a ladder has a column per level "
            f"(at most {MAX_COLUMNS})"
        )
    return best


def _filled(cells: list[GridCell]) -> int:
    return sum(1 for cell in cells if cell.text and not cell.copy)


def _level_like(cells: list[GridCell]) -> int:
    """How many cells read as level headers: a level id, or a short level word."""
    return sum(
        1
        for cell in cells
        if cell.text
        and not cell.copy
        and len(cell.text.split()) <= 5
        and (has_explicit_id(cell.text) or _LEVEL_WORDS.search(cell.text))
    )


def _followed_by_data(rows: list[list[GridCell]], index: int) -> bool:
    """Whether the next non-empty row has text under the cells this row fills."""
    columns = {c for c, cell in enumerate(rows[index]) if c and cell.text}
    for row in rows[index + 1 :]:
        if any(cell.text for cell in row):
            return any(c < len(row) and row[c].text for c in columns)
    return False


def _columns(header: list[GridCell], body: list[list[GridCell]], where: str) -> _Columns:
    keys = [column_key(cell.text) for cell in header]
    start = 0  # after the row-number columns (`#`, `No.`), whose numbers are no text
    while start < len(keys) - 2 and keys[start] in _COUNTER_WORDS:
        start += 1
    ids = None
    if start < len(keys) - 2 and keys[start] == "id":
        ids, start = start, start + 1
    name, group = start, None
    if len(keys) > start + 2 and keys[start] in GROUP_WORDS and keys[start + 1] in NAME_WORDS:
        group, name = start, start + 1
    found = _Columns(name, group, None, None, None, {}, ids)
    width = max([len(header), *(len(row) for row in body)])
    for index in range(start, width):
        if index in (name, group, ids):
            continue
        key = keys[index] if index < len(keys) else ""
        if key == "id" and found.ids is None and not found.levels:
            found.ids = index
        elif key == META_HEADER:
            found.meta = index
        elif key in _DESCRIPTION_WORDS and found.description is None:
            found.description = index
        elif key in _WEIGHT_WORDS and found.weight is None:
            found.weight = index
        elif key:
            found.levels[index] = ""  # the level id, once the header is read
        else:
            filled = next(
                (row[index] for row in body if index < len(row) and row[index].text), None
            )
            if filled is not None:
                said = (
                    f"its header ({header[index].where}) names no level"
                    if index < len(header)
                    else "the row has more cells than the header row (no level for it)"
                )
                raise SreladderError(
                    f"{filled.where}: column {index + 1}: this column has text but {said}"
                )
    if len(found.levels) < 1:
        raise SreladderError(f"{where}: the header row names no levels")
    return found


def _levels(
    header: list[GridCell], columns: _Columns, kept: dict[str, Any] | None
) -> list[ImportedLevel]:
    """The levels the header names, in order; a header an export wrote from a level
    id and title it kept gives that id back as it was (``Junior`` stays ``Junior``)."""
    exported = {}
    if isinstance(kept, dict):
        for level_id, level in kept.items():
            title = level.get("title") if isinstance(level, dict) else None
            exported[" ".join(header_text(level_id, title).split())] = (level_id, title)
    levels: dict[str, ImportedLevel] = {}
    first_at: dict[str, str] = {}  # level id -> where its header is
    for position, index in enumerate(columns.levels, start=1):
        cell = header[index]
        text = " ".join(cell.text.split())
        level_id, title = exported.get(text) or level_header(text)
        if title is not None and level_id == slug(title):
            level_id = word_id(title, f"level-{position}")
        columns.levels[index] = level_id
        if level_id in levels and not cell.copy:  # a merged header spans its level's columns
            raise SreladderError(
                f"{_at(cell, index)}: level header {text!r} gives level id {level_id!r}, "
                f"as the header at {first_at[level_id]} does; each level column needs a "
                "header of its own"
            )
        first_at.setdefault(level_id, _at(cell, index))
        levels.setdefault(level_id, ImportedLevel(level_id, title, text))
    return list(levels.values())


def _at(cell: GridCell, index: int) -> str:
    """A cell's place: its own (``file:Sheet!C3``) when it names a column, else the
    row's (``file:3``) and the column's number."""
    return cell.where if "!" in cell.where else f"{cell.where} column {index + 1}"


def _titles_row(row: list[GridCell], columns: _Columns, levels: list[ImportedLevel]) -> bool:
    """A row right below the header that names the levels (`Title | Junior | Senior`
    under `Level | L1 | L2`): its cells become the levels' titles."""
    cell = cell_getter(row)
    if columns.meta is not None or column_key(cell(columns.name).text) not in _TITLE_ROW_WORDS:
        return False  # an export's rows are all dimensions
    by_id = {level.id: level for level in levels}
    for index, level_id in columns.levels.items():
        title = plain_name(cell(index).text)
        if title and by_id[level_id].title is None:
            by_id[level_id].title = title
    return True


def _read_body(role: ImportedRole, body: list[list[GridCell]], columns: _Columns) -> None:
    group: str | None = None
    last: ImportedDimension | None = None
    counted = 0
    for row in body:
        cell = cell_getter(row)
        name_cell = cell(columns.name)
        values = {index: cell(index) for index in columns.levels}
        has_values = any(c.text for c in values.values())
        if columns.group is not None and cell(columns.group).text:
            group = cell(columns.group).text
        if (not name_cell.text or name_cell.copy) and not has_values:
            continue
        counted += 1
        if counted > MAX_ROWS:
            raise SreladderError(
                f"{name_cell.where}: more than {MAX_ROWS:,} rows; a ladder has tens of "
                "dimensions (is this the right file or sheet?)"
            )
        if not has_values:
            group = plain_name(name_cell.text)
            last = None
            continue
        if not name_cell.text or name_cell.copy:
            if last is None:
                first = next(c for c in values.values() if c.text)
                raise SreladderError(f"{first.where}: cells with no dimension name in this row")
            dimension = last
        else:
            dimension = ImportedDimension(name=plain_name(name_cell.text), group=group)
            _row_extras(dimension, cell, columns)
            role.dimensions.append(dimension)
            last = dimension
        for index, value in values.items():
            items = value.items or [CellItem(text, value.where) for text in split_items(value.text)]
            for item in items:
                found = ImportedItem(item.text, item.where, examples=list(item.examples))
                role.add_item(dimension, columns.levels[index], found)


def _row_extras(
    dimension: ImportedDimension, cell: Callable[[int | None], GridCell], columns: _Columns
) -> None:
    if columns.ids is not None and cell(columns.ids).text:
        dimension.id = as_id(cell(columns.ids).text)
    if columns.description is not None and cell(columns.description).text:
        dimension.description = cell(columns.description).text
    if columns.weight is not None and cell(columns.weight).text:
        weight = cell(columns.weight)
        try:
            value = float(weight.text)
        except ValueError:
            raise SreladderError(
                f"{weight.where}: weight {weight.text!r} is not a number"
            ) from None
        dimension.meta = {**(dimension.meta or {}), "weight": value}
    if columns.meta is not None and cell(columns.meta).text:
        dimension.meta = {**(dimension.meta or {}), **_meta(cell(columns.meta))}


def _meta(cell: GridCell) -> dict[str, Any]:
    """The JSON an export keeps in its ``sreladder`` column, checked for the shape the
    importer relies on."""
    try:
        value = json.loads(cell.text)
    except (ValueError, RecursionError):
        raise SreladderError(
            f"{cell.where}: the sreladder column holds no readable JSON (an export's "
            "column: leave it as it was, or empty the cell)"
        ) from None
    if not meta_shape_ok(value):
        raise SreladderError(
            f"{cell.where}: the sreladder column is not in the shape sreladder export "
            "writes (leave it as it was, or empty the cell)"
        )
    return value


def meta_shape_ok(value: Any) -> bool:
    """Whether kept fields (a role's or a dimension's) have the shape the importer
    relies on; the values themselves are checked later, as any rubric is."""
    if not isinstance(value, dict):
        return False
    for key in ("id", "name", "ladder", "description", "group"):
        if value.get(key) is not None and not isinstance(value[key], str):
            return False
    cells = value.get("levels", {})
    if not isinstance(cells, dict) or not all(isinstance(c, dict) for c in cells.values()):
        return False
    for cell in cells.values():
        items = cell.get("expectations", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return False
        if not all(isinstance(i.get("id", ""), str) for i in items):
            return False
    return True
