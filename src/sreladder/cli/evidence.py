"""``sreladder evidence``: brag documents, CSV or JSON matched to a role's expectations."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, ViewFormat, ViewFormatOption


def evidence(
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="SOURCE",
            readable=False,
            help="Brag documents (.md, .txt), CSV or JSON (e.g. `gh pr list --json ...`).",
            show_default=False,
        ),
    ],
    role: Annotated[
        str | None,
        typer.Option(
            "--role", "-r", metavar="ROLE", help="Role id [default: the assessment's role]."
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option(
            "--top", "-k", metavar="N", min=1, max=20, help="At most this many matches per item."
        ),
    ] = 3,  # core.evidence.TOP_MATCHES, which imports the models: a test keeps them equal
    format: ViewFormatOption = ViewFormat.table,
    data: DataOption = None,
    lexicon: Annotated[
        list[Path] | None,
        typer.Option(
            "--lexicon",
            metavar="FILE",
            readable=False,
            help="A lexicon file extending the built-in one (repeatable).",
            show_default=False,
        ),
    ] = None,
    assessment: Annotated[
        Path | None,
        typer.Option(
            "--assessment",
            "-a",
            metavar="FILE",
            readable=False,
            help="List its claims (p/c ratings) with no evidence that items support.",
            show_default=False,
        ),
    ] = None,
    attach: Annotated[
        bool,
        typer.Option(
            "--attach",
            help="Write the suggested items into the assessment as evidence "
            "(atomically; ratings never change).",
        ),
    ] = False,
) -> None:
    """Map a brag document, CSV or JSON onto a role's expectations.

    Offline: each item gets the expectations it supports, best first, with a score and
    the words or concepts that matched; then the items per cell, the expectations with
    no evidence and the items that support nothing. Nothing is written unless --attach
    is given.
    """
    from sreladder.core.errors import SreladderError, UsageError
    from sreladder.core.evidence import Matcher, attach_claims, match_items, unsupported_claims
    from sreladder.io.evidence_sources import read_sources
    from sreladder.io.lexicon_file import load_lexicon
    from sreladder.io.rubric import load_rubric

    if attach and assessment is None:
        raise UsageError("--attach needs --assessment FILE")
    rubric = load_rubric(data)
    answers = None
    if assessment is not None:
        from sreladder.io.assessments import read_assessment_for

        answers, chosen = read_assessment_for(assessment, rubric)
        if role is not None and rubric.role(role).id != chosen.id:
            raise UsageError(f"--role {role} but the assessment is for role {chosen.id!r}")
    elif role is None:
        raise UsageError("which role? pass --role ROLE (e.g. --role sre) or --assessment FILE")
    else:
        chosen = rubric.role(role)
    items = read_sources(sources)
    matcher = Matcher(chosen, load_lexicon(data, lexicon or []))
    report = match_items(matcher, items, top)
    claims = unsupported_claims(report, answers) if answers is not None else None
    if format is ViewFormat.json:
        from sreladder.present.evidence_view import report_json

        sys.stdout.write(report_json(report, claims))
    elif format is ViewFormat.md:
        from sreladder.present.evidence_view import report_markdown

        sys.stdout.write(report_markdown(report, claims))
    else:
        from sreladder.present.evidence_view import render_report
        from sreladder.present.terminal import stdout_console

        render_report(report, stdout_console(), claims)
    if attach and assessment is not None and answers is not None and claims:
        from pydantic import ValidationError

        from sreladder.io import file_lock
        from sreladder.io.assessments import not_written, save_assessment
        from sreladder.io.diagnostics import printable
        from sreladder.tty.session import utc_now

        try:
            attached = attach_claims(answers, claims, items)  # the ratings never change
        except ValidationError as exc:  # an item the file could not hold
            raise SreladderError(f"{printable(str(assessment), 200)}: {not_written(exc)}") from None
        with file_lock.held(assessment):  # not while an interview of it is open
            save_assessment(assessment, attached.model_copy(update={"updated": utc_now()}))
        added = sum(len(c.suggested) for c in claims)
        sys.stderr.write(f"attached {added} item(s) to {len(claims)} claim(s) in {assessment}\n")
    elif attach:
        sys.stderr.write("nothing to attach: no claim without evidence has a suggestion\n")
    if not items:
        sys.stderr.write("no evidence items found in the source(s)\n")
