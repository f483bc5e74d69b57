"""Where results are printed: a terminal, or plain text (a pipe, a file), and how wide."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

MAX_WIDTH = 400  # tables pad lines to the width: COLUMNS=99999999 must not write gigabytes
# Set, these make Rich treat a pipe as a terminal (styles, other widths): Rich prints.
RICH_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


def is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def output_width(environ: Mapping[str, str] = os.environ) -> int:
    """Off a terminal: ``COLUMNS`` when it is a sensible number, else 80; at most 400."""
    try:
        columns = int(environ.get("COLUMNS", ""))
    except ValueError:
        return 80
    return min(columns, MAX_WIDTH) if columns > 0 else 80


def plain_output(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether Rich would print ``stream`` as plain text: not a terminal, and nothing
    in the environment tells it to pretend otherwise."""
    return not is_tty(stream) and not any(environ.get(name) for name in RICH_ENVIRONMENT)
