"""What every table reader shares: a cell with its position, the limits, the words
that label columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sreladder.core.errors import SreladderError

# The limits every table source is held to, checked before a table is expanded (a
# merged or spanned cell copied, a cell split into items). A real ladder has tens of
# rows, a column per level and a few items per cell: these are hundreds of times that.
MAX_ROWS = 5_000  # dimension and group rows
MAX_COLUMNS = 200
MAX_SHEET_ROWS = 200_000  # rows of a sheet or table counted with the empty ones
MAX_CELLS = 200_000  # rows x columns of one table, once merged and spanned cells are placed
MAX_CELL_CHARS = 100_000  # the text of one cell
MAX_ITEMS_PER_CELL = 500  # lines or list items in one cell
MAX_TABLE_CHARS = 16_000_000  # the text of one table, merged cells' copies counted
META_HEADER = "sreladder"
GROUP_WORDS = {"group", "category", "area", "pillar", "theme", "section", "family"}
NAME_WORDS = {
    "dimension",
    "competency",
    "competencies",
    "skill",
    "skills",
    "name",
    "criteria",
    "attribute",
    "behaviour",
    "behavior",
    "topic",
    "subcategory",
    "sub-category",
    "focus",
}


class NoHeaderError(SreladderError):
    """The table has no row that names levels."""


@dataclass(frozen=True)
class CellItem:
    """An item a source lists itself (an HTML ``<li>``), with its place and the
    items of a list nested under it (its examples)."""

    text: str
    where: str
    examples: tuple[str, ...] = ()


@dataclass
class GridCell:
    """One cell: its text and where it is (``file:line`` or ``file:Sheet!B4``).
    ``items`` when the source already lists the cell's items (HTML ``<li>``), each
    with its own position; else the text is split into items. ``copy`` when the text
    is a merged cell's, repeated here: it fills the cell, but a title merged across
    a row does not make it a header, and a name merged down a column is one
    dimension, not several."""

    text: str
    where: str
    items: list[CellItem] | None = None
    copy: bool = False


def check_cell(text: str, where: str, items: int | None = None) -> None:
    """Refuse a cell whose text or count of items (its lines, or the list items a
    source gives) is past the limits, before it is split into items."""
    if len(text) > MAX_CELL_CHARS:
        raise SreladderError(
            f"{where}: a cell of {len(text):,} characters; at most {MAX_CELL_CHARS:,} "
            "(a ladder's cell holds a few sentences)"
        )
    count = items if items is not None else text.count("\n") + 1
    if count > MAX_ITEMS_PER_CELL:
        raise SreladderError(
            f"{where}: a cell of {count:,} lines or items; at most {MAX_ITEMS_PER_CELL:,} per cell"
        )


def check_size(rows: int, columns: int, where: str) -> None:
    """Refuse a table of more than ``MAX_CELLS`` cells (rows x columns), before any
    cell of it is made."""
    if rows * columns > MAX_CELLS:
        raise SreladderError(
            f"{where}: a table of {rows:,} rows x {columns:,} columns = {rows * columns:,} "
            f"cells; at most {MAX_CELLS:,}"
        )


def column_key(text: str) -> str:
    return " ".join(text.casefold().replace(":", " ").split())


def plain_name(text: str) -> str:
    return " ".join(text.split())


def cell_getter(row: list[GridCell]) -> Callable[[int | None], GridCell]:
    """``cell(index)``: the row's cell there, or a blank one past its end."""
    blank = GridCell("", row[0].where if row else "")

    def cell(index: int | None) -> GridCell:
        if index is None or index >= len(row):
            return blank
        return row[index]

    return cell
