"""Brag documents in Markdown or plain text, read through markdown-it-py's CommonMark
token stream (with GitHub's tables) and its line maps: no line is told apart by hand.

* A list item is an item, at the line of its bullet (``-``, ``*``, ``+``, ``1.``,
  ``1)``); its wrapped lines and later paragraphs are more of it. A nested item keeps
  the items above it as context (after the headings), and their date when it has none.
  A parent bullet that is only a label (``**Incidents**``, ``Projects:``) is context,
  not an item. ``[ ]`` (an unchecked task) is read and skipped; ``[x]`` is dropped.
* Headings (ATX and underlined) are context and date what is under them (``Q3 2026``,
  ``H2 2025``, ``2025``). So is a line right above a list that is only bold, ends with
  a colon, or is a short date (``**March 2026**``, ``Side projects:``, ``Q1 2026``);
  in a plain-text document, such a line above any other line.
* A paragraph is an item (its lines joined); in a plain-text document each line is,
  and a first line standing alone above a list, a heading or a label line is the
  document's title (context). Lines pasted
  from a word processor (``•``, ``◦``, ``▪``, ``–``) are items each.
* Table rows are items (cells joined); the header row is not.
* Fenced and indented code, HTML blocks and comments, and front matter are never
  items. (In a plain-text document an indented line is text, not code.)
* ``[text](url)`` reads as ``text`` with ``url`` as the item's link; else a bare URL or
  an autolink is the link.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sreladder.io.sources.base import (
    MAX_CONTEXT_DEPTH,
    MAX_DOCUMENT_CHARS,
    Entry,
    EvidenceSourceError,
    Options,
    Source,
    make_item,
    skip,
)
from sreladder.io.sources.dates import find_date, heading_date
from sreladder.io.sources.links import split_links

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

PSEUDO_LEVEL = 7  # a label line over a list: below every real heading
MAX_CONTEXT = 300  # characters of a parent bullet kept for the items nested in it

_PASTED = re.compile(r"^\s*[•◦▪‣–·●○■]\s+")
_CHECKBOX = re.compile(r"^\[([ xX])\]\s+")
_COLON_LABEL = re.compile(r"^[^:]{1,80}:$")
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
UNCHECKED = "unchecked task"


@functools.cache
def parser(text_mode: bool = False) -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": not text_mode})
    md.enable(["table", "strikethrough"])
    if text_mode:
        md.disable("code")  # an indented line of a text file is text
    return md


def token_stream(source: Source, text_mode: bool = False) -> list[Token]:
    """The source's token stream (front matter blanked), parsed once per source."""
    key = f"markdown-tokens-{text_mode}"
    found = source.cache.get(key)
    if found is None:
        if len(source.text) > MAX_DOCUMENT_CHARS:
            raise EvidenceSourceError(
                f"{source.name}: {len(source.text):,} characters; a document read as Markdown "
                f"or text has at most {MAX_DOCUMENT_CHARS:,} (split it)"
            )
        found = source.cache[key] = parser(text_mode).parse(front_matter(source.text)[1])
    return found


def front_matter(text: str) -> tuple[str | None, str]:
    """(the YAML between an opening and a closing ``---`` line, the text with those
    lines left blank so line numbers hold); (None, text) without front matter."""
    if not text.startswith("---"):
        return None, text
    lines = text.split("\n", 201)
    if lines[0].strip() != "---":
        return None, text
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            rest = text.split("\n", end + 1)
            body = "\n" * (end + 1) + (rest[end + 1] if len(rest) > end + 1 else "")
            return "\n".join(lines[1:end]), body
    return None, text


@dataclass
class Line:
    """One line of a paragraph as read: its text, its links, and whether all its text
    is bold or italic."""

    text: str = ""
    links: list[str] = field(default_factory=list)
    emphasis_only: bool = True
    has_text: bool = False


def inline_lines(token: Token) -> list[Line]:
    """An inline token's text, a ``Line`` per source line (soft and hard breaks end
    one); links as their text, images as their alt text, code spans and inline HTML as
    written (``<Button>`` in a bullet is a word, not markup)."""
    lines = [Line()]
    emphasis = 0
    for child in token.children or ():
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            lines.append(Line())
        elif kind in ("text", "code_inline", "image", "html_inline"):  # HTML as written
            line = lines[-1]
            line.text += child.content
            if child.content.strip():
                line.has_text = True
                if emphasis == 0:
                    line.emphasis_only = False
        elif kind == "link_open":
            href = child.attrs.get("href")
            if isinstance(href, str):
                lines[-1].links.append(href)
        elif kind in ("strong_open", "em_open"):
            emphasis += 1
        elif kind in ("strong_close", "em_close"):
            emphasis -= 1
    for line in lines:
        line.emphasis_only = line.emphasis_only and line.has_text
    return lines


def plain(token: Token) -> str:
    return " ".join(" ".join(line.text for line in inline_lines(token)).split())


def is_label(line: Line) -> bool:
    """A line that names what follows rather than being an entry: all bold or italic,
    ending with a colon, or a short date (``Q1 2026``, ``March 2026``)."""
    text = " ".join(line.text.split())
    if not text or len(text) > 80:
        return False
    if line.emphasis_only or _COLON_LABEL.match(text):
        return True
    return len(text.split()) <= 4 and heading_date(text) is not None


@dataclass
class _Open:
    """A list item being read: its line, its text so far, and once its nested list
    starts, whether it was an item or only a label."""

    line: int
    lines: list[Line] = field(default_factory=list)
    done: bool = False  # emitted, or taken as a label
    text: str = ""  # as context for the items nested in it
    label: bool = False  # only a label ("**Incidents**"): a heading for what it holds


def read_markdown(source: Source, options: Options) -> Iterator[Entry]:
    return _Reader(source, text_mode=False).entries()


def read_text(source: Source, options: Options) -> Iterator[Entry]:
    return _Reader(source, text_mode=True).entries()


class _Reader:
    def __init__(self, source: Source, text_mode: bool) -> None:
        self.source = source
        self.text_mode = text_mode
        self.kind = "text" if text_mode else "markdown"
        _, self.body = front_matter(source.text)
        self.lines = self.body.split("\n")
        self.headings: list[tuple[int, str]] = []
        self.open: list[_Open] = []
        self.out: list[Entry] = []
        self.started = False  # a heading or an entry has been read

    def entries(self) -> Iterator[Entry]:
        tokens = token_stream(self.source, self.text_mode)
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                self._heading(int(token.tag[1:]), plain(tokens[index + 1]))
                index += 3
                continue
            if kind == "paragraph_open":
                after = tokens[index + 3].type if index + 3 < len(tokens) else ""
                titled = after in (*_LIST_OPEN, "heading_open") or (
                    after == "paragraph_open" and is_label(inline_lines(tokens[index + 4])[0])
                )
                self._paragraph(token, tokens[index + 1], after in _LIST_OPEN, titled)
                index += 2
            elif kind == "list_item_open":
                self.open.append(_Open(_first_line(token)))
            elif kind in _LIST_OPEN and self.open:
                self._parent(self.open[-1])
            elif kind == "list_item_close":
                item = self.open.pop()
                if not item.done:
                    self._emit_lines(item.lines, item.line)
            elif kind == "table_open":
                index = self._table(tokens, index)
            index += 1
            if self.out:
                yield from self.out
                self.out.clear()
        yield from self.out

    # --- context --------------------------------------------------------------------

    def _heading(self, level: int, text: str) -> None:
        self.started = True
        text = split_links(text)[0].strip()
        self.headings = [h for h in self.headings if h[0] < level]
        if text:
            self.headings.append((level, text))

    def _label(self, text: str) -> None:
        self._heading(PSEUDO_LEVEL, " ".join(text.split()).rstrip(":").strip())

    def _context(self) -> tuple[str, ...]:
        """The headings, then the labels of the lists the item is in."""
        labels = tuple(o.text for o in self.open if o.label and o.text)
        return tuple(h for _, h in self.headings) + labels

    def _parents(self) -> tuple[str, ...]:
        return tuple([o.text for o in self.open if o.text and not o.label][-MAX_CONTEXT_DEPTH:])

    def _context_date(self) -> str | None:
        for item in reversed(self.open):
            if not item.text:
                continue
            found = heading_date(item.text) if item.label else find_date(item.text)
            if found:
                return found
        for _, heading in reversed(self.headings):
            if found := heading_date(heading):
                return found
        return None

    # --- items ----------------------------------------------------------------------

    def _parent(self, item: _Open) -> None:
        """A list item whose nested list starts: an item before its children (so file
        order holds), or only their label."""
        if item.done:
            return
        item.done = True
        lines = [line for line in item.lines if line.has_text]
        if len(lines) == 1 and is_label(lines[0]) and not _CHECKBOX.match(lines[0].text):
            item.text = " ".join(lines[0].text.split()).rstrip(":").strip()
            item.label = True
            return
        self.open.pop()  # its own context is what is above it
        entry = self._emit_lines(item.lines, item.line)
        self.open.append(item)
        if entry is not None:
            item.text = entry.text[:MAX_CONTEXT]

    def _emit_lines(self, lines: list[Line], line: int) -> Entry | None:
        text = " ".join(part.text for part in lines)
        links = [link for part in lines for link in part.links]
        checkbox = _CHECKBOX.match(text.lstrip())
        if checkbox:
            text = text.lstrip()[checkbox.end() :]
            if checkbox.group(1) == " ":
                entry: Entry = skip(self.source, line, text, UNCHECKED)
                self.out.append(entry)
                return None
        item = make_item(
            text,
            self.source,
            line,
            self.kind,
            date=self._context_date(),
            link=links[0] if links else None,
            context=self._context(),
            parents=self._parents(),
            date_from_text=True,
        )
        self.started = True
        if item is not None:
            self.out.append(item)
        return item

    def _paragraph(
        self, opening: Token, inline: Token, before_list: bool, titled: bool = False
    ) -> None:
        """``titled``: what follows is a list, a heading or a label line, so a first line
        standing alone before it is a text document's title."""
        first = _first_line(opening)
        lines = inline_lines(inline)
        item = self.open[-1] if self.open else None
        if item is not None and not item.done:
            item.lines.extend(self._lazy_lines(lines, first) if self.text_mode else lines)
            return
        segments = self._segments(lines, first)
        if self.text_mode and not self.started and len(segments) == 1 and titled:
            title = segments[0][1][0].text.strip()
            if len(title) <= 80 and not title.endswith((".", "!", "?")):
                self._heading(1, title)  # a text document's first line on its own: its title
                return
        for position, (number, part, _) in enumerate(segments):
            last = position == len(segments) - 1
            # what a label names follows it: a list, pasted bullets, or (in a text
            # document, where each line is an entry) the next line
            followed = before_list if last else (self.text_mode or segments[position + 1][2])
            if len(part) == 1 and followed and is_label(part[0]):
                self._label(part[0].text)
                continue
            if not self.text_mode and followed and len(part) > 1 and is_label(part[-1]):
                self._emit_lines(part[:-1], number)
                self._label(part[-1].text)
                continue
            self._emit_lines(part, number)

    def _segments(self, lines: list[Line], first: int) -> list[tuple[int, list[Line], bool]]:
        """A paragraph's lines as entries (line, lines, pasted with a bullet): in a text
        document each line is one; in Markdown the paragraph is one, except lines pasted
        with their own bullet."""
        segments: list[tuple[int, list[Line], bool]] = []
        for offset, line in enumerate(lines):
            pasted = _PASTED.match(line.text)
            if pasted:
                line.text = line.text[pasted.end() :]
            if not line.has_text:
                continue
            if self.text_mode or pasted or not segments:
                segments.append((first + offset, [line], bool(pasted)))
            else:
                segments[-1][1].append(line)
        return segments

    def _lazy_lines(self, lines: list[Line], first: int) -> list[Line]:
        """In a text document, a line of a list item's paragraph that is not indented
        is an entry of its own, read after the item (indented lines under it are more
        of it). Returns the item's own lines, or none when it was emitted here."""
        groups: list[tuple[int, list[Line]]] = [(first, [lines[0]])]
        for offset, line in enumerate(lines[1:], start=1):
            number = first + offset
            written = self.lines[number - 1] if number - 1 < len(self.lines) else ""
            if line.has_text and written[:1] not in (" ", "\t"):
                groups.append((number, [line]))
            else:
                groups[-1][1].append(line)
        if len(groups) == 1:
            return lines
        item = self.open.pop()
        item.lines.extend(groups[0][1])
        item.done = True
        entry = self._emit_lines(item.lines, item.line)
        for number, group in groups[1:]:
            self._emit_lines(group, number)
        self.open.append(item)
        if entry is not None:
            item.text = entry.text[:MAX_CONTEXT]
        return []

    def _table(self, tokens: list[Token], index: int) -> int:
        """Each body row of a table is an item: its cells joined by " — "."""
        in_head = False
        row: list[Line] = []
        row_line = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "table_close":
                return index
            if kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open":
                row, row_line = [], _first_line(token)
            elif kind == "inline" and not in_head:
                cell = Line()
                for line in inline_lines(token):
                    cell.text = (cell.text + " " + line.text).strip()
                    cell.links += line.links
                    cell.has_text = cell.has_text or line.has_text
                if cell.has_text:
                    row.append(cell)
            elif kind == "tr_close" and not in_head and row:
                joined = Line(" — ".join(c.text for c in row), [x for c in row for x in c.links])
                self._emit_lines([joined], row_line)
            index += 1
        return index


def _first_line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1
