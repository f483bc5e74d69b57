"""``sreladder team``: a folder of assessments as one table."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, rerun_hint, target_option


class Format(StrEnum):
    table = "table"
    json = "json"
    md = "md"
    csv = "csv"


def team(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            readable=False,
            help="A folder of assessment files (searched recursively).",
            show_default=False,
        ),
    ],
    format: Annotated[
        Format,
        typer.Option("--format", "-f", metavar="table|json|md|csv", help="table, json, md or csv."),
    ] = Format.table,
    target: Annotated[
        str | None,
        target_option(
            "Level to count gaps against [default: each file's target, else the "
            "level above each person's recommendation]."
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 1 when any file could not be read."),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            min=0,
            help=(
                "Worker processes for the parsing [default 0: one per CPU, at most 8, "
                "from 400 files on; 1: one process]. Never more than the files or 4 "
                "per CPU. The output is the same either way."
            ),
        ),
    ] = 0,
    data: DataOption = None,
) -> None:
    """A folder of assessments: levels, spread, common gaps.

    People x dimensions. Every *.yaml / *.yml file below DIR is read; rubric files and
    other YAML are skipped. Self, manager and peer views of one person are one person: the
    latest manager view fills the table (else the latest view; dates by `updated`, else
    `created`, else the file's time), the latest view of each other kind is shown beside
    it, and earlier ones show as progress over time. A file that cannot be read is reported
    on stderr as `path:line:col: CODE message` and left out: the exit code is still 0 (1
    with --strict), and 1 when no assessment could be read.
    """
    from sreladder.core.errors import SreladderError, UsageError

    if not folder.exists():
        raise UsageError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder (give the folder that holds the assessments)")
    from sreladder.core.team import build_team
    from sreladder.io import team_files
    from sreladder.io.diagnostics import printable
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(data)
    if target is not None:
        typed = target
        named = (r.level_named(typed) for r in rubric.roles.values())
        target = next((level for level in named if level is not None), None)
        if target is None:
            raise SreladderError(f"target {typed!r} is not a level of any role")
    paths = team_files.assessment_paths(folder)
    workers = jobs if jobs > 0 else team_files.default_jobs(len(paths))

    def report(diagnostic: object) -> None:
        sys.stderr.write(f"{rerun_hint(str(diagnostic), data)}\n")

    outcomes = team_files.outcomes(paths, rubric, target, workers)
    result = build_team(outcomes, rubric.roles, target, report)
    shown = printable(str(folder), 300)
    if result.loaded == 0:
        if result.broken:
            raise SreladderError(
                f"no assessment under {shown} could be read ({result.broken} broken)"
            )
        raise SreladderError(
            f"no assessment files under {shown} (looked for *.yaml and *.yml, recursively)"
        )

    from sreladder.present.report_team import RENDERER_BY_FORMAT

    sys.stdout.write(RENDERER_BY_FORMAT[format.value](result, rubric))

    from sreladder.present.report_team import people_line

    talk = [f"{people_line(result)} read"]
    if result.broken:
        talk.append(f"{result.broken} file(s) could not be read (listed above)")
    if result.skipped:
        talk.append(f"{result.skipped} other YAML file(s) skipped")
    if result.warnings.get("W404"):
        talk.append(f"{result.warnings['W404']} answered against another version of the rubric")
    if result.warnings.get("W403"):
        talk.append(f"{result.warnings['W403']} answer(s) to expectations the rubric no longer has")
    sys.stderr.write("; ".join(talk) + ".\n")
    for role_id in result.target_not_in:
        sys.stderr.write(
            f"note: {target} is not a level of role {role_id}: its people are measured "
            "against their own targets\n"
        )
    if strict and result.broken:
        raise typer.Exit(1)
