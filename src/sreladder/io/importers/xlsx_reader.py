"""XLSX workbooks, read with openpyxl in read-only mode once ``xlsx_scan`` has checked
the limits: formulas stay the text of the formula (never evaluated), merged cells give
their text to every cell they cover, each sheet with a header row of levels is a role
(``--sheet`` picks one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sreladder.core.cell_text import has_explicit_id
from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedLadder, ImportedRole
from sreladder.io.importers.cells import GridCell, NoHeaderError
from sreladder.io.importers.grid import read_grid
from sreladder.io.importers.xlsx_scan import SheetArea, column_letter, scan, sheet_ref

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


def _unreadable(name: str, exc: Exception) -> SreladderError:
    return SreladderError(f"{name}: not a readable XLSX workbook ({type(exc).__name__}: {exc})")


def _open(path: Path, name: str) -> Any:
    """The workbook in openpyxl's read-only mode: rows are streamed from the file,
    never all held at once."""
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError, XML errors...
        raise _unreadable(name, exc) from None


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


def _rows(sheet: Any, area: SheetArea, name: str) -> list[list[GridCell]]:
    """The sheet's filled area as cells, read in one bounded pass; a merged range gives
    its first cell's text to the others it covers (inside the filled area: past it
    there is nothing to copy it beside)."""
    if not area.rows or not area.columns:
        return []  # (openpyxl reads a bound of 0 as no bound)
    ref = sheet_ref(sheet.title)
    values = [
        list(row)
        for row in sheet.iter_rows(
            min_row=1, max_row=area.rows, min_col=1, max_col=area.columns, values_only=True
        )
    ]
    values += [[None] * area.columns for _ in range(area.rows - len(values))]
    copies: dict[tuple[int, int], tuple[int, int]] = {}
    for top, left, bottom, right in area.merged:
        if top > area.rows or left > area.columns:
            continue
        for number in range(top, min(bottom, area.rows) + 1):
            for column in range(left, min(right, area.columns) + 1):
                if (number, column) != (top, left):
                    copies[(number, column)] = (top, left)
    rows: list[list[GridCell]] = []
    for number, row_values in enumerate(values, start=1):
        row: list[GridCell] = []
        for column, value in enumerate(row_values, start=1):
            origin = copies.get((number, column))
            if origin is not None:
                value = values[origin[0] - 1][origin[1] - 1]
            where = f"{name}:{ref}!{column_letter(column)}{number}"
            row.append(GridCell(_text(value), where, copy=origin is not None))
        rows.append(row)
    return rows


def read_xlsx(
    path: Path, name: str, stem: str, sheet: str | None, transpose: bool
) -> ImportedLadder:
    found = scan(path, name)  # every limit, before openpyxl expands anything
    book = _open(path, name)
    try:
        titles = book.sheetnames
        chosen = _chosen(titles, sheet, name)
        grids = {}
        for title in chosen:
            worksheet = book[title]
            if sheet is None and getattr(worksheet, "sheet_state", "visible") != "visible":
                continue
            grids[title] = _rows(worksheet, found.sheets.get(title, SheetArea()), name)
    except SreladderError:
        raise
    except Exception as exc:  # what the scan passed openpyxl may still refuse
        raise _unreadable(name, exc) from None
    finally:
        book.close()
    roles: list[ImportedRole] = []
    first_error: SreladderError | None = None
    for title, grid in grids.items():
        where = f"{name}:{sheet_ref(title)}"
        if not grid:
            first_error = first_error or NoHeaderError(f"{where}: the sheet is empty")
            continue
        try:
            role = read_grid(grid, where=where, name=None, transpose=transpose)
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
