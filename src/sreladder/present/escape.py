"""Escaping user and rubric text for each output format, in one place.

Every function takes any text (evidence, names, links, rubric statements) and returns
text that its format shows literally: nothing becomes markup, a table cell boundary,
a heading, a script, a spreadsheet formula or a terminal control sequence.
"""

from __future__ import annotations

import html
import re

from sreladder.io.diagnostics import printable

_MARKDOWN_SPECIAL = "\\`*_[]<>|#~!"
_BLOCK_START = re.compile(r"\d{1,9}(?=[.)])|[-+=]")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def markdown(text: str, limit: int = 4000) -> str:
    """Inline Markdown: one line, every character that could start markup escaped
    (so `|` cannot end a table cell, a leading `#` is not a heading, backticks are not
    code, `<script>` is not HTML), and no start that opens a block where the text
    begins a line or a list item: leading blanks (an indented code block), `- `,
    `+ `, `1. ` (a list), `===` (a setext heading underline)."""
    text = printable(text, limit).strip()
    escaped = "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)
    match = _BLOCK_START.match(escaped)
    if not match:
        return escaped
    if match.group().isdigit():  # 1. -> 1\.
        return escaped[: match.end()] + "\\" + escaped[match.end() :]
    return "\\" + escaped


def html_text(text: str, limit: int = 4000) -> str:
    """Text for an HTML element or a quoted attribute value."""
    return html.escape(printable(text, limit), quote=True)


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or
    carriage return, which some spreadsheets skip first) gets a leading apostrophe, the
    OWASP-recommended neutralisation. Numbers are written as they are."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = "" if value is None else str(value)
    text = printable(text, 4000)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
