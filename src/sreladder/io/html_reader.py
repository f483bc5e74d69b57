"""HTML read as a browser reads it: the page is parsed by justhtml, which follows the
WHATWG HTML standard's tree construction (so a ``<thead>`` of bare ``<th>`` cells gets
the row every browser gives it, an unclosed ``<li>`` or ``<td>`` ends where a browser
ends it), and read back as two plain structures that need nothing of the parser:

* the **tables**, each a list of rows of cells (text, items, header or not, spans and
  the line it starts on), with the headings above it; ``place`` lays out the spans as
  the standard's table model does, within limits, so each cell lands under its column;
* the **blocks** in document order (headings, paragraphs, list items with their depth,
  terms, quotes, preformatted text, lines of loose text, and each table), each with
  its text, line and the headings it sits under.

Limits are checked before a tree is built or a span laid out: at most ``MAX_ELEMENTS``
tags in a page, and whatever the caller gives to ``place``. The walk is iterative, so
nesting as deep as the page likes costs no stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sreladder.core.errors import SreladderError

MAX_ELEMENTS = 100_000  # start tags in one page; a long handbook page has a few thousand
MAX_COLSPAN = 1_000  # what the standard clamps a colspan to
MAX_ROWSPAN = 65_534  # and a rowspan

_START_TAG = re.compile(r"<[A-Za-z]")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SKIPPED = {
    "head",
    "nav",
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "svg",
    "math",
}
_LISTS = {"ul", "ol", "menu"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "header", "hgroup", "hr", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    *_HEADINGS,
}  # fmt: skip
_OWN_BLOCKS = {"p": "paragraph", "li": "item", "dt": "term", "dd": "definition", "pre": "pre"}
_OWN_BLOCKS |= {"caption": "paragraph", "figcaption": "paragraph", "summary": "paragraph"}
_OWN_BLOCKS |= {"legend": "paragraph"}

_ITEM_KINDS = {"item", "term", "definition"}

Headings = tuple[tuple[int, str], ...]  # the open headings: (level, text), outermost first


@dataclass(frozen=True)
class Item:
    """One line of a cell: a paragraph, a line ended by ``<br>``, or a list item at
    ``depth`` (1 for a top list, 2 for a list inside its item, ...; 0 outside lists)."""

    text: str
    line: int
    depth: int = 0


@dataclass(frozen=True)
class Cell:
    text: str  # the items, one per line
    items: tuple[Item, ...]
    header: bool  # a <th>
    colspan: int  # as written (``place`` reads more than 1,000 as 1,000, as browsers do)
    rowspan: int  # as written; 0: to the end of its row group, as the standard says
    line: int


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    groups: tuple[int, ...]  # the index of the first row of each row group after the first
    line: int
    headings: Headings
    caption: str | None = None


@dataclass(frozen=True)
class Block:
    """``kind``: heading (``level`` 1-6), paragraph, item (``level``: its list depth),
    term, definition, quote (a paragraph inside a blockquote), pre (its line breaks
    kept), text (a line of text outside any block, as in a Markdown page holding HTML)
    or table (``table`` is its index in ``Page.tables``)."""

    kind: str
    text: str
    line: int
    headings: Headings
    level: int = 0
    table: int | None = None


@dataclass
class Page:
    title: str | None = None  # the <title>
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Placed:
    """A slot of a laid-out table: the cell covering it (None for a slot no cell
    covers) and whether the cell starts here or is its span."""

    cell: Cell | None
    origin: bool


def parse(html: str, name: str, max_elements: int = MAX_ELEMENTS) -> Page:
    """The page's blocks and tables. A page of more than ``max_elements`` tags is
    refused before it is parsed."""
    count = sum(1 for _ in _START_TAG.finditer(html))
    if count > max_elements:
        raise SreladderError(
            f"{name}: {count:,} HTML tags; at most {max_elements:,} (a long page has a few "
            "thousand)"
        )
    from justhtml import JustHTML

    document = JustHTML(html, sanitize=False, track_node_locations=True)
    return _Walk(name).page(document.root)


def fragment_items(html: str) -> list[Item]:
    """A fragment's text as items, as a cell's (``<li>``, ``<p>``, ``<br>`` each end
    one), entities resolved: HTML inside a Markdown table cell."""
    from justhtml import JustHTML

    fragment = JustHTML(html, sanitize=False, fragment=True)
    return _items(fragment.root)


def _name(node: Any) -> str | None:
    return getattr(node, "name", None) if hasattr(node, "attrs") else None


def _is_text(node: Any) -> bool:
    return getattr(node, "name", None) == "#text"


def _children(node: Any) -> list[Any]:
    return list(getattr(node, "children", None) or [])


def _line(node: Any) -> int:
    return getattr(node, "origin_line", None) or 0


def _number(value: str | None, default: int) -> int:
    """An attribute as the standard's rules for non-negative integers read it."""
    match = re.match(r"\s*\+?([0-9]+)", value or "")
    if match is None:
        return default
    digits = match.group(1).lstrip("0") or "0"
    return int(digits) if len(digits) <= 12 else 10**12


class _Text:
    """Text gathered for one block: whitespace collapsed, the line of its first word."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.line = 0

    def add(self, data: str, line: int) -> None:
        if not self.parts or not "".join(self.parts).strip():
            blank = data[: len(data) - len(data.lstrip())]
            self.line = line + blank.count("\n")
        self.parts.append(data)

    def take(self, keep_lines: bool = False) -> tuple[str, int]:
        raw = "".join(self.parts)
        self.parts = []
        if keep_lines:
            return raw.strip("\n").rstrip(), self.line
        return " ".join(raw.split()), self.line


class _Walk:
    def __init__(self, name: str) -> None:
        self.name = name
        self.out = Page()
        self.headings: list[tuple[int, str]] = []

    def page(self, root: Any) -> Page:
        for node in _children(root):
            if _name(node) == "html":
                for part in _children(node):
                    if _name(part) == "head":
                        self.out.title = self._title(part)
                    else:
                        self._flow(part)
        return self.out

    def _title(self, head: Any) -> str | None:
        for node in _children(head):
            if _name(node) == "title":
                text = " ".join("".join(t.data for t in _children(node) if _is_text(t)).split())
                return text or None
        return None

    # --- blocks -------------------------------------------------------------------------

    def _block(self, kind: str, text: str, line: int, level: int = 0) -> None:
        if text:
            self.out.blocks.append(Block(kind, text, line, tuple(self.headings), level))

    def _flow(self, start: Any) -> None:
        """Walk a part of the page; each block element's own text is one block (the
        text of the blocks inside it is theirs; a paragraph inside a list item, term or
        definition is more of that item)."""
        stack: list[tuple[Any, bool, bool]] = [(start, False, False)]  # (node, leaving, own)
        open_text: list[tuple[_Text, str, int]] = []  # the enclosing blocks' own text
        loose = _Text()
        depth = {"list": 0, "quote": 0}

        def flush() -> None:
            if not open_text:
                self._loose(loose)
                return
            text, kind, level = open_text[-1]
            words, line = text.take(keep_lines=kind == "pre")
            if kind == "heading":
                self._heading(level, words)
            self._block("quote" if kind == "paragraph" and depth["quote"] else kind,
                        words, line, level)  # fmt: skip

        while stack:
            node, leaving, own = stack.pop()
            tag = _name(node)
            if leaving:
                flush()
                if own:
                    open_text.pop()
                if tag in _LISTS:
                    depth["list"] -= 1
                elif tag == "blockquote":
                    depth["quote"] -= 1
                continue
            if _is_text(node):
                (open_text[-1][0] if open_text else loose).add(node.data, _line(node))
                continue
            if tag is None or tag in _SKIPPED:
                continue
            if tag == "table":
                flush()
                self._table(node)
                continue
            own = False
            if tag == "br":
                if open_text:
                    open_text[-1][0].add("\n" if open_text[-1][1] == "pre" else " ", _line(node))
                continue
            if tag in _BLOCKS:
                flush()
                if tag in _LISTS:
                    depth["list"] += 1
                elif tag == "blockquote":
                    depth["quote"] += 1
                inside_item = bool(open_text) and open_text[-1][1] in _ITEM_KINDS
                if tag in _HEADINGS:
                    open_text.append((_Text(), "heading", _HEADINGS[tag]))
                    own = True
                elif tag in _OWN_BLOCKS and not (tag == "p" and inside_item):
                    level = depth["list"] if tag == "li" else 0
                    open_text.append((_Text(), _OWN_BLOCKS[tag], level))
                    own = True
                stack.append((node, True, own))
            stack.extend((child, False, False) for child in reversed(_children(node)))
        flush()

    def _heading(self, level: int, text: str) -> None:
        if text:
            self.headings = [h for h in self.headings if h[0] < level] + [(level, text)]

    def _loose(self, loose: _Text) -> None:
        """Text outside any block element, a block per line (a Markdown page's text)."""
        raw, first = "".join(loose.parts), loose.line
        loose.parts = []
        if not raw.strip():
            return
        start = first - raw[: len(raw) - len(raw.lstrip())].count("\n")
        for offset, line in enumerate(raw.split("\n")):
            if line.strip():
                self._block("text", " ".join(line.split()), start + offset)

    # --- tables -------------------------------------------------------------------------

    def _table(self, table: Any) -> None:
        rows: list[tuple[Cell, ...]] = []
        groups: list[int] = []
        caption = None
        for part in _children(table):
            tag = _name(part)
            if tag == "caption":
                caption = " ".join(i.text for i in _items(part)) or None
            elif tag in ("thead", "tbody", "tfoot"):
                if rows:
                    groups.append(len(rows))
                rows += [self._row(tr) for tr in _children(part) if _name(tr) == "tr"]
            elif tag == "tr":
                rows.append(self._row(part))
        index = len(self.out.tables)
        self.out.tables.append(
            Table(tuple(rows), tuple(groups), _line(table), tuple(self.headings), caption)
        )
        self.out.blocks.append(
            Block("table", caption or "", _line(table), tuple(self.headings), table=index)
        )

    def _row(self, tr: Any) -> tuple[Cell, ...]:
        cells = []
        for node in _children(tr):
            tag = _name(node)
            if tag not in ("td", "th"):
                continue
            attrs = node.attrs or {}
            items = tuple(_items(node))
            cells.append(
                Cell(
                    "\n".join(item.text for item in items),
                    items,
                    tag == "th",
                    _number(attrs.get("colspan"), 1) or 1,
                    _number(attrs.get("rowspan"), 1),
                    _line(node),
                )
            )
        return tuple(cells)


def _items(cell: Any) -> list[Item]:
    """A cell's text as items: each paragraph, line ended by ``<br>``, or list item
    (with its depth) is one; a list inside an item ends that item's text."""
    items: list[Item] = []
    text = _Text()
    depth = 0
    stack: list[tuple[Any, bool]] = [(child, False) for child in reversed(_children(cell))]

    def flush() -> None:
        words, line = text.take()
        if words:
            items.append(Item(words, line, depth if in_item[-1] else 0))

    in_item = [False]
    while stack:
        node, leaving = stack.pop()
        tag = _name(node)
        if leaving:
            flush()
            if tag in _LISTS:
                depth -= 1
            elif tag == "li":
                in_item.pop()
            continue
        if _is_text(node):
            text.add(node.data, _line(node))
            continue
        if tag is None or tag in _SKIPPED:
            continue
        if tag in _BLOCKS:
            flush()
            if tag in _LISTS:
                depth += 1
            elif tag == "li":
                in_item.append(True)
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    flush()
    return items


def place(
    table: Table, name: str, *, max_columns: int, max_rows: int, max_cells: int
) -> list[list[Placed]]:
    """The table laid out as the standard's table model lays it out: each cell at the
    next free slot of its row, covering ``colspan`` columns and ``rowspan`` rows (to the
    end of its row group at most, as browsers show it). A span or a table past the
    limits is refused, naming the cell, before any slot is made."""
    ends = [*table.groups, len(table.rows)]
    slots = 0
    for y, row in enumerate(table.rows):
        end = next(e for e in ends if e > y)
        for cell in row:
            if cell.colspan > max_columns:
                raise SreladderError(
                    f"{name}:{cell.line}: colspan {cell.colspan:,}; a table has at most "
                    f"{max_columns} columns"
                )
            if cell.rowspan > max_rows:
                raise SreladderError(
                    f"{name}:{cell.line}: rowspan {cell.rowspan:,}; a table has at most "
                    f"{max_rows:,} rows"
                )
            slots += _across(cell) * _down(cell, y, end)
            if slots > max_cells:
                raise SreladderError(
                    f"{name}:{cell.line}: the table's spans cover more than {max_cells:,} "
                    "cells; at most that many"
                )
    if len(table.rows) > max_rows:
        raise SreladderError(
            f"{name}:{table.line}: a table of {len(table.rows):,} rows; at most {max_rows:,}"
        )
    grid: list[dict[int, Placed]] = [{} for _ in table.rows]
    for y, row in enumerate(table.rows):
        end = next(e for e in ends if e > y)
        x = 0
        for cell in row:
            while x in grid[y]:
                x += 1
            if x + _across(cell) > max_columns:
                raise SreladderError(
                    f"{name}:{cell.line}: a row of more than {max_columns} columns (spans counted)"
                )
            for dy in range(_down(cell, y, end)):
                for dx in range(_across(cell)):
                    grid[y + dy][x + dx] = Placed(cell, dy == 0 and dx == 0)
            x += _across(cell)
    width = max((max(row) + 1 for row in grid if row), default=0)
    if len(grid) * width > max_cells:
        raise SreladderError(
            f"{name}:{table.line}: a table of {len(grid):,} rows x {width:,} columns; at most "
            f"{max_cells:,} cells"
        )
    empty = Placed(None, True)
    return [[row.get(x, empty) for x in range(width)] for row in grid]


def _across(cell: Cell) -> int:
    return min(cell.colspan, MAX_COLSPAN)


def _down(cell: Cell, y: int, end: int) -> int:
    """The rows a cell covers: its rowspan (at most 65,534, as the standard says), cut
    at the end of its row group."""
    return end - y if cell.rowspan == 0 else min(cell.rowspan, MAX_ROWSPAN, end - y)
