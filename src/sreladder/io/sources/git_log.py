"""``git log`` as it prints by default (``commit``, ``Author:``, ``Date:`` and the message
indented by four spaces; ``--stat``, ``-p``, ``--decorate`` and ``--pretty=fuller`` too)
and in one line a commit (``--oneline``, ``--pretty='%h %ad %s'`` with any
``--date=``, ``--graph``).

One item per commit: the subject is its text, the body (trailers such as
``Signed-off-by:`` left out) its detail, the author date its date (the day in the
author's time zone), its hash its ref. Merge commits, reverts, dependency bumps, typo
fixes and work in progress are read and skipped (:mod:`.noise`); with ``--author``, so
are other people's commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sreladder.io.sources.base import Entry, Options, Source, make_item, skip
from sreladder.io.sources.dates import parse_timestamp
from sreladder.io.sources.links import git_ref
from sreladder.io.sources.noise import SOMEONE_ELSE, title_noise

_COMMIT = re.compile(r"^commit ([0-9a-f]{7,64})\b")
_HEADER = re.compile(r"^([A-Za-z][A-Za-z-]*):\s*(.*)$")
_TRAILER = re.compile(
    r"^(?:Signed-off-by|Co-authored-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Cc|"
    r"Change-Id|Reviewed-on|Suggested-by|Helped-by):",
    re.I,
)
_GRAPH = re.compile(r"^[*|/\\ _.-]*(?=[0-9a-f]{7,64}\s)")
_ONELINE = re.compile(r"^([0-9a-f]{7,64})\s+(.*)$")
_DECORATION = re.compile(r"^\((?=[^)]*(?:HEAD|tag: |/|, ))[^)]*\)\s+")
_ONELINE_DATES = (
    # --date=iso / iso-strict / short / format:%Y-%m-%d ...
    re.compile(
        r"^(\d{4}-\d\d-\d\d)(?:[ T]\d\d:\d\d(?::\d\d)?(?:\.\d+)?(?:\s*(?:[+-]\d\d:?\d\d|Z))?)?\s+"
    ),
    # the default: Wed Jan 14 17:30:00 2026 +0100
    re.compile(
        r"^([A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d \d{4}(?: [+-]\d{4})?)\s+"
    ),
    # --date=rfc: Wed, 14 Jan 2026 17:30:00 +0100
    re.compile(r"^([A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4})\s+"),
)


@dataclass
class _Commit:
    sha: str
    line: int
    headers: dict[str, str] = field(default_factory=dict)
    message: list[str] = field(default_factory=list)
    merge: bool = False


def read_git_log(source: Source, options: Options) -> Iterator[Entry]:
    lines = source.text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if _COMMIT.match(first):
        yield from _default(source, lines, options)
    else:
        yield from _oneline(source, lines, options)


def _default(source: Source, lines: list[str], options: Options) -> Iterator[Entry]:
    commit: _Commit | None = None
    state = "headers"  # headers, message, after (a --stat or -p part)
    for number, raw in enumerate(lines, start=1):
        match = _COMMIT.match(raw)
        if match:
            if commit is not None:
                yield _entry(commit, source, options)
            commit = _Commit(match.group(1), number)
            state = "headers"
            continue
        if commit is None:
            if raw.strip():
                yield skip(source, number, raw, "not a commit")
            continue
        if state == "headers":
            header = _HEADER.match(raw)
            if header and raw[:1] != " ":
                name = header.group(1).lower()
                commit.headers.setdefault(name, header.group(2).strip())
                commit.merge = commit.merge or name == "merge"
                continue
            if raw.strip():  # the message, with no blank line after the headers
                state = "message"
            else:
                state = "message"
                continue
        if state == "message":
            if raw.startswith("    ") or raw.startswith("\t"):
                commit.message.append(raw[4:] if raw.startswith("    ") else raw[1:])
            elif raw.strip():
                state = "after"  # --stat, --name-status, -p: not the message
            else:
                commit.message.append("")
    if commit is not None:
        yield _entry(commit, source, options)


def _entry(commit: _Commit, source: Source, options: Options) -> Entry:
    message = "\n".join(commit.message).strip("\n")
    subject, _, body = message.partition("\n\n")
    subject = " ".join(subject.split())
    body = "\n".join(line for line in body.split("\n") if not _TRAILER.match(line.strip()))
    reason = title_noise(subject, merge=commit.merge)
    if reason:
        return skip(source, commit.line, subject, reason)
    author = commit.headers.get("author", "")
    people = options.people
    if people and author and not people.includes(author):
        return skip(source, commit.line, subject, f"{SOMEONE_ELSE} (by {_name(author)})")
    date = parse_timestamp(commit.headers.get("date") or commit.headers.get("authordate"))
    item = make_item(
        subject, source, commit.line, "git", date=date, detail=body, refs=[git_ref(commit.sha)]
    )
    return item if item is not None else skip(source, commit.line, "", "no message")


def _name(author: str) -> str:
    return author.split("<", 1)[0].strip() or author


def _oneline(source: Source, lines: list[str], options: Options) -> Iterator[Entry]:
    for number, raw in enumerate(lines, start=1):
        if not raw.strip(" *|/\\_.-\t"):  # blank, or only --graph's lines
            continue
        graph = _GRAPH.match(raw)
        line = raw[graph.end() :] if graph else raw
        match = _ONELINE.match(line)
        if match is None:
            yield skip(source, number, raw, "not a commit")
            continue
        sha, rest = match.group(1), match.group(2)
        rest = _DECORATION.sub("", rest, count=1)
        date = None
        for pattern in _ONELINE_DATES:
            found = pattern.match(rest)
            if found:
                date = parse_timestamp(found.group(1))
                rest = rest[found.end() :]
                break
        subject = " ".join(rest.split())
        reason = title_noise(subject)
        if reason:
            yield skip(source, number, subject, reason)
            continue
        item = make_item(subject, source, number, "git", date=date, refs=[git_ref(sha)])
        yield item if item is not None else skip(source, number, raw, "no message")
