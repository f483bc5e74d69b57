"""``sreladder validate``: the correctness gate for ladders, rubrics and assessments."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sreladder.cli.common import DataOption


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="text|json|github",
        help="text, json, or github (workflow annotations).",
    ),
]


def paths_argument(help_text: str) -> Any:
    """The PATH... argument of the commands that check files (validate, lint):
    ``paths: Annotated[list[Path] | None, paths_argument("...")] = None``."""
    return typer.Argument(metavar="PATH", readable=False, help=help_text, show_default=False)


def split_codes(values: list[str] | None) -> list[str]:
    """``--ignore L501 --ignore L502,L503`` -> [L501, L502, L503] (upper-cased)."""
    return [c.strip().upper() for v in values or [] for c in v.split(",") if c.strip()]


def write_findings(found: list[Any], format: Format, *, failed: bool, checked: int) -> None:
    """The diagnostics to stdout in ``format`` (sorted already)."""
    from sreladder.io import diagnostics as diag

    renderers = {
        **diag.RENDERERS,
        "json": lambda found: diag.render_json(found, failed=failed, checked=checked),
    }
    sys.stdout.write(renderers[format.value](found))


def validate(
    paths: Annotated[
        list[Path] | None,
        paths_argument(
            "Rubric folders (with levels/ and roles/), rubric files or assessment "
            "files. None: the rubric in use (--data, $SRELADDER_DATA or built-in)."
        ),
    ] = None,
    format: FormatOption = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODES",
            help="Finding codes to leave out (a known warning), comma-separated or "
            "repeated; e.g. --ignore W401 --strict.",
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Check ladders, rubrics and assessments (CI, pre-commit).

    Syntax, schema and cross-file rules. Every finding prints as `path:line:col: CODE
    message` (E… errors, W… warnings). --ignore leaves out findings by code, to
    acknowledge a known warning. Exit 0 when clean (warnings allowed unless --strict), 1
    on findings, 2 on usage errors.
    """
    from sreladder.core.errors import UsageError
    from sreladder.io import diagnostics as diag
    from sreladder.io.validation import validate

    skipped = split_codes(ignore)
    unknown = [c for c in skipped if not any(k.startswith(c) for k in diag.CODES)]
    if unknown:
        raise UsageError(
            f"unknown finding code(s) {', '.join(unknown)} (docs/commands.md lists the codes)"
        )
    errors_named = [c for c in skipped if not c.upper().startswith("W")]
    if errors_named:
        raise UsageError(
            f"--ignore takes warning codes (W…) only, not {', '.join(errors_named)}: "
            "validate is the correctness gate, an error is never acknowledged"
        )
    report = validate(list(paths or []), data)
    found = sorted(
        (d for d in report.diagnostics if not any(d.code.startswith(c) for c in skipped)),
        key=diag.sort_key,
    )
    errors, warnings = diag.count(found)
    failed = errors > 0 or (strict and warnings > 0)
    write_findings(found, format, failed=failed, checked=report.checked)
    left_out = len(report.diagnostics) - len(found)
    ignored = f", {left_out} ignored" if left_out else ""
    sys.stderr.write(
        f"checked {report.checked} file(s): {errors} error(s), {warnings} warning(s){ignored}\n"
    )
    if failed:
        raise typer.Exit(1)
