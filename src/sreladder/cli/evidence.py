"""``sreladder evidence``: where someone's work is recorded, matched to a role's expectations."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sreladder.cli.common import DataOption, ViewFormat, ViewFormatOption

if TYPE_CHECKING:
    from sreladder.core.evidence import Claim, EvidenceReport
    from sreladder.core.models import Assessment
    from sreladder.core.rubric_set import RubricSet


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
            help="Write the suggested items into the assessment as evidence, each "
            "shown and asked about first (y/n/a/q); ratings never change.",
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="With --attach: attach every suggestion without asking (for scripts; "
            "needed when stdin is not a terminal). Recorded as not reviewed.",
        ),
    ] = False,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            metavar="X",
            min=0.0,
            max=1.0,
            help="With --assessment: suggest for claims only matches scoring at least X (0-1).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Map brag docs, commits, PRs, tickets, incidents onto a role.

    Offline. Brag documents, HTML pages, git log, pull requests, Jira issues, incidents
    and postmortems: each item gets the expectations it supports, best first, with a
    score and the words or concepts that matched; then the items per cell, the
    expectations with no evidence and the items that support nothing. Noise (merge
    commits, dependency bumps, tickets not done, test pages) is read and listed as
    skipped, not counted; the same work in several sources is one item. Nothing is
    written unless --attach is given; in a terminal --attach shows each suggestion and
    asks (y yes, n no, a all the rest, q quit keeping those accepted), elsewhere it
    needs --yes.
    """
    from sreladder.core.errors import UsageError
    from sreladder.core.evidence import Matcher, match_items, unsupported_claims
    from sreladder.io.lexicon_file import load_lexicon
    from sreladder.io.rubric import load_rubric
    from sreladder.io.sources import read_evidence

    if attach and assessment is None:
        raise UsageError("--attach needs --assessment FILE")
    if yes and not attach:
        raise UsageError("--yes goes with --attach")
    if min_score is not None and assessment is None:
        raise UsageError("--min-score needs --assessment FILE (it filters the claims' suggestions)")
    if attach and not yes:
        from sreladder.tty.attach_review import stdin_is_terminal

        if not stdin_is_terminal():
            raise UsageError(
                "--attach asks about each item, and stdin is not a terminal: "
                "add --yes to attach them all without asking (nothing was written)"
            )
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
    claims = None
    if answers is not None:
        claims = unsupported_claims(report, answers, min_score=min_score or 0.0)
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
    if attach and assessment is not None and claims:
        _attach(assessment, rubric, report, claims, yes)
    elif attach:
        sys.stderr.write("nothing to attach: no claim without evidence has a suggestion\n")
    if not items:
        skipped = f" ({len(evidence.skipped)} skipped)" if evidence.skipped else ""
        sys.stderr.write(f"no evidence items found in the source(s){skipped}\n")


def _attach(
    path: Path, rubric: "RubricSet", report: "EvidenceReport", claims: "list[Claim]", yes: bool
) -> None:
    """Review the suggestions (or take them all with ``--yes``) and write those
    accepted. The file is locked from before the first question to after the write, and
    read again under the lock, so an interview saving it meanwhile loses nothing."""
    from pydantic import ValidationError

    from sreladder.core.errors import SreladderError
    from sreladder.core.evidence import as_evidence, attach_items, proposals
    from sreladder.io import file_lock
    from sreladder.io.assessments import not_written, read_assessment_for, save_assessment
    from sreladder.io.diagnostics import printable
    from sreladder.present.terminal import stderr_console
    from sreladder.tty.attach_review import review, unreviewed
    from sreladder.tty.session import Prompter, utc_now

    proposed = proposals(report, claims)
    shown = printable(str(path), 200)
    try:  # an item the file could not hold is refused before anything is asked
        for proposal in proposed:
            as_evidence(report.items[proposal.item].item, "confirmed")
    except ValidationError as exc:
        raise SreladderError(f"{shown}: {not_written(exc)}") from None
    with file_lock.held(path):  # not while an interview of it is open
        if yes:
            decided = unreviewed(proposed)
        else:
            decided = review(proposed, report, Prompter(), stderr_console())
        added = 0
        if decided.accepted:
            current, _ = read_assessment_for(path, rubric)
            chosen = [
                (p.expectation, report.items[p.item].item, how) for p, how in decided.accepted
            ]
            attached = attach_items(current, chosen)  # the ratings never change
            added = _count(attached) - _count(current)
            if added:
                save_assessment(path, attached.model_copy(update={"updated": utc_now()}))
    claimed = len({p.expectation for p, _ in decided.accepted})
    said = f"attached {added} item(s) to {claimed} claim(s) in {shown}"
    if not added:
        said = f"nothing attached; {shown} is unchanged"
    if decided.stopped:
        asked = len(decided.accepted) + decided.declined
        said += f" (stopped after {asked} of {len(proposed)}; the rest were not attached)"
    sys.stderr.write(said + "\n")


def _count(assessment: "Assessment") -> int:
    return sum(len(a.evidence) for a in assessment.answers.values())
