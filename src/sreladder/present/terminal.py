"""Rich consoles for results (stdout) and talk (stderr).

Rich already gives plain text when ``NO_COLOR`` is set or the stream is not a
terminal; off a terminal, lines wrap at ``COLUMNS`` or 80 so piped output reads the
same everywhere, and the padding Rich adds to table cells is trimmed from line ends
(so ``| diff`` and copy-paste see no trailing blanks).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from sreladder.io.diagnostics import printable
from sreladder.present.output import MAX_WIDTH, is_tty, output_width


class TrimmedLines(io.TextIOBase):
    """A text stream that drops trailing spaces from every line it passes on."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._pending = ""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        *lines, self._pending = (self._pending + text).split("\n")
        if lines:
            self._stream.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()


def _console(stream: TextIO) -> Console:
    if is_tty(stream):
        console = Console(file=stream, highlight=False, soft_wrap=False)
        if console.width > MAX_WIDTH:
            console.width = MAX_WIDTH
        return console
    return Console(
        file=TrimmedLines(stream), highlight=False, width=output_width(), soft_wrap=False
    )


def stdout_console() -> Console:
    return _console(sys.stdout)


def stderr_console() -> Console:
    return _console(sys.stderr)


def user_text(value: str, limit: int = 500, style: str = "") -> Text:
    """Text from a person (or a rubric), safe to print: control characters shown as
    escapes, never read as Rich markup."""
    return Text(printable(value, limit), style=style)


def printed(renderable: object) -> str:
    """``renderable`` as the stdout console would print it (styles only on a terminal;
    off one, lines wrapped at the output width and trailing blanks trimmed)."""
    return rich_printed_at_width(lambda width: renderable)


def rich_printed_at_width(make: Callable[[int], object]) -> str:
    """The renderable ``make(width)`` builds for the stdout console's width, printed
    by Rich (:func:`sreladder.present.layout.printed_at_width` tries without it)."""
    console = stdout_console()
    with console.capture() as capture:
        console.print(make(console.width))
    text = capture.get()
    return text if is_tty(sys.stdout) else "\n".join(line.rstrip(" ") for line in text.split("\n"))
