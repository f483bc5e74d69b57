"""A workbook looked over before openpyxl reads it: every XML part streamed once through
expat, holding nothing but counters, so that what would expand to gigabytes is
refused first, in one line, naming the limit.

What is checked: the zip directory (the unpacked size), that no part declares a DTD
or an entity (OOXML has none; a billion-laughs part is refused, not expanded), that
every part is whole XML (a torn part is named), and for each worksheet the cells,
rows and columns it fills and the ranges it merges; for every text (a shared string
or a cell's own) its length. What it finds (each sheet's filled area and merged
ranges) bounds the read-only pass that follows.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from sreladder.core.errors import SreladderError
from sreladder.io.importers.cells import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
)

MAX_UNPACKED_BYTES = 64 * 2**20  # a real ladder workbook unpacks to a few MiB
MAX_PART_CELLS = 1_000_000  # <c> elements of one sheet, filled or only formatted
MAX_MERGED_RANGES = 10_000
MAX_MERGED_CELLS = MAX_CELLS  # the cells all merged ranges of a sheet cover, together
_CHUNK = 1 << 20
_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAX_COLUMN_IN_EXCEL = 16_384
_MAX_ROW_IN_EXCEL = 1_048_576


@dataclass
class SheetArea:
    """What one worksheet fills: the last row and column with a value, the rows with
    one, and the ranges it merges (first row, first column, last row, last column)."""

    rows: int = 0
    columns: int = 0
    filled_rows: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class Scan:
    sheets: dict[str, SheetArea]  # sheet name -> what it fills


def _column(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _cell(ref: str) -> tuple[int, int] | None:
    """(row, column) of ``B12``; None for anything else."""
    match = _CELL_REF.match(ref.strip())
    if match is None:
        return None
    return int(match.group(2)), _column(match.group(1))


def column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_ref(title: str) -> str:
    """A sheet's name as a formula writes it: ``Ladder``, ``'SRE ladder'``."""
    return title if title.replace("_", "").isalnum() else "'" + title.replace("'", "''") + "'"


class _Refused(Exception):
    """Raised inside an expat handler: the message, without the parser's position;
    ``located`` when it starts with the sheet and cell (``Ladder!B4: ...``)."""

    def __init__(self, message: str, located: bool = False) -> None:
        super().__init__(message)
        self.located = located


def check_unpacked_size(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than ``MAX_UNPACKED_BYTES`` (a
    decompression bomb) from the zip directory alone, before any part is inflated."""
    total = 0
    for entry in archive.infolist():
        total += entry.file_size
        if total > MAX_UNPACKED_BYTES:
            raise SreladderError(
                f"{name}: {entry.filename} unpacks past {MAX_UNPACKED_BYTES // 2**20} MiB; "
                "a ladder workbook is far smaller (refusing a possible zip bomb)"
            )


def _parse_part(archive: zipfile.ZipFile, part: str, name: str, handlers: dict[str, Any]) -> None:
    """Stream one part through expat with ``handlers``; a DTD, an entity declaration,
    broken XML or a refusal from a handler is one clear error naming the part."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 65_536

    def no_dtd(*_: Any) -> None:
        raise _Refused("declares a DTD (a workbook's XML never has one; refusing it)")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.ExternalEntityRefHandler = no_dtd  # type: ignore[assignment]
    for event, handler in handlers.items():
        setattr(parser, event, handler)
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused as exc:
        raise SreladderError(f"{name}:{exc}" if exc.located else f"{name}: {part}: {exc}") from None
    except expat.ExpatError as exc:
        raise SreladderError(
            f"{name}: {part}: broken XML at line {exc.lineno}, column {exc.offset + 1} "
            f"({expat.errors.messages[exc.code]}); is the workbook whole?"
        ) from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as exc:
        raise SreladderError(f"{name}: {part}: cannot be unpacked ({exc})") from None


def _local(tag: str) -> str:
    return tag.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


class _SheetCounter:
    """The handlers for one worksheet part: counts as it goes, keeps nothing else."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.ref = sheet_ref(title)
        self.area = SheetArea()
        self.cells = 0
        self.row = 0  # the row being read
        self.column = 0  # the last cell's column in it
        self.cell: tuple[int, int] | None = None  # the open <c>, until it shows a value
        self.row_filled = False
        self.text = 0  # characters of the open <t> or <v>
        self.in_text = False
        self.merged_cells = 0

    def where(self, row: int, column: int) -> str:
        return f"{self.ref}!{column_letter(column)}{row}"

    def refuse(self, message: str) -> _Refused:
        return _Refused(message, located=True)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "row":
            self._end_row()
            given = attrs.get("r", "")
            self.row = int(given) if given.isdigit() else self.row + 1
            self.column = 0
            self._count()
        elif local == "c":
            self._count()
            place = _cell(attrs.get("r", ""))
            row, column = place if place else (self.row, self.column + 1)
            self.column = column
            self.cell = (row, column)
            self.text = 0
        elif local in ("v", "t", "f") and self.cell is not None:
            self._filled(*self.cell)
            self.cell = None
        if local in ("t", "v", "f"):
            self.in_text = True
        elif local == "mergeCell":
            self._merge(attrs.get("ref", ""))

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local in ("t", "v", "f"):
            self.in_text = False
        elif local == "c":
            self.cell = None
        elif local == "sheetData":
            self._end_row()

    def data(self, text: str) -> None:
        if self.in_text:
            self.text += len(text)
            if self.text > MAX_CELL_CHARS:
                row, column = self.row, self.column
                raise self.refuse(
                    f"{self.where(row, column)}: a cell of more than {MAX_CELL_CHARS:,} "
                    "characters; a ladder's cell holds a few sentences"
                )

    def _count(self) -> None:
        """Rows and cells as written, filled or only formatted."""
        self.cells += 1
        if self.cells > MAX_PART_CELLS:
            raise self.refuse(
                f"{self.ref}: more than {MAX_PART_CELLS:,} rows and cells (filled or "
                "formatted); is this the right sheet?"
            )

    def _end_row(self) -> None:
        if self.row_filled:
            self.area.filled_rows += 1
            self.row_filled = False
            if self.area.filled_rows > MAX_ROWS + 100:
                raise self.refuse(
                    f"{self.where(self.row, 1)}: more than {MAX_ROWS:,} rows; a ladder has "
                    "tens of dimensions (is this the right sheet?)"
                )

    def _filled(self, row: int, column: int) -> None:
        if column > MAX_COLUMNS or row > MAX_SHEET_ROWS:
            raise self.refuse(
                f"{self.where(row, column)}: a cell in row {row:,}, column {column:,}; a "
                f"ladder sheet has at most {MAX_COLUMNS} columns and {MAX_SHEET_ROWS:,} rows"
            )
        self.row_filled = True
        self.area.rows = max(self.area.rows, row)
        self.area.columns = max(self.area.columns, column)
        if self.area.rows * self.area.columns > MAX_CELLS:
            raise self.refuse(
                f"{self.where(row, column)}: the sheet's cells span {self.area.rows:,} rows x "
                f"{self.area.columns:,} columns; at most {MAX_CELLS:,} cells"
            )

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        start, end = _cell(first), _cell(last or first)
        if start is None or end is None:
            return  # openpyxl skips what it cannot read, and so do we
        top, bottom = sorted((start[0], end[0]))
        left, right = sorted((start[1], end[1]))
        self.area.merged.append((top, left, bottom, right))
        self.merged_cells += (bottom - top + 1) * (right - left + 1)
        if len(self.area.merged) > MAX_MERGED_RANGES:
            raise self.refuse(f"{self.ref}: more than {MAX_MERGED_RANGES:,} merged ranges")
        if self.merged_cells > MAX_MERGED_CELLS:
            raise self.refuse(
                f"{self.ref}!{ref}: merged ranges covering {self.merged_cells:,} cells; "
                f"at most {MAX_MERGED_CELLS:,} (a ladder merges a title or a few names)"
            )


class _TextCounter:
    """Handlers for any other part: the length of each text (shared strings)."""

    def __init__(self) -> None:
        self.text = 0
        self.in_text = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) in ("si", "is"):
            self.in_text, self.text = True, 0

    def end(self, tag: str) -> None:
        if _local(tag) in ("si", "is"):
            self.in_text = False

    def data(self, text: str) -> None:
        if self.in_text:
            self.text += len(text)
            if self.text > MAX_CELL_CHARS:
                raise _Refused(
                    f"a text of more than {MAX_CELL_CHARS:,} characters; a ladder's cell "
                    "holds a few sentences"
                )


def _sheet_parts(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Worksheet part -> sheet name, from the workbook and its relationships."""
    names = set(archive.namelist())
    book = "xl/workbook.xml"
    targets = _relationships(archive, "_rels/.rels", name)
    for kind, target in targets.values():
        if kind.endswith("/officeDocument"):
            book = target.lstrip("/")
    if book not in names:
        raise SreladderError(f"{name}: not an XLSX workbook (no {book} inside)")
    sheets: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))

    _parse_part(archive, book, name, {"StartElementHandler": start})
    folder = posixpath.dirname(book)
    rels = _relationships(
        archive, posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels"), name
    )
    out = {}
    for title, rid in sheets:
        if rid in rels:
            target = rels[rid][1]
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            out[part] = title
    return out


def _relationships(archive: zipfile.ZipFile, part: str, name: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target) of a relationships part (none if it is absent)."""
    if part not in archive.namelist():
        return {}
    found: dict[str, tuple[str, str]] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    _parse_part(archive, part, name, {"StartElementHandler": start})
    return found


def scan(path: Path, name: str) -> Scan:
    """Check the whole workbook against the limits, before openpyxl reads any of it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SreladderError(f"{name}: not a readable XLSX workbook ({exc})") from None
    with archive:
        check_unpacked_size(archive, name)
        sheet_parts = _sheet_parts(archive, name)
        sheets: dict[str, SheetArea] = {}
        for part in archive.namelist():
            if not _XML_PART.search(part):
                continue
            title = sheet_parts.get(part)
            counter: _SheetCounter | _TextCounter
            counter = _SheetCounter(title) if title is not None else _TextCounter()
            _parse_part(
                archive,
                part,
                name,
                {
                    "StartElementHandler": counter.start,
                    "EndElementHandler": counter.end,
                    "CharacterDataHandler": counter.data,
                },
            )
            if isinstance(counter, _SheetCounter):
                sheets[counter.title] = counter.area
    return Scan(sheets)
