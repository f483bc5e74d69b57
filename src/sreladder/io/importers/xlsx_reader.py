"""XLSX workbooks, read with openpyxl: formulas stay the text of the formula (never
evaluated), merged cells give their text to every cell they cover, each sheet with a
header row of levels is a role (``--sheet`` picks one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sreladder.core.cell_text import has_explicit_id
from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedLadder, ImportedRole
from sreladder.io.importers.cells import MAX_COLUMNS, MAX_ROWS, GridCell, NoHeaderError
from sreladder.io.importers.grid import read_grid

MAX_SCANNED_ROWS = 200_000
MAX_UNPACKED_BYTES = 64 * 2**20  # a real ladder workbook unpacks to a few MiB
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def check_magic(head: bytes, name: str) -> None:
    if head.startswith(_OLE_MAGIC):
        raise SreladderError(
            f"{name}: a password-protected workbook or an old .xls file: save it as .xlsx "
            "without a password (or export it as CSV) and import that"
        )
    if not head.startswith(_ZIP_MAGIC):
        raise SreladderError(f"{name}: not an XLSX workbook (it is not a zip archive)")


def check_unpacked_size(path: Path, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than ``MAX_UNPACKED_BYTES`` (a
    decompression bomb) from the zip directory alone, before any part is inflated."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SreladderError(f"{name}: not a readable XLSX workbook ({exc})") from None
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_UNPACKED_BYTES:
            raise SreladderError(
                f"{name}: {entry.filename} unpacks past {MAX_UNPACKED_BYTES // 2**20} MiB; "
                "a ladder workbook is far smaller (refusing a possible zip bomb)"
            )


def _open(path: Path, name: str, read_only: bool) -> Any:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            return openpyxl.load_workbook(path, read_only=read_only, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError, lxml...
        raise SreladderError(
            f"{name}: not a readable XLSX workbook ({type(exc).__name__}: {exc})"
        ) from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _sheet_ref(title: str) -> str:
    return title if title.replace("_", "").isalnum() else "'" + title.replace("'", "''") + "'"


def _stream_check(sheet: Any, where: str) -> None:
    """Refuse a sheet with too many filled rows before loading it whole."""
    filled = 0
    for number, values in enumerate(
        sheet.iter_rows(min_row=1, min_col=1, max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        if number > MAX_SCANNED_ROWS:
            raise SreladderError(
                f"{where}!A{number}: more than {MAX_SCANNED_ROWS:,} rows (filled or formatted); "
                "is this the right sheet?"
            )
        if any(value not in (None, "") for value in values):
            filled += 1
            if filled > MAX_ROWS + 100:
                raise SreladderError(
                    f"{where}!A{number}: more than {MAX_ROWS:,} rows; a ladder has tens of "
                    "dimensions (is this the right sheet?)"
                )


def _rows(sheet: Any, name: str) -> list[list[GridCell]]:
    from openpyxl.utils import get_column_letter

    ref = _sheet_ref(sheet.title)
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for block in sheet.merged_cells.ranges:
        for row in range(block.min_row, block.max_row + 1):
            for col in range(block.min_col, block.max_col + 1):
                merged[(row, col)] = (block.min_row, block.min_col)
    rows = []
    max_col = min(sheet.max_column or 1, MAX_COLUMNS)
    for number, values in enumerate(
        sheet.iter_rows(min_row=1, min_col=1, max_col=max_col, values_only=True), start=1
    ):
        row = []
        for col, value in enumerate(values, start=1):
            origin = merged.get((number, col))
            copy = origin is not None and origin != (number, col)
            if copy:
                value = sheet.cell(*origin).value  # type: ignore[misc]
            where = f"{name}:{ref}!{get_column_letter(col)}{number}"
            row.append(GridCell(_text(value), where, copy=copy))
        rows.append(row)
    return rows


def read_xlsx(
    path: Path, name: str, stem: str, sheet: str | None, transpose: bool
) -> ImportedLadder:
    check_unpacked_size(path, name)
    streamed = _open(path, name, read_only=True)
    try:
        titles = streamed.sheetnames
        chosen = _chosen(titles, sheet, name)
        for title in chosen:
            _stream_check(streamed[title], f"{name}:{_sheet_ref(title)}")
    finally:
        streamed.close()
    book = _open(path, name, read_only=False)
    roles: list[ImportedRole] = []
    first_error: SreladderError | None = None
    for title in chosen:
        worksheet = book[title]
        if sheet is None and worksheet.sheet_state != "visible":
            continue
        where = f"{name}:{_sheet_ref(title)}"
        try:
            role = read_grid(_rows(worksheet, name), where=where, name=None, transpose=transpose)
        except NoHeaderError as exc:
            if sheet is not None:
                raise
            first_error = first_error or exc
            continue
        if role.name == where:
            role.name = title if len(chosen) > 1 else stem
        roles.append(role)
    if not roles:
        raise first_error or SreladderError(f"{name}: no sheet holds a ladder")
    return ImportedLadder(kind="xlsx", source=stem, roles=_likeliest(roles))


def _likeliest(roles: list[ImportedRole]) -> list[ImportedRole]:
    """Of several sheets that look like tables, those whose headers name level ids
    (`Senior (L3)`) when some do: a changelog or a glossary sheet is not a ladder."""
    with_ids = [r for r in roles if any(has_explicit_id(lv.header or lv.id) for lv in r.levels)]
    return with_ids or roles


def _chosen(titles: list[str], sheet: str | None, name: str) -> list[str]:
    if sheet is None:
        return titles
    matches = [t for t in titles if t == sheet] or [
        t for t in titles if t.casefold() == sheet.casefold()
    ]
    if not matches:
        raise SreladderError(f"{name}: no sheet named {sheet!r} (sheets: {', '.join(titles)})")
    return matches[:1]
