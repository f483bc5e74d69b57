"""CSV (a spreadsheet saved or exported as CSV) as a matrix of cells."""

from __future__ import annotations

import csv
import io

from sreladder.core.cell_text import unescape_formula
from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedLadder
from sreladder.io.importers.grid import MAX_COLUMNS, MAX_ROWS, GridCell, read_grid

_DELIMITERS = ",;\t|"


def _dialect(text: str) -> type[csv.Dialect] | str:
    sample = text[:20_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return "excel"


def rows_of(text: str, name: str) -> list[list[GridCell]]:
    """The rows, each cell with its ``file:line``; formula signs stay text (a leading
    apostrophe that only marks text, as an export writes it, is dropped)."""
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    rows: list[list[GridCell]] = []
    filled = 0
    line = 1
    try:
        for record in reader:
            where = f"{name}:{line}"
            line = reader.line_num + 1
            cells = [
                GridCell(unescape_formula(value), where) for value in record[: MAX_COLUMNS + 1]
            ]
            if any(value.strip() for value in record):
                filled += 1
                if filled > MAX_ROWS + 100:
                    raise SreladderError(
                        f"{where}: more than {MAX_ROWS:,} rows; a ladder has tens of "
                        "dimensions (is this the right file?)"
                    )
            rows.append(cells)
    except csv.Error as exc:
        raise SreladderError(f"{name}:{line}: not readable as CSV: {exc}") from None
    return rows


def read_csv(text: str, name: str, stem: str, transpose: bool) -> ImportedLadder:
    role = read_grid(rows_of(text, name), where=name, name=None, transpose=transpose)
    if role.name == name:
        role.name = stem
    return ImportedLadder(kind="csv", source=stem, roles=[role])
