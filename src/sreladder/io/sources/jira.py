"""Jira issues exported as CSV ("Export Excel CSV", all or current fields): one item
per issue. ``Summary`` is the text, ``Issue key`` the ref (``jira:OPS-12``),
``Description`` the detail; the date is ``Resolved``, else ``Updated``, else ``Created``,
in Jira's format (``14/Jan/26 5:30 PM``) or ISO 8601. Columns Jira repeats (``Labels``,
``Sprint``, ``Comment``) do not disturb the rest.

Read and skipped: issues not done (no resolution, and a status that is not Done,
Closed, Resolved, Released ...), issues resolved as not done (Won't Do, Duplicate,
Cannot Reproduce, Declined ...), noise titles (:mod:`.noise`), and with ``--author``,
issues assigned to someone else (an unassigned one counts).
"""

from __future__ import annotations

from collections.abc import Iterator

from sreladder.io.sources.base import Entry, NoKnownFields, Options, Source, make_item, skip
from sreladder.io.sources.dates import parse_timestamp
from sreladder.io.sources.noise import SOMEONE_ELSE, title_noise
from sreladder.io.sources.records import Record, csv_records

DONE = frozenset(
    {
        "done",
        "closed",
        "resolved",
        "complete",
        "completed",
        "released",
        "shipped",
        "deployed",
        "fixed",
        "finished",
        "accepted",
        "verified",
        "delivered",
    }
)
NOT_DONE_RESOLUTIONS = frozenset(
    {
        "won't do",
        "wont do",
        "won't fix",
        "wont fix",
        "wontfix",
        "won't implement",
        "duplicate",
        "cannot reproduce",
        "can't reproduce",
        "declined",
        "rejected",
        "incomplete",
        "obsolete",
        "abandoned",
        "not a bug",
        "works as designed",
        "invalid",
        "unresolved",
        "cancelled",
        "canceled",
    }
)


def read_jira(source: Source, options: Options) -> Iterator[Entry]:
    names, records = csv_records(source)
    keys = {name.strip().lower() for name in names}
    if "summary" not in keys:
        raise NoKnownFields(f"{source.name}:1: no Summary column (a Jira CSV export has one)")
    for record in records:
        yield _entry(record, source, options)


def _entry(record: Record, source: Source, options: Options) -> Entry:
    line = record.line
    summary = record.text("summary") or ""
    key = record.text("issuekey")
    shown = f"{key} {summary}" if key else summary
    if not summary.strip():
        return skip(source, line, key, "no text")
    reason = not_done(record.text("status"), record.text("resolution"))
    if reason:
        return skip(source, line, shown, reason)
    reason = title_noise(summary)
    if reason:
        return skip(source, line, shown, reason)
    assignee = record.text("assignee")
    people = options.people
    if people and assignee and not people.includes(assignee):
        return skip(source, line, shown, f"{SOMEONE_ELSE} (assigned to {assignee})")
    date = parse_timestamp(record.text("resolved", "resolutiondate")) or parse_timestamp(
        record.text("updated")
    ) or parse_timestamp(record.text("created"))  # fmt: skip
    item = make_item(
        summary,
        source,
        line,
        "jira",
        date=date,
        detail=record.text("description") or "",
        refs=[f"jira:{key.strip().upper()}"] if key and key.strip() else [],
    )
    return item if item is not None else skip(source, line, shown, "no text")


def not_done(status: str | None, resolution: str | None) -> str | None:
    """Why an issue is not done work, from its status and resolution; None if it is."""
    resolved = " ".join((resolution or "").replace("\u2019", "'").lower().split())
    if resolved and resolved in NOT_DONE_RESOLUTIONS and resolved != "unresolved":
        return f"not done (Resolution: {resolution})"
    if resolved and resolved != "unresolved":
        return None
    state = " ".join((status or "").lower().split())
    if status is None or state in DONE:
        return None
    return f"not done (Status: {status})"
