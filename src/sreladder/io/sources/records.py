"""Rows and records: CSV (comma, semicolon or tab, whichever the header uses) and
JSON (a list of objects, an object holding one such list, or JSON Lines), each with
the line it starts on. Every reader of an export reads through here, and so do the
readers of plain CSV and JSON lists (columns or keys named ``text``, ``title``,
``link``, ``date``, ...)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from sreladder.io.sources.base import (
    MAX_BYTES,
    Entry,
    EvidenceSourceError,
    NoKnownFields,
    Options,
    Source,
    make_item,
    skip,
)
from sreladder.io.sources.dates import parse_timestamp


def normal_key(key: object) -> str:
    """A column or key as compared: lower case, without spaces, hyphens, underscores
    or a byte-order mark (``Issue key``, ``issue_key`` and ``IssueKey`` are one)."""
    return re.sub(r"[\s\-_\ufeff]+", "", str(key).strip().lower())


class Record:
    """One row or object, its fields found by normal key. A CSV header may repeat a
    column (Jira writes ``Labels`` once per label): the first non-empty one wins."""

    __slots__ = ("fields", "line")

    def __init__(self, pairs: Iterable[tuple[object, Any]], line: int) -> None:
        self.line = line
        self.fields: dict[str, Any] = {}
        for key, value in pairs:
            name = normal_key(key)
            if name not in self.fields or _empty(self.fields[name]):
                self.fields[name] = value

    def get(self, *names: str) -> Any:
        """The first of ``names`` (normal keys) that has a value."""
        for name in names:
            value = self.fields.get(name)
            if not _empty(value):
                return value
        return None

    def text(self, *names: str) -> str | None:
        value = self.get(*names)
        if value is None or isinstance(value, dict | list):
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def has(self, *names: str) -> bool:
        return any(name in self.fields for name in names)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def flag(value: str | None) -> bool:
    """A yes/no cell: true, yes, 1, y (any case)."""
    return value is not None and value.strip().lower() in ("true", "yes", "1", "y", "t")


# --- CSV -------------------------------------------------------------------------------


def delimiter(text: str) -> str:
    """The header line's most frequent of comma, semicolon (a spreadsheet saved in a
    locale with decimal commas) and tab."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def csv_header(text: str) -> list[str]:
    """The first row's cells (normal keys), for telling exports apart."""
    csv.field_size_limit(MAX_BYTES)
    try:
        row = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text)), [])
    except csv.Error:
        return []
    return [normal_key(cell) for cell in row]


def csv_records(source: Source) -> tuple[list[str], Iterator[Record]]:
    """(the header as written, the records in file order, each with its first line).
    Blank rows are left out. Records end at ``\\n``, ``\\r\\n`` or ``\\r`` only (a
    U+2028 inside a cell is text)."""
    text = source.text
    csv.field_size_limit(MAX_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise EvidenceSourceError(f"{source.name}:1: not valid CSV: {exc}") from None
    if header is None:
        return [], iter(())
    names = [h.strip().lstrip("\ufeff") for h in header]

    def rows() -> Iterator[Record]:
        start = reader.line_num + 1
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield Record(zip(names, row, strict=False), start)
                start = reader.line_num + 1
        except csv.Error as exc:
            raise EvidenceSourceError(
                f"{source.name}:{reader.line_num}: not valid CSV: {exc}"
            ) from None

    return names, rows()


# --- JSON ------------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\r\n]*")


def json_records(source: Source) -> list[Record]:
    """The objects of a JSON source, each with the line it starts on (read once per
    source: the format is told from its keys, then read)."""
    cached = source.cache.get("json")
    if cached is None:
        cached = source.cache["json"] = list(_json_records(source.text, source.name))
    return cached


def _json_records(text: str, name: str) -> Iterator[Record]:
    stripped = text.lstrip()
    if not stripped:
        return
    offset = len(text) - len(stripped)
    decoder = json.JSONDecoder()
    if stripped[0] == "{" and "\n" in stripped.strip():
        first_line = stripped.split("\n", 1)[0].strip()
        if first_line.endswith("}"):
            yield from _json_lines(text, name, decoder)
            return
    if stripped[0] == "{":
        value = _decode(decoder, text, offset, name)[0]
        lists = (
            [v for v in value.values() if isinstance(v, list)] if isinstance(value, dict) else []
        )
        if len(lists) != 1:
            raise EvidenceSourceError(
                f"{name}:1: expected a JSON list of objects (or an object holding one list)"
            )
        for position, element in enumerate(lists[0]):
            yield _json_element(element, name, 1, position)
        return
    if stripped[0] != "[":
        raise EvidenceSourceError(
            f"{name}:{_line_at(text, offset)}: expected a JSON list of objects"
        )
    index = offset + 1
    position = 0
    while True:
        index = _skip_space(text, index)
        if index < len(text) and text[index] == "]":
            break
        value, end = _decode(decoder, text, index, name)
        yield _json_element(value, name, _line_at(text, index), position)
        position += 1
        index = _skip_space(text, end)
        if index < len(text) and text[index] == ",":
            index += 1
            continue
        if index < len(text) and text[index] == "]":
            break
        raise EvidenceSourceError(
            f"{name}:{_line_at(text, index)}: not valid JSON: expected , or ]"
        )
    if text[index + 1 :].strip():
        raise EvidenceSourceError(f"{name}:{_line_at(text, index + 1)}: not valid JSON: extra data")


def _skip_space(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    return match.end() if match else index


def _json_lines(text: str, name: str, decoder: json.JSONDecoder) -> Iterator[Record]:
    for number, raw in enumerate(text.split("\n"), start=1):
        if raw.strip():
            try:
                value = decoder.decode(raw)
            except (ValueError, RecursionError) as exc:  # ValueError: 4,300+ digits too
                message = getattr(exc, "msg", "nested too deeply or a number too long")
                raise EvidenceSourceError(f"{name}:{number}: not valid JSON: {message}") from None
            yield _json_element(value, name, number, number - 1)


def _json_element(value: Any, name: str, line: int, position: int) -> Record:
    if not isinstance(value, dict):
        raise EvidenceSourceError(f"{name}:{line}: item {position + 1} is not a JSON object")
    return Record(value.items(), line)


def _decode(decoder: json.JSONDecoder, text: str, index: int, name: str) -> tuple[Any, int]:
    try:
        return decoder.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        raise EvidenceSourceError(
            f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
        ) from None
    except ValueError:  # int() refuses 4,300+ digits
        raise EvidenceSourceError(
            f"{name}:{_line_at(text, index)}: a number too long to read"
        ) from None
    except RecursionError:
        raise EvidenceSourceError(
            f"{name}:{_line_at(text, index)}: JSON nested too deeply"
        ) from None


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def looks_like_json(source: Source) -> bool:
    """Whether the source parses as JSON (or JSON Lines)."""
    try:
        json_records(source)
    except EvidenceSourceError:
        return False
    return True


# --- plain CSV and JSON lists: the columns or keys by name ---------------------------------

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
    "message",
    "body",
    "notes",
    "details",
)
DETAIL_KEYS = ("body", "description", "details", "notes", "impact", "summary")
LINK_KEYS = ("link", "url", "htmlurl", "href", "permalink", "weburl", "pr", "ticket")
DATE_KEYS = (
    "date",
    "mergedat",
    "merged",
    "closedat",
    "completedat",
    "resolved",
    "resolvedat",
    "createdat",
    "created",
    "when",
    "day",
    "updatedat",
    "updated",
    "period",
    "quarter",
)


def looked_for() -> str:
    return ", ".join(TEXT_KEYS[:8]) + ", ..."


def read_plain_csv(source: Source, options: Options) -> Iterator[Entry]:
    names, rows = csv_records(source)
    if not names:
        return
    keys = {normal_key(n) for n in names}
    if not keys.intersection(TEXT_KEYS):
        raise NoKnownFields(
            f"{source.name}:1: no text column in the header (looked for: {looked_for()}; "
            "or a Jira, PagerDuty or Opsgenie export's columns)"
        )
    for record in rows:
        yield _plain(record, source, "csv")


def read_plain_json(source: Source, options: Options) -> Iterator[Entry]:
    records = json_records(source)
    if records and not any(set(r.fields).intersection(TEXT_KEYS) for r in records):
        keys = sorted({k for r in records[:20] for k in r.fields})[:8]
        raise NoKnownFields(
            f"{source.name}:{records[0].line}: no known field in its objects (looked for: "
            f"{looked_for()}; or `gh pr list --json title,...` fields); it has: "
            f"{', '.join(keys) or 'none'}"
        )
    for record in records:
        yield _plain(record, source, "json")


def _plain(record: Record, source: Source, kind: str) -> Entry:
    text_key = next((k for k in TEXT_KEYS if not _empty(record.fields.get(k))), None)
    text = record.text(text_key) if text_key else None
    detail_key = next(
        (k for k in DETAIL_KEYS if k != text_key and not _empty(record.fields.get(k))), None
    )
    detail = record.text(detail_key) if detail_key else None
    item = make_item(
        text,
        source,
        record.line,
        kind,
        date=parse_timestamp(record.text(*DATE_KEYS)),
        link=record.text(*LINK_KEYS),
        detail=detail or "",
    )
    return item if item is not None else skip(source, record.line, "", "no text")
