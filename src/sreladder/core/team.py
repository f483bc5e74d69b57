"""Many assessments at once: the pure core of ``sreladder team DIR``.

Reading the folder and the worker processes are :mod:`sreladder.io.team_files`; this
module reduces the stream of per-file outcomes. Each file is read, scored and reduced
to a small :class:`Record` (levels per dimension, recommended level, the ids of its
gaps, a date) before the next one is read, so memory grows with the number of
*people*, never with the size of the files or of the scores.

Choices made here (docs/commands.md, `sreladder team`, says them for users):

* Files: every ``*.yaml`` / ``*.yml`` below the folder, recursively, in sorted path
  order; folders whose name starts with ``.`` (``.git``) are not entered, symlinked
  folders are not followed. A file holding a level scale or a role (a rubric next to
  the assessments) and a YAML mapping that is no sreladder file at all are *skipped*
  (counted, not reported). A file with ``sreladder:`` or ``answers:`` at the top is an
  assessment: if it does not load (YAML, schema, unknown role, bad target) it is
  *broken*: reported as one ``path:line:col: CODE message`` line (the first error; the
  rest with ``sreladder validate``) and counted, never fatal. Files that are not YAML
  text at all (bad encoding, syntax errors) are broken too.
* A person is (role, subject name trimmed and case-folded): the self, manager and peer
  views of one person are one person. With no subject name (a manager file without
  ``subject``) the file is its own person, shown by its path.
* An assessment's date is ``updated``, else ``created``, else the file's modification
  time; a date and time without a zone counts as UTC. The latest assessment of a kind
  (self, manager, peer) is the one with the greatest date (equal dates: the later path
  in sorted order). The view that counts for a person (the table's row, the spread,
  the common gaps) is their latest manager view, else their latest view of any kind;
  the latest views of the other kinds are shown beside it. "Progress over time" lists
  every assessment of the people who have more than one, oldest first.
* Gaps are each person's gaps to their own target (``--target``, else the file's
  ``target``, else the level above their recommendation), so "most common gaps" reads
  "what most often stands between people and their next level". A ``--target`` that is
  not a level of some role applies only to the roles that have it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sreladder.core.models import RELATIONS, Role

TOP_GAPS = 10


@dataclass(frozen=True, slots=True)
class Record:
    """One assessment file, reduced to what the team view needs."""

    role: str
    name: str  # as written in the file (or the file's path when it names nobody)
    key: str  # the name trimmed and case-folded
    relation: str
    date: dt.datetime
    date_source: str  # updated | created | mtime
    path: str
    recommended: str | None
    levels: tuple[str | None, ...]  # per dimension, in the role's order
    gaps: tuple[str, ...]  # expectation ids
    warnings: tuple[str, ...] = ()  # finding codes (W403, W404)
    created: dt.datetime | None = None  # the file's `created`, in UTC (progress dates by it)


def _newer(record: Record, than: Record | None) -> bool:
    return than is None or (record.date, record.path) >= (than.date, than.path)


@dataclass(slots=True)
class Person:
    """One person: the view that counts (``latest``), the latest view of each kind, and
    the date, level and kind of every assessment of them."""

    latest: Record
    views: dict[str, Record] = field(default_factory=dict)  # relation -> its latest
    history: list[tuple[dt.datetime, str | None, str]] = field(default_factory=list)

    @classmethod
    def first(cls, record: Record) -> Person:
        person = cls(record)
        person.add(record)
        return person

    def add(self, record: Record) -> None:
        self.history.append((record.date, record.recommended, record.relation))
        if _newer(record, self.views.get(record.relation)):
            self.views[record.relation] = record
        manager = self.views.get("manager")
        self.latest = manager or max(self.views.values(), key=lambda r: (r.date, r.path))

    @property
    def name(self) -> str:
        """The name as the newest of the person's files writes it."""
        return max(self.views.values(), key=lambda r: (r.date, r.path)).name

    @property
    def other_views(self) -> list[Record]:
        """The latest views of the other kinds, self before manager before peer."""
        return [
            self.views[r] for r in RELATIONS if r in self.views and self.views[r] is not self.latest
        ]


@dataclass(frozen=True, slots=True)
class GapCount:
    expectation: str
    dimension: str
    level: str
    text: str
    people: int


@dataclass(frozen=True, slots=True)
class RoleTeam:
    role_id: str
    people: list[Person]  # sorted by name, then relation
    spread: list[tuple[str | None, int]]  # every role level, lowest first; None = below the first
    gaps: list[GapCount]  # the most common, at most TOP_GAPS
    progress: list[Person]  # people with more than one assessment


@dataclass
class Team:
    """The reduced folder. ``roles`` in role id order."""

    roles: list[RoleTeam]
    loaded: int
    broken: int
    skipped: int
    warnings: Counter[str]
    target_not_in: list[str]  # roles for which --target is not a level (their own targets used)

    @property
    def people(self) -> int:
        return sum(len(group.people) for group in self.roles)


# --- the whole folder ---------------------------------------------------------------


def _spread(role_levels: list[str], people: Iterable[Person]) -> list[tuple[str | None, int]]:
    counts = Counter(p.latest.recommended for p in people)
    return [(None, counts[None]), *((lv, counts[lv]) for lv in role_levels)]


#: One file's outcome: ("ok", Record) | ("broken", what to report) | ("skip", None).
Outcome = tuple[str, Any]


def build_team(
    outcomes: Iterable[Outcome],
    roles: Mapping[str, Role],
    target: str | None = None,
    on_broken: Callable[[Any], None] | None = None,
) -> Team:
    """Reduce a stream of per-file outcomes (in file order) into the team view. A broken
    file's value (a diagnostic) is only handed to ``on_broken``."""
    people: dict[tuple[str, str], Person] = {}
    loaded = broken = skipped = 0
    warnings: Counter[str] = Counter()
    for status, value in outcomes:
        if status == "skip":
            skipped += 1
        elif status == "broken":
            broken += 1
            if on_broken is not None:
                on_broken(value)
        else:
            record: Record = value
            loaded += 1
            warnings.update(record.warnings)
            key = (record.role, record.key)
            person = people.get(key)
            if person is None:
                people[key] = Person.first(record)
            else:
                person.add(record)

    by_role: dict[str, list[Person]] = {}
    for person in people.values():
        by_role.setdefault(person.latest.role, []).append(person)
    role_teams = []
    for role_id in sorted(by_role):
        role = roles[role_id]
        members = sorted(
            by_role[role_id],
            key=lambda p: (p.latest.key, p.latest.path),
        )
        counts: Counter[str] = Counter()
        for person in members:
            counts.update(set(person.latest.gaps))
        index = role.expectation_index
        # most people first; ties in the role's order (dimension, level)
        order = {e: i for i, e in enumerate(index)}
        top = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))[:TOP_GAPS]
        gaps = [GapCount(e, index[e][0].id, index[e][1], index[e][2].text, n) for e, n in top]
        for person in members:
            person.history.sort(key=lambda item: item[0])
        progress = [p for p in members if len(p.history) > 1]
        role_teams.append(
            RoleTeam(role_id, members, _spread(role.level_ids, members), gaps, progress)
        )
    target_not_in = [r for r in sorted(by_role) if target not in roles[r].levels] if target else []
    return Team(role_teams, loaded, broken, skipped, warnings, target_not_in)
