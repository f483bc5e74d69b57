"""The formats sreladder reads evidence from, and how a source's format is told: by
its content first (a ``git log`` saved as ``.log`` or ``.txt`` is a git log, JSON is
JSON whatever its name), by its file name's suffix second. A source neither tells is
refused, naming the formats read; ``--from NAME`` reads it as one of them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sreladder.io.sources.base import Entry, Options, Source, UnknownFormat, first_lines

Reader = Callable[[Source, Options], Iterator[Entry]]


@dataclass(frozen=True)
class Format:
    name: str
    title: str  # what it is, for help and errors
    module: str  # sreladder.io.sources.<module>, imported only when the format is read
    function: str
    suffixes: tuple[str, ...] = ()

    @property
    def read(self) -> Reader:
        import importlib

        module = importlib.import_module(f"sreladder.io.sources.{self.module}")
        reader: Reader = getattr(module, self.function)
        return reader


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("markdown", "Markdown brag documents", "markdown", "read_markdown",
               (".md", ".markdown", ".mdown", ".mkd")),
        Format("text", "plain-text brag documents", "markdown", "read_text", (".txt", ".text")),
        Format("incident", "incident documents (postmortems with front matter or a "
               "metadata table)", "incident_doc", "read_incident"),
        Format("html", "HTML pages (Confluence, Notion, Google Docs exports)", "html_page",
               "read_html", (".html", ".htm", ".xhtml")),
        Format("git", "git log (the default format, or one line a commit)", "git_log",
               "read_git_log"),
        Format("github", "GitHub pull requests and issues (gh pr list, gh search prs, "
               "gh issue list --json)", "github", "read_github"),
        Format("jira", "Jira CSV exports", "jira", "read_jira"),
        Format("pagerduty", "PagerDuty incidents CSV", "incidents_csv", "read_pagerduty"),
        Format("opsgenie", "Opsgenie alerts or incidents CSV", "incidents_csv", "read_opsgenie"),
        Format("csv", "CSV with a text, title or summary column", "records", "read_plain_csv",
               (".csv", ".tsv")),
        Format("json", "JSON lists of objects with a text or title key", "records",
               "read_plain_json", (".json", ".jsonl", ".ndjson")),
    )
}  # fmt: skip

#: file names read when they are found in a folder (others are listed as skipped)
FOLDER_SUFFIXES = frozenset(s for f in FORMATS.values() for s in f.suffixes) | {".log"}

_GIT_COMMIT = re.compile(r"^commit [0-9a-f]{7,64}\b")
_GIT_ONELINE = re.compile(r"^[*|/\\ ]*[0-9a-f]{7,64}\s+\S")  # --graph draws before the hash
_HTML_START = re.compile(
    r"^(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body|meta|title|div|p|ul|ol|h[1-6]"
    r"|article|section|table|main|span|style|link)\b",
    re.I,
)
_HTML_DOCUMENT = re.compile(r"^(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html)\b", re.I)
_COMMENT = re.compile(r"^\s*<!--.*?-->\s*", re.S)
_MARKDOWN_LINE = re.compile(
    r"^(?:#{1,6}\s+\S|\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+\S|\s*[•◦▪‣–●]\s+\S|\s*>\s)", re.M
)


def names() -> list[str]:
    return list(FORMATS)


def detect(source: Source) -> Format:
    """The format of ``source``: from its content, else its suffix; else UnknownFormat."""
    text = source.text
    head = text.lstrip("\ufeff \t\r\n")
    suffix = source.suffix
    markdown_named = suffix in FORMATS["markdown"].suffixes or suffix in FORMATS["text"].suffixes
    if not head.strip():  # nothing but white space: no entries, whatever it is
        return _by_suffix(source) or FORMATS["text"]
    if head[0] in "[{":
        from sreladder.io.sources.records import looks_like_json

        if not markdown_named or looks_like_json(source):
            return _json_format(source)
    lines = list(first_lines(head, 20))
    if _GIT_COMMIT.match(lines[0]):
        return FORMATS["git"]
    commits = [line for line in lines if line.strip(" *|/\\_.-\t")]  # not --graph's lines
    hashes = sum(bool(_GIT_ONELINE.match(line)) for line in commits)
    if commits and _GIT_ONELINE.match(commits[0]) and hashes >= 0.8 * len(commits):
        return FORMATS["git"]
    uncommented = head
    while uncommented.startswith("<!--"):
        match = _COMMENT.match(uncommented)
        if match is None:
            break
        uncommented = uncommented[match.end() :]
    if (_HTML_DOCUMENT if markdown_named else _HTML_START).match(uncommented):
        return FORMATS["html"]
    first = lines[0]
    if any(sep in first for sep in ",;\t"):
        found = _csv_export(source)
        if found is not None:
            return found
    by_suffix = _by_suffix(source)
    if by_suffix is not None and by_suffix.name in ("markdown", "text"):
        from sreladder.io.sources.incident_doc import looks_like_incident

        if by_suffix.name == "markdown" and looks_like_incident(source):
            return FORMATS["incident"]
        return by_suffix
    if by_suffix is not None:
        return by_suffix
    if suffix:  # a name that says some other format (.rst, .org, .log, .pdf ...)
        raise UnknownFormat(
            f"{source.name}: not a format sreladder reads (a {suffix} file that is none of: "
            f"{', '.join(names())}); pass --from NAME to read it as one of them"
        )
    # no name to go by (standard input, a file without a suffix): Markdown or text
    from sreladder.io.sources.incident_doc import looks_like_incident

    if looks_like_incident(source):
        return FORMATS["incident"]
    if _MARKDOWN_LINE.search(text, 0, 20_000):
        return FORMATS["markdown"]
    return FORMATS["text"]


def _by_suffix(source: Source) -> Format | None:
    return next((f for f in FORMATS.values() if source.suffix in f.suffixes), None)


def _json_format(source: Source) -> Format:
    from sreladder.io.sources.github import looks_like_github
    from sreladder.io.sources.records import json_records

    records = json_records(source)
    return FORMATS["github"] if looks_like_github(records) else FORMATS["json"]


def _csv_export(source: Source) -> Format | None:
    from sreladder.io.sources.records import csv_header

    header = set(csv_header(source.text))
    if {"summary", "issuekey"} <= header:
        return FORMATS["jira"]
    if "incidentnumber" in header and header & {"createdon", "createdat"}:
        return FORMATS["pagerduty"]
    if "message" in header and header & {"tinyid", "alias", "alertid", "incidentid"}:
        return FORMATS["opsgenie"]
    return None


def forced(name: str) -> Format:
    """The format ``--from NAME`` names."""
    try:
        return FORMATS[name.lower()]
    except KeyError:
        from sreladder.core.errors import UsageError

        raise UsageError(f"--from {name!r}: one of {', '.join(names())}") from None
