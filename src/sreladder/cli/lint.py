"""``sreladder lint``: rubric quality for authors (see sreladder.core.lint)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption
from sreladder.cli.validate import (
    Format,
    FormatOption,
    paths_argument,
    split_codes,
    write_findings,
)

SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        metavar="CODES",
        help="Only these rules (codes or prefixes such as L50, comma-separated or repeated); "
        "replaces the config's select.",
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(metavar="CODES", help="Leave these rules out; adds to the config's ignore."),
]


def lint(
    paths: Annotated[
        list[Path] | None,
        paths_argument(
            "Rubric folders, role files or folders of them. None: the rubric in use "
            "(--data, $SRELADDER_DATA or built-in)."
        ),
    ] = None,
    format: FormatOption = Format.text,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    data: DataOption = None,
) -> None:
    """Rubric quality for authors: behaviours, vague words, balance.

    Finds labels instead of behaviours, several behaviours in one line, vague words,
    near-duplicates, unbalanced levels and dimensions. Rules and examples: docs/lint.md.
    Settings: `lint:` in .sreladder.yaml or [tool.sreladder.lint] in pyproject.toml,
    found from each file upward; an expectation may carry `# sreladder: ignore[L505]`.
    Exit 0 when clean, 1 on findings, 2 on usage errors. Never changes what `validate`
    reports.
    """
    from sreladder.core import lint as rules
    from sreladder.core.errors import UsageError
    from sreladder.io import diagnostics as diag
    from sreladder.io.lint import lint_paths

    chosen, skipped = split_codes(select), split_codes(ignore)
    unknown = rules.unknown_codes([*chosen, *skipped])
    if unknown:
        known = ", ".join(r.code for r in rules.RULES)
        raise UsageError(f"unknown rule code(s) {', '.join(unknown)} (known: {known})")
    report = lint_paths(list(paths or []), data, chosen or None, skipped)
    found = sorted(report.diagnostics, key=diag.sort_key)
    write_findings(found, format, failed=bool(found), checked=report.checked)
    accepted = f", {report.acknowledged} acknowledged" if report.acknowledged else ""
    sys.stderr.write(f"linted {report.checked} role(s): {len(found)} finding(s){accepted}\n")
    if found:
        raise typer.Exit(1)
