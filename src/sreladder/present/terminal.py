"""Rich consoles for results (stdout) and talk (stderr), and the one way a terminal
view is printed: the view builds Rich renderables, Rich lays them out.

On a terminal Rich prints styles at the terminal's width (at most 400 columns). Off
one (a pipe, a file) it prints plain text, as it does under ``NO_COLOR``; lines wrap
at ``COLUMNS`` or 80 so piped output reads the same everywhere, and the padding Rich
adds to table cells is trimmed from line ends (so ``| diff`` and copy-paste see no
trailing blanks). ``FORCE_COLOR`` or ``TTY_COMPATIBLE`` make Rich style a pipe as it
documents.

The consoles read no markup and no emoji codes in plain strings: rubric and user
text enters as ``Text`` (:func:`user_text`), and even a string that slips through
prints as written, never as a style or an OSC 8 hyperlink.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import IO, TextIO, cast

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from sreladder.io.diagnostics import printable

MAX_WIDTH = 400  # tables pad lines to the width: COLUMNS=99999999 must not write gigabytes


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
        console = Console(file=stream, highlight=False, soft_wrap=False, markup=False, emoji=False)
        if console.width > MAX_WIDTH:
            console.width = MAX_WIDTH
        return console
    return Console(
        file=cast(IO[str], TrimmedLines(stream)),
        highlight=False,
        width=output_width(),
        soft_wrap=False,
        markup=False,
        emoji=False,
    )


def stdout_console() -> Console:
    return _console(sys.stdout)


def stderr_console() -> Console:
    return _console(sys.stderr)


def user_text(value: str, limit: int = 500, style: str = "") -> Text:
    """Text from a person (or a rubric), safe to print: control characters shown as
    escapes, never read as Rich markup."""
    return Text(printable(value, limit), style=style)


class Hanging:
    """``head`` then ``text``, the text's wrapped lines indented to where it began: a
    bullet, a level label, a key before its value. Rich wraps the text
    (``Text.wrap``, overflow folded); one renderable instead of a one-row grid, whose
    table layout costs Rich many times more."""

    def __init__(self, head: Text | str, text: Text) -> None:
        self.head = head if isinstance(head, Text) else Text(head)
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        indent = self.head.cell_len
        width = max(options.max_width - indent, 1)
        text = self.text
        fits = text.cell_len <= width and "\n" not in text.plain
        lines = [text] if fits else text.wrap(console, width, overflow="fold")
        yield from self.head.render(console)
        for number, line in enumerate(lines):
            if number:
                yield Segment(" " * indent)
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.head.cell_len
        text = Measurement.get(console, options, self.text)
        return Measurement(indent + text.minimum, indent + text.maximum)


def hanging_row(
    text: Text,
    label: str = "",
    *,
    indent: int = 0,
    width: int | None = None,
    style: str = "cyan",
    gap: int = 1,
    bullet: bool = False,
) -> Hanging:
    """``text`` after a head of ``indent`` blanks, ``label`` in ``style`` padded to
    ``width`` and ``gap`` blanks (when a width is given, even 0), and a bullet (when
    asked); the text's wrapped lines hang under its first character."""
    head = Text(" " * indent)
    if width is not None:
        shown = Text(label, style=style)
        shown.pad_right(max(width - shown.cell_len, 0) + gap)
        head.append_text(shown)
    if bullet:
        head.append("• ")
    return Hanging(head, text)


def printed(renderable: object) -> str:
    """``renderable`` as the stdout console would print it (styles only on a terminal;
    off one, lines wrapped at the output width and trailing blanks trimmed)."""
    return printed_at_width(lambda width: renderable)


def printed_at_width(make: Callable[[int], object]) -> str:
    """The renderable ``make(width)`` builds for the stdout console's width, as the
    stdout console would print it."""
    console = stdout_console()
    with console.capture() as capture:
        console.print(make(console.width))
    text = capture.get()
    return text if is_tty(sys.stdout) else "\n".join(line.rstrip(" ") for line in text.split("\n"))
