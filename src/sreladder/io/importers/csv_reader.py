"""CSV (a spreadsheet saved or exported as CSV) as a matrix of cells."""

from __future__ import annotations

import csv
import io
import itertools

from sreladder.core.cell_text import unescape_formula
from sreladder.core.errors import SreladderError
from sreladder.core.imported import ImportedLadder
from sreladder.io.importers.cells import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_ROWS,
    GridCell,
)
from sreladder.io.importers.grid import read_grid

_DELIMITERS = ",;\t|"


def _delimiter(text: str) -> str:
    """The delimiter that splits the first rows most consistently into the most cells:
    the share of rows with the commonest width, times the columns past the first.
    (csv.Sniffer also guesses the quoting, and guesses it wrong on small ladders.)"""
    sample = text[:65_536]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample
    best, best_score = ",", 0.0
    for delimiter in _DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            widths = [len(row) for row in itertools.islice(reader, 200) if any(row)]
        except csv.Error:
            continue
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = widths.count(modal) / len(widths) * (modal - 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def rows_of(text: str, name: str) -> list[list[GridCell]]:
    """The rows, each cell with its ``file:line``; formula signs stay text (a leading
    apostrophe that only marks text, as an export writes it, is dropped)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[GridCell]] = []
    filled = cells_read = 0
    line = 1
    try:
        for record in reader:
            where = f"{name}:{line}"
            line = reader.line_num + 1
            cells_read += min(len(record), MAX_COLUMNS + 1)
            if len(rows) >= MAX_SHEET_ROWS:
                raise SreladderError(
                    f"{where}: more than {MAX_SHEET_ROWS:,} rows (empty ones counted); "
                    "is this the right file?"
                )
            if cells_read > MAX_CELLS:
                raise SreladderError(
                    f"{where}: more than {MAX_CELLS:,} cells (empty ones counted); "
                    "is this the right file?"
                )
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
