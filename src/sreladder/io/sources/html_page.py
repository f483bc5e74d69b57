"""HTML pages: a Confluence, Notion or Google Docs export, a saved wiki page. The page
is parsed as a browser parses it, by the standards-following reader that ``import``
uses (:mod:`sreladder.io.html_reader`), and read as a brag document:

* list items and paragraphs (and quotes, definition terms and descriptions, loose
  lines of text) are items, at the line they start on; a nested list item keeps the
  items above it as context;
* headings are context (and date what is under them, as in Markdown);
* table rows are items (cells joined), header rows not; preformatted text is not;
* the page's chrome is not read: when the page has an exporter's content element
  (Confluence's ``#main-content``, Notion's ``.page-body``, a ``<main>`` or
  ``[role=main]``), only what it holds is (no breadcrumbs, "Created by", footer); the
  page's title heading still gives context.

A link's url is not kept (the reader gives text); a bare URL in the text is the link.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sreladder.core.errors import SreladderError
from sreladder.io.sources.base import Entry, EvidenceSourceError, Options, Source, make_item
from sreladder.io.sources.dates import find_date, heading_date

CONTENT = ("#main-content", "div.page-body", "main", "[role=main]", "article")
_ITEMS = {"paragraph", "item", "quote", "term", "definition", "text"}


def read_html(source: Source, options: Options) -> Iterator[Entry]:
    from sreladder.io import html_reader

    try:
        page = html_reader.parse(source.text, source.name)
    except SreladderError as exc:
        raise EvidenceSourceError(str(exc)) from None
    span = _content_span(source.text)
    parents: list[tuple[int, str]] = []  # (list depth, text) of the items above
    for block in page.blocks:
        if span and not span[0] <= block.line <= span[1]:
            continue
        headings = tuple(text for _, text in block.headings)
        if block.kind == "table" and block.table is not None:
            yield from _table(page.tables[block.table], source, headings)
            continue
        if block.kind not in _ITEMS:
            parents = [] if block.kind == "heading" else parents
            continue
        depth = block.level if block.kind == "item" else 0
        parents = [p for p in parents if 0 < p[0] < depth]
        context = headings + tuple(text for _, text in parents)
        item = make_item(
            block.text,
            source,
            block.line,
            "html",
            date=_context_date(parents, headings),
            context=context,
            date_from_text=True,
        )
        if item is not None:
            yield item
            if depth:
                parents.append((depth, item.text[:300]))


def _context_date(parents: list[tuple[int, str]], headings: tuple[str, ...]) -> str | None:
    for _, text in reversed(parents):
        if found := find_date(text):
            return found
    for heading in reversed(headings):
        if found := heading_date(heading):
            return found
    return None


def _table(table: Any, source: Source, headings: tuple[str, ...]) -> Iterator[Entry]:
    for row in table.rows:
        if row and all(cell.header for cell in row):
            continue
        text = " — ".join(cell.text.replace("\n", " ") for cell in row if cell.text.strip())
        line = row[0].line if row else table.line
        item = make_item(
            text, source, line or table.line, "html", date=_context_date([], headings),
            context=headings, date_from_text=True,
        )  # fmt: skip
        if item is not None:
            yield item


def _content_span(html: str) -> tuple[int, int] | None:
    """The first and last line of the page's content element, when it has one that
    spans lines (an exporter's page); None to read the whole page."""
    if not any(marker in html for marker in ("main-content", "page-body", "<main", "role=")):
        return None
    from justhtml import JustHTML

    try:
        document = JustHTML(html, sanitize=False, track_node_locations=True)
    except Exception:  # the reader above parsed it; a second look is only a refinement
        return None
    for selector in CONTENT:
        node = document.root.query_one(selector)
        if node is None:
            continue
        first = getattr(node, "origin_line", None)
        last = _last_line(node)
        if first and last and last > first:
            return first, last
    return None


def _last_line(node: Any) -> int:
    last = getattr(node, "origin_line", None) or 0
    stack = list(getattr(node, "children", None) or [])
    while stack:
        child = stack.pop()
        line = getattr(child, "origin_line", None) or 0
        if line > last:
            last = line
        data = getattr(child, "data", None)
        if isinstance(data, str) and line:
            last = max(last, line + data.count("\n"))
        stack.extend(getattr(child, "children", None) or [])
    return last
