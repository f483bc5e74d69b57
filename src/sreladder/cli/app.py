"""The Typer app: the table of commands, the group that builds a command only when it
runs and turns every way a run ends into an exit code, and the root options.

Each command is a function in its own module (``sreladder.cli.score.score``, ...) whose
heavy imports happen inside it. ``COMMANDS`` names them, in the order ``sreladder
--help`` lists them. A command's docstring is its help; the docstring's first line is
also its line in that list. ``--version`` imports no command module; ``--help`` imports
them (not their libraries) to read those lines; a command builds only itself.

Exit codes, for every command:

- 0: done; also when the reader of the output went away (``sreladder ... | head``);
- 1: findings, or bad input: the project's ``SreladderError`` is one line,
  ``sreladder: message``; the machine refusing (a full disk) is one line too;
- 2: a usage error, as Click reports it (or the project's ``UsageError``);
- 130: Ctrl-C;
- 3: an unexpected (internal) error, in one line; ``SRELADDER_DEBUG=1`` adds the
  traceback.
"""

import gc
import importlib
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Annotated, Any

# A run is short and builds hundreds of thousands of small acyclic objects (YAML nodes,
# Pydantic values) that reference counting frees. With the default thresholds the
# collector keeps rescanning the imported modules for cycles that are not there: about
# a fifth of `validate`'s time on a large ladder. Collect rarely, as mypy does.
gc.set_threshold(100_000, 50, 50)

import typer  # noqa: E402
from typer.completion import Shells, completion_init, get_completion_script, install  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

from sreladder import __version__  # noqa: E402

# name: "module:function" in sreladder.cli. The help lists them in this order.
COMMANDS: dict[str, str] = {
    "assess": "assess:assess",
    "score": "score:score",
    "packet": "packet:packet",
    "compare": "compare:compare",
    "team": "team:team",
    "progress": "progress:progress",
    "impact": "impact:impact",
    "evidence": "evidence:evidence",
    "roles": "browse:roles",
    "levels": "browse:levels",
    "show": "browse:show",
    "diff": "browse:diff",
    "validate": "validate:validate",
    "lint": "lint:lint",
    "schema": "schema:schema",
    "import": "ladder:import_ladder",
    "export": "ladder:export_role",
    "site": "site:site",
}

_APP_SETTINGS: dict[str, Any] = {
    "pretty_exceptions_enable": False,
    "add_completion": False,  # the root's own --install-completion/--show-completion
    "rich_markup_mode": None,
}

# Click's own exceptions (usage errors and the like), whichever Click this Typer runs on:
# its own copy (Typer 0.2x) or the click package.
CLICK_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def command_function(name: str) -> Callable[..., Any]:
    """The function of command ``name`` (KeyError when there is none)."""
    module, function = COMMANDS[name].split(":")
    found: Callable[..., Any] = getattr(
        importlib.import_module(f"sreladder.cli.{module}"), function
    )
    return found


def summary(function: Callable[..., Any]) -> str:
    """A command's line in ``sreladder --help``: its docstring's first line."""
    return inspect.cleandoc(function.__doc__ or "").partition("\n")[0]


def build_command(name: str) -> Any:
    """The click command ``name``, built from its function (help: the docstring)."""
    function = command_function(name)
    sub_app = typer.Typer(**_APP_SETTINGS)
    sub_app.command(name=name, cls=Command, short_help=summary(function))(function)
    return typer.main.get_command(sub_app)


# --- how a value is named in usage and help -----------------------------------------

_TYPE_LABEL = re.compile(r"<([^<>]*)>")
_NAMES = {"str": "TEXT", "int": "N", "int range": "N", "float": "NUMBER", "path": "PATH"}


def _plain_label(match: re.Match[str]) -> str:
    """Typer's ``<list[Path]>``, ``<str>``, ``<md|html>`` as ``PATH``, ``TEXT``, ``md|html``:
    the names used for an option without a metavar of its own."""
    label = match[1]
    while label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    if "|" in label:
        return label
    return _NAMES.get(label.lower(), label.upper())


def _value_name(param: Any, usage: bool = False) -> str:
    """An argument as usage (``[PATH]...`` when optional) or its help row shows it; a
    metavar that says "..." itself (``FILE... | DIR``) is kept as it is."""
    name = param.metavar or (param.name or "").upper()
    if usage and not param.required:
        name = f"[{name}]"
    return f"{name}..." if param.nargs != 1 and "..." not in name else name


class Command(TyperCommand):
    """A command whose usage and help name each value as a person would: ``FILE`` (not
    ``{FILE}`` or ``FILE <path>``), ``[PATH]...``, ``--format md|html|json``."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_value_name(param, usage=True))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            # Typer before 0.2x escapes "[" for Rich even when Rich is off, and leaves
            # an argument's own help out of its record
            said = record[1].replace("\\[", "[")
            if param.param_type_name == "argument":
                own = getattr(param, "help", None)  # Typer's arguments have help, Click's not
                if own and not said.startswith(own):
                    said = f"{own}  {said}"
                arguments.append((_value_name(param), said))
            else:
                options.append((_TYPE_LABEL.sub(_plain_label, record[0]), said))
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


# --- the error boundary -------------------------------------------------------------


def without_value_error(message: str) -> str:
    """``message`` without Pydantic's "Value error, " (Typer checks values with Pydantic
    and passes its messages on)."""
    return message.replace("Value error, ", "")


def _discard_stdout() -> None:
    """After a broken pipe: what is still buffered for stdout goes nowhere, so the last
    flush as Python exits cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (output captured by a test)
        pass


def _exit_for(exc: Exception, meta: Mapping[str, Any]) -> typer.Exit:
    """Print what went wrong, in one line, and return the Exit with its code."""
    from sreladder.cli.common import DATA_KEY, fail, rerun_hint
    from sreladder.core.errors import SreladderError

    if isinstance(exc, SreladderError):
        message = rerun_hint(without_value_error(str(exc)), meta.get(DATA_KEY))
        return fail(message, exc.exit_code)
    if isinstance(exc, EOFError):
        return fail("the input ended before the answers did", 1)
    if isinstance(exc, OSError):  # the machine, not a bug: a full disk, a closed output
        where = f": {exc.filename}" if exc.filename else ""
        return fail(f"stopped: {exc.strerror or exc}{where}", 1)
    if os.environ.get("SRELADDER_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    said = " ".join(f"{type(exc).__name__}: {exc}".split())
    return fail(
        f"internal error: {said} (please report it; SRELADDER_DEBUG=1 shows the traceback)", 3
    )


@contextmanager
def exit_codes(meta: Mapping[str, Any]) -> Iterator[None]:
    """Turn what the body raises into the exit code the module's docstring lists.
    ``meta`` is the run's click ``meta``: the ``--data`` given, for the command an error
    suggests. Stdout is flushed here, so a broken pipe shows up here too."""
    try:
        try:
            yield
        except typer.Exit:
            sys.stdout.flush()
            raise
        sys.stdout.flush()
    except typer.BadParameter as exc:
        exc.message = without_value_error(exc.message)
        raise
    except (typer.Exit, typer.Abort, CLICK_ERROR):
        raise
    except KeyboardInterrupt:
        from sreladder.cli.common import fail

        raise fail("interrupted", 130) from None
    except BrokenPipeError:
        _discard_stdout()
        raise typer.Exit(0) from None
    except Exception as exc:
        raise _exit_for(exc, meta) from None


# --- the group ----------------------------------------------------------------------

COMPLETION_OPTIONS = ("--install-completion", "--show-completion")
SHELLS = tuple(s.value for s in Shells)


def _current_shell() -> str | None:
    """The shell this runs in, if it is one completion supports."""
    import shellingham  # type: ignore[import-untyped]

    try:
        name = str(shellingham.detect_shell()[0]).lower()
    except shellingham.ShellDetectionFailure:
        return None
    return name if name in SHELLS else None


def _completion_request(ctx: Any, args: list[str]) -> None:
    """Do ``--show-completion [SHELL]`` or ``--install-completion [SHELL]`` when it is
    among the root's options, then exit. SHELL left out: the current one.

    They are read here, before Click, not declared as the group's options: their value
    may be left out, which Click cannot parse, and Typer 0.29 builds a Pydantic
    validator for every declared option on every run, even an option not given."""
    for i, arg in enumerate(args):
        if not arg.startswith("-"):
            return  # the command: what follows is its own
        option = arg.lower()
        if option not in COMPLETION_OPTIONS:
            continue
        named = args[i + 1] if i + 1 < len(args) and not args[i + 1].startswith("-") else None
        shell = named.lower() if named else _current_shell()
        hint = f"'{option}'"
        if shell is None:
            raise typer.BadParameter(
                f"name the shell ({', '.join(SHELLS)}): this one is none of them",
                ctx=ctx,
                param_hint=hint,
            )
        if shell not in SHELLS:
            known = ", ".join(repr(s) for s in SHELLS)
            raise typer.BadParameter(f"{named!r} is not one of {known}.", ctx=ctx, param_hint=hint)
        prog = ctx.find_root().info_name or "sreladder"
        variable = f"_{prog}_COMPLETE".replace("-", "_").upper()
        if option == "--show-completion":
            typer.echo(get_completion_script(prog_name=prog, complete_var=variable, shell=shell))
        else:
            shell, path = install(shell=shell, prog_name=prog, complete_var=variable)
            typer.echo(f"{shell} completion installed in {path}")
            typer.echo("Completion will take effect once you restart the terminal")
        raise typer.Exit(0)


class _LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name, each built the first time it is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = build_command(name)  # KeyError for an unknown name
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        raise TypeError(f"add {name!r} to COMMANDS in sreladder.cli.app")

    def __delitem__(self, name: str) -> None:
        raise TypeError(f"remove {name!r} from COMMANDS in sreladder.cli.app")


class LazyGroup(TyperGroup):
    """The root: loads commands lazily and is the one error boundary. Parsing (the root's
    options, ``--help``) and running a command both go through ``exit_codes``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _LazyCommands()

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        with exit_codes({}):
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with exit_codes(ctx.meta):
            return super().invoke(ctx)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # An operating system's argv cannot hold a NUL byte, but a caller in Python can
        # pass one, and Typer before 0.29 let the ValueError of os.stat escape.
        if any("\x00" in arg for arg in args):
            raise typer.BadParameter("an argument holds a NUL byte, which no value can hold")
        _completion_request(ctx, args)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, summary(command_function(name))) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="sreladder",
    cls=LazyGroup,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"], "token_normalize_func": str.lower},
    **_APP_SETTINGS,
)
completion_init()  # the completion classes the scripts call back (`complete_bash`, ...)


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
      SRELADDER_DEBUG=1     a crash (exit 3) shows its traceback

    \b
    Tab completion (SHELL: bash, zsh, fish, powershell, pwsh; default: this one):
      sreladder --install-completion [SHELL]   set it up
      sreladder --show-completion [SHELL]      print the script to set up by hand

    \b
    Exit codes: 0 done, 1 findings or bad input, 2 usage error,
    3 a bug in sreladder (please report it), 130 interrupted (Ctrl-C).
    """
