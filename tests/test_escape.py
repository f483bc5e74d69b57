"""Escaping for Markdown, HTML and CSV: any text comes out inert."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given
from hypothesis import strategies as st

from sreladder.present import escape

HOSTILE = [
    "<script>alert(1)</script>",
    "</td></tr>",
    "| pipe |",
    "`code`",
    "# heading",
    "- item",
    "+ item",
    "12. item",
    "===",
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "-2+3",
    "[red]x[/]",
    "\x1b[2J",
    "  indented",
]


def _unescaped(text: str, char: str) -> bool:
    return re.search(r"(?<!\\)(?:\\\\)*" + re.escape(char), text) is not None


@given(st.text(max_size=200))
def test_markdown_is_one_inert_line(text):
    out = escape.markdown(text)
    assert "\n" not in out and "\r" not in out and "\x1b" not in out
    for char in "|`<>#*_[]":
        assert not _unescaped(out, char), (text, out)
    assert not re.match(r"\s|[-+=]|\d+[.)]", out), (text, out)


def test_markdown_escapes_block_starts():
    assert escape.markdown("- item") == "\\- item"
    assert escape.markdown("12. item") == "12\\. item"
    assert escape.markdown("  # x") == "\\# x"


@given(st.text(max_size=200))
def test_html_text_has_no_markup(text):
    out = escape.html_text(text)
    assert "<" not in out and ">" not in out and '"' not in out and "\x1b" not in out


@given(st.one_of(st.text(max_size=100), st.integers(), st.floats(allow_nan=False)))
def test_csv_cells_never_start_a_formula(value):
    cell = escape.csv_cell(value)
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell])
    (read,) = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert read == [cell]
    if isinstance(value, str):
        assert not cell.startswith(("=", "+", "-", "@"))


def test_numbers_stay_numbers_in_csv():
    assert escape.csv_cell(-2) == "-2"
    assert escape.csv_cell(0.5) == "0.5"
    assert escape.csv_cell("-2") == "'-2"


def test_every_hostile_sample_is_inert_everywhere():
    for text in HOSTILE:
        md = escape.markdown(text)
        assert not _unescaped(md, "|") and not _unescaped(md, "<")
        assert "<" not in escape.html_text(text)
        assert not escape.csv_cell(text).startswith(("=", "+", "-", "@"))


def test_markdown_escapes_entities_only():
    assert escape.markdown("AT&amp;T R&D &#38; &#x26;") == "AT\\&amp;T R&D &\\#38; &\\#x26;"


def test_documents_show_invisible_characters_and_keep_whole_text():
    text = "a\u202eb\u200bc\u2066d\x1be\ufeff" + "x" * 5000
    shown = escape.document_text(text)
    assert shown.startswith("a\\u202eb\\u200bc\\u2066d\\x1be\\ufeff") and shown.endswith("x" * 5000)
    assert escape.html_text(text).endswith("x" * 5000)
    assert escape.markdown(text).endswith("x" * 5000)


def test_markdown_lines_keep_breaks_inside_a_list_item():
    assert escape.markdown_lines("one\r\n- two\r\n\n  # three", "    ") == (
        "one  \n    \\- two  \n    \\# three"
    )


def test_csv_cells_keep_line_breaks():
    assert escape.csv_cell("a\r\nb") == "a\nb"


def test_json_document_escapes_invisible_characters_and_parses_back():
    import json

    value = {"name": "Eve\u202e\u200b\x85\x1b"}
    out = escape.json_document(value)
    assert "\u202e" not in out and "\u200b" not in out and "\x85" not in out
    assert json.loads(out) == value
    stream = io.StringIO()
    escape.json_write(value, stream)
    assert stream.getvalue() == out


def test_json_escapes_hidden_characters_and_keeps_the_value():
    import json

    from sreladder.present.escape import json_document

    value = {"name": "a\u202eb\U000e0041c\xadd\u200de"}
    text = json_document(value)
    assert "\u202e" not in text and "\U000e0041" not in text and "\xad" not in text
    assert "\\udb40\\udc41" in text  # an astral character as its surrogate pair
    assert json.loads(text) == value
