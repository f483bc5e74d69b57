"""One person's assessments over time: the pure core of ``sreladder progress``.

Its input is the per-file :class:`~sreladder.core.team.Record` that ``team`` reads
(levels per dimension and the recommendation, already scored). A point's date is the
assessment's ``created``; a file without one is dated by ``updated``, else by the
file's modification time, and the point says which (``date_from``). Points are in date
order (equal dates: path order).

The files must be of one person and one role: assessments of several subjects or roles
are refused unless ``subject`` / ``role`` picks one. Self, manager and peer views of the
person are all kept, each point saying whose view it is (``relation`` picks one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sreladder.core.errors import SreladderError
from sreladder.core.models import Role
from sreladder.core.team import Record


@dataclass(frozen=True, slots=True)
class Point:
    """One assessment: when, whose view, and the levels it gives."""

    file: str
    date: dt.datetime
    date_from: str  # created | updated | mtime
    relation: str
    recommended: str | None
    levels: tuple[str | None, ...]  # per dimension, in the role's order


@dataclass(frozen=True, slots=True)
class Progress:
    subject: str
    role: Role
    points: tuple[Point, ...]

    def changes(self) -> list[tuple[Point, Point]]:
        """Consecutive points whose recommendation differs."""
        pairs = zip(self.points, self.points[1:], strict=False)
        return [(a, b) for a, b in pairs if a.recommended != b.recommended]


def _point(record: Record) -> Point:
    if record.created is not None:
        date, source = record.created, "created"
    else:
        date, source = record.date, record.date_source
    return Point(record.path, date, source, record.relation, record.recommended, record.levels)


def _choices(values: Iterable[str]) -> str:
    shown = sorted(set(values))
    listed = ", ".join(repr(v) for v in shown[:5])
    return listed + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")


def build_progress(
    records: Iterable[Record],
    roles: dict[str, Role],
    *,
    subject: str | None = None,
    role: str | None = None,
    relation: str | None = None,
) -> Progress:
    """The progress of the one person (and role) the records are of, or of the one
    ``subject`` / ``role`` / ``relation`` choose. Raises :class:`SreladderError` when
    nothing is left or several people or roles are."""
    every = list(records)
    wanted = subject.strip().casefold() if subject is not None else None
    chosen = [
        r
        for r in every
        if (role is None or r.role == role)
        and (wanted is None or r.key == wanted)
        and (relation is None or r.relation == relation)
    ]
    if not chosen:
        picked = [
            f"{what} {value!r}"
            for what, value in (("subject", subject), ("role", role), ("relation", relation))
            if value is not None
        ]
        among = f" of {' and '.join(picked)}" if picked else ""
        raise SreladderError(f"no assessment{among} among the {len(every)} read")
    people = {r.key: r.name for r in chosen}
    if len(people) > 1:
        raise SreladderError(
            f"these assessments are of {len(people)} people ({_choices(people.values())}); "
            "choose one with --subject NAME"
        )
    role_ids = {r.role for r in chosen}
    if len(role_ids) > 1:
        raise SreladderError(
            f"these assessments are against {len(role_ids)} roles ({_choices(role_ids)}); "
            "choose one with --role ROLE"
        )
    points = sorted((_point(r) for r in chosen), key=lambda p: (p.date, p.file))
    latest_name = max(chosen, key=lambda r: (r.date, r.path)).name
    return Progress(latest_name, roles[role_ids.pop()], tuple(points))
