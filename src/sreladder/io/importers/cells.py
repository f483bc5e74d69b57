"""What every table reader shares: a cell with its position, the limits, the words
that label columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sreladder.core.errors import SreladderError

MAX_ROWS = 5_000  # dimension and group rows; a real ladder has tens
MAX_COLUMNS = 200
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
    items: list[tuple[str, str]] | None = None
    copy: bool = False


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
