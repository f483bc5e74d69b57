"""The Typer app: parse options, call the core, render, choose the exit code.

Commands are loaded lazily, as pip does: ``COMMANDS`` names each command's module and
the one line ``sreladder --help`` shows for it, so a start-up imports and builds only
the command that runs (``--version`` and ``--help`` build none).
"""

import gc
import importlib
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

# A run is short and builds hundreds of thousands of small acyclic objects (YAML nodes,
# Pydantic values) that reference counting frees. With the default thresholds the
# collector keeps rescanning the imported modules for cycles that are not there: about
# a fifth of `validate`'s time on a large ladder. Collect rarely, as mypy does.
gc.set_threshold(100_000, 50, 50)

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from sreladder import __version__  # noqa: E402

# name: (module in sreladder.cli, summary for --help). Order is the help's order.
COMMANDS: dict[str, tuple[str, str]] = {
    "assess": ("assess", "Rate someone against a role: a short interview, saved as it goes."),
    "score": ("score", "An assessment's recommended level and its gaps to the next."),
    "packet": ("packet", "A promotion packet (Markdown, HTML or JSON)."),
    "compare": ("compare", "Where two assessments of one person disagree."),
    "team": ("team", "A folder of assessments: levels, spread, common gaps."),
    "progress": ("progress", "One person's assessments over time: levels at each date."),
    "impact": ("impact", "What a ladder change does to stored assessments (for a PR)."),
    "evidence": ("evidence", "Map brag docs, commits, PRs, tickets, incidents onto a role."),
    "roles": ("browse", "The roles: scale, levels and dimensions of each."),
    "levels": ("browse", "A level scale's levels, lowest first."),
    "show": ("browse", "A role's rubric, dimension by dimension."),
    "diff": ("browse", "What one level asks that another did not."),
    "validate": ("validate", "Check ladders, rubrics and assessments (CI, pre-commit)."),
    "lint": ("lint", "Rubric quality for authors: behaviours, vague words, balance."),
    "schema": ("schema", "JSON Schema of the ladder, role and assessment files."),
    "import": ("ladder", "A ladder from a spreadsheet, Markdown, HTML, Monzo or FT file."),
    "export": ("ladder", "A role as a CSV, XLSX or Markdown matrix."),
    "site": ("site", "The ladder as a static website (works from file:// and any host)."),
}

_APP_SETTINGS: dict[str, Any] = {
    "pretty_exceptions_enable": False,
    "add_completion": False,
    "rich_markup_mode": None,
}


def load_module_commands(module: str) -> dict[str, Any]:
    """The click commands that ``sreladder.cli.<module>`` registers, by name."""
    sub_app = typer.Typer(**_APP_SETTINGS)
    importlib.import_module(f"sreladder.cli.{module}").register(sub_app)
    built = typer.main.get_command(sub_app)
    if isinstance(built, TyperGroup):
        return dict(built.commands)
    return {built.name: built}


class _LazyCommands(Mapping[str, Any]):
    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            module, _ = COMMANDS[name]  # KeyError for an unknown name, as a dict would
            self._built.update(load_module_commands(module))
        return self._built[name]


class LazyGroup(TyperGroup):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _LazyCommands()

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # An operating system's argv cannot hold a NUL byte, but a caller in Python can
        # pass one, and Typer before 0.29 let the ValueError of os.stat escape.
        if any("\x00" in arg for arg in args):
            raise typer.BadParameter("an argument holds a NUL byte, which no value can hold")
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in COMMANDS.items()])


app = typer.Typer(
    name="sreladder",
    cls=LazyGroup,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"], "token_normalize_func": str.lower},
    **_APP_SETTINGS,
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

    \b
    Environment:
      SRELADDER_DATA        the ladder folder to use instead of the built-in one
      SRELADDER_CACHE_DIR   where checked files are kept (default:
                            $XDG_CACHE_HOME/sreladder, else ~/.cache/sreladder)
      SRELADDER_NO_CACHE=1  read and check every file every time
    """
