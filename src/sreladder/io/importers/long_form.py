"""Tables in long form: a row per expectation, with columns for the dimension (and
perhaps its group), the level and the text (``Competency, Level, Expectation``), as
competency tools and forms export them."""

from __future__ import annotations

from dataclasses import dataclass

from sreladder.core.cell_text import level_header, split_items
from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedDimension, ImportedItem, ImportedLevel, ImportedRole
from sreladder.io.importers.cells import (
    GROUP_WORDS,
    MAX_ROWS,
    NAME_WORDS,
    GridCell,
    cell_getter,
    column_key,
    plain_name,
)

LEVEL_WORDS = {"level", "grade", "band", "seniority", "job level", "career level", "title"}
TEXT_WORDS = {
    "expectation",
    "expectations",
    "criteria",
    "criterion",
    "behaviour",
    "behaviours",
    "behavior",
    "behaviors",
    "description",
    "descriptor",
    "indicator",
    "indicators",
    "text",
    "requirement",
    "requirements",
}


@dataclass
class LongColumns:
    name: int
    level: int
    text: int
    group: int | None


def long_columns(header: list[GridCell]) -> LongColumns | None:
    """The columns of a table in long form, a row per expectation (``Competency,
    Level, Expectation``), or None when the levels are columns."""
    keys = [column_key(cell.text) for cell in header]
    filled = [key for key in keys if key]
    found: dict[str, int] = {}
    for words, role in ((NAME_WORDS, "name"), (LEVEL_WORDS, "level"), (TEXT_WORDS, "text")):
        index = next((i for i, key in enumerate(keys) if key in words), None)
        if index is not None:
            found[role] = index
    if len(found) < 3 or len(filled) > 6 or len(set(found.values())) < 3:
        return None
    group = next((i for i, key in enumerate(keys) if key in GROUP_WORDS), None)
    return LongColumns(found["name"], found["level"], found["text"], group)


def read_long(
    rows: list[list[GridCell]], header_at: int, columns: LongColumns, where: str, name: str | None
) -> ImportedRole:
    texts = [cell.text for row in rows[:header_at] for cell in row if cell.text]
    role = ImportedRole(name=name or (texts.pop(0) if texts else where))
    role.description = "\n".join(texts) or None
    levels: dict[str, ImportedLevel] = {}
    dimensions: dict[tuple[str | None, str], ImportedDimension] = {}
    group: str | None = None
    current: str | None = None
    for row in rows[header_at + 1 :]:
        cell = cell_getter(row)
        if columns.group is not None and cell(columns.group).text:
            group = cell(columns.group).text
        current = plain_name(cell(columns.name).text) or current
        level_cell, text_cell = cell(columns.level), cell(columns.text)
        if not text_cell.text:
            continue
        if current is None or not level_cell.text:
            raise SreladderError(f"{text_cell.where}: an expectation with no dimension or level")
        level_id, title = level_header(level_cell.text)
        levels.setdefault(level_id, ImportedLevel(level_id, title, level_cell.text))
        key = (group, current)
        if key not in dimensions:
            if len(dimensions) >= MAX_ROWS:
                raise SreladderError(f"{text_cell.where}: more than {MAX_ROWS:,} dimensions")
            dimensions[key] = ImportedDimension(name=current, group=group)
        for item in split_items(text_cell.text):
            role.add_item(dimensions[key], level_id, ImportedItem(item, text_cell.where))
    role.levels = list(levels.values())
    role.dimensions = list(dimensions.values())
    return role
