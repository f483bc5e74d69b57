"""HTML inside a Markdown table cell (``<ul><li>a</li><li>b</li></ul>``, ``<br>``,
``<p>``) as lines of text, one per item; other tags are dropped, their text kept.
Parsed by the one HTML reader (``sreladder.io.html_reader``), as a browser would."""

from __future__ import annotations

from sreladder.io.html_reader import fragment_items


def html_to_lines(raw: str) -> str:
    """The text of a fragment, a line per block or list item (``• `` before an item),
    entities resolved."""
    return "\n".join(("• " if item.depth else "") + item.text for item in fragment_items(raw))
