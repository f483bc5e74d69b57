"""``sreladder progress``: one person's assessments over time."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, Relation, out_option, write_output


class Format(StrEnum):
    table = "table"
    json = "json"
    md = "md"
    html = "html"


def progress(
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE... | DIR",
            readable=False,
            help="Assessment files of one person, or folders of them (searched recursively).",
            show_default=False,
        ),
    ],
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject", "-s", metavar="NAME", help="The person, when the files are of several."
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role", "-r", metavar="ROLE", help="The role, when the files are against several."
        ),
    ] = None,
    relation: Annotated[
        Relation | None,
        typer.Option(
            "--as",
            metavar="self|manager|peer",
            help="Only the self, manager or peer views [default: all, each labelled].",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        Format,
        typer.Option(
            "--format", "-f", metavar="table|json|md|html", help="table, json, md or html."
        ),
    ] = Format.table,
    out: Annotated[Path | None, out_option("Write the result to FILE instead of stdout.")] = None,
    data: DataOption = None,
) -> None:
    """One person's assessments over time: levels at each date.

    Each dimension's level and the recommended level at each date. A point's date is the
    assessment's `created` (else `updated`, else the file's time). Files of several people
    or roles are refused unless --subject or --role picks one; a file that cannot be read
    is reported and left out.
    """
    from sreladder.cli.common import rerun_hint
    from sreladder.core.errors import SreladderError
    from sreladder.core.progress import build_progress
    from sreladder.io.rubric import load_rubric
    from sreladder.io.team_files import records_of

    for source in sources:
        if not source.exists():
            raise SreladderError(f"{source}: no such file or folder")
    rubric = load_rubric(data)
    records, broken = records_of(sources, rubric)
    for diagnostic in broken:
        sys.stderr.write(f"{rerun_hint(str(diagnostic), data)}\n")
    if not records:
        raise SreladderError(
            "no assessment could be read" if broken else "no assessment files found"
        )
    chosen = build_progress(
        records,
        rubric.roles,
        subject=subject,
        role=role,
        relation=relation.value if relation else None,
    )
    from sreladder.present.report_progress import RENDERER_BY_FORMAT

    write_output(RENDERER_BY_FORMAT[format.value](chosen), out)
