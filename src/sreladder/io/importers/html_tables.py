"""A competency page: a heading per competency, then an HTML ``<table>`` whose header
cells (``<th>``) are levels and whose cells (``<td>``) list the expectations as
``<ul><li>`` items. Headings may be Markdown (``## Code quality``) or HTML (``<h2>``).
The whole page is one role: its first top heading (or front-matter ``title``) names
it; each table is a competency named by the heading above it, grouped under the
heading above that. A table with a name column gives one competency per row instead.
Parsed with the standard library's HTML parser, never with patterns over HTML."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from html.parser import HTMLParser

from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedLadder, ImportedRole
from sreladder.io.importers.cells import MAX_COLUMNS, MAX_ROWS, GridCell
from sreladder.io.importers.grid import read_grid
from sreladder.io.importers.markdown_tables import HEADING
from sreladder.io.importers.source import page_body, without_code_and_comments

_HTML_HEADING = {f"h{n}": n for n in range(1, 7)}
_BREAKS = {"li", "p", "br", "div", "ul", "ol", "tr"}
_NAME_LABELS = {"", "competency", "dimension", "skill", "area", "name", "criteria", "level"}


@dataclass
class _Cell:
    header: bool
    line: int
    span: int = 1
    rows: int = 1  # rowspan
    items: list[tuple[str, int]] = field(default_factory=list)
    copy: bool = False  # a spanned cell's text, repeated where it spans


@dataclass
class _Table:
    line: int
    headings: list[tuple[int, str]]
    notes: list[str]
    rows: list[list[_Cell]] = field(default_factory=list)


class _Page(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.headings: list[tuple[int, str]] = []  # the open heading stack
        self.first_top: str | None = None
        self.tables: list[_Table] = []
        self.notes: list[str] = []
        self.loose: list[str] = []  # text under headings with no table after them
        self._heading: tuple[int, list[str]] | None = None
        self._depth = 0
        self._cell: _Cell | None = None
        self._buffer: list[str] = []
        self._buffer_line = 0

    # headings ---------------------------------------------------------------------
    def _open_heading(self, level: int, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.headings = [h for h in self.headings if h[0] < level] + [(level, text)]
        if level == 1 and self.first_top is None:
            self.first_top = text
        self.loose += self.notes
        self.notes = []

    # tags -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in _HTML_HEADING and self._depth == 0:
            self._heading = (_HTML_HEADING[tag], [])
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append(_Table(line, list(self.headings), self.notes))
                self.notes = []
        elif self._depth == 1 and tag == "tr":
            if len(self.tables[-1].rows) > MAX_ROWS:
                raise SreladderError(f"{self.name}:{line}: a table of more than {MAX_ROWS:,} rows")
            self.tables[-1].rows.append([])
        elif self._depth == 1 and tag in ("th", "td") and self.tables[-1].rows:
            self._flush()
            given = dict(attrs)
            self._cell = _Cell(
                tag == "th", line, _span(given.get("colspan"), 50), _span(given.get("rowspan"))
            )
            if len(self.tables[-1].rows[-1]) >= MAX_COLUMNS:
                raise SreladderError(f"{self.name}:{line}: a row of more than {MAX_COLUMNS} cells")
            self.tables[-1].rows[-1].append(self._cell)
        elif tag in _BREAKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_HEADING and self._heading is not None:
            level, parts = self._heading
            self._heading = None
            self._open_heading(level, "".join(parts))
        elif tag == "table" and self._depth:
            self._flush()
            self._cell = None
            self._depth -= 1
        elif tag in ("th", "td") and self._depth == 1:
            self._flush()
            self._cell = None
        elif tag in _BREAKS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading[1].append(data)
        elif self._cell is not None:
            if not self._buffer:
                blank = data[: len(data) - len(data.lstrip())]
                self._buffer_line = self.getpos()[0] + blank.count("\n")
            self._buffer.append(data)
        elif self._depth == 0:
            self._page_text(data)

    def _page_text(self, data: str) -> None:
        """Text between tables: Markdown headings, and notes under the last heading."""
        for line in data.split("\n"):
            match = HEADING.match(line)
            if match:
                self._open_heading(len(match.group(1)), match.group(2))
            elif line.strip() and self.headings:
                self.notes.append(" ".join(line.split()))

    def _flush(self) -> None:
        if self._cell is not None and self._buffer:
            text = " ".join("".join(self._buffer).split())
            if text:
                self._cell.items.append((text, self._buffer_line))
        self._buffer = []


def read_html_tables(text: str, name: str, stem: str, transpose: bool) -> ImportedLadder:
    title, body = page_body(text, name)
    page = _Page(name)
    page.feed(without_code_and_comments(body))
    page.close()
    page.loose += page.notes
    if not page.tables:
        raise SreladderError(f"{name}: no HTML <table> found")
    role_name = title or page.first_top or stem
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


def _span(value: str | None, limit: int = MAX_ROWS) -> int:
    """A colspan or rowspan: a number from 1 up (0, junk and absent are 1)."""
    value = (value or "").strip()
    return max(1, min(int(value), limit)) if value.isdigit() else 1


def _spread(rows: list[list[_Cell]]) -> list[list[_Cell]]:
    """The rows with every ``colspan`` and ``rowspan`` expanded: a spanned cell's text
    is in every column and row it covers (marked ``copy`` past its own place), so that
    each cell below stays under its own level."""
    pending: dict[int, tuple[_Cell, int]] = {}  # column -> (cell, rows still covered)
    out = []
    for row in rows:
        line: list[_Cell] = []
        queue = list(row)
        while queue or any(column >= len(line) for column in pending):
            column = len(line)
            if column in pending:
                cell, left = pending.pop(column)
                if left > 1:
                    pending[column] = (cell, left - 1)
                line.append(cell if cell.copy else dataclasses.replace(cell, copy=True))
                continue
            if not queue:  # a gap before a cell spanning down from above
                line.append(_Cell(False, row[-1].line if row else 0))
                continue
            cell = queue.pop(0)
            for n in range(cell.span):
                placed = cell if n == 0 else dataclasses.replace(cell, copy=True)
                if cell.rows > 1:
                    pending[len(line)] = (dataclasses.replace(cell, copy=True), cell.rows - 1)
                line.append(placed)
        out.append(line)
    return out


def _grid_cell(cell: _Cell, name: str) -> GridCell:
    items = [(text, f"{name}:{line}") for text, line in cell.items]
    return GridCell("\n".join(t for t, _ in items), f"{name}:{cell.line}", items, cell.copy)


def _table_role(table: _Table, name: str, role_name: str, transpose: bool) -> ImportedRole | None:
    rows = [row for row in _spread(table.rows) if row]
    if len(rows) < 2:
        return None
    headings = [text for _, text in table.headings if text != role_name]
    heading = headings[-1] if headings else None
    group = headings[-2] if len(headings) > 1 else None
    header, body = rows[0], rows[1:]
    first = " ".join(t for t, _ in header[0].items).casefold()
    row_headers = all(row[0].header for row in body)
    labelled = first in _NAME_LABELS or first.startswith(("level", "skill", "competenc"))
    named_rows = len(header) >= 2 and (labelled or row_headers)
    grid: list[list[GridCell]] = []
    blank = GridCell("", f"{name}:{table.line}")
    if named_rows:
        grid = [[_grid_cell(c, name) for c in row] for row in rows]
    else:
        grid.append([blank] + [_grid_cell(c, name) for c in header])
        for n, row in enumerate(body):
            label = GridCell((heading or role_name) if n == 0 else "", f"{name}:{row[0].line}")
            grid.append([label] + [_grid_cell(c, name) for c in row])
    part = read_grid(
        grid, where=f"{name}:{table.line}", name=role_name, transpose=transpose, header_first=True
    )
    for dimension in part.dimensions:
        dimension.group = dimension.group or (heading if named_rows else group)
    if len(part.dimensions) == 1 and table.notes:
        part.dimensions[0].description = "\n".join(table.notes)
    return part
