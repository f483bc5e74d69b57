"""Reading evidence: where engineers' work is recorded, as items for the matcher.

One package, a module per format, one registry (:mod:`.registry`) that tells a
source's format by its content first and its file name second, and one set of limits
(:mod:`.base`). Sources are files, folders (read recursively: the files whose suffix
names a format; others are listed as skipped) and ``-`` for standard input.

Each reader yields the source's entries in order: an
:class:`~sreladder.core.evidence.EvidenceItem` per piece of work, or a
:class:`~sreladder.core.evidence.SkippedEntry` for what was read but is not counted
(merge commits, dependency bumps, tickets not done, test pages: :mod:`.noise`). The
same work read from several sources is then one item with every source kept
(:mod:`.merge`).

Refused, with one line naming ``file[:line]``: unreadable files, files over
``MAX_BYTES``, binary or non-UTF-8 text, a source of no format sreladder reads, JSON
or CSV with none of the fields looked for, and more than ``MAX_ITEMS`` entries in all.
Every failure is an :class:`EvidenceSourceError`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sreladder.core.evidence import EvidenceItem, SkippedEntry
from sreladder.io import yamlio
from sreladder.io.sources.base import (
    MAX_BYTES,
    MAX_FILES,
    MAX_ITEMS,
    MAX_TEXT,
    Entry,
    EvidenceSourceError,
    NoKnownFields,
    Options,
    Source,
    UnknownFormat,
)
from sreladder.io.sources.dates import find_date, heading_date
from sreladder.io.sources.links import split_links
from sreladder.io.sources.registry import FOLDER_SUFFIXES, FORMATS, Format, detect, forced

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_ITEMS",
    "MAX_TEXT",
    "Evidence",
    "EvidenceSourceError",
    "NoKnownFields",
    "UnknownFormat",
    "find_date",
    "heading_date",
    "read_evidence",
    "read_source",
    "read_sources",
    "split_links",
]

STDIN = "-"
STDIN_NAME = "<stdin>"
NOT_READ = "not a format sreladder reads"
UNREADABLE = "unreadable"


@dataclass
class Evidence:
    """What the sources hold: the items (merged across sources), the entries skipped,
    and how many entries were read as items before merging."""

    items: list[EvidenceItem] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)
    read: int = 0

    @property
    def merged(self) -> int:
        """Items that were the same work as another and joined it."""
        return self.read - len(self.items)


def read_evidence(
    paths: Iterable[Path | str],
    *,
    source_format: str | None = None,
    authors: Iterable[str] = (),
    stdin: BinaryIO | None = None,
    max_items: int = MAX_ITEMS,
    merge: bool = True,
) -> Evidence:
    """Every source's entries, sources in the order given and each in its own order
    (a folder's files by name); then the same work read from several sources merged.
    A file named twice (or through a link, or inside a folder also named) is read once.
    ``source_format`` (``--from``) reads every source as that format."""
    chosen = forced(source_format) if source_format else None
    options = Options(tuple(authors))
    found = Evidence()
    seen: set[Path] = set()
    count = 0
    for path in paths:
        for entry in _entries(Path(path), chosen, options, seen, stdin):
            count += 1
            if count > max_items:
                raise EvidenceSourceError(
                    f"{entry.file}:{entry.line or 1}: more than {max_items:,} evidence items "
                    "(entries read, skipped ones too); split the document or pass fewer files"
                )
            if isinstance(entry, SkippedEntry):
                found.skipped.append(entry)
            else:
                found.items.append(entry)
    found.read = len(found.items)
    if merge:
        from sreladder.io.sources.merge import merge_same_work

        found.items = merge_same_work(found.items)
    return found


def read_sources(paths: Iterable[Path | str], max_items: int = MAX_ITEMS) -> list[EvidenceItem]:
    """The items of ``paths`` (what ``assess --evidence`` offers)."""
    return read_evidence(paths, max_items=max_items).items


def read_source(path: Path | str, source_format: str | None = None) -> list[EvidenceItem]:
    """The items of one file, in file order, not merged (what the accuracy benchmark
    reads: an item per labelled line)."""
    return read_evidence([path], source_format=source_format, merge=False).items


# --- sources ------------------------------------------------------------------------------


def _entries(
    path: Path,
    chosen: Format | None,
    options: Options,
    seen: set[Path],
    stdin: BinaryIO | None,
) -> Iterator[Entry]:
    if str(path) == STDIN:
        if Path(STDIN) in seen:
            return
        seen.add(Path(STDIN))
        data = _read_stdin(stdin)
        yield from _read(Source(STDIN_NAME, _decode(data, STDIN_NAME)), chosen, options)
        return
    if path.is_dir():
        yield from _folder(path, chosen, options, seen)
        return
    if _once(path, seen):
        yield from _read(_file_source(path), chosen, options)


def _once(path: Path, seen: set[Path]) -> bool:
    try:
        same = path.resolve()
    except (OSError, RuntimeError):
        same = path
    if same in seen:
        return False
    seen.add(same)
    return True


def _file_source(path: Path) -> Source:
    name = str(path)
    try:
        data = yamlio.read_bytes(path, MAX_BYTES)
    except yamlio.YamlError as exc:
        raise EvidenceSourceError(f"{name}: {exc.message}") from None
    return Source(name, _decode(data, name), path.suffix.lower())


def _decode(data: bytes, name: str) -> str:
    try:
        text = yamlio.decode(data)
    except yamlio.YamlError as exc:
        raise EvidenceSourceError(f"{name}:{exc.line}: {exc.message}") from None
    return text


def _read_stdin(stream: BinaryIO | None) -> bytes:
    if stream is None:
        stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (a test runner's)
        data = sys.stdin.read(MAX_BYTES + 1).encode("utf-8", "surrogateescape")
    else:
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise EvidenceSourceError(
            f"{STDIN_NAME}: more than {MAX_BYTES // (1024 * 1024)} MiB on standard input"
        )
    return data


def _read(source: Source, chosen: Format | None, options: Options) -> Iterator[Entry]:
    if source.suffix not in (".csv", ".tsv"):  # a CSV cell may hold U+2028 as text
        source = Source(source.name, yamlio.unix_lines(source.text), source.suffix)
    fmt = chosen or detect(source)
    yield from fmt.read(source, options)


def _folder(
    folder: Path, chosen: Format | None, options: Options, seen: set[Path]
) -> Iterator[Entry]:
    """A folder's files, recursively, by name; hidden files and folders (``.git``) and
    links to folders are passed over. A file whose suffix names no format, or that turns
    out to be none (a ``.log`` that is not a git log), or cannot be read as its format
    (a ``package.json``), is listed as skipped with why; the rest of the folder is read."""
    files = 0
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(d for d in folders if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(root) / name
            files += 1
            if files > MAX_FILES:
                raise EvidenceSourceError(
                    f"{folder}: more than {MAX_FILES:,} files; pass a smaller folder"
                )
            if not _once(path, seen):
                continue
            if chosen is None and path.suffix.lower() not in FOLDER_SUFFIXES:
                yield SkippedEntry(str(path), None, "", NOT_READ)
                continue
            try:
                entries = list(_read(_file_source(path), chosen, options))
            except UnknownFormat:
                yield SkippedEntry(str(path), None, "", NOT_READ)
                continue
            except NoKnownFields as exc:
                yield SkippedEntry(str(path), None, "", f"{NOT_READ} ({_why(exc, path)})")
                continue
            except EvidenceSourceError as exc:
                yield SkippedEntry(str(path), None, "", f"{UNREADABLE} ({_why(exc, path)})")
                continue
            yield from entries


def _why(exc: EvidenceSourceError, path: Path) -> str:
    """The error's message without the file name it starts with."""
    message = str(exc)
    for prefix in (f"{path}:", str(path)):
        if message.startswith(prefix):
            message = message[len(prefix) :]
            break
    return message.lstrip("0123456789:").strip()
