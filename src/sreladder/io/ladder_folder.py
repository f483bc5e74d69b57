"""A ladder folder named by an option (``--before``, ``--after``, ``--data``), read with
every problem as one line: ``file:line:col: CODE message`` for the first error, how
many more there are, and the option that named the folder."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from pathlib import Path

from sreladder.core.rubric_set import RubricSet
from sreladder.io.diagnostics import Diagnostic
from sreladder.io.rubric import RubricError, display_path, is_rubric_dir, load_rubric


def first_error(diagnostics: Iterable[Diagnostic], rerun: str = "sreladder validate") -> str:
    """The first error as one line, with how many more there are and ``rerun``, the
    command that lists them."""
    errors = [d for d in diagnostics if d.severity == "error"]
    more = len(errors) - 1
    tail = f" (and {more} more: `{rerun}` lists them)" if more > 0 else ""
    return f"{errors[0]}{tail}"


def read_ladder(folder: Path, option: str) -> tuple[RubricSet | None, str | None]:
    """The ladder in ``folder`` (a role may stand on a built-in scale, as everywhere), or
    None and the one line that says why not. ``option``: what named the folder."""
    shown = display_path(folder)
    if not folder.is_dir():
        return None, f"{shown}: no such folder ({option})"
    if not is_rubric_dir(folder):
        return (
            None,
            f"{shown}: E001 not a ladder folder: it has neither levels/ nor roles/ ({option})",
        )
    try:
        return load_rubric(folder), None
    except RubricError as exc:
        rerun = f"sreladder validate {shlex.quote(shown)}"
        return None, f"{first_error(exc.diagnostics, rerun)} ({option})"
