"""Dates as people write them (``Q3 2026``, ``March 14, 2026``) and as tools export them
(ISO 8601, epoch seconds or milliseconds, ``git log``'s ``Wed Jan 14 17:30:00 2026
+0100``, Jira's ``14/Jan/26 5:30 PM``).

A date is kept as precise as the source: ``2026-03-14``, ``2026-03``, ``2026-Q3``,
``2026-H2`` (a half), ``2026`` or ``FY2026``. A timestamp keeps the day it names in its
own time zone (a commit made at 23:30 in Berlin is dated that day, not the UTC one).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")),
    (
        "mdy",
        re.compile(_MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    ),
    (
        "dmy",
        re.compile(
            r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I
        ),
    ),
    ("ym", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)\b(?!-\d)")),
    ("my", re.compile(r"\b" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
    (
        "q",
        re.compile(
            r"\b(?:Q(?P<q>[1-4])\s*[-/ ]?\s*(?P<y>(?:19|20)\d\d)"
            r"|(?P<y2>(?:19|20)\d\d)\s*[-/ ]?\s*Q(?P<q2>[1-4]))\b",
            re.I,
        ),
    ),
    (
        "h",
        re.compile(
            r"\b(?:H(?P<h>[12])\s*[-/ ]?\s*(?P<y>(?:19|20)\d\d)"
            r"|(?P<y2>(?:19|20)\d\d)\s*[-/ ]?\s*H(?P<h2>[12]))\b",
            re.I,
        ),
    ),
    ("fy", re.compile(r"\bFY\s?'?(?P<y>(?:19|20)?\d\d)\b", re.I)),
]
_HAS_DIGIT = re.compile(r"\d")
_HEADING_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\b(?![-/.]\d)")


@functools.lru_cache(maxsize=4096)  # headings repeat for every item under them
def find_date(text: str) -> str | None:
    """The first date in ``text`` as precise as written: ``2026-03-14``, ``2026-03``,
    ``2026-Q3``, ``2026-H2`` or ``FY2026``; None if there is none (or it is not a real
    day)."""
    if not _HAS_DIGIT.search(text):  # every form has a year
        return None
    best: tuple[int, str] | None = None
    for kind, pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        value = _date_value(kind, match)
        if value and (best is None or match.start() < best[0]):
            best = (match.start(), value)
    return best[1] if best else None


def heading_date(heading: str) -> str | None:
    """A heading's date: any date ``find_date`` sees, or a year it starts with
    (``## 2025``, ``2025 — platform team``)."""
    found = find_date(heading)
    if found:
        return found
    year = _HEADING_YEAR.match(heading)
    return year.group(1) if year else None


def _date_value(kind: str, match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if kind == "fy":  # two digits as POSIX strptime reads %y: 69-99 are 19xx, 00-68 20xx
        year = groups["y"]
        century = "19" if len(year) == 2 and int(year) >= 69 else "20"
        return f"FY{century + year if len(year) == 2 else year}"
    if kind == "q":
        return f"{groups['y'] or groups['y2']}-Q{groups['q'] or groups['q2']}"
    if kind == "h":
        return f"{groups['y'] or groups['y2']}-H{groups['h'] or groups['h2']}"
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["month"].lower()]
    return _day(int(groups["y"]), month, None if kind in ("ym", "my") else int(groups["d"]))


def _day(year: int, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# --- timestamps as tools write them --------------------------------------------------

_ISO = re.compile(r"^\s*(\d{4})-(\d\d)-(\d\d)(?:[T ]|$)")
_SLASHED_ISO = re.compile(r"^\s*(\d{4})/(\d\d)/(\d\d)\b")
# git's default and rfc2822: [Wed, ]Jan 14 17:30:00 2026 +0100 / Wed, 14 Jan 2026 ...
_GIT = re.compile(
    r"^\s*(?:[A-Za-z]{3},?\s+)?" + _MONTH + r"\s+(?P<d>\d{1,2})\s+[\d:]+\s+(?P<y>\d{4})\b", re.I
)
_RFC = re.compile(
    r"^\s*(?:[A-Za-z]{3},?\s+)?(?P<d>\d{1,2})\s+" + _MONTH + r"\s+(?P<y>\d{4})\b", re.I
)
# Jira's default: 14/Jan/26 5:30 PM (also 14/Jan/2026, 14-Jan-2026)
_JIRA = re.compile(r"^\s*(?P<d>\d{1,2})[/-]" + _MONTH + r"[/-](?P<y>\d{2}|\d{4})\b", re.I)
# A spreadsheet's re-save: 6/21/2025 16:14 or 21/06/2025
_NUMERIC = re.compile(r"^\s*(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b")


def parse_timestamp(value: str | None) -> str | None:
    """The day a tool's timestamp names (``YYYY-MM-DD``), else any date in it as
    ``find_date`` reads it, else None. Two-digit years are 20xx. A numeric day/month
    order is read from the values (``21/06/2025`` is day first, ``6/21/2025`` month
    first); when both are 12 or less, month first, as a US spreadsheet writes it."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit() and 10 <= len(value) <= 13:  # epoch seconds or milliseconds
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()
    for pattern in (_ISO, _SLASHED_ISO):
        match = pattern.match(value)
        if match:
            return _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    for pattern in (_GIT, _RFC, _JIRA):
        match = pattern.match(value)
        if match:
            year = int(match.group("y"))
            year += 2000 if year < 100 else 0
            month = _MONTHS[match.group("month").lower()]
            return _day(year, month, int(match.group("d")))
    match = _NUMERIC.match(value)
    if match:
        a, b = int(match.group("a")), int(match.group("b"))
        year = int(match.group("y"))
        year += 2000 if year < 100 else 0
        month, day = (b, a) if a > 12 else (a, b)
        return _day(year, month, day)
    return find_date(value)


# --- comparing dates of different precision --------------------------------------------


def span(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date names: a day, a month, a quarter, a year; None for
    no date or a fiscal year (whose months differ by company)."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return day, day
        if len(value) == 7 and value[4] == "-" and value[5] not in "QH":
            first = dt.date(int(value[:4]), int(value[5:]), 1)
            return first, _month_end(first)
        if len(value) == 7 and value[5] in "QH":
            months = 3 if value[5] == "Q" else 6
            part = int(value[6])
            first = dt.date(int(value[:4]), months * (part - 1) + 1, 1)
            return first, _month_end(dt.date(first.year, months * part, 1))
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def precision(value: str | None) -> int:
    """How precise a date is: 3 a day, 2 a month, 1 a quarter or coarser, 0 none."""
    if not value:
        return 0
    if len(value) == 10:
        return 3
    if len(value) == 7 and value[5] not in "QH":
        return 2
    return 1
