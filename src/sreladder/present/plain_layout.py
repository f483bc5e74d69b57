"""The terminal views laid out without Rich, for output that is not a terminal.

Off a terminal Rich prints no styles, only text laid out at the output width; for the
shapes the views use (paragraphs, tables without borders, grids with hanging indents)
this module lays out the same lines, without importing Rich (whose import and layout
cost more than the rest of ``score`` or ``show``). It is an accelerator, not a second
design: :func:`render` either returns exactly what Rich would print, or raises
:class:`Unsupported` and the caller prints with Rich. Anything it does not reproduce
(borders, expanding tables, wide or zero-width characters, markup in plain strings,
words longer than their column) is Unsupported. ``tests/test_plain_layout.py`` checks
the equality on every shipped view and on generated text.

The classes take the same arguments as Rich's ``Text``, ``Table`` and ``Group`` (styles
are accepted and ignored), so a view is written once and built with either kit.
"""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"\s*\S+\s*")  # Rich's word: leading blanks, the word, trailing blanks
# Characters every supported Rich release measures one cell wide: ASCII, Latin-1 and
# Latin Extended, general punctuation (dashes, quotes, bullets, …, †), arrows, box drawing and
# block elements (the score bars), ✓. Anything else goes to Rich.
_NARROW = re.compile(
    r"[ -~\u00a1-\u024f\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u259f\u2713]*"
)


class Unsupported(Exception):
    """A layout this module does not reproduce exactly: print it with Rich."""


class Text:
    def __init__(self, text: str = "", style: Any = None, **options: Any) -> None:
        if options:
            raise Unsupported(f"Text options {sorted(options)}")
        self.plain = text

    def append(self, text: Any, style: Any = None) -> Text:
        self.plain += text.plain if isinstance(text, Text) else text
        return self

    def append_text(self, text: Text) -> Text:
        self.plain += text.plain
        return self

    def __len__(self) -> int:
        return len(self.plain)

    def __str__(self) -> str:
        return self.plain


class Group:
    def __init__(self, *renderables: Any) -> None:
        self.renderables = renderables


class _Column:
    def __init__(
        self,
        header: Any = "",
        *,
        width: int | None = None,
        min_width: int | None = None,
        no_wrap: bool = False,
        overflow: str = "ellipsis",
        justify: str = "left",
        ratio: int | None = None,
        style: Any = None,
        **options: Any,
    ) -> None:
        if options or justify not in ("left", "right") or overflow not in ("fold", "ellipsis"):
            raise Unsupported(f"column options {sorted(options)} {justify} {overflow}")
        self.header, self.width, self.min_width = header, width, min_width
        self.no_wrap, self.overflow, self.justify = no_wrap, overflow, justify
        self.cells: list[Any] = []


class Table:
    def __init__(
        self,
        *headers: Any,
        box: Any = "default",
        padding: int | tuple[int, ...] = (0, 1),
        collapse_padding: bool = False,
        pad_edge: bool = True,
        show_header: bool = True,
        show_edge: bool = True,
        expand: bool = False,
        header_style: Any = None,
        **options: Any,
    ) -> None:
        if box is not None or expand or options or headers:
            raise Unsupported("a table with a border, expanding, or other options")
        self.padding = _unpack(padding)
        if self.padding[0] or self.padding[2]:
            raise Unsupported("vertical padding")
        self.collapse_padding, self.pad_edge, self.show_header = (
            collapse_padding,
            pad_edge,
            show_header,
        )
        self.columns: list[_Column] = []

    @classmethod
    def grid(
        cls,
        *headers: Any,
        padding: int | tuple[int, ...] = 0,
        collapse_padding: bool = True,
        pad_edge: bool = False,
        expand: bool = False,
    ) -> Table:
        return cls(
            *headers,
            box=None,
            padding=padding,
            collapse_padding=collapse_padding,
            pad_edge=pad_edge,
            show_header=False,
            expand=expand,
        )

    def add_column(self, header: Any = "", **options: Any) -> None:
        self.columns.append(_Column(header, **options))

    def add_row(self, *cells: Any) -> None:
        if len(cells) > len(self.columns):
            raise Unsupported("more cells than columns")
        cells = (*cells, *[""] * (len(self.columns) - len(cells)))
        for column, cell in zip(self.columns, cells, strict=True):
            column.cells.append("" if cell is None else cell)

    @property
    def row_count(self) -> int:
        return len(self.columns[0].cells) if self.columns else 0


def _unpack(padding: int | tuple[int, ...]) -> tuple[int, int, int, int]:
    if isinstance(padding, int):
        return (padding,) * 4  # type: ignore[return-value]
    if len(padding) == 1:
        return (padding[0],) * 4  # type: ignore[return-value]
    if len(padding) == 2:
        return (padding[0], padding[1], padding[0], padding[1])
    if len(padding) == 4:
        return padding  # type: ignore[return-value]
    raise Unsupported("padding")


# --- layout ----------------------------------------------------------------------------


def render(renderable: Any, width: int) -> str:
    """The lines Rich prints for ``renderable`` at ``width`` off a terminal, trailing
    blanks trimmed, each ending in a newline; Unsupported when not reproduced."""
    lines = _lines(renderable, width)
    return "".join(line.rstrip(" ") + "\n" for line in lines)


def _lines(renderable: Any, width: int) -> list[str]:
    if isinstance(renderable, Group):
        return [line for part in renderable.renderables for line in _lines(part, width)]
    if isinstance(renderable, Text):
        return _wrap(_checked(renderable.plain), width)
    if isinstance(renderable, Table):
        return _table(renderable, width)
    raise Unsupported(f"renderable {type(renderable).__name__}")


def _checked(text: str) -> str:
    if not _NARROW.fullmatch(text.replace("\n", "")):
        raise Unsupported("characters that are not one cell wide")
    if "\t" in text:
        raise Unsupported("tabs")
    return text


def _cell_text(cell: Any) -> str:
    if isinstance(cell, Text):
        return _checked(cell.plain)
    if isinstance(cell, str):
        if "[" in cell or ":" in cell:  # Rich reads a plain string's markup and emoji
            raise Unsupported("a string Rich would read as markup")
        return _checked(cell)
    raise Unsupported(f"cell {type(cell).__name__}")


def _wrap(text: str, width: int) -> list[str]:
    """Rich's Text.wrap with overflow "fold" and the default justification."""
    out = []
    for paragraph in text.split("\n"):
        lines, line, used = [], "", 0
        for match in _WORD.finditer(paragraph):
            word = match.group(0)
            size = len(word.rstrip())
            if size > width:
                raise Unsupported("a word longer than the line")
            if used + size > width and used:
                lines.append(line)
                line, used = "", 0
            line += word
            used += len(word)
        if not lines or line:
            lines.append(line)
        out += [_rstrip_end(x, width) for x in lines]
    return out


def _rstrip_end(line: str, width: int) -> str:
    """Rich's rstrip_end: trailing blanks that overflow the width go."""
    excess = len(line) - width
    if excess <= 0:
        return line
    blanks = len(line) - len(line.rstrip())
    return line[: len(line) - min(blanks, excess)]


def _padding(table: Table, index: int, first_row: bool, last_row: bool) -> tuple[int, int]:
    """(left, right) of a cell, as Rich's Table._get_cells works them out."""
    _, right, _, left = table.padding
    first_column, last_column = index == 0, index == len(table.columns) - 1
    if table.collapse_padding and not first_column:
        left = max(0, left - right)
    if not table.pad_edge:
        if first_column:
            left = 0
        if last_column:
            right = 0
    return left, right


def _padding_width(table: Table, index: int) -> int:
    """Rich's Table._get_padding_width (which collapses differently from _get_cells)."""
    _, right, _, left = table.padding
    if table.collapse_padding:
        left = 0
    if not table.pad_edge:
        if index == 0:
            left = 0
        if index == len(table.columns) - 1:
            right = 0
    return left + right


def _measure(text: str, extra: int, max_width: int) -> int:
    """The widest a padded cell asks for: Rich's Padding and Text measurements."""
    if max_width - extra < 1:
        return max_width
    lines = text.splitlines()
    high = max((len(line) for line in lines), default=0)
    words = text.split()
    low = max(len(w) for w in words) if words else high
    low = min(max(0, low), high)
    high = min(max(0, low, high), max_width)
    if high < 1:
        high = 0
    return min(high + extra, max_width)


def _cells(table: Table, index: int) -> list[tuple[str, int, int]]:
    column = table.columns[index]
    raw = ([column.header] if table.show_header else []) + column.cells
    out = []
    for row, cell in enumerate(raw):
        left, right = _padding(table, index, row == 0, row == len(raw) - 1)
        out.append((_cell_text(cell), left, right))
    return out


def _column_width(table: Table, index: int, max_width: int) -> int:
    """Rich's Table._measure_column, its maximum."""
    if max_width < 1:
        return 0
    column = table.columns[index]
    padding = _padding_width(table, index)
    if column.width is not None:
        return min(column.width + padding, max_width)
    cells = _cells(table, index)
    widest = max((_measure(t, left + right, max_width) for t, left, right in cells), default=0)
    if not cells:  # Rich: a column with nothing to measure may take the whole line
        widest = max_width
    if column.min_width is not None:
        widest = max(widest, column.min_width + padding)
    return widest


def _table(table: Table, width: int) -> list[str]:
    if not table.columns:
        return [""]  # Rich prints a table without columns as one empty line
    count = len(table.columns)
    widths = [_column_width(table, i, width) or 1 for i in range(count)]
    if sum(widths) > width:
        wrapable = [c.width is None and not c.no_wrap for c in table.columns]
        if sum(wrapable) != 1:  # Rich releases have narrowed several columns differently
            raise Unsupported("more than one column to narrow")
        widths = _collapse(widths, wrapable, width)
        if sum(widths) > width:  # Rich's last resort: every column a little narrower
            widths = _ratio_reduce(sum(widths) - width, [1] * count, widths, widths)
        widths = [_column_width(table, i, w) for i, w in enumerate(widths)]
    if sum(widths) > width:  # wider than the line: Rich releases crop it differently
        raise Unsupported("a table wider than the line")
    columns = [_cells(table, i) for i in range(count)]
    rows = len(columns[0])
    out = []
    for row in range(rows):
        blocks = []
        for index, column in enumerate(table.columns):
            text, left, right = columns[index][row]
            inner = widths[index] - left - right
            if inner < 1:
                raise Unsupported("a cell narrower than its padding")
            lines = _cell_lines(text, inner, column)
            blocks.append([" " * left + line + " " * right for line in lines])
        height = max(len(b) for b in blocks)
        if row == 0 and table.show_header:  # Rich aligns a header row to the bottom
            blocks = [
                [" " * w] * (height - len(b)) + b for b, w in zip(blocks, widths, strict=True)
            ]
        for i in range(height):
            out.append(
                "".join(
                    block[i] if i < len(block) else " " * widths[index]
                    for index, block in enumerate(blocks)
                )
            )
    return out


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """Rich's Table._collapse_widths: narrow the widest wrapping columns first."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wraps in zip(widths, wrapable, strict=True) if wraps)
            second = max(
                w if wraps and w != widest else 0 for w, wraps in zip(widths, wrapable, strict=True)
            )
            difference = widest - second
            ratios = [
                1 if (w == widest and wraps) else 0
                for w, wraps in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not difference:
                break
            maximums = [min(excess, difference)] * len(widths)
            widths = _ratio_reduce(excess, ratios, maximums, widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """Rich's _ratio.ratio_reduce."""
    ratios = [ratio if limit else 0 for ratio, limit in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, limit, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(limit, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _cell_lines(text: str, width: int, column: _Column) -> list[str]:
    if column.no_wrap:
        lines = text.split("\n")
        if any(len(line) > width for line in lines):
            raise Unsupported("a cell that does not fit and may not wrap")
    else:
        lines = _wrap(text, width) if text else [""]
    if column.justify == "right":
        return [line.rstrip().rjust(width) for line in lines]
    return [line.ljust(width) for line in lines]
