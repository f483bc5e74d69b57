"""Options and helpers shared by the commands.

An option that takes a value names it as a person would (``FILE``, ``LEVEL``,
``md|html|json``): ``metavar`` is set on every one.
"""

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sreladder.core.models import Assessment, Role

DATA_KEY = "sreladder.data"
"""Where the ``--data`` a command was given is kept in the click context's ``meta``
(shared by the whole run), so an error can name it in the command it suggests."""


def _remember_data(ctx: typer.Context, value: Path | None) -> Path | None:
    if value is not None:
        ctx.meta[DATA_KEY] = value
    return value


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="SRELADDER_DATA",
        metavar="DIR",
        readable=False,
        callback=_remember_data,
        help="Rubric folder with levels/ and roles/ [default: the built-in ladders].",
        show_default=False,
    ),
]


class Relation(StrEnum):
    """Whose view an assessment is (``--as``)."""

    self = "self"
    manager = "manager"
    peer = "peer"


class ViewFormat(StrEnum):
    """``--format`` of the commands that show a result: terminal table, JSON, Markdown."""

    table = "table"
    json = "json"
    md = "md"


ViewFormatOption = Annotated[
    ViewFormat,
    typer.Option(
        "--format", "-f", metavar="table|json|md", help="table (terminal), json or md (Markdown)."
    ),
]

ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Compare even when the subjects or the roles differ."),
]


def target_option(help: str) -> Any:
    """The ``--target/-t LEVEL`` option, with the command's own words for what it does:
    ``target: Annotated[str | None, target_option("...")] = None``."""
    return typer.Option("--target", "-t", metavar="LEVEL", help=help)


def out_option(help: str, short: bool = True, metavar: str = "FILE") -> Any:
    """The ``--out`` option (``-o`` too unless ``short`` is false): a path written to."""
    names = ("--out", "-o") if short else ("--out",)
    return typer.Option(*names, metavar=metavar, readable=False, help=help, show_default=False)


def file_argument(help: str, metavar: str = "FILE") -> Any:
    """A required path argument, read by the command (so not checked by Click)."""
    return typer.Argument(metavar=metavar, readable=False, help=help, show_default=False)


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


_VALIDATE_HINT = re.compile(r"`sreladder validate( [^`]*)?`")


def rerun_hint(message: str, data: Path | None) -> str:
    """``message`` with each `sreladder validate …` it suggests run against the rubric
    the user chose: `sreladder validate d` for the rubric itself, `sreladder validate
    --data d FILE` for a file checked against it. Without ``data``, as it was."""
    if data is None:
        return message
    import shlex

    folder = shlex.quote(str(data))

    def complete(match: re.Match[str]) -> str:
        paths = match[1]
        if not paths:
            return f"`sreladder validate {folder}`"
        return f"`sreladder validate --data {folder}{paths}`"

    return _VALIDATE_HINT.sub(complete, message)


def write_output(text: str, out: Path | None, private: bool = True) -> None:
    """The result to stdout, or to ``out`` (created only once the result exists):
    owner-only, as it is about a person, unless ``private`` is false (a rubric)."""
    if out is None:
        sys.stdout.write(text)
        return
    from sreladder.io import store

    store.write_text_atomic(out, text, store.private_mode(out) if private else store.PUBLIC)
    sys.stderr.write(f"wrote {out}\n")


def load_pair(
    file_a: Path, file_b: Path, force: bool, data: Path | None
) -> "tuple[Role, Assessment, Assessment, tuple[str, str]]":
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
