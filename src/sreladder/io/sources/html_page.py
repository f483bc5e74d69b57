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
  ``[role=main]``), only what it holds is (no breadcrumbs, "Created by", properties,
  footer), and the page's ``<title>`` is the outermost context; a Google Docs title
  paragraph (``p.title``) is context, not an item.

A link's url is not kept (the reader gives text); a bare URL in the text is the link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sreladder.core.errors import SreladderError
from sreladder.io.sources.base import (
    MAX_CONTEXT_DEPTH,
    Entry,
    EvidenceSourceError,
    Options,
    Source,
    make_item,
)
from sreladder.io.sources.dates import find_date, heading_date

CONTENT = ("#main-content", "div.page-body", "main", "[role=main]")
TITLES = ("p.title", "p.subtitle")  # Google Docs' Title and Subtitle styles
_ITEMS = {"paragraph", "item", "quote", "term", "definition", "text"}
_START_TAG = re.compile(r"<[A-Za-z]")


def read_html(source: Source, options: Options) -> Iterator[Entry]:
    from sreladder.io import html_reader

    tags = len(_START_TAG.findall(source.text))
    if tags > html_reader.MAX_ELEMENTS:
        raise EvidenceSourceError(
            f"{source.name}: {tags:,} HTML tags; at most {html_reader.MAX_ELEMENTS:,}"
        )
    html, offset, title, titles = _content(source.text)
    try:
        page = html_reader.parse(html, source.name)
    except SreladderError as exc:
        raise EvidenceSourceError(str(exc)) from None
    outer = (title,) if title else ()
    parents: list[tuple[int, str]] = []  # (list depth, text) of the items above
    for block in page.blocks:
        headings = outer + tuple(text for _, text in block.headings)
        line = block.line + offset
        if block.kind == "table" and block.table is not None:
            yield from _table(page.tables[block.table], source, headings, offset)
            continue
        if block.kind not in _ITEMS:
            parents = [] if block.kind == "heading" else parents
            continue
        if block.kind == "paragraph" and block.text in titles:
            continue  # a Google Docs title: the page's name, not an entry
        depth = block.level if block.kind == "item" else 0
        parents = [p for p in parents if 0 < p[0] < depth][-MAX_CONTEXT_DEPTH:]
        item = make_item(
            block.text,
            source,
            line,
            "html",
            date=_context_date(parents, headings),
            context=headings,
            parents=tuple(text for _, text in parents),
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


def _table(table: Any, source: Source, headings: tuple[str, ...], offset: int) -> Iterator[Entry]:
    for row in table.rows:
        if row and all(cell.header for cell in row):
            continue
        text = " — ".join(cell.text.replace("\n", " ") for cell in row if cell.text.strip())
        line = (row[0].line if row and row[0].line else table.line) + offset
        item = make_item(
            text, source, line, "html", date=_context_date([], headings), context=headings,
            date_from_text=True,
        )  # fmt: skip
        if item is not None:
            yield item


def _content(html: str) -> tuple[str, int, str, frozenset[str]]:
    """(the HTML to read, the lines before it, the page's title as context when only
    its content element is read, the texts of title paragraphs). An exporter's page is
    cut to its content element, serialized as it was written (its line breaks kept,
    so each item keeps its line)."""
    markers = ("main-content", "page-body", "<main", "role=", 'class="c', "title")
    if not any(marker in html for marker in markers):
        return html, 0, "", frozenset()
    from justhtml import JustHTML

    document = JustHTML(html, sanitize=False, track_node_locations=True)
    titles = frozenset(
        " ".join(node.to_text().split())
        for selector in TITLES
        for node in document.root.query(selector)
    )
    for selector in CONTENT:
        node = document.root.query_one(selector)
        if node is None:
            continue
        title = document.root.query_one("title")
        name = " ".join(title.to_text().split()) if title is not None else ""
        first = getattr(node, "origin_line", None) or 1
        return node.to_html(pretty=False), first - 1, name, titles
    return html, 0, next(iter(sorted(titles)), ""), titles
