"""Rich consoles for results (stdout) and talk (stderr).

Rich already gives plain text when ``NO_COLOR`` is set or the stream is not a
terminal; off a terminal, lines wrap at ``COLUMNS`` or 80 so piped output reads the
same everywhere.
"""

from __future__ import annotations

import os
import sys

from rich.console import Console


def _width(stream) -> int | None:
    if os.environ.get("COLUMNS"):
        return None  # Rich reads it
    try:
        return None if stream.isatty() else 80
    except (AttributeError, ValueError):
        return 80


def stdout_console() -> Console:
    return Console(file=sys.stdout, highlight=False, width=_width(sys.stdout), soft_wrap=False)


def stderr_console() -> Console:
    return Console(file=sys.stderr, highlight=False, width=_width(sys.stderr), soft_wrap=False)
