"""Escaping user and rubric text for each document format, in one place.

Every function takes any text (evidence, names, links, rubric statements) and returns
text that its format shows literally: nothing becomes markup, a table cell boundary,
a heading, a script, a spreadsheet formula, a control sequence or an invisible
direction override. Documents keep the whole text (no silent cut) and their line breaks;
terminal escaping (one line, escapes shown) lives in :mod:`sreladder.present.terminal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TextIO
from urllib.parse import quote

from sreladder.io.diagnostics import HIDDEN, shown_escaped
from sreladder.io.yamlio import unix_lines

_MARKDOWN_SPECIAL = "\\`*_[]<>|#~!"
# `&` only where it would start an entity (`&amp;`, `&#38;`): "R&D" stays as written
_ENTITY = re.compile(r"&(?=#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_BLOCK_START = re.compile(r"\d{1,9}(?=[.)])|[-+=]")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Controls and invisible characters (one list for every medium: io.diagnostics.HIDDEN)
# are shown as a visible escape, never passed on raw. Line breaks are handled first.
_HIDDEN = re.compile(HIDDEN)
_WEB_LINK = re.compile(r"^https?://[^\s\x00-\x1f\x7f-\x9f]+$", re.IGNORECASE)


def document_text(text: str, limit: int | None = None) -> str:
    """Text for a document: line breaks of every kind become ``\\n``, tabs stay, every
    other control or invisible character is shown as an escape (``\\x1b``, ``\\u202e``).
    With ``limit``, longer text is cut visibly (an ellipsis); documents pass none."""
    text = _HIDDEN.sub(shown_escaped, unix_lines(text))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def markdown(text: str, limit: int | None = None) -> str:
    """Inline Markdown: one line (line breaks read as spaces, as Markdown itself reads
    them), every character that could start markup escaped (so `|` cannot end a table
    cell, a leading `#` is not a heading, backticks are not code, `<script>` is not HTML,
    `&amp;` is not an entity), and no start that opens a block where the text begins a
    line or a list item: leading blanks (an indented code block), `- `, `+ `, `1. ` (a
    list), `===` (a setext heading underline)."""
    text = " ".join(document_text(text, limit).split("\n")).replace("\t", " ").strip()
    escaped = _ENTITY.sub(r"\\&", "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text))
    match = _BLOCK_START.match(escaped)
    if not match:
        return escaped
    if match.group().isdigit():  # 1. -> 1\.
        return escaped[: match.end()] + "\\" + escaped[match.end() :]
    return "\\" + escaped


def markdown_lines(text: str, indent: str = "") -> str:
    """Markdown that keeps the text's line breaks (hard breaks: two trailing spaces),
    each line escaped as :func:`markdown`; continuation lines start with ``indent`` so
    they stay inside the list item they belong to. Blank lines are dropped."""
    lines = [markdown(line) for line in document_text(text).split("\n")]
    return ("  \n" + indent).join(line for line in lines if line)


def markdown_url(url: str) -> str:
    """A link destination no Markdown flavour misreads (parentheses, pipes, brackets,
    angle brackets, backslashes and backticks percent-encoded)."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def markdown_row(cells: Iterable[str]) -> str:
    """One row of a pipe table; the cells are already Markdown."""
    return "| " + " | ".join(cells) + " |"


def markdown_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()
) -> list[str]:
    """The lines of a pipe table; cells are already Markdown; ``numeric`` column
    indexes are right-aligned."""
    right = set(numeric)
    rule = "|" + "".join("---:|" if i in right else "---|" for i in range(len(header)))
    return [markdown_row(header), rule, *(markdown_row(row) for row in rows)]


def html_text(text: str, limit: int | None = None) -> str:
    """Text for an HTML element or a quoted attribute value."""
    import html  # its entity table costs a millisecond the terminal views never need

    return html.escape(document_text(text, limit), quote=True)


def web_link(link: str | None) -> str | None:
    """``link`` if it is an http(s) URL safe to make clickable, else None (a
    ``javascript:`` link is shown as text, never followed)."""
    return link if link and _WEB_LINK.match(link) else None


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or
    carriage return, which some spreadsheets skip first) gets a leading apostrophe, the
    OWASP-recommended neutralisation. Numbers are written as they are; text is kept
    whole, line breaks included (the ``csv`` module quotes them)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = document_text("" if value is None else str(value))
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def json_write(value: object, stream: TextIO) -> None:
    """:func:`json_document` written piece by piece to ``stream`` (each piece is a
    whole JSON token, so the escapes never split one)."""
    import json

    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(value):
        stream.write(_HIDDEN.sub(_json_escape, chunk))
    stream.write("\n")


def _json_escape(match: re.Match[str]) -> str:
    """A JSON escape: ``\\u202e``; above U+FFFF its UTF-16 surrogate pair."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_line(value: object, separators: tuple[str, str] = (", ", ": ")) -> str:
    """``value`` as one line of JSON (the C encoder: thousands of items stay fast),
    hidden characters escaped as :func:`json_document` escapes them."""
    import json

    text = json.dumps(value, ensure_ascii=False, separators=separators)
    if text.isascii() and "\x7f" not in text:  # the encoder escaped every other control
        return text
    return _HIDDEN.sub(_json_escape, text)


def json_document(value: object) -> str:
    """Indented JSON, text kept as written (UTF-8), but control, direction-override and
    zero-width characters written as ``\\uXXXX`` escapes: the value parses back the
    same, and a terminal or editor showing the file sees no raw control character."""
    import json

    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _HIDDEN.sub(_json_escape, text) + "\n"
