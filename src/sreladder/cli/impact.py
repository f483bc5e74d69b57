"""`impact`: what a change to a ladder does to stored assessments (for a pull request
that edits the ladder). Reading is io.impact_inputs, the comparison core.impact, the
views present.report_impact: this module only wires them."""

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from sreladder.cli.common import ViewFormat, ViewFormatOption


def impact(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            readable=False,
            help="Assessment files, and folders searched recursively for them.",
            show_default=False,
        ),
    ],
    before: Annotated[
        Path,
        typer.Option(
            "--before",
            metavar="OLD",
            readable=False,
            help="The ladder folder before the change (levels/ and roles/).",
            show_default=False,
        ),
    ],
    after: Annotated[
        Path,
        typer.Option(
            "--after",
            metavar="NEW",
            readable=False,
            help="The ladder folder after the change.",
            show_default=False,
        ),
    ],
    format: ViewFormatOption = ViewFormat.table,
    anonymous: Annotated[
        bool,
        typer.Option(
            "--anonymous",
            help="No names and no file paths: each person is `person N` (numbered in file order).",
        ),
    ] = False,
    fail_on_change: Annotated[
        bool,
        typer.Option("--fail-on-change", help="Exit 1 when any recommendation changes (for CI)."),
    ] = False,
) -> None:
    """What a ladder change does to stored assessments (for a PR).

    Scores every assessment under the ladder before and after a change. For each
    assessment: the recommended level and each dimension's level under both ladders,
    answers to expectations that no longer exist, and new expectations at or below the
    person's level that nobody rated. `--format md` is short, for a pull-request
    comment. A bad ladder or assessment is one line `file:line:col: CODE message` on
    stderr, exit 1.
    """
    from sreladder.core.impact import build_report
    from sreladder.io.impact_inputs import read_assessments
    from sreladder.io.ladder_folder import read_ladder

    old, old_problem = read_ladder(before, "--before")
    new, new_problem = read_ladder(after, "--after")
    problems = [p for p in (old_problem, new_problem) if p]
    if old is None or new is None:
        _refuse(problems)
    inputs = read_assessments(paths, old, new)
    if inputs.problems:
        _refuse(inputs.problems)
    report = build_report(inputs.assessments, old.roles, new.roles, anonymous=anonymous)

    from sreladder.present.report_impact import RENDERER_BY_FORMAT

    sys.stdout.write(RENDERER_BY_FORMAT[format.value](report))
    if fail_on_change and report.recommendation_changes:
        raise typer.Exit(1)


def _refuse(problems: list[str]) -> NoReturn:
    """Each bad input on its own line (already ``printable``), exit 1, nothing on stdout."""
    sys.stderr.write("".join(f"{line}\n" for line in problems))
    raise typer.Exit(1)
