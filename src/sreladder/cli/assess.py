"""``sreladder assess``: the interview (see sreladder.core.interview and sreladder.tty.session)."""

from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, Relation, out_option, target_option

ANSWERS_HELP = (
    "Answer non-interactively from a YAML file, save, print the score. The file maps "
    "expectation ids to a rating (not-yet, partially, consistently, or n/p/c; null = "
    "skipped) or to {rating: ..., evidence: [{text, link, date}]}; a full assessment "
    "file works too. Unknown ids are warned about and kept."
)


def assess(
    role_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ROLE", help="Role id [default: pick from a list].", show_default=False
        ),
    ] = None,
    relation: Annotated[
        Relation | None,
        typer.Option(
            "--as",
            metavar="self|manager|peer",
            help="Who is assessing: self, manager or peer [default: self, or the "
            "assessor of an --answers assessment].",
            show_default=False,
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject",
            metavar="NAME",
            help="The person assessed [default: asked; for self, your name].",
            show_default=False,
        ),
    ] = None,
    assessor: Annotated[
        str | None,
        typer.Option(
            "--assessor",
            metavar="NAME",
            help="Who assesses, recorded as assessor.name [default: for self, the "
            "subject; else none].",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        out_option(
            "File to save to [default: SUBJECT-ROLE-RELATION-DATE.yaml here]. "
            "An existing file is never overwritten: continue it with --resume."
        ),
    ] = None,
    target: Annotated[str | None, target_option("Level aimed at (stored in the file).")] = None,
    thorough: Annotated[
        bool, typer.Option("--thorough", help="Ask every expectation, not just the boundary.")
    ] = False,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            metavar="FILE",
            readable=False,
            help="Continue an assessment file.",
            show_default=False,
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers", metavar="FILE", readable=False, help=ANSWERS_HELP, show_default=False
        ),
    ] = None,
    data: DataOption = None,
    evidence: Annotated[
        list[Path] | None,
        typer.Option(
            "--evidence",
            metavar="FILE",
            readable=False,
            help="A brag document, CSV or JSON whose items are suggested as evidence "
            "after p/c ratings (repeatable).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Rate someone against a role: a short interview, saved as it goes.

    The interview adapts to the answers and saves after every one. For each dimension,
    pick the level that best describes the consistent work, then rate that level's
    expectations (n not-yet, p partially, c consistently) with optional evidence; the
    questions move one level up or down until the boundary is found. At any prompt: s
    skip, b back, ? help, q save and quit. Ctrl-C or a closed terminal loses nothing:
    continue with --resume FILE. Ctrl-C exits 130, input ending early exits 1, q exits
    0. The file is owner-only (0600).
    """
    from sreladder.tty.assess import run

    if assessor is not None:
        from sreladder.core.errors import UsageError

        if resume is not None:
            raise UsageError("--assessor is recorded when an assessment starts, not on --resume")
        if not assessor.strip():
            raise UsageError("--assessor needs a name")
    run(
        role_id,
        relation.value if relation is not None else None,
        subject,
        out,
        target,
        thorough,
        resume,
        answers,
        data,
        assessor,
        evidence,
    )
