"""Terminal output off a TTY: plain, 80 columns unless COLUMNS says otherwise, no
trailing blanks from Rich's cell padding."""

from __future__ import annotations

import io
import os

from rich.table import Table

from sreladder.present.terminal import MAX_WIDTH, TrimmedLines, _console, output_width


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


def test_output_width_follows_columns_within_bounds():
    assert output_width({}) == 80
    assert output_width({"COLUMNS": "120"}) == 120
    assert output_width({"COLUMNS": "99999999"}) == MAX_WIDTH
    assert output_width({"COLUMNS": "wide"}) == 80
    assert output_width({"COLUMNS": "-5"}) == 80


def test_a_huge_columns_does_not_make_huge_output(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "99999999"}
    run = subprocess.run(
        [sys.executable, "-m", "sreladder", "show", "sre"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert max(map(len, run.stdout.splitlines())) <= MAX_WIDTH


def test_printable_escapes_exactly_the_invisible_characters():
    """Every Cc/Cf/Zl/Zp/Cs character (but TAB, LF, ZWNJ and ZWJ) is shown as an escape;
    every other character as itself."""
    import unicodedata

    from sreladder.io.diagnostics import printable

    kept = {0x09, 0x0A, 0x200C, 0x200D}
    wrong = []
    for code in range(0x110000):
        char = chr(code)
        hidden = unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")
        shown = printable(char, 20)
        if code in kept:
            continue
        if hidden == (shown == char):
            wrong.append(hex(code))
    assert wrong == []
    assert printable("a\U000e0041b\u00adc") == "a\\U000e0041b\\xadc"
