"""Ladders from the formats companies keep them in: a reader per kind of source, each
filling the same :class:`~sreladder.core.imported.ImportedLadder`; ``detect`` picks
the reader from the content (``--from`` overrides it)."""

from __future__ import annotations

import re
from pathlib import Path

from sreladder.core.errors import SreladderError, UsageError
from sreladder.core.imported import ImportedLadder
from sreladder.io.importers.source import (
    decode_text,
    read_bytes,
    split_front_matter,
    without_code_and_comments,
)

_HTML_TABLE = re.compile(r"<table[\s>]", re.IGNORECASE)
_FT_KEY = re.compile(r"^competencies\s*:", re.MULTILINE)
_MONZO_KEY = re.compile(r"^topics\s*:", re.MULTILINE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

MAX_ROLES = 200
MAX_DIMENSIONS = 5_000
MAX_TEXT_BYTES = 4 * 2**20  # CSV, Markdown, YAML; a workbook may be up to source.MAX_BYTES
KINDS = ("csv", "xlsx", "markdown", "html", "outline", "monzo", "ft")


def detect(data: bytes, text: str | None) -> str:
    """The kind of source, from its content alone (the file's name is not trusted)."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "xlsx"
    assert text is not None
    block, _, _ = split_front_matter(text)
    if block is not None and _MONZO_KEY.search(block):
        return "monzo"
    if _FT_KEY.search(text):
        return "ft"
    if _HTML_TABLE.search(without_code_and_comments(text)):
        return "html"
    from sreladder.io.importers.markdown_outline import looks_like_outline
    from sreladder.io.importers.markdown_tables import has_pipe_table

    if has_pipe_table(text):
        return "markdown"
    if looks_like_outline(text):
        return "outline"
    return "csv"


def _checked(ladder: ImportedLadder, name: str) -> ImportedLadder:
    """Refuse what no ladder is, before ids are made and files written for it."""
    if len(ladder.roles) > MAX_ROLES:
        raise SreladderError(f"{name}: {len(ladder.roles):,} tables; at most {MAX_ROLES} roles")
    for role in ladder.roles:
        if len(role.dimensions) > MAX_DIMENSIONS:
            raise SreladderError(
                f"{name}: {role.name!r} has {len(role.dimensions):,} dimensions; "
                f"a ladder has tens (at most {MAX_DIMENSIONS:,})"
            )
    _note_controls(ladder)
    return ladder


def _note_controls(ladder: ImportedLadder) -> None:
    """A note per cell (the first few) whose text holds a control character: kept as
    it is (views show it escaped), but it is rarely meant."""
    found = [
        (item.source, match.group())
        for role in ladder.roles
        for dimension in role.dimensions
        for items in dimension.cells.values()
        for item in items
        if (match := _CONTROL.search(item.text)) is not None
    ]
    for where, char in found[:3]:
        ladder.notes.append(
            f"{where}: control character {ascii(char)[1:-1]} in the text, kept as it is "
            "(views show it escaped); remove it if it was not meant"
        )
    if len(found) > 3:
        ladder.notes.append(f"{len(found) - 3} more cell(s) with control characters")


def read_ladder(
    path: Path,
    kind: str | None = None,
    *,
    sheet: str | None = None,
    transpose: bool = False,
) -> ImportedLadder:
    """Read ``path`` as a ladder: one clear ``SreladderError`` naming the file and the
    row, cell or line for anything it cannot read."""
    name = path.name
    stem = path.stem or "ladder"
    data = read_bytes(path, name)
    is_workbook = data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
    if not is_workbook and len(data) > MAX_TEXT_BYTES:
        raise SreladderError(
            f"{name}: larger than {MAX_TEXT_BYTES // 2**20} MiB; a ladder page or sheet is "
            "far smaller (is this the right file?)"
        )
    text = None if is_workbook else decode_text(data, name)
    kind = kind or detect(data, text)
    if kind not in KINDS:
        raise UsageError(f"unknown source kind {kind!r} (one of {', '.join(KINDS)})")
    if sheet is not None and kind != "xlsx":
        raise UsageError(f"--sheet is for XLSX workbooks; {name} is read as {kind}")
    if kind == "xlsx":
        from sreladder.io.importers.xlsx_reader import check_magic, read_xlsx

        check_magic(data[:8], name)
        return _checked(read_xlsx(path, name, stem, sheet, transpose), name)
    if text is None:
        raise SreladderError(f"{name}: a workbook, not {kind} text (use --from xlsx)")
    if kind == "csv":
        from sreladder.io.importers.csv_reader import read_csv

        return _checked(read_csv(text, name, stem, transpose), name)
    if kind == "markdown":
        from sreladder.io.importers.markdown_tables import read_markdown_tables

        return _checked(read_markdown_tables(text, name, stem, transpose), name)
    if kind == "html":
        from sreladder.io.importers.html_tables import read_html_tables

        return _checked(read_html_tables(text, name, stem, transpose), name)
    if transpose:
        raise UsageError(f"--transpose is for tables; {name} is read as {kind}")
    if kind == "outline":
        from sreladder.io.importers.markdown_outline import read_markdown_outline

        return _checked(read_markdown_outline(text, name, stem), name)
    if kind == "monzo":
        from sreladder.io.importers.monzo import read_monzo

        return _checked(read_monzo(text, name, stem), name)
    from sreladder.io.importers.ft import read_ft

    return _checked(read_ft(text, name, stem), name)
