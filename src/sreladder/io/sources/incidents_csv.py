"""Incidents exported as CSV: ONE item per incident, with its date, severity and the
person's role in it.

* PagerDuty (the incidents report's CSV: ``id``, ``incident_number``, ``description``,
  ``service_name``, ``escalation_policy_name``, ``created_on``, ``resolved_on``,
  ``auto_resolved``, ``acknowledged_by_user_names``, ``resolved_by_user_name``,
  ``assigned_to_user_names``, ``urgency``; the analytics export's ``created_at``,
  ``priority_name`` too). The date is ``created_on``; the severity the priority, else
  the urgency.
* Opsgenie (alerts or incidents: ``Message``, ``TinyId``/``Alias``, ``Status``,
  ``Acknowledged``, ``CreatedAt``, ``Priority``, ``Owner``, ``AcknowledgedBy``,
  ``ClosedBy``, in any spelling of case and spaces). The date is ``CreatedAt``; the
  severity its priority (``P1`` ... ``P5``).

The role is ``responder`` when ``--author`` names someone who acknowledged, resolved
or was assigned it (or owned, acknowledged or closed the alert); an incident that does
not name them is read and skipped as someone else's. Without ``--author`` the role is
``unknown``. Read and skipped too: test pages (``test`` as the page's subject, or a
service or escalation policy named as a test one), auto-resolved alerts (PagerDuty's
``auto_resolved``; an Opsgenie alert closed by the system or never acknowledged), and
incidents still open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sreladder.io.sources.base import (
    Entry,
    Options,
    Source,
    make_item,
    skip,
    split_names,
)
from sreladder.io.sources.dates import parse_timestamp
from sreladder.io.sources.noise import AUTO_RESOLVED, SOMEONE_ELSE, TEST_PAGE, test_page
from sreladder.io.sources.records import Record, csv_records, flag

RESPONDER = "responder"
UNKNOWN = "unknown"
STILL_OPEN = "still open"
_SYSTEM = re.compile(r"^(?:system|opsgenie|api|auto[- ]?clos\w*|.*integration.*|.*policy.*)$", re.I)


def read_pagerduty(source: Source, options: Options) -> Iterator[Entry]:
    _, records = csv_records(source)
    for record in records:
        yield _pagerduty(record, source, options)


def _pagerduty(record: Record, source: Source, options: Options) -> Entry:
    line = record.line
    text = record.text("description", "title", "summary") or ""
    number = record.text("incidentnumber")
    shown = f"#{number} {text}" if number else text
    service = record.text("servicename")
    if not text.strip():
        return skip(source, line, shown, "no text")
    if test_page(text, service, record.text("escalationpolicyname")):
        return skip(source, line, shown, TEST_PAGE)
    if flag(record.text("autoresolved")):
        return skip(source, line, shown, AUTO_RESOLVED)
    status = (record.text("status") or "").lower()
    if (status and status != "resolved") or (
        not status
        and record.has("resolvedon", "resolvedat")
        and not record.text("resolvedon", "resolvedat")
    ):
        return skip(source, line, shown, STILL_OPEN)
    people = [
        *split_names(record.text("acknowledgedbyusernames")),
        *split_names(record.text("resolvedbyusername")),
        *split_names(record.text("assignedtousernames")),
    ]
    role = _role(options, people)
    if role is None:
        return skip(source, line, shown, f"{SOMEONE_ELSE} (not among its responders)")
    severity = record.text("priorityname", "priority") or record.text("urgency")
    ident = record.text("id")
    refs = [f"pagerduty:{ident}"] if ident else []
    if number:
        refs.append(f"pagerduty:#{number}")
    item = make_item(
        text,
        source,
        line,
        "pagerduty",
        date=parse_timestamp(record.text("createdon", "createdat")),
        link=record.text("htmlurl", "url"),
        detail=_detail(role, severity, service),
        refs=refs,
        severity=severity,
        role=role,
    )
    return item if item is not None else skip(source, line, shown, "no text")


def read_opsgenie(source: Source, options: Options) -> Iterator[Entry]:
    _, records = csv_records(source)
    for record in records:
        yield _opsgenie(record, source, options)


def _opsgenie(record: Record, source: Source, options: Options) -> Entry:
    line = record.line
    text = record.text("message") or ""
    tiny = record.text("tinyid", "alias", "alertid", "incidentid", "id")
    shown = f"#{tiny} {text}" if tiny else text
    if not text.strip():
        return skip(source, line, shown, "no text")
    if test_page(text, record.text("source"), record.text("teams"), record.text("entity")):
        return skip(source, line, shown, TEST_PAGE)
    status = (record.text("status") or "").lower()
    if status in ("open", "triggered", "acknowledged"):
        return skip(source, line, shown, STILL_OPEN)
    closed_by = record.text("closedby")
    acknowledged = record.text("acknowledged")
    if closed_by and _SYSTEM.match(closed_by.strip()):
        return skip(source, line, shown, f"{AUTO_RESOLVED} (closed by {closed_by})")
    if acknowledged is not None and not flag(acknowledged) and status == "closed":
        return skip(source, line, shown, f"{AUTO_RESOLVED} (closed, never acknowledged)")
    people = [
        *split_names(record.text("owner")),
        *split_names(record.text("acknowledgedby")),
        *split_names(closed_by),
        *split_names(record.text("responders")),
    ]
    role = _role(options, people)
    if role is None:
        return skip(source, line, shown, f"{SOMEONE_ELSE} (not among its responders)")
    severity = record.text("priority")
    item = make_item(
        text,
        source,
        line,
        "opsgenie",
        date=parse_timestamp(record.text("createdat", "created", "impactstartdate")),
        link=record.text("url", "link"),
        detail=_detail(role, severity, record.text("source", "teams")),
        refs=[f"opsgenie:{tiny}"] if tiny else [],
        severity=severity,
        role=role,
    )
    return item if item is not None else skip(source, line, shown, "no text")


def _role(options: Options, people: list[str]) -> str | None:
    """``responder`` when ``--author`` is among ``people``, None when it is not,
    ``unknown`` without ``--author``."""
    chosen = options.people
    if not chosen:
        return UNKNOWN
    return RESPONDER if chosen.any_of(people) else None


def _detail(role: str, severity: str | None, where: str | None) -> str:
    said = "As responder to an incident" if role == RESPONDER else "An incident"
    level = f" ({severity})" if severity else ""
    on = f" on {where}" if where else ""
    return f"{said}{level}{on}; paged on-call."
