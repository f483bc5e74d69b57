"""The Typer app: parse options, call the core, render, choose the exit code."""

from typing import Annotated

import typer

from sreladder import __version__
from sreladder.commands import assess, browse, packet, schema, score, team, validate

app = typer.Typer(
    name="sreladder",
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

    \b
    Start here:
      sreladder roles                 the ladders it knows
      sreladder diff sre P3 P4        what P4 asks that P3 did not
      sreladder assess sre            the interview (saves every answer)
      sreladder score FILE            recommendation and gaps
    """


for _module in (assess, score, packet, team, browse, validate, schema):
    _module.register(app)
