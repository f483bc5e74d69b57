"""Reading evidence sources: brag documents (Markdown), plain text, CSV and JSON.

Each reader turns a file into :class:`~sreladder.core.evidence.EvidenceItem` values in
file order, each with its 1-based line. The format comes from the suffix (``.md``
``.markdown``; ``.txt``; ``.csv`` ``.tsv``; ``.json`` ``.jsonl``), else from the text
(``[`` or ``{`` first: JSON; else Markdown, which reads plain lines too).

* Markdown: headings give context (outermost first) and a date (``Q3 2026`` over a
  list dates its bullets), and so does a bold line or a ``Label:`` line right above a
  list; bullets (also ``•``, ``◦``, ``–`` from pasted documents) and nested bullets are
  items (a lazy continuation line joins its bullet); paragraphs are items too; table
  rows are items (cells joined); fenced code, HTML comments and front matter are
  skipped. ``[text](url)`` becomes ``text`` with its url as the item's link; a bare URL
  is the link when there is none.
* Plain text: one item per non-blank line (a leading bullet or number is dropped).
* CSV (comma, semicolon or tab: whichever the header uses): the header names the
  columns: text (``text``, ``title``, ``description``, ``summary``, ...), link (``link``,
  ``url``), date (``date``, ``merged_at``, ...).
* JSON: a list of objects, e.g. ``gh pr list --json title,body,url,mergedAt``; an
  object holding one such list; or JSON Lines. ``body`` is read for matching only.

Refused, with one line naming ``file[:line]``: unreadable files, files over
``MAX_BYTES``, binary or non-UTF-8 text, JSON that is not a list of objects, and more
than ``MAX_ITEMS`` items in all. Every failure is an :class:`EvidenceSourceError`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sreladder.core.errors import SreladderError
from sreladder.core.evidence import EvidenceItem
from sreladder.io import yamlio

MAX_BYTES = 8 * 1024 * 1024
MAX_ITEMS = 20_000
MAX_TEXT = 2_000  # characters of one item's text kept


class EvidenceSourceError(SreladderError):
    """A source could not be read; the message starts with ``file[:line]:``."""


# --- dates ------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")),
    (
        "mdy",
        re.compile(_MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    ),
    (
        "dmy",
        re.compile(
            r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I
        ),
    ),
    ("ym", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)\b(?!-\d)")),
    ("my", re.compile(r"\b" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
    (
        "q",
        re.compile(
            r"\b(?:Q(?P<q>[1-4])\s*[-/ ]?\s*(?P<y>(?:19|20)\d\d)"
            r"|(?P<y2>(?:19|20)\d\d)\s*[-/ ]?\s*Q(?P<q2>[1-4]))\b",
            re.I,
        ),
    ),
    ("fy", re.compile(r"\bFY\s?'?(?P<y>(?:19|20)?\d\d)\b", re.I)),
]


@functools.lru_cache(maxsize=4096)  # headings repeat for every item under them
def find_date(text: str) -> str | None:
    """The first date in ``text`` as precise as written: ``2026-03-14``, ``2026-03``,
    ``2026-Q3`` or ``FY2026``; None if there is none (or it is not a real day)."""
    if not _HAS_DIGIT.search(text):  # every form has a year
        return None
    best: tuple[int, str] | None = None
    for kind, pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        value = _date_value(kind, match)
        if value and (best is None or match.start() < best[0]):
            best = (match.start(), value)
    return best[1] if best else None


_HAS_DIGIT = re.compile(r"\d")
_HEADING_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\b(?![-/.]\d)")


def heading_date(heading: str) -> str | None:
    """A heading's date: any date ``find_date`` sees, or a year it starts with
    (``## 2025``, ``2025 — platform team``)."""
    found = find_date(heading)
    if found:
        return found
    year = _HEADING_YEAR.match(heading)
    return year.group(1) if year else None


def _date_value(kind: str, match: re.Match) -> str | None:
    import datetime as dt

    groups = match.groupdict()
    if kind == "fy":  # two digits as POSIX strptime reads %y: 69-99 are 19xx, 00-68 20xx
        year = groups["y"]
        century = "19" if len(year) == 2 and int(year) >= 69 else "20"
        return f"FY{century + year if len(year) == 2 else year}"
    if kind == "q":
        return f"{groups['y'] or groups['y2']}-Q{groups['q'] or groups['q2']}"
    year = int(groups["y"])
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["month"].lower()]
    if not 1 <= month <= 12:
        return None
    if kind in ("ym", "my"):
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, int(groups["d"])).isoformat()
    except ValueError:
        return None


# --- links -------------------------------------------------------------------------

# A link destination as CommonMark reads it: <...>, or text whose parentheses balance
# (one level: `/wiki/Foo_(bar)`); never a control character.
_MD_LINK = re.compile(
    r"!?\[(?P<text>[^\]\n]{0,500})\]\("
    r"(?:<(?P<angle>[^<>\n\x00-\x1f\x7f]{1,2000})>"
    r"|(?P<url>(?:[^()\s\x00-\x1f\x7f]|\([^()\s\x00-\x1f\x7f]*\)){1,2000}))"
    r"(?:\s+\"[^\"]*\")?\)"
)
_BARE_URL = re.compile(
    r"\b(?:https?://|www\.)(?:[^\s<>()\[\]\x00-\x1f\x7f-\x9f]|\([^\s<>()\x00-\x1f]*\)){1,2000}",
    re.I,
)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]{1,2000})>", re.I)


def split_links(text: str) -> tuple[str, str | None]:
    """``text`` with Markdown links reduced to their text, and the first link's url
    (a Markdown link's, else an autolink's or a bare URL's)."""
    first: list[str] = []

    def keep_text(match: re.Match) -> str:
        first.append(match.group("url") or match.group("angle"))
        return match.group("text")

    text = _MD_LINK.sub(keep_text, text)
    text = _AUTOLINK.sub(lambda m: first.append(m.group("url")) or m.group("url"), text)
    if not first:
        bare = _BARE_URL.search(text)
        if bare:
            first.append(bare.group().rstrip(".,;:!?'\""))
    return text, (first[0] if first else None)


# --- reading files -------------------------------------------------------------------


def read_sources(paths: Iterable[Path], max_items: int = MAX_ITEMS) -> list[EvidenceItem]:
    """The items of every source, in the order given, each file in file order. A file
    named twice (or through a link) is read once."""
    items: list[EvidenceItem] = []
    seen: set[Path] = set()
    for path in paths:
        try:
            same = Path(path).resolve()
        except (OSError, RuntimeError):
            same = Path(path)
        if same in seen:
            continue
        seen.add(same)
        for item in read_source(Path(path)):
            items.append(item)
            if len(items) > max_items:
                raise EvidenceSourceError(
                    f"{item.file}:{item.line}: more than {max_items:,} evidence items; "
                    "split the document or pass fewer files"
                )
    return items


def read_source(path: Path) -> Iterator[EvidenceItem]:
    display = str(path)
    text = _read_text(path, display)
    kind = _kind(path, text)
    if kind == "json":
        return iter(list(_json_items(text, display)))
    if kind == "csv":  # records end at \n, \r\n or \r only (U+2028 is text in a cell)
        return _csv_items(text, display, _delimiter(text))
    text = yamlio.unix_lines(text)  # \r, NEL, U+2028 end a line as \n does
    if kind == "text":
        return _text_items(text, display)
    return _markdown_items(text, display)


def _read_text(path: Path, display: str) -> str:
    try:
        data = yamlio.read_bytes(path, MAX_BYTES)
    except yamlio.YamlError as exc:
        raise EvidenceSourceError(f"{display}: {exc.message}") from None
    try:
        return yamlio.decode(data)
    except yamlio.YamlError as exc:
        raise EvidenceSourceError(f"{display}:{exc.line}: {exc.message}") from None


def _kind(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".txt", ".text"):
        return "text"
    if suffix in (".md", ".markdown", ".mdown"):
        return "markdown"
    return "json" if text.lstrip()[:1] in ("[", "{") else "markdown"


def _item(
    text: str,
    display: str,
    line: int,
    context: tuple[str, ...] = (),
    date: str | None = None,
    link: str | None = None,
    detail: str = "",
) -> EvidenceItem | None:
    text, found_link = split_links(" ".join(text.split()))
    text = text.strip()[:MAX_TEXT]
    if not text:
        return None
    return EvidenceItem(
        text=text,
        file=display,
        line=line,
        date=find_date(text) or date,
        link=link or found_link,
        context=context,
        detail=detail[:MAX_TEXT],
    )


# --- Markdown and plain text ---------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
# - * + and 1. 1) as Markdown has them; • ◦ ▪ ‣ – as documents pasted from elsewhere do
_BULLET = re.compile(r"^(\s*)(?:[-*+•◦▪‣–]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_PSEUDO_HEADING = re.compile(
    r"^\s*(?:\*\*(?P<bold>[^*]+)\*\*|__(?P<under>[^_]+)__|(?P<colon>[^:]{1,80}):)\s*$"
)
PSEUDO_LEVEL = 7  # a bold line or a "Q1 2026:" line over a list: below every real heading
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_EMPHASIS = re.compile(r"(\*\*|__|~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")


def _clean_heading(text: str) -> str:
    return _EMPHASIS.sub("", split_links(text)[0]).strip()


def _markdown_items(text: str, display: str) -> Iterator[EvidenceItem]:
    lines = text.split("\n")
    headings: list[tuple[int, str]] = []  # (level, text)
    pending: tuple[int, int, list[str]] | None = None  # (line, indent, parts)
    in_fence = in_comment = False
    start = _front_matter_end(lines)

    def flush() -> EvidenceItem | None:
        nonlocal pending
        if pending is None:
            return None
        line, _, parts = pending
        pending = None
        context = tuple(h for _, h in headings)
        date = next((d for d in map(heading_date, reversed(context)) if d), None)
        return _item(_EMPHASIS.sub("", " ".join(parts)), display, line, context, date)

    skip_underline = False
    for index in range(start, len(lines)):
        raw = lines[index].rstrip("\r")
        number = index + 1
        if skip_underline:
            skip_underline = False
            continue
        if _FENCE.match(raw):
            if item := flush():
                yield item
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if in_comment or raw.lstrip().startswith("<!--"):
            in_comment = "-->" not in raw
            continue
        nxt = lines[index + 1].rstrip("\r") if index + 1 < len(lines) else ""
        heading = _HEADING.match(raw)
        setext = (
            heading is None
            and pending is None
            and bool(raw.strip())
            and not _BULLET.match(raw)
            and not raw.lstrip().startswith("|")
            and bool(_SETEXT.match(nxt))
        )
        if heading or setext:
            if item := flush():
                yield item
            if heading:
                level, title = len(heading.group(1)), heading.group(2)
            else:
                level, title = (1 if nxt.strip()[0] == "=" else 2), raw
                skip_underline = True
            headings = [h for h in headings if h[0] < level]
            if title := _clean_heading(title):
                headings.append((level, title))
            continue
        if not raw.strip() or _RULE.match(raw):
            if item := flush():
                yield item
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            if item := flush():
                yield item
            pending = (number, len(bullet.group(1)), [bullet.group(2)])
            continue
        if raw.lstrip().startswith("|"):
            if item := flush():
                yield item
            if not _TABLE_RULE.match(raw) and not _TABLE_RULE.match(nxt):
                cells = [c.strip() for c in raw.strip().strip("|").split("|")]
                context = tuple(h for _, h in headings)
                if item := _item(" — ".join(c for c in cells if c), display, number, context):
                    yield item
            continue
        pseudo = _PSEUDO_HEADING.match(raw)
        if pseudo and _BULLET.match(nxt):
            if item := flush():
                yield item
            title = _clean_heading(next(g for g in pseudo.groups() if g))
            headings = [h for h in headings if h[0] < PSEUDO_LEVEL]
            if title:
                headings.append((PSEUDO_LEVEL, title))
            continue
        if pending is not None:
            pending[2].append(raw.strip())  # a continuation of the bullet or paragraph
            continue
        pending = (number, 0, [raw.strip().lstrip(">").strip()])
    if item := flush():
        yield item


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for index in range(1, min(len(lines), 200)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


def _text_items(text: str, display: str) -> Iterator[EvidenceItem]:
    for index, raw in enumerate(text.split("\n")):
        bullet = _BULLET.match(raw)
        content = bullet.group(2) if bullet else raw
        if item := _item(content, display, index + 1):
            yield item


# --- CSV -------------------------------------------------------------------------------

TEXT_KEYS = (
    "text",
    "title",
    "summary",
    "description",
    "item",
    "accomplishment",
    "achievement",
    "evidence",
    "what",
    "name",
    "subject",
    "body",
    "notes",
    "details",
)
DETAIL_KEYS = ("body", "description", "details", "notes", "impact", "summary")
LINK_KEYS = ("link", "url", "html_url", "href", "permalink", "web_url", "pr", "ticket")
DATE_KEYS = (
    "date",
    "mergedat",
    "merged_at",
    "merged",
    "closedat",
    "closed_at",
    "completedat",
    "completed_at",
    "createdat",
    "created_at",
    "when",
    "day",
    "updatedat",
    "updated_at",
    "period",
    "quarter",
)


def _normal_key(key: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(key).strip().lower())


def _pick(keys: Iterable[str], wanted: tuple[str, ...]) -> str | None:
    by_normal = {_normal_key(k): k for k in keys}
    for name in wanted:
        if name in by_normal:
            return by_normal[name]
        if name.replace("_", "") in by_normal:
            return by_normal[name.replace("_", "")]
    return None


def _record_item(record: dict[str, Any], display: str, line: int) -> EvidenceItem | None:
    keys = [k for k in record if isinstance(k, str)]
    text_key = _pick(keys, TEXT_KEYS)
    if text_key is None:
        return None
    detail_key = _pick([k for k in keys if k != text_key], DETAIL_KEYS)
    link_key = _pick(keys, LINK_KEYS)
    date_key = _pick(keys, DATE_KEYS)
    link = _scalar(record.get(link_key)) if link_key else None
    raw_date = _scalar(record.get(date_key)) if date_key else None
    text = _scalar(record.get(text_key)) or ""
    detail = _scalar(record.get(detail_key)) or "" if detail_key else ""
    if not text.strip() and detail.strip():  # an empty title with a body: the body speaks
        text, detail = detail, ""
    return _item(
        text,
        display,
        line,
        date=find_date(raw_date) if raw_date else None,
        link=link.strip() if link and link.strip() else None,
        detail=detail,
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _scalar(value: Any) -> str | None:
    """A JSON or CSV value as text; a lone surrogate (a JSON ``\\ud800``) becomes U+FFFD."""
    if value is None or isinstance(value, dict | list):
        return None
    return _LONE_SURROGATE.sub("\ufffd", str(value))


def _delimiter(text: str) -> str:
    """The header line's most frequent of comma, semicolon (a spreadsheet saved in a
    locale with decimal commas) and tab."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _csv_items(text: str, display: str, delimiter: str) -> Iterator[EvidenceItem]:
    csv.field_size_limit(MAX_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip() for h in header]
        if _pick(names, TEXT_KEYS) is None:
            raise EvidenceSourceError(
                f"{display}:1: no text column in the header "
                f"(one of: {', '.join(TEXT_KEYS[:6])}, ...)"
            )
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                record = dict(zip(names, row, strict=False))
                if item := _record_item(record, display, start):
                    yield item
            start = reader.line_num + 1
    except csv.Error as exc:
        raise EvidenceSourceError(f"{display}:{reader.line_num}: not valid CSV: {exc}") from None


# --- JSON ------------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\r\n]*")


def _json_items(text: str, display: str) -> Iterator[EvidenceItem]:
    stripped = text.lstrip()
    if not stripped:
        return
    offset = len(text) - len(stripped)
    decoder = json.JSONDecoder()
    if stripped[0] == "{" and "\n" in stripped.strip():
        first_line = stripped.split("\n", 1)[0].strip()
        if first_line.endswith("}"):
            yield from _json_lines(text, display, decoder)
            return
    if stripped[0] == "{":
        value = _decode(decoder, text, offset, display)[0]
        lists = (
            [v for v in value.values() if isinstance(v, list)] if isinstance(value, dict) else []
        )
        if len(lists) != 1:
            raise EvidenceSourceError(
                f"{display}:1: expected a JSON list of objects (or an object holding one list)"
            )
        for position, element in enumerate(lists[0]):
            yield from _json_element(element, display, 1, position)
        return
    if stripped[0] != "[":
        raise EvidenceSourceError(
            f"{display}:{_line_at(text, offset)}: expected a JSON list of objects"
        )
    index = offset + 1
    position = 0
    while True:
        index = _SPACE.match(text, index).end()
        if index < len(text) and text[index] == "]":
            break
        value, end = _decode(decoder, text, index, display)
        yield from _json_element(value, display, _line_at(text, index), position)
        position += 1
        index = _SPACE.match(text, end).end()
        if index < len(text) and text[index] == ",":
            index += 1
            continue
        if index < len(text) and text[index] == "]":
            break
        raise EvidenceSourceError(
            f"{display}:{_line_at(text, index)}: not valid JSON: expected , or ]"
        )
    rest = text[index + 1 :].strip()
    if rest:
        raise EvidenceSourceError(
            f"{display}:{_line_at(text, index + 1)}: not valid JSON: extra data"
        )


def _json_lines(text: str, display: str, decoder: json.JSONDecoder) -> Iterator[EvidenceItem]:
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            try:
                value = decoder.decode(raw)
            except (ValueError, RecursionError) as exc:  # ValueError: 4,300+ digits too
                message = getattr(exc, "msg", "nested too deeply or a number too long")
                raise EvidenceSourceError(
                    f"{display}:{number}: not valid JSON: {message}"
                ) from None
            yield from _json_element(value, display, number, number - 1)


def _json_element(value: Any, display: str, line: int, position: int) -> Iterator[EvidenceItem]:
    if not isinstance(value, dict):
        raise EvidenceSourceError(f"{display}:{line}: item {position + 1} is not a JSON object")
    item = _record_item(value, display, line)
    if item is not None:
        yield item


def _decode(decoder: json.JSONDecoder, text: str, index: int, display: str) -> tuple[Any, int]:
    try:
        return decoder.raw_decode(text, index)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):  # int() refuses 4,300+ digits
            raise EvidenceSourceError(
                f"{display}:{_line_at(text, index)}: a number too long to read"
            ) from None
        raise EvidenceSourceError(
            f"{display}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
        ) from None
    except json.JSONDecodeError as exc:
        raise EvidenceSourceError(
            f"{display}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise EvidenceSourceError(
            f"{display}:{_line_at(text, index)}: JSON nested too deeply"
        ) from None


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
