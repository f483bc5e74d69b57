"""The text of one matrix cell: bullets in and out, level headers, ids, formula escapes.

Pure functions shared by the importers (which split a cell into expectations) and the
exporters (which join expectations into a cell), so that what one writes the other
reads back unchanged.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Collection

from sreladder.core.models import ID_PATTERN

BULLET = "•"
# A list marker at the start of a line: a bullet sign (with or without a space after
# it), or `-`, `*`, `+`, `1.`, `1)` followed by a space.
_MARKER = re.compile(r"^[ \t]*(?:[•●▪◦‣∙·○■□➢►▸–—][ \t]*|[-*+][ \t]+|\d{1,3}[.)][ \t]+)")
_ID = re.compile(ID_PATTERN)
# `Senior SRE (L3)`, `Staff [IC5]`, `L3 - Senior SRE`, `L3: Senior SRE`
_TRAILING_ID = re.compile(
    r"^(?P<title>.*?\S)\s*[(\[]\s*(?P<id>[A-Za-z0-9][A-Za-z0-9_.-]{0,15})\s*[)\]]$"
)
_LEADING_ID = re.compile(
    r"^(?P<id>[A-Za-z]{0,4}\d{1,3}(?:\.\d{1,2})?)\s*(?:[-–—:|]\s*|\s+)(?P<title>\S.*)$"
)
_MOJIBAKE = re.compile("[âÃÂ][\u0080-\u00bf\u2018-\u203a\u20ac\u0152-\u0178]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters a workbook cannot hold (XML 1.0 forbids them): an export shows
# U+FFFD in their place and keeps the exact text beside the matrix.
_UNSHEETABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    """Cell text as read: line ends unified, spaces at the ends of lines dropped, and
    UTF-8 read as cp1252 somewhere upstream (``doesnâ€™t``) repaired."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    if _MOJIBAKE.search(text):
        with contextlib.suppress(UnicodeError):
            text = text.encode("cp1252").decode("utf-8")
    return text


def split_items(text: str) -> list[str]:
    """One cell's expectations: one per bullet or numbered item when the cell has any
    (a line without a marker continues the item above it; lines before the first
    marker are items of their own), else one per non-empty line."""
    lines = [line for line in clean(text).split("\n")]
    if not any(_MARKER.match(line) for line in lines):
        return [" ".join(line.split()) for line in lines if line.strip()]
    items: list[list[str]] = []
    in_list = False
    for line in lines:
        marker = _MARKER.match(line)
        if marker:
            items.append([line[marker.end() :].strip()])
            in_list = True
        elif not line.strip():
            continue
        elif in_list and items:
            items[-1].append(line.strip())
        else:
            items.append([line.strip()])
    joined = (" ".join(" ".join(part).split()) for part in items)
    return [item for item in joined if item]


def unwrap(text: str) -> str:
    """Prose as one line (a YAML block wraps it at any width), list items one per line
    with their markers: ``1. a\n   more\n\n2. b`` -> ``1. a more\n2. b``."""
    out: list[str] = []
    for line in clean(text).split("\n"):
        if not line.strip():
            continue
        if list_item(line) is not None or not out:
            out.append(line.strip())
        else:
            out[-1] += " " + line.strip()
    return "\n".join(" ".join(part.split()) for part in out)


def list_item(line: str) -> str | None:
    """The text of a list item line (``- a``, ``• a``, ``1. a``), or None."""
    marker = _MARKER.match(line)
    return line[marker.end() :].strip() if marker else None


def has_explicit_id(header: str) -> bool:
    """Whether a level header names an id (``Senior (L3)``, ``L3 - Senior``, ``P2``)
    rather than only words (``Senior``)."""
    level_id, title = level_header(header)
    return title is None or level_id != slug(title)


def join_items(items: list[str]) -> str:
    """The cell text of these expectations, one bullet each, each on one line:
    ``split_items`` of it gives as many items back, and the same ones when each is one
    line of plain words (see ``survives_cell``)."""
    return "\n".join(f"{BULLET} {one_line(item)}" for item in items)


def one_line(text: str) -> str:
    return " ".join(text.splitlines())


def survives_cell(text: str) -> bool:
    """Whether ``text`` comes back unchanged from a bulleted cell of any format."""
    return sheet_safe(text) == text and split_items(join_items([text])) == [text]


def sheet_safe(text: str) -> str:
    """``text`` with the characters a workbook cannot hold shown as U+FFFD."""
    return _UNSHEETABLE.sub("\ufffd", text)


def same_words(shown: str, exact: str) -> bool:
    """Whether a matrix shows ``exact``: spaces aside, and control characters shown as
    a workbook shows them (U+FFFD) or as an export escapes them (``\\x1b``)."""
    words = sheet_safe(exact).split()
    return sheet_safe(shown).split() == words or sheet_safe(unshown(shown)).split() == words


_SHOWN = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U(0[0-9a-fA-F]{7}))")


def unshown(text: str) -> str:
    """``text`` with the escapes an export writes for control and invisible characters
    (``\\x1b``, ``\\u202e``, ``\\U000e0041``) turned back into the characters."""

    def character(match: re.Match[str]) -> str:
        code = int(next(group for group in match.groups() if group), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _SHOWN.sub(character, text)


def slug(text: str, limit: int = 48) -> str:
    """An id from words: ``Ownership - Manager of One`` -> ``ownership-manager-of-one``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    words = words[:limit].rstrip("-")
    return words or "x"


def keeps_words(text: str) -> bool:
    """Whether ``slug(text)`` keeps every letter and digit of ``text``: not so for words
    in a script with no ASCII spelling (``Старший``, ``シニア``), whose slug is empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sum(c.isalnum() for c in ascii_text) >= sum(c.isalnum() for c in text) > 0


def word_id(text: str, fallback: str, limit: int = 48) -> str:
    """An id from ``text``'s words, or ``fallback`` when its words have no ASCII slug."""
    return slug(text, limit) if keeps_words(text) else fallback


def as_id(text: str) -> str:
    """``text`` itself when it is already an id, else its slug."""
    text = text.strip()
    return text if _ID.match(text) else slug(text)


def level_header(text: str) -> tuple[str, str | None]:
    """(id, title) from a level column header: ``Senior SRE (L3)`` -> (L3, Senior SRE),
    ``L3 - Senior SRE`` -> (L3, Senior SRE), ``P2`` -> (P2, None), ``Senior Engineer``
    -> (senior-engineer, Senior Engineer), ``Junior`` -> (junior, Junior)."""
    text = " ".join(clean(text).split())
    for pattern in (_TRAILING_ID, _LEADING_ID):
        match = pattern.match(text)
        if match:
            if _numbered(match["title"]) and not any(c.isdigit() for c in match["id"]):
                return level_header(match["title"])[0], match["id"]  # `Level 1 (Junior)`
            return match["id"], match["title"]
    if _ID.match(text) and len(text) <= 16 and any(c.isdigit() for c in text):
        return text, None  # an id already: P2, L3, IC4
    return slug(text), text


def _numbered(text: str) -> bool:
    """``Level 1``, ``Grade 3``, ``L2``, ``IC4``: a level's number, not its title."""
    return bool(_LEVEL_NUMBER.fullmatch(text))


_LEVEL_NUMBER = re.compile(
    r"(?:level|grade|band|tier|step|stage|rank)\s*\d{1,3}|[A-Za-z]{1,4}\s?\d{1,3}", re.IGNORECASE
)


def header_text(level_id: str, title: str | None) -> str:
    """The inverse of ``level_header``."""
    return f"{title} ({level_id})" if title else level_id


def unique(wanted: str, taken: set[str], reserved: Collection[str] = ()) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... whichever is in neither set;
    recorded in ``taken``."""
    candidate, n = wanted, 1
    while candidate in taken or candidate in reserved:
        n += 1
        candidate = f"{wanted[:60]}-{n}"
    taken.add(candidate)
    return candidate


def escape_formula(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading apostrophe before
    ``= + - @`` (OWASP's advice for CSV injection); an apostrophe already there is
    doubled so that ``unescape_formula`` is exact."""
    if text.startswith(FORMULA_STARTS) or text.startswith("'"):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """The inverse of ``escape_formula``: the apostrophe a spreadsheet shows as a
    text marker is dropped when a formula sign or another apostrophe follows it."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")):
        return text[1:]
    return text
