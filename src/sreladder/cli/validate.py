import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, error_boundary


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def register(app: typer.Typer) -> None:
    @app.command()
    @error_boundary
    def validate(
        paths: Annotated[
            list[Path] | None,
            typer.Argument(
                metavar="PATH",
                readable=False,
                help="Rubric folders (with levels/ and roles/), rubric files or assessment "
                "files. None: the rubric in use (--data, $SRELADDER_DATA or built-in).",
                show_default=False,
            ),
        ] = None,
        format: Annotated[
            Format,
            typer.Option("--format", "-f", help="text, json, or github (workflow annotations)."),
        ] = Format.text,
        strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
        data: DataOption = None,
    ) -> None:
        """Check ladders, role rubrics and assessments: syntax, schema and cross-file rules.

        Every finding prints as `path:line:col: CODE message` (E… errors, W… warnings).
        Exit 0 when clean (warnings allowed unless --strict), 1 on findings, 2 on usage errors.
        """
        from sreladder.io import diagnostics as diag
        from sreladder.io.rubric import validate_paths

        report = validate_paths(list(paths or []), data)
        found = sorted(report.diagnostics, key=diag.sort_key)
        errors, warnings = diag.count(found)
        failed = errors > 0 or (strict and warnings > 0)
        renderers = {
            **diag.RENDERERS,
            "json": lambda found: diag.render_json(found, failed=failed, checked=report.checked),
        }
        sys.stdout.write(renderers[format.value](found))
        sys.stderr.write(
            f"checked {report.checked} file(s): {errors} error(s), {warnings} warning(s)\n"
        )
        if failed:
            raise typer.Exit(1)
