"""HTML inside a Markdown table cell (``<ul><li>a</li><li>b</li></ul>``, ``<br>``,
``<p>``) as lines of text, one per item; other tags are dropped, their text kept.
Parsed with the standard library's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

_LINE_BREAKS = {"br", "p", "div", "ul", "ol", "tr", "li"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n• ")
        elif tag in _LINE_BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _LINE_BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_lines(raw: str) -> str:
    """The text of a fragment, a line per block or list item, entities resolved."""
    parser = _Text()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)
