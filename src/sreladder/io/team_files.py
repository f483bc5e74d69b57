"""Reading a folder of assessments for ``sreladder team``: which files, each file
reduced to a :class:`~sreladder.core.team.Record`, and the worker processes.

The rules for which files count and how a broken file is reported are in
:mod:`sreladder.core.team`'s docstring. With several workers, a file that kills its
worker process (it should never happen; it once did, in libyaml) is reported as that
file's E009 and the run goes on (:mod:`sreladder.io.pool`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path

from sreladder.core import checks
from sreladder.core.rubric_set import RubricSet
from sreladder.core.scoring import score
from sreladder.core.team import Outcome, Record
from sreladder.io import yamlio
from sreladder.io.diagnostics import Diagnostic
from sreladder.io.rubric import YAML_SUFFIXES, display_path, load_file

_ANSWERS_KEY = re.compile(r"^(answers|sreladder)\s*:", re.MULTILINE)


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


def _as_utc(value: dt.datetime) -> dt.datetime:
    """The time in UTC; a time without a zone is UTC. At the ends of the calendar
    (``9999-12-31T23:59:59-23:00``) the conversion overflows: the offset is dropped."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        return value.replace(tzinfo=dt.UTC)


def _first_error(loaded_diagnostics: Iterable[Diagnostic]) -> Diagnostic:
    errors = [d for d in loaded_diagnostics if d.severity == "error"]
    first = errors[0]
    if len(errors) > 1:
        rerun = f"sreladder validate {shlex.quote(first.path)}"
        more = f" (and {len(errors) - 1} more: `{rerun}` lists them)"
        first = Diagnostic(
            first.path, first.line, first.col, first.code, "error", first.message + more
        )
    return first


def reduce_file(path: Path | str, rubric: RubricSet, target: str | None) -> Outcome:
    """Read, check and score one file, keeping only its :class:`Record`."""
    path = Path(path)
    loaded = load_file(path, cached=False)  # thousands of files, each read once
    if loaded.kind in ("role", "scale"):
        return ("skip", None)
    if loaded.kind is None:
        source = loaded.source
        if source is not None and not _ANSWERS_KEY.search(yamlio.unix_lines(source.text)):
            return ("skip", None)  # YAML, but not a sreladder file
        if source is not None:
            loaded = load_file(
                path, "assessment", cached=False
            )  # looks like one: say what is missing
    if loaded.model is None:
        return ("broken", _first_error(loaded.diagnostics))
    assessment = loaded.model
    role = rubric.roles.get(assessment.role)
    found = checks.assessment_findings(assessment, role, rubric.roles)
    errors = [f for f in found if f.code.startswith("E")]
    if errors or role is None:
        return ("broken", _first_error(loaded.source.from_findings(errors)))  # type: ignore[union-attr]
    result = score(role, assessment, target if target in role.levels else None)

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
        created=_as_utc(assessment.created) if assessment.created is not None else None,
    )
    return ("ok", record)


# --- many files ---------------------------------------------------------------------


def _init_worker(rubric: RubricSet) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle

    global _WORKER_RUBRIC
    _WORKER_RUBRIC = rubric  # the parent's, as checked: never read again from --data


_WORKER_RUBRIC: RubricSet | None = None


def _reduce_in_worker(job: tuple[str, str | None]) -> Outcome:
    assert _WORKER_RUBRIC is not None
    return reduce_file(job[0], _WORKER_RUBRIC, job[1])


def _crashed(job: tuple[str, str | None]) -> Outcome:
    message = "reading this file crashed the worker process (please report it)"
    return ("broken", Diagnostic.make(display_path(Path(job[0])), "E009", message))


#: With ``--jobs 0``: below this many files one process is faster than starting workers.
PARALLEL_FROM = 400


def outcomes(
    paths: list[str],
    rubric: RubricSet,
    target: str | None,
    jobs: int = 1,
) -> Iterator[Outcome]:
    """Each file's outcome, in ``paths`` order. ``jobs`` > 1 spreads the parsing over
    that many worker processes (each is handed the rubric the parent checked); results
    stream back in order, a chunk at a time, so memory stays bounded either way."""
    jobs = min(jobs, len(paths), 4 * _cpus())  # `--jobs 99999999` must not fork-bomb
    if jobs <= 1:
        for path in paths:
            yield reduce_file(path, rubric, target)
        return
    from sreladder.io.pool import ordered_map

    work = [(p, target) for p in paths]
    yield from ordered_map(_reduce_in_worker, work, jobs, _crashed, _init_worker, (rubric,))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs(files: int) -> int:
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(_cpus(), 8))


def records_of(sources: Iterable[Path], rubric: RubricSet) -> tuple[list[Record], list[Diagnostic]]:
    """The assessments among ``sources`` (files, and folders searched as ``team`` does),
    scored, and the first error of each one that could not be read. A file named on its
    own that is a rubric or not a sreladder file at all is an error too; in a folder it
    is passed over."""
    records: list[Record] = []
    broken: list[Diagnostic] = []
    seen: set[str] = set()  # a file named and inside a folder named too counts once
    for source in sources:
        named = not source.is_dir()
        for path in [str(source)] if named else assessment_paths(source):
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            status, value = reduce_file(path, rubric, None)
            if status == "ok":
                records.append(value)
            elif status == "broken":
                broken.append(value)
            elif named:
                message = "not an assessment (a rubric, or YAML that is no sreladder file)"
                broken.append(Diagnostic.make(display_path(source), "E008", message, 1, 1))
    return records, broken
