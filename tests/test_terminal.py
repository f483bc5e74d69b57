"""Terminal output off a TTY: plain, 80 columns unless COLUMNS says otherwise, no
trailing blanks from Rich's cell padding."""

from __future__ import annotations

import io

from rich.table import Table

from sreladder.terminal import TrimmedLines, _console


def test_trimmed_lines_drops_trailing_spaces_and_keeps_partial_lines():
    sink = io.StringIO()
    stream = TrimmedLines(sink)
    stream.write("a   \nb")
    stream.write("c  \n  d  ")
    assert sink.getvalue() == "a\nbc\n"
    stream.flush()
    assert sink.getvalue() == "a\nbc\n  d  "


def test_piped_console_is_plain_80_columns_without_trailing_blanks(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    sink = io.StringIO()
    console = _console(sink)
    table = Table("name", "level")
    table.add_row("[bold]x[/] " * 30, "P3")
    console.print(table)
    lines = sink.getvalue().splitlines()
    assert lines, "nothing printed"
    assert max(len(line) for line in lines) <= 80
    assert all(line == line.rstrip(" ") for line in lines)
    assert "\x1b" not in sink.getvalue()
