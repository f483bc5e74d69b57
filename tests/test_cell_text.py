"""Cell text: bullets in and out, level headers, ids and formula escapes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sreladder.core.cell_text import (
    as_id,
    escape_formula,
    join_items,
    level_header,
    slug,
    split_items,
    survives_cell,
    unescape_formula,
    unique,
)
from sreladder.core.models import ID_PATTERN
from sreladder.io.exporters import md_escape, shown_controls
from sreladder.io.importers.markdown_tables import cell_text, split_row

WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=80,
)


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("One sentence. Another one.", ["One sentence. Another one."]),
        ("first line\n\nsecond line", ["first line", "second line"]),
        ("• a\n• b", ["a", "b"]),
        ("•a\n●b", ["a", "b"]),
        ("- a\n  continued\n- b", ["a continued", "b"]),
        ("* a\r\n* b", ["a", "b"]),
        ("1. a\n2) b\n10. c", ["a", "b", "c"]),
        ("Expected to:\n- a\n- b", ["Expected to:", "a", "b"]),
        ("1-2 areas of expertise", ["1-2 areas of expertise"]),
        ("-5 degrees is not a bullet", ["-5 degrees is not a bullet"]),
        ("", []),
    ],
)
def test_split_items(cell, items):
    assert split_items(cell) == items


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("Senior SRE (L3)", ("L3", "Senior SRE")),
        ("Staff Engineer [IC5]", ("IC5", "Staff Engineer")),
        ("L3 - Senior SRE", ("L3", "Senior SRE")),
        ("E4: Senior", ("E4", "Senior")),
        ("P2", ("P2", None)),
        ("Senior Engineer", ("senior-engineer", "Senior Engineer")),
        ("SRE (Ops) I (P1)", ("P1", "SRE (Ops) I")),
        ("  Lead\nSRE  (L4) ", ("L4", "Lead SRE")),
    ],
)
def test_level_header(header, parsed):
    assert level_header(header) == parsed


def test_ids_from_words_are_valid_ids():
    import re

    for text in ["Ownership - Manager of One", "Ünïcödé ✓ name", "!!!", "x" * 200]:
        assert re.match(ID_PATTERN, slug(text))
    assert as_id("P2") == "P2" and as_id("Tech and Tooling") == "tech-and-tooling"


def test_unique_never_repeats_and_skips_reserved():
    taken: set[str] = set()
    assert [unique("a", taken, {"a-2"}) for _ in range(3)] == ["a", "a-3", "a-4"]


@given(st.lists(WORDS, max_size=6))
def test_joined_items_come_back_as_many_and_the_same_when_they_survive(items):
    """An export relies on this: the count tells which kept ids go with which item."""
    back = split_items(join_items(items))
    assert len(back) == len([item for item in items if item.split()])
    if all(survives_cell(item) for item in items):
        assert back == items


@given(WORDS)
def test_formula_escape_is_exact_and_neutral(text):
    escaped = escape_formula(text)
    assert unescape_formula(escaped) == text
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))


@given(WORDS.filter(lambda t: "\n" not in t and "\r" not in t))
def test_markdown_cell_escape_is_exact_and_keeps_one_cell(text):
    row = f"| {md_escape(text)} | x |"
    cells = split_row(row)
    assert len(cells) == 2
    # exact, control characters aside: those are shown escaped (the export keeps them)
    assert cell_text(cells[0]) == shown_controls(text).strip() or text != text.strip()
