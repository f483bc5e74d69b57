"""``sreladder evidence``: where someone's work is recorded, matched to a role's expectations."""

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
            help="Brag documents (.md, .txt, HTML pages), git log, gh --json output, Jira, "
            "PagerDuty or Opsgenie CSV, postmortems, CSV or JSON: files, folders, or - "
            "for standard input.",
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
    source_format: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="NAME",
            help="Read every source as this format (markdown, text, incident, html, git, "
            "github, jira, pagerduty, opsgenie, csv, json) [default: told from the "
            "content, then the file name].",
            show_default=False,
        ),
    ] = None,
    author: Annotated[
        list[str] | None,
        typer.Option(
            "--author",
            metavar="NAME",
            help="Who the person is (a name, login or email; repeatable): others' "
            "commits, PRs and tickets are skipped, and an incident says their role.",
            show_default=False,
        ),
    ] = None,
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
    """Map brag docs, commits, PRs, tickets, incidents onto a role.

    Offline. Brag documents, HTML pages, git log, pull requests, Jira issues, incidents
    and postmortems: each item gets the expectations it supports, best first, with a
    score and the words or concepts that matched; then the items per cell, the
    expectations with no evidence and the items that support nothing. Noise (merge
    commits, dependency bumps, tickets not done, test pages) is read and listed as
    skipped, not counted; the same work in several sources is one item. Nothing is
    written unless --attach is given.
    """
    from sreladder.core.errors import UsageError
    from sreladder.core.evidence import Matcher, attach_claims, match_items, unsupported_claims
    from sreladder.io.lexicon_file import load_lexicon
    from sreladder.io.rubric import load_rubric
    from sreladder.io.sources import read_evidence

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
    if source_format is not None:
        from sreladder.io.sources.registry import forced

        forced(source_format)  # an unknown name is a usage error before anything is read
    evidence = read_evidence(sources, source_format=source_format, authors=author or ())
    items = evidence.items
    matcher = Matcher(chosen, load_lexicon(data, lexicon or []))
    report = match_items(matcher, items, top, evidence.skipped)
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
        from sreladder.io import file_lock
        from sreladder.io.assessments import save_assessment
        from sreladder.tty.session import utc_now

        attached = attach_claims(answers, claims, items)  # the ratings never change
        with file_lock.held(assessment):  # not while an interview of it is open
            save_assessment(assessment, attached.model_copy(update={"updated": utc_now()}))
        added = sum(len(c.suggested) for c in claims)
        sys.stderr.write(f"attached {added} item(s) to {len(claims)} claim(s) in {assessment}\n")
    elif attach:
        sys.stderr.write("nothing to attach: no claim without evidence has a suggestion\n")
    if not items:
        skipped = f" ({len(evidence.skipped)} skipped)" if evidence.skipped else ""
        sys.stderr.write(f"no evidence items found in the source(s){skipped}\n")
