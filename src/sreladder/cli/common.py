"""Options and helpers shared by the commands."""

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="SRELADDER_DATA",
        readable=False,
        help="Rubric folder with levels/ and roles/ [default: the built-in ladders].",
        show_default=False,
    ),
]


class ViewFormat(StrEnum):
    """``--format`` of the commands that show a result: terminal table, JSON, Markdown."""

    table = "table"
    json = "json"
    md = "md"


ViewFormatOption = Annotated[
    ViewFormat, typer.Option("--format", "-f", help="table (terminal), json or md (Markdown).")
]

ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Compare even when the subjects or the roles differ."),
]


def target_option(help: str) -> Any:
    """The ``--target/-t LEVEL`` option, with the command's own words for what it does."""
    return Annotated[str | None, typer.Option("--target", "-t", help=help)]


def out_option(help: str, short: bool = True) -> Any:
    """The ``--out`` option (``-o`` too unless ``short`` is false): a path written to."""
    names = ("--out", "-o") if short else ("--out",)
    return Annotated[
        Path | None, typer.Option(*names, readable=False, help=help, show_default=False)
    ]


F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` to stderr and return the Exit to raise. Each of its lines is
    made printable: a message may quote a name or a value from a file."""
    from sreladder.io.diagnostics import printable

    shown = "\n".join(printable(line, 2000) for line in message.split("\n"))
    sys.stderr.write(f"sreladder: {shown}\n")
    return typer.Exit(code)


def warn(message: str) -> None:
    """A warning on stderr: the command goes on."""
    sys.stderr.write(f"sreladder: warning: {message}\n")


def error_boundary(func: F) -> F:
    """The one place errors become exit codes: the project's own errors print their
    message and exit 1, Ctrl-C exits 130, anything unexpected says so in one line and
    exits 3 (set SRELADDER_DEBUG=1 for the traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sreladder.core.errors import SreladderError

        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except SreladderError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except BrokenPipeError:
            os._exit(0)  # the reader went away (e.g. `| head`): nothing left to say
        except OSError as exc:  # the machine, not a bug: a full disk, a closed output
            where = f": {exc.filename}" if exc.filename else ""
            raise fail(f"stopped: {exc.strerror or exc}{where}", 1) from None
        except Exception as exc:
            if os.environ.get("SRELADDER_DEBUG"):
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(please report it; SRELADDER_DEBUG=1 shows the traceback)",
                3,
            ) from None

    return wrapper  # type: ignore[return-value]


def write_output(text: str, out: Path | None, private: bool = True) -> None:
    """The result to stdout, or to ``out`` (created only once the result exists):
    owner-only, as it is about a person, unless ``private`` is false (a rubric)."""
    if out is None:
        sys.stdout.write(text)
        return
    from sreladder.io import store

    store.write_text_atomic(out, text, store.private_mode(out) if private else store.PUBLIC)
    sys.stderr.write(f"wrote {out}\n")


def load_pair(file_a: Path, file_b: Path, force: bool, data: Path | None):
    """Both assessments and the role (A's) to compare them against; refuses different
    subjects or roles unless ``force``."""
    from sreladder.core.compare import label, mismatch
    from sreladder.core.errors import SreladderError
    from sreladder.io.assessments import read_assessment_for
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(data)
    a, role = read_assessment_for(file_a, rubric, warn)
    b, _ = read_assessment_for(file_b, rubric, warn)
    problem = mismatch(a, b)
    if problem and not force:
        raise SreladderError(f"{problem}; use --force to compare them anyway")
    labels = (label(a), label(b))
    if labels[0] == labels[1]:
        names = (file_a.name, file_b.name) if file_a.name != file_b.name else ("A", "B")
        labels = (f"{labels[0]} [{names[0]}]", f"{labels[1]} [{names[1]}]")
    return role, a, b, labels
