import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, ViewFormat, ViewFormatOption, error_boundary


class PacketFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        "-t",
        help="Level to argue for [default: the file's target, else the level above the "
        "recommendation].",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Compare even when the subjects or the roles differ."),
]


def _load_pair(file_a: Path, file_b: Path, force: bool, data: Path | None):
    """Both assessments and the role (A's) to compare them against; refuses different
    subjects or roles unless ``force``."""
    from sreladder.core.compare import label, mismatch
    from sreladder.core.errors import SreladderError
    from sreladder.io.assessments import read_assessment_for
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(data)
    a, role = read_assessment_for(file_a, rubric)
    b, _ = read_assessment_for(file_b, rubric)
    problem = mismatch(a, b)
    if problem and not force:
        raise SreladderError(f"{problem}; use --force to compare them anyway")
    labels = (label(a), label(b))
    if labels[0] == labels[1]:
        names = (file_a.name, file_b.name) if file_a.name != file_b.name else ("A", "B")
        labels = (f"{labels[0]} [{names[0]}]", f"{labels[1]} [{names[1]}]")
    return role, a, b, labels


def register(app: typer.Typer) -> None:
    @app.command()
    @error_boundary
    def packet(
        file: Annotated[
            Path,
            typer.Argument(
                metavar="FILE", readable=False, help="An assessment file.", show_default=False
            ),
        ],
        compare_with: Annotated[
            Path | None,
            typer.Option(
                "--compare",
                "-c",
                readable=False,
                help="A second assessment of the same person (e.g. the self-assessment "
                "beside the manager's): its levels and the ratings that differ.",
                show_default=False,
            ),
        ] = None,
        target: TargetOption = None,
        format: Annotated[
            PacketFormat, typer.Option("--format", "-f", help="md, html or json.")
        ] = PacketFormat.md,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                "-o",
                readable=False,
                help="Write the packet to this file [default: stdout].",
                show_default=False,
            ),
        ] = None,
        force: ForceOption = False,
        data: DataOption = None,
    ) -> None:
        """A promotion packet: the recommended and target level and why, each dimension
        against the target with the evidence for what is met, the gaps and the claims
        without evidence; with --compare, the second assessor's view beside it.

        Markdown pastes into GitHub, Confluence or Google Docs; HTML is one
        self-contained file (no external resources) that prints on A4 or Letter; JSON
        carries the same content.
        """
        from sreladder.core.packet import build_packet
        from sreladder.present.report_packet import packet_html, packet_json, packet_markdown

        if compare_with is not None:
            from sreladder.core.compare import compare

            role, a, b, labels = _load_pair(file, compare_with, force, data)
            comparison = compare(role, a, b, target, labels)
            content = build_packet(role, a, comparison.result_a, b, comparison)
        else:
            from sreladder.core.scoring import score
            from sreladder.io.assessments import read_assessment_for
            from sreladder.io.rubric import load_rubric

            a, role = read_assessment_for(file, load_rubric(data))
            content = build_packet(role, a, score(role, a, target))
        render = {
            PacketFormat.md: packet_markdown,
            PacketFormat.html: packet_html,
            PacketFormat.json: packet_json,
        }[format]
        from sreladder.cli.common import write_output

        write_output(render(content), out)

    @app.command()
    @error_boundary
    def compare(
        file_a: Annotated[
            Path,
            typer.Argument(metavar="A", readable=False, help="One assessment.", show_default=False),
        ],
        file_b: Annotated[
            Path,
            typer.Argument(
                metavar="B",
                readable=False,
                help="Another assessment of the same person.",
                show_default=False,
            ),
        ],
        force: ForceOption = False,
        format: ViewFormatOption = ViewFormat.table,
        data: DataOption = None,
    ) -> None:
        """Where two assessments of one person disagree (e.g. self vs manager).

        Per dimension both levels side by side; the expectations whose ratings differ by
        a step or more (not-yet / partially / consistently are 0 / 1 / 2); expectations
        only one side rated ("no answer": unanswered or skipped), listed apart and not
        counted as disagreement. Agreement = the share of expectations rated by both
        whose ratings are equal, and the share of dimensions whose level is equal.
        Columns are labelled by the assessor's relation and name, e.g. "self (Dana)".
        Different subjects (names compared case-insensitively) or roles are refused
        unless --force; both are then scored against FILE_A's role.
        """
        from sreladder.core.compare import compare as compare_assessments

        role, a, b, labels = _load_pair(file_a, file_b, force, data)
        comparison = compare_assessments(role, a, b, None, labels)
        if format is ViewFormat.json:
            import json

            sys.stdout.write(json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n")
        elif format is ViewFormat.md:
            from sreladder.present.report_packet import compare_markdown

            sys.stdout.write(compare_markdown(comparison, role))
        else:
            from sreladder.present.report_packet import render_compare
            from sreladder.present.terminal import stdout_console

            render_compare(comparison, role, stdout_console())
