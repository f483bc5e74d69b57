"""Many assessments at once: the pure core of ``sreladder team DIR``.

The folder is streamed: each file is read, scored and reduced to a small
:class:`Record` (levels per dimension, recommended level, the ids of its gaps, a date)
before the next one is read, so memory grows with the number of *people*, never with
the size of the files or of the scores. No :class:`~sreladder.core.models.Assessment` or
:class:`~sreladder.core.scoring.ScoreResult` outlives its file.

Choices where DESIGN.md is silent:

* Files: every ``*.yaml`` / ``*.yml`` below the folder, recursively, in sorted path
  order; folders whose name starts with ``.`` (``.git``) are not entered, symlinked
  folders are not followed. A file holding a level scale or a role (a rubric next to
  the assessments) and a YAML mapping that is no sreladder file at all are *skipped*
  (counted, not reported). A file with ``sreladder:`` or ``answers:`` at the top is an
  assessment: if it does not load (YAML, schema, unknown role, bad target) it is
  *broken*: reported as one ``path:line:col: CODE message`` line (the first error; the
  rest with ``sreladder validate``) and counted, never fatal. Files that are not YAML
  text at all (bad encoding, syntax errors) are broken too.
* A person is (role, subject name trimmed and case-folded, assessor relation). With no
  subject name (a manager file without ``subject``) the file is its own person, shown
  by its path. Self, manager and peer assessments of one person are separate rows;
  several peers of one person are one "peer" row (the latest wins).
* An assessment's date is ``updated``, else ``created``, else the file's modification
  time; a date and time without a zone counts as UTC. The latest assessment of a
  person is the one with the greatest date (equal dates: the later path in sorted
  order). The table, the spread and the common gaps use only each person's latest
  assessment; "progress over time" lists every assessment of the people who have
  more than one, oldest first.
* Gaps are each person's gaps to their own target (``--target``, else the file's
  ``target``, else the level above their recommendation), so "most common gaps" reads
  "what most often stands between people and their next level". A ``--target`` that is
  not a level of some role applies only to the roles that have it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sreladder.core import checks
from sreladder.core.errors import SreladderError
from sreladder.core.models import RELATIONS
from sreladder.core.scoring import score
from sreladder.io.diagnostics import Diagnostic
from sreladder.io.rubric import YAML_SUFFIXES, RubricSet, load_file

TOP_GAPS = 10
_ANSWERS_KEY = re.compile(r"^(answers|sreladder)\s*:", re.MULTILINE)


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


@dataclass(slots=True)
class Person:
    """The latest assessment of one person, and the dates and levels of all of them."""

    latest: Record
    history: list[tuple[dt.datetime, str | None]] = field(default_factory=list)

    def add(self, record: Record) -> None:
        self.history.append((record.date, record.recommended))
        if (record.date, record.path) >= (self.latest.date, self.latest.path):
            self.latest = record


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


# --- finding the files --------------------------------------------------------------


def assessment_paths(root: Path) -> list[str]:
    """Every YAML file below ``root``, sorted; hidden folders not entered. Plain strings:
    10,000 ``Path`` objects cost several times the memory of their text."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += (os.path.join(folder, f) for f in files if f.endswith(YAML_SUFFIXES))
    found.sort()
    return found


# --- one file -----------------------------------------------------------------------

Outcome = tuple[
    str, Record | Diagnostic | None
]  # ("ok", Record) | ("broken", Diagnostic) | ("skip", None)


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _first_error(loaded_diagnostics: Iterable[Diagnostic]) -> Diagnostic:
    errors = [d for d in loaded_diagnostics if d.severity == "error"]
    first = errors[0]
    if len(errors) > 1:
        more = f" (and {len(errors) - 1} more: `sreladder validate` lists them)"
        first = Diagnostic(
            first.path, first.line, first.col, first.code, "error", first.message + more
        )
    return first


def reduce_file(path: Path | str, rubric: RubricSet, target: str | None) -> Outcome:
    """Read, check and score one file, keeping only its :class:`Record`."""
    path = Path(path)
    loaded = load_file(path)
    if loaded.kind in ("role", "scale"):
        return ("skip", None)
    if loaded.kind is None:
        source = loaded.source
        if source is not None and not _ANSWERS_KEY.search(source.text):
            return ("skip", None)  # YAML, but not a sreladder file
        if source is not None:
            loaded = load_file(path, "assessment")  # looks like one: say what is missing
    if loaded.model is None:
        return ("broken", _first_error(loaded.diagnostics))
    assessment = loaded.model
    role = rubric.roles.get(assessment.role)
    found = checks.assessment_findings(assessment, role, rubric.roles)
    errors = [f for f in found if f.code.startswith("E")]
    if errors or role is None:
        return ("broken", _first_error(loaded.source.from_findings(errors)))  # type: ignore[union-attr]
    try:
        result = score(role, assessment, target if target in role.levels else None)
    except SreladderError as exc:  # pragma: no cover - targets are checked above
        return ("broken", Diagnostic.make(loaded.source.display, "E302", str(exc)))  # type: ignore[union-attr]

    if assessment.updated is not None:
        date, source_of_date = _as_utc(assessment.updated), "updated"
    elif assessment.created is not None:
        date, source_of_date = _as_utc(assessment.created), "created"
    else:
        try:
            date = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        except OSError:  # gone since it was read: the oldest possible date
            date = dt.datetime.min.replace(tzinfo=dt.UTC)
        source_of_date = "mtime"
    display = loaded.source.display  # type: ignore[union-attr]
    name = assessment.subject_name
    key = assessment.subject_key or f"\x00{display}"
    record = Record(
        role=role.id,
        name=name.strip() if name else display,
        key=key,
        relation=assessment.relation,
        date=date,
        date_source=source_of_date,
        path=display,
        recommended=result.recommended,
        levels=tuple(d.level for d in result.dimensions),
        gaps=tuple(g.expectation for g in result.gaps),
        warnings=tuple(f.code for f in found),
    )
    return ("ok", record)


# --- the whole folder ---------------------------------------------------------------


def _spread(role_levels: list[str], people: Iterable[Person]) -> list[tuple[str | None, int]]:
    counts = Counter(p.latest.recommended for p in people)
    return [(None, counts[None]), *((lv, counts[lv]) for lv in role_levels)]


def build_team(
    outcomes: Iterable[Outcome],
    rubric: RubricSet,
    target: str | None = None,
    on_broken: Callable[[Diagnostic], None] | None = None,
) -> Team:
    """Reduce a stream of per-file outcomes (in file order) into the team view."""
    people: dict[tuple[str, str, str], Person] = {}
    loaded = broken = skipped = 0
    warnings: Counter[str] = Counter()
    for status, value in outcomes:
        if status == "skip":
            skipped += 1
        elif status == "broken":
            broken += 1
            if on_broken is not None:
                on_broken(value)  # type: ignore[arg-type]
        else:
            record: Record = value  # type: ignore[assignment]
            loaded += 1
            warnings.update(record.warnings)
            key = (record.role, record.key, record.relation)
            person = people.get(key)
            if person is None:
                people[key] = Person(record, [(record.date, record.recommended)])
            else:
                person.add(record)

    by_role: dict[str, list[Person]] = {}
    for person in people.values():
        by_role.setdefault(person.latest.role, []).append(person)
    roles = []
    for role_id in sorted(by_role):
        role = rubric.roles[role_id]
        members = sorted(
            by_role[role_id],
            key=lambda p: (p.latest.key, RELATIONS.index(p.latest.relation), p.latest.path),
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
        roles.append(RoleTeam(role_id, members, _spread(role.level_ids, members), gaps, progress))
    target_not_in = (
        [r for r in sorted(by_role) if target not in rubric.roles[r].levels] if target else []
    )
    return Team(roles, loaded, broken, skipped, warnings, target_not_in)


def _init_worker(data_dir: Path | None) -> None:
    import signal

    from sreladder.io.rubric import load_rubric

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle

    global _WORKER_RUBRIC
    _WORKER_RUBRIC = load_rubric(data_dir)


_WORKER_RUBRIC: RubricSet | None = None


def _reduce_in_worker(job: tuple[str, str | None]) -> Outcome:
    assert _WORKER_RUBRIC is not None
    return reduce_file(job[0], _WORKER_RUBRIC, job[1])


#: With ``--jobs 0``: below this many files one process is faster than starting workers.
PARALLEL_FROM = 400


def outcomes(
    paths: list[str],
    rubric: RubricSet,
    target: str | None,
    data_dir: Path | None = None,
    jobs: int = 1,
) -> Iterator[Outcome]:
    """Each file's outcome, in ``paths`` order. ``jobs`` > 1 spreads the parsing over
    that many worker processes (each loads the rubric once); results stream back in
    order, a chunk at a time, so memory stays bounded either way."""
    jobs = min(jobs, len(paths), 4 * _cpus())  # `--jobs 99999999` must not fork-bomb
    if jobs <= 1:
        for path in paths:
            yield reduce_file(path, rubric, target)
        return
    import multiprocessing

    with multiprocessing.Pool(jobs, _init_worker, (data_dir,)) as pool:
        work = ((p, target) for p in paths)
        yield from pool.imap(_reduce_in_worker, work, chunksize=32)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs(files: int) -> int:
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(_cpus(), 8))
