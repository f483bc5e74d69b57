"""What every source reader shares: the limits, the error, the text of a source, how
an item or a skipped entry is made, and who ``--author`` names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sreladder.core.errors import SreladderError
from sreladder.core.evidence import EvidenceItem, SkippedEntry
from sreladder.io.sources.dates import find_date
from sreladder.io.sources.links import split_links

MAX_BYTES = 8 * 1024 * 1024  # one source: a file, a file in a folder, standard input
MAX_ITEMS = 20_000  # entries read in all, counted or skipped
MAX_TEXT = 2_000  # characters of an item's text (and of its detail) kept
MAX_FILES = 5_000  # files read from the folders given
# A source read as a document (Markdown, text, a postmortem) is parsed whole by
# markdown-it-py, whose cost grows with the text (about 2 µs a character, ten times
# that for text built of nothing but brackets or asterisks): a brag document of
# 10,000 bullets is a third of this.
MAX_DOCUMENT_CHARS = 1_000_000
MAX_CONTEXT_DEPTH = 8  # parent bullets kept as a nested item's context (the nearest)

Entry = EvidenceItem | SkippedEntry


class EvidenceSourceError(SreladderError):
    """A source could not be read; the message starts with ``file[:line]:``."""


class UnknownFormat(EvidenceSourceError):
    """A source whose format sreladder cannot tell (never read as one item)."""


class NoKnownFields(EvidenceSourceError):
    """A JSON or CSV source with none of the fields any reader looks for."""


@dataclass(frozen=True)
class Source:
    """A source's text: ``name`` is how it is shown (``file``, ``<stdin>``), ``suffix``
    its file name's (lower case, ``""`` for none)."""

    name: str
    text: str
    suffix: str = ""
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Options:
    """What the command line says about reading: who the person is (``--author``)."""

    authors: tuple[str, ...] = ()

    @functools.cached_property
    def people(self) -> People:
        return People(self.authors)


# --- text ------------------------------------------------------------------------------

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str | None, limit: int = MAX_TEXT) -> str:
    """One line of text: runs of white space (line breaks too) as one space, a lone
    surrogate (a JSON ``\\ud800``) as U+FFFD, at most ``limit`` characters."""
    if not text:
        return ""
    text = " ".join(text.split())
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return text[:limit]


def clean_detail(text: str | None) -> str:
    """A body or description kept for matching and shown beside the item: HTML
    comments (a pull-request template's) dropped, white space collapsed, cut."""
    if not text:
        return ""
    if "<!--" in text:
        text = re.sub(r"<!--.*?(?:-->|$)", " ", text, flags=re.S)
    return clean(text)


def make_item(
    text: str | None,
    source: Source,
    line: int,
    kind: str,
    *,
    date: str | None = None,
    link: str | None = None,
    context: tuple[str, ...] = (),
    parents: tuple[str, ...] = (),
    detail: str = "",
    refs: Sequence[str] = (),
    severity: str | None = None,
    role: str | None = None,
    date_from_text: bool = False,
) -> EvidenceItem | None:
    """An item, or None when there is no text. Markdown links become their text (the
    first url the link, unless ``link`` is given). ``date_from_text``: a date written
    in the text wins over ``date`` (a brag bullet's own date over its heading's); else
    ``date`` wins and the text's date is used only when there is none (a date in a pull
    request's title never replaces its ``mergedAt``)."""
    words, found_link = split_links(clean(text, 4 * MAX_TEXT))
    words = words.strip()[:MAX_TEXT]
    if not words:
        return None
    own = find_date(words)
    return EvidenceItem(
        text=words,
        file=source.name,
        line=line,
        date=(own or date) if date_from_text else (date or own),
        link=(link.strip() if link and link.strip() else None) or found_link,
        context=context,
        detail=clean_detail(detail),
        kind=kind,
        parents=parents,
        refs=tuple(dict.fromkeys(refs)),
        severity=severity or None,
        role=role,
    )


def skip(source: Source, line: int | None, text: str | None, reason: str) -> SkippedEntry:
    return SkippedEntry(source.name, line, clean(text, 300), reason)


# --- people ----------------------------------------------------------------------------

_NAME_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class People:
    """The names ``--author`` gives for the person (a name, a login, an email), and
    whether a name written in a source is one of them: equal ignoring case, an email's
    part before the ``@``, or every word of one name among the other's words ("Dana"
    is "Dana Smith"; "dana.smith@example.com" is "Dana Smith")."""

    __slots__ = ("_words", "names")

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = tuple(n.strip() for n in names if n and n.strip())
        self._words = [w for w in map(_words_of, self.names) if w]

    def __bool__(self) -> bool:
        return bool(self.names)

    def includes(self, written: str | None) -> bool:
        if not written or not self._words:
            return False
        theirs = _words_of(written)
        return bool(theirs) and any(mine <= theirs or theirs <= mine for mine in self._words)

    def any_of(self, written: Iterable[str | None]) -> bool:
        return any(self.includes(name) for name in written)


def _words_of(name: str) -> frozenset[str]:
    name = re.sub(r"<[^>]*>", " ", name.strip().casefold())  # "Dana Smith <dana@x.com>"
    if "@" in name:
        name = name.split("@", 1)[0].replace(".", " ").replace("_", " ").replace("+", " ")
    return frozenset(_NAME_WORD.findall(name))


def split_names(value: str | None) -> list[str]:
    """A cell listing people: ``Dana Smith, Sam Lee`` or ``Dana; Sam`` or one per line."""
    if not value:
        return []
    return [part.strip() for part in re.split(r"[,;\n|]+| and ", value) if part.strip()]


def first_lines(text: str, count: int) -> Iterator[str]:
    """The first ``count`` lines of ``text`` that are not blank."""
    seen = 0
    for line in text.split("\n", 4 * count + 50):
        if line.strip():
            yield line
            seen += 1
            if seen >= count:
                return
