"""The Typer app: parse options, call the core, render, choose the exit code."""

from __future__ import annotations

from typing import Annotated

import typer

from sreladder import __version__
from sreladder.commands import schema, validate

app = typer.Typer(
    name="sreladder",
    help="Leveling assessor for Site Reliability, DevOps and Production Engineering ladders.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sreladder {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Leveling assessor for Site Reliability, DevOps and Production Engineering ladders.

    Rate yourself (or a report) against a role rubric, get a recommended level and the
    concrete gaps to the next one, and export a promotion packet. Assessments stay on
    this machine.
    """


for _module in (validate, schema):
    _module.register(app)
