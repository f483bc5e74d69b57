"""``import`` (a ladder from a spreadsheet, Markdown, HTML, Monzo or FT file) and
``export`` (a role as a CSV, XLSX or Markdown matrix)."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, write_output


class From(StrEnum):
    """The kinds of source ``sreladder.io.importers.KINDS`` reads (a test keeps them equal)."""

    csv = "csv"
    xlsx = "xlsx"
    markdown = "markdown"
    html = "html"
    outline = "outline"
    monzo = "monzo"
    ft = "ft"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    md = "md"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


def import_ladder(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE",
            readable=False,
            help="CSV, XLSX, Markdown (pipe or HTML tables, outline), Monzo or FT file.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Rubric folder to create, or to add the role to (levels/, roles/).",
            show_default=False,
        ),
    ],
    role_id: Annotated[
        str | None,
        typer.Option("--role-id", metavar="ID", help="Id of the role [default: from the source]."),
    ] = None,
    scale_id: Annotated[
        str | None,
        typer.Option(
            "--scale-id", metavar="ID", help="Id of the level scale [default: from the source]."
        ),
    ] = None,
    transpose: Annotated[
        bool, typer.Option("--transpose", help="Levels are rows, dimensions columns.")
    ] = False,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="XLSX: read only this sheet.")
    ] = None,
    source_kind: Annotated[
        From | None,
        typer.Option(
            "--from",
            metavar="|".join(From),
            help="Source kind [default: detected from the content].",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace a role of the same id in --out (only that role's file)."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Say what would be written (new, identical, replaced)."),
    ] = False,
    format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", metavar="text|json", help="What was written: text or json."),
    ] = ReportFormat.text,
) -> None:
    """A ladder from a spreadsheet, Markdown, HTML, Monzo or FT file.

    Imports a ladder kept elsewhere into an sreladder rubric folder. A new folder is
    made; into a rubric folder the role is added beside the others (its scale too, shared
    when identical). The folder as it would be is checked as `sreladder validate` does
    before anything is put in place: on any error nothing is written.
    """
    import re
    import shlex

    from sreladder.core.errors import SreladderError, UsageError
    from sreladder.core.imported import documents
    from sreladder.core.models import ID_PATTERN
    from sreladder.io.importers import read_ladder
    from sreladder.io.ladder_writer import comment_safe, write_rubric_folder

    for option, value in (("--role-id", role_id), ("--scale-id", scale_id)):
        if value is not None and not re.fullmatch(ID_PATTERN, value):
            raise UsageError(f"{option} {value!r} is not an id (letters, digits, - _ .)")
    kind = source_kind.value if source_kind else None
    ladder = read_ladder(source, kind, sheet=sheet, transpose=transpose)
    scale, roles = documents(ladder, role_id, scale_id)
    if not roles:
        raise SreladderError(f"{source.name}: no expectations found to import")
    note = f"Imported by `sreladder import` from {source.name} ({ladder.kind})."
    written = write_rubric_folder(
        out, scale, roles, note, force, source=source.name, dry_run=dry_run
    )
    for said in ladder.notes:
        sys.stderr.write(f"sreladder: note: {comment_safe(said)}\n")
    if written.warnings and not dry_run:
        sys.stderr.write(
            f"sreladder: {len(written.warnings)} warning(s), kept as in the source; "
            f"`sreladder validate {shlex.quote(str(out))}` lists them\n"
        )
    from sreladder.present.ladder_report import import_summary, import_text

    changes = [(out / plan.path, plan.status) for plan in written.files]
    summary = import_summary(source, ladder.kind, out, changes, scale, roles, dry_run)
    if format is ReportFormat.json:
        import json

        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(import_text(summary))


def export_role(
    role: Annotated[str, typer.Argument(metavar="ROLE", help="Role id.", show_default=False)],
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", metavar="csv|xlsx|md", help="csv, xlsx or md (Markdown table)."
        ),
    ] = ExportFormat.csv,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="FILE", help="File to write [default: stdout; xlsx needs it]."
        ),
    ] = None,
    data: DataOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out if it already exists.")
    ] = False,
) -> None:
    """A role as a CSV, XLSX or Markdown matrix.

    The matrix people share: a cell per dimension and level. `sreladder import` of the
    file gives the same role back (ids in a last column).
    """
    from sreladder.core.errors import UsageError
    from sreladder.io import exporters
    from sreladder.io.rubric import load_rubric

    if format is ExportFormat.xlsx and out is None:
        raise UsageError("--format xlsx needs --out FILE (a workbook is binary)")
    if out is not None and (out.exists() or out.is_symlink()) and not force:
        from sreladder.core.errors import SreladderError

        raise SreladderError(f"{out}: already exists; use --force to replace it")
    rubric = load_rubric(data)
    loaded = rubric.role(role)
    scale = rubric.scale_for(loaded)
    if format is ExportFormat.xlsx:
        from sreladder.io.store import write_bytes_atomic

        write_bytes_atomic(out, exporters.to_xlsx(loaded, scale))  # type: ignore[arg-type]
        sys.stderr.write(f"wrote {out}\n")
    elif format is ExportFormat.csv:
        text = exporters.to_csv(loaded, scale)
        write_output(("\ufeff" + text) if out is not None else text, out, private=False)
    else:
        write_output(exporters.to_markdown(loaded, scale), out, private=False)
