"""Reading what ``sreladder impact`` compares: two ladder folders and the assessments.

Every bad input is one line, ``file:line:col: CODE message`` (the first error of that
file; ``sreladder validate`` lists the rest), collected for all the inputs before the
command gives up, so one run shows every file to fix:

* a ladder folder that is missing, not a ladder (no ``levels/`` nor ``roles/``), or has
  an error in any of its files;
* an assessment that does not load, whose role neither ladder has, or whose target or
  claimed levels are not levels of its role in either ladder.

Files named on the command line must be assessments. In a folder, every ``*.yaml`` /
``*.yml`` below it is read as ``team`` reads it: rubric files and YAML that is no
sreladder file are skipped; a file that looks like an assessment and is not is bad.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sreladder.core import checks
from sreladder.core.findings import Finding
from sreladder.core.models import Assessment
from sreladder.core.rubric_set import RubricSet
from sreladder.io import yamlio
from sreladder.io.ladder_folder import first_error
from sreladder.io.rubric import display_path, load_file
from sreladder.io.team_files import assessment_paths

_SRELADDER_KEY = re.compile(r"^(answers|sreladder)\s*:", re.MULTILINE)


@dataclass
class Inputs:
    """The assessments read, in path order, and one line per bad file."""

    assessments: list[tuple[str, Assessment]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0


def _paths(arguments: list[Path]) -> tuple[list[tuple[str, bool]], list[str]]:
    """(path, named on the command line) for every file to read, each once; and the
    arguments that name nothing."""
    found: list[tuple[str, bool]] = []
    missing: list[str] = []
    for argument in arguments:
        if argument.is_dir():
            found += ((p, False) for p in assessment_paths(argument))
        elif argument.exists():
            found.append((str(argument), True))
        else:
            missing.append(f"{display_path(argument)}: no such file or folder")
    seen: set[str] = set()
    unique = []
    for path, named in found:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append((path, named))
    return unique, missing


def read_assessments(arguments: list[Path], before: RubricSet, after: RubricSet) -> Inputs:
    """Every assessment of ``arguments`` (files and folders), checked against the
    ladder that has its role (the old one first: the files were written against it)."""
    paths, missing = _paths(arguments)
    inputs = Inputs(problems=missing)
    for path, named in paths:
        loaded = load_file(Path(path), "assessment" if named else None, cached=False)
        if not named:
            if loaded.kind in ("role", "scale"):
                inputs.skipped += 1
                continue
            if loaded.kind is None:
                text = loaded.source.text if loaded.source is not None else None
                if text is not None and not _SRELADDER_KEY.search(yamlio.unix_lines(text)):
                    inputs.skipped += 1
                    continue
                loaded = load_file(Path(path), "assessment", cached=False)
        errors = [d for d in loaded.diagnostics if d.severity == "error"]
        if loaded.model is None or errors:
            inputs.problems.append(first_error(errors or loaded.diagnostics))
            continue
        assessment: Assessment = loaded.model
        problem = _against_ladders(assessment, before, after)
        if problem:
            found = loaded.source.from_findings(problem)  # type: ignore[union-attr]
            inputs.problems.append(first_error(found))
            continue
        inputs.assessments.append((loaded.source.display, assessment))  # type: ignore[union-attr]
    if not paths and not missing:
        shown = ", ".join(display_path(a) for a in arguments)
        inputs.problems.append(
            f"{shown}: no assessment files (looked for *.yaml and *.yml, recursively)"
        )
    return inputs


def _against_ladders(assessment: Assessment, before: RubricSet, after: RubricSet) -> list[Finding]:
    """The errors of ``assessment`` against the ladder that has its role; none when the
    other ladder has it and finds none (a file already written against the new one)."""
    known = {**after.roles, **before.roles}
    first: list[Finding] | None = None
    for rubric in (before, after):
        role = rubric.roles.get(assessment.role)
        if role is None:
            continue
        found = [
            f for f in checks.assessment_findings(assessment, role, known) if f.code.startswith("E")
        ]
        if not found:
            return []
        first = found if first is None else first
    if first is None:
        listed = [", ".join(sorted(r.roles)) or "none" for r in (before, after)]
        message = (
            f"unknown role {assessment.role!r}: neither ladder has it "
            f"(--before: {listed[0]}; --after: {listed[1]})"
        )
        return [Finding(("role",), "E301", message)]
    return first
