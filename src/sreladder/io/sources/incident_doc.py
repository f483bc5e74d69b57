"""Incident documents: a postmortem in Markdown is ONE item, the incident, with its
date, severity and the person's part in it. Its timeline, action items and the rest
are other people's work and the incident's story, not items of the person.

What the incident is comes from, in this order of preference: YAML front matter, a
metadata table (two columns, ``| Severity | SEV1 |``, or one header row of field names
over one row of values), and ``Key: value`` lines (``**Severity:** SEV1``). Fields are
matched ignoring case, spaces and punctuation:

* title: ``title``, ``incident`` (else the first ``#`` heading, else the file's name);
* date: ``date``, ``started``, ``detected``, ``occurred`` (else a date in the title);
* severity: ``severity``, ``sev``, ``priority``, ``level``;
* the people: ``incident commander`` (``ic``, ``incident lead``), ``scribe``
  (``note taker``), ``communications lead`` (``comms``), ``responders``
  (``participants``, ``on-call``), ``authors``.

The person is whoever ``--author`` names: their role is the first field that names
them (incident commander, scribe, communications lead, responder, postmortem author);
a postmortem that names them nowhere is read and skipped as someone else's. Without
``--author`` the role is ``unknown``: the incident counts, and what the person did in it
is for them to say.

A document is read as an incident document when its metadata has two of: severity, an
incident commander, a scribe, responders, an incident id, impact, detected/resolved
times; or its front matter says ``type: postmortem`` (or ``incident``); or it has a
``Timeline`` section and a ``Root cause`` / ``Action items`` / ``Contributing factors`` /
``Lessons learned`` one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from sreladder.io import yamlio
from sreladder.io.sources.base import Entry, Options, Source, make_item, skip, split_names
from sreladder.io.sources.dates import find_date, parse_timestamp
from sreladder.io.sources.links import JIRA_KEY, refs_of_link
from sreladder.io.sources.markdown import front_matter, inline_lines, plain, token_stream
from sreladder.io.sources.noise import SOMEONE_ELSE
from sreladder.io.sources.records import normal_key

_FIELDS = {
    "title": ("title", "incident", "incidenttitle", "name", "subject"),
    "date": ("date", "incidentdate", "started", "startedat", "start", "starttime", "detected",
             "detectedat", "occurred", "occurredat", "when", "impactstart", "began"),
    "severity": ("severity", "sev", "incidentseverity", "priority", "level", "incidentlevel"),
    "commander": ("incidentcommander", "ic", "commander", "incidentlead", "incidentmanager",
                  "incidentcommanderic"),
    "scribe": ("scribe", "notetaker", "notes", "recorder"),
    "comms": ("communicationslead", "commslead", "communications", "comms", "commsowner"),
    "responders": ("responders", "participants", "involved", "oncall", "responder",
                   "respondingengineers", "people", "team", "engineersinvolved"),
    "authors": ("authors", "author", "postmortemauthor", "postmortemowner", "writtenby",
                "owner"),
    "id": ("id", "incidentid", "incidentnumber", "ticket", "incidentticket", "jira",
           "pagerduty", "link", "url"),
    "impact": ("impact", "customerimpact", "userimpact"),
    "times": ("detected", "resolved", "resolvedat", "duration", "mitigated", "timetoresolve"),
}  # fmt: skip
_KEY_FIELD = {key: name for name, keys in _FIELDS.items() for key in keys}
_MARKERS = {"severity", "commander", "scribe", "responders", "id", "impact", "times"}
ROLES = (
    ("commander", "incident commander"),
    ("scribe", "scribe"),
    ("comms", "communications lead"),
    ("responders", "responder"),
    ("authors", "postmortem author"),
)
UNKNOWN = "unknown"
_KEY_VALUE = re.compile(r"^\s*([A-Za-z][\w /().&-]{0,40}?)\s*:\s*(\S.*)$")
_STORY_HEADINGS = re.compile(
    r"root cause|action items?|contributing factors?|lessons learned|follow[- ]?ups?|"
    r"corrective actions?|what went (?:well|wrong)",
    re.I,
)
_SUMMARY_HEADINGS = re.compile(r"summary|overview|description|what happened|impact", re.I)


def looks_like_incident(source: Source) -> bool:
    meta, headings = _metadata(source)
    fields = {_KEY_FIELD.get(key) for key in meta}
    kind = str(meta.get("type", "")).lower()
    if kind in ("postmortem", "post-mortem", "incident", "incident report", "retrospective"):
        return True
    if len(fields & _MARKERS) >= 2:
        return True
    return any(h.lower().startswith("timeline") for h in headings) and any(
        _STORY_HEADINGS.search(h) for h in headings
    )


def read_incident(source: Source, options: Options) -> Iterator[Entry]:
    meta, _ = _metadata(source)
    fields: dict[str, Any] = {}
    for key, value in meta.items():
        name = _KEY_FIELD.get(key)
        if name and name not in fields and value not in (None, ""):
            fields[name] = value
    title, line = _title(source)
    title = _text(fields.get("title")) or title or PurePath(source.name).stem
    date = (
        _date(fields.get("date"))
        or find_date(title)
        or find_date(PurePath(source.name).name.replace("_", "-"))
    )
    severity = _text(fields.get("severity")) or None
    people = options.people
    role = UNKNOWN
    if people:
        role = next((label for name, label in ROLES if people.any_of(_names(fields.get(name)))), "")
        if not role:
            yield skip(source, line, title, f"{SOMEONE_ELSE} (not among the incident's people)")
            return
    summary = _summary(source)
    said = f"As {role}" if role != UNKNOWN else "An incident"
    detail = f"{said}{f' ({severity})' if severity else ''}. {summary}".strip()
    refs = _refs(fields.get("id"))
    item = make_item(
        title,
        source,
        line,
        "incident",
        date=date,
        detail=detail,
        refs=refs,
        severity=severity,
        role=role,
    )
    if item is not None:
        yield item


# --- reading the document ----------------------------------------------------------------


def _metadata(source: Source) -> tuple[dict[str, Any], list[str]]:
    """(the fields, normal keys -> values; the headings' texts), read once per source."""
    cached = source.cache.get("incident-metadata")
    if cached is not None:
        return cached
    meta: dict[str, Any] = {}
    block, _ = front_matter(source.text)
    if block is not None:
        try:
            data = yamlio.load(block)
        except yamlio.YamlError:
            data = None
        if isinstance(data, dict):
            for key, value in data.items():
                meta.setdefault(normal_key(key), value)
    headings: list[str] = []
    stream = token_stream(source)
    index = 0
    while index < len(stream):
        token = stream[index]
        if token.type == "heading_open":
            headings.append(plain(stream[index + 1]))
        elif token.type == "table_open":
            for key, value in _table_pairs(stream, index):
                meta.setdefault(key, value)
        elif (
            token.type == "paragraph_open" and token.level == 0 and ":" in stream[index + 1].content
        ):
            # "Key: value" lines of a paragraph outside lists and quotes
            for line in inline_lines(stream[index + 1]):
                match = _KEY_VALUE.match(line.text)
                if match and normal_key(match.group(1)) in _KEY_FIELD:
                    meta.setdefault(normal_key(match.group(1)), match.group(2).strip())
        index += 1
    source.cache["incident-metadata"] = (meta, headings)
    return meta, headings


def _table_pairs(stream: list[Any], index: int) -> list[tuple[str, str]]:
    """A metadata table's (key, value) pairs: two-column rows whose first cell is a
    field, or a header of fields over one row of values."""
    rows: list[list[str]] = []
    while index < len(stream) and stream[index].type != "table_close":
        token = stream[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(plain(token))
        index += 1
    pairs = [(normal_key(r[0].rstrip(":")), r[1]) for r in rows if len(r) == 2]
    if sum(key in _KEY_FIELD for key, _ in pairs) >= 2:
        return [(k, v) for k, v in pairs if k in _KEY_FIELD]
    if len(rows) == 2 and len(rows[0]) == len(rows[1]):
        header = [normal_key(cell) for cell in rows[0]]
        if sum(key in _KEY_FIELD for key in header) >= 2:
            return [(k, v) for k, v in zip(header, rows[1], strict=True) if k in _KEY_FIELD]
    return []


def _title(source: Source) -> tuple[str, int]:
    stream = token_stream(source)
    for index, token in enumerate(stream):
        if token.type == "heading_open" and token.tag == "h1":
            line = token.map[0] + 1 if token.map else 1
            return plain(stream[index + 1]), line
    return "", 1


def _summary(source: Source) -> str:
    """The first paragraph of the summary (or overview, description, impact) section."""
    stream = token_stream(source)
    inside = False
    for index, token in enumerate(stream):
        if token.type == "heading_open":
            inside = bool(_SUMMARY_HEADINGS.search(plain(stream[index + 1])))
        elif inside and token.type == "paragraph_open":
            text = plain(stream[index + 1])
            match = _KEY_VALUE.match(text)
            if match and normal_key(match.group(1)) in _KEY_FIELD:
                continue
            return text
    return ""


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value if _text(v))
    return " ".join(str(value).split())


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):  # YAML reads 2026-01-14 as a date
        return str(value.isoformat())[:10]
    return parse_timestamp(_text(value))


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _names(v)]
    return split_names(_text(value))


def _refs(value: Any) -> list[str]:
    text = _text(value)
    refs = ["jira:" + m.group("key") for m in JIRA_KEY.finditer(text)]
    for word in text.split():
        refs += refs_of_link(word)
    return refs
