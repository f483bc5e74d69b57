"""``sreladder packet``: a promotion packet from an assessment."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import (
    DataOption,
    ForceOption,
    file_argument,
    out_option,
    target_option,
)


class PacketFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


def packet(
    file: Annotated[Path, file_argument("An assessment file.")],
    compare_with: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            "-c",
            metavar="FILE",
            readable=False,
            help="A second assessment of the same person (e.g. the self-assessment "
            "beside the manager's): its levels and the ratings that differ.",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        target_option(
            "Level to argue for [default: the file's target, else the level above the "
            "recommendation]."
        ),
    ] = None,
    format: Annotated[
        PacketFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="md|html|json",
            help="md, html or json [default: md, or the --template file's kind].",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            metavar="NAME|FILE",
            help="packet (default), summary, growth-plan, or your own .md.j2 / .html.j2 "
            "file (run sandboxed; see docs/templates.md).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None, out_option("Write the packet to this file [default: stdout].")
    ] = None,
    force: ForceOption = False,
    data: DataOption = None,
) -> None:
    """A promotion packet (Markdown, HTML or JSON).

    The recommended and target level and why, each dimension against the target with the
    evidence for what is met, the gaps and the claims without evidence; with --compare,
    the second assessor's view beside it. Markdown pastes into GitHub, Confluence or
    Google Docs; HTML is one self-contained file (no external resources) that prints on
    A4 or Letter; JSON carries the same content. --template summary gives one page for a
    committee, --template growth-plan the gaps as 30/60/90-day milestones.
    """
    from sreladder.cli.common import warn, write_output
    from sreladder.core.packet import build_packet
    from sreladder.present import labels
    from sreladder.present.report_packet import RENDERER_BY_FORMAT, chosen_format

    fmt = chosen_format(template, format.value if format else None)
    if compare_with is not None:
        from sreladder.cli.common import load_pair
        from sreladder.core.compare import compare

        role, a, b, pair_labels = load_pair(file, compare_with, force, data)
        comparison = compare(role, a, b, target, pair_labels)
        result = comparison.result_a
        content = build_packet(role, a, result, labels, b, comparison)
    else:
        from sreladder.core.scoring import score
        from sreladder.io.assessments import read_assessment_for
        from sreladder.io.rubric import load_rubric

        a, role = read_assessment_for(file, load_rubric(data), warn)
        result = score(role, a, target)
        content = build_packet(role, a, result, labels)
    warning = labels.target_warning(role, result)
    if warning:
        warn(warning)
    write_output(RENDERER_BY_FORMAT[fmt](content, template), out)
