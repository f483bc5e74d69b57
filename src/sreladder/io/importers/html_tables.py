"""A competency page: a heading per competency, then an HTML ``<table>`` whose header
cells are levels and whose cells list the expectations as ``<ul><li>`` items (a list
nested in an item gives that item's examples). Headings may be Markdown
(``## Code quality``) or HTML (``<h2>``). The whole page is one role: its front-matter
``title``, else its first top heading, else its ``<title>`` names it; each table is a
competency named by the heading above it, grouped under the heading above that. A
table with a name column gives one competency per row instead. The page is parsed as
a browser parses it (``sreladder.io.html_reader``), never with patterns over HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedLadder, ImportedRole
from sreladder.io import html_reader
from sreladder.io.importers.cells import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    CellItem,
    GridCell,
)
from sreladder.io.importers.grid import read_grid
from sreladder.io.importers.markdown_tables import HEADING
from sreladder.io.importers.source import page_body, without_code_and_comments

_NAME_LABELS = {"", "competency", "dimension", "skill", "area", "name", "criteria", "level"}


@dataclass
class _Table:
    table: html_reader.Table
    headings: list[tuple[int, str]]
    notes: list[str]


@dataclass
class _Page:
    """The page as the importer reads it: Markdown headings in its text count too."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    first_top: str | None = None
    tables: list[_Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # text under the last heading
    loose: list[str] = field(default_factory=list)  # text under headings with no table

    def heading(self, level: int, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.headings = [h for h in self.headings if h[0] < level] + [(level, text)]
        if level == 1 and self.first_top is None:
            self.first_top = text
        self.loose += self.notes
        self.notes = []


def _read_page(page: html_reader.Page) -> _Page:
    out = _Page()
    for block in page.blocks:
        if block.kind == "heading":
            out.heading(block.level, block.text)
        elif block.kind == "table" and block.table is not None:
            out.tables.append(_Table(page.tables[block.table], list(out.headings), out.notes))
            out.notes = []
        elif block.kind == "text" and (match := HEADING.match(block.text)) is not None:
            out.heading(len(match.group(1)), match.group(2))
        elif out.headings:
            out.notes.append(block.text)
    out.loose += out.notes
    return out


def read_html_tables(text: str, name: str, stem: str, transpose: bool) -> ImportedLadder:
    title, body = page_body(text, name)
    parsed = html_reader.parse(without_code_and_comments(body), name)
    page = _read_page(parsed)
    if not page.tables:
        raise SreladderError(f"{name}: no HTML <table> found")
    role_name = title or page.first_top or parsed.title or stem
    role = ImportedRole(name=role_name)
    loose = page.loose
    seen_levels: dict[str, object] = {}
    for table in page.tables:
        part = _table_role(table, name, role_name, transpose)
        if part is None:
            loose += table.notes
            continue
        if len(part.dimensions) != 1:  # notes go to a dimension only when it is the table
            loose += table.notes
        for level in part.levels:
            if level.id not in seen_levels:
                seen_levels[level.id] = level
                role.levels.append(level)
        role.dimensions += part.dimensions
    if not role.dimensions:
        raise SreladderError(f"{name}: no table has a header row of levels and cells below it")
    role.description = "\n".join(loose) or None
    return ImportedLadder(kind="html", source=stem, roles=[role])


def _grid_cell(slot: html_reader.Placed, name: str, line: int) -> GridCell:
    """A laid-out slot as a cell: its items (a nested list's items are the examples of
    the item above them), marked a copy past the slot the cell starts in."""
    cell = slot.cell
    if cell is None:
        return GridCell("", f"{name}:{line}")
    items: list[CellItem] = []
    top = min((item.depth for item in cell.items), default=0)
    for item in cell.items:
        if item.depth > top and items:
            last = items[-1]
            items[-1] = CellItem(last.text, last.where, (*last.examples, item.text))
        else:
            items.append(CellItem(item.text, f"{name}:{item.line}"))
    text = "\n".join(item.text for item in items)
    return GridCell(text, f"{name}:{cell.line}", items, copy=not slot.origin)


def _table_role(table: _Table, name: str, role_name: str, transpose: bool) -> ImportedRole | None:
    placed = html_reader.place(
        table.table, name, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS + 100, max_cells=MAX_CELLS
    )
    rows = [row for row in placed if any(slot.cell is not None for slot in row)]
    if len(rows) < 2:
        return None
    line = table.table.line
    headings = [text for _, text in table.headings if text != role_name]
    heading = headings[-1] if headings else None
    group = headings[-2] if len(headings) > 1 else None
    header, body = rows[0], rows[1:]
    first = header[0].cell.text.casefold() if header[0].cell else ""
    row_headers = all(row[0].cell is not None and row[0].cell.header for row in body)
    labelled = first in _NAME_LABELS or first.startswith(("level", "skill", "competenc"))
    named_rows = len(header) >= 2 and (labelled or row_headers)
    grid: list[list[GridCell]] = []
    if named_rows:
        grid = [[_grid_cell(slot, name, line) for slot in row] for row in rows]
    else:
        grid.append([GridCell("", f"{name}:{line}")] + [_grid_cell(s, name, line) for s in header])
        for n, row in enumerate(body):
            start = next((s.cell.line for s in row if s.cell is not None), line)
            label = GridCell((heading or role_name) if n == 0 else "", f"{name}:{start}")
            grid.append([label] + [_grid_cell(slot, name, line) for slot in row])
    part = read_grid(
        grid, where=f"{name}:{line}", name=role_name, transpose=transpose, header_first=True
    )
    for dimension in part.dimensions:
        dimension.group = dimension.group or (heading if named_rows else group)
    if len(part.dimensions) == 1 and table.notes:
        part.dimensions[0].description = "\n".join(table.notes)
    return part
