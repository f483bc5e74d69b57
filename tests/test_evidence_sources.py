"""Reading evidence sources: Markdown brag documents, plain text, CSV and JSON."""

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sreladder.io.sources import (
    MAX_BYTES,
    EvidenceSourceError,
    find_date,
    read_source,
    read_sources,
    split_links,
)

BRAG = """\
---
title: my brag doc
---
# Dana — brag doc

Intro paragraph that people write.

## Q3 2026

### Incidents
- IC for the Sev1 [checkout outage](https://pm.example.invalid/1) on 2026-08-02
  - wrote the postmortem,
    follow-ups tracked in JIRA
* Paged 14 times, see https://grafana.example.invalid/d/abc.
1. Numbered item

```
- not an item: inside a fence
```
<!-- - not an item: a comment -->

Projects
--------
- [x] Migrated CI to GitHub Actions
---
| What | When |
|------|------|
| Capacity review | Mar 2026 |
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_markdown_items_carry_line_context_date_and_link(tmp_path):
    items = list(read_source(write(tmp_path, "brag.md", BRAG)))
    by_text = {i.text.split(" ")[0]: i for i in items}
    assert [i.line for i in items] == [6, 11, 12, 14, 15, 24, 28]
    ic = by_text["IC"]
    assert ic.text == "IC for the Sev1 checkout outage on 2026-08-02"
    assert ic.link == "https://pm.example.invalid/1"
    assert ic.date == "2026-08-02"
    assert ic.context == ("Dana — brag doc", "Q3 2026", "Incidents")
    nested = by_text["wrote"]
    assert nested.text == "wrote the postmortem, follow-ups tracked in JIRA"  # continuation
    # a nested bullet keeps its parent as context, and its date when it has none
    assert (nested.context, nested.parents) == (ic.context, (ic.text,))
    assert nested.date == "2026-08-02"
    assert by_text["Paged"].date == "2026-Q3"  # from the heading
    assert by_text["Paged"].link == "https://grafana.example.invalid/d/abc"
    assert by_text["Migrated"].context == ("Dana — brag doc", "Projects")
    assert by_text["Capacity"].text == "Capacity review — Mar 2026"
    assert by_text["Capacity"].date == "2026-03"
    assert not any("not an item" in i.text for i in items)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("shipped 2026-03-14", "2026-03-14"),
        ("in 2026-03", "2026-03"),
        ("Mar 2026", "2026-03"),
        ("March 14, 2026", "2026-03-14"),
        ("14 March 2026", "2026-03-14"),
        ("Q3 2026", "2026-Q3"),
        ("2026 Q1", "2026-Q1"),
        ("FY26 goals", "FY2026"),
        ("Feb 30, 2026", None),
        ("2026-13-01", None),
        ("version 2.3.1", None),
    ],
)
def test_dates_in_the_forms_people_write(text, date):
    assert find_date(text) == date


def test_a_heading_that_starts_with_a_year_dates_its_items(tmp_path):
    items = list(
        read_source(write(tmp_path, "y.md", "## 2025\n- shipped it\n# 2026.1 notes\n- b\n"))
    )
    assert [i.date for i in items] == ["2025", None]


def test_links_keep_their_text_and_the_first_url():
    assert split_links("see [the PR](https://x.invalid/1) and [doc](https://y.invalid)") == (
        "see the PR and doc",
        "https://x.invalid/1",
    )
    assert split_links("bare https://x.invalid/a, then text") == (
        "bare https://x.invalid/a, then text",
        "https://x.invalid/a",
    )


def test_plain_text_is_one_item_per_line(tmp_path):
    items = list(read_source(write(tmp_path, "log.txt", "- first\n\n2. second\nthird\n")))
    assert [(i.line, i.text) for i in items] == [(1, "first"), (3, "second"), (4, "third")]


def test_csv_columns_are_found_by_header(tmp_path):
    text = (
        "Date,Accomplishment,URL,Notes\n"
        '2026-02-01,"Cut p99 latency, 40%",https://x.invalid/1,"multi\nline"\n'
        ",,,\n"
        "Mar 2026,=cmd|' /C calc'!A0,,\n"
    )
    items = list(read_source(write(tmp_path, "wins.csv", text)))
    assert [(i.line, i.text, i.date, i.link) for i in items] == [
        (2, "Cut p99 latency, 40%", "2026-02-01", "https://x.invalid/1"),
        (5, "=cmd|' /C calc'!A0", "2026-03", None),
    ]
    assert items[0].detail == "multi line"  # shown beside the item: one line


@pytest.mark.parametrize(("name", "sep"), [("a.csv", ";"), ("b.tsv", "\t"), ("c.csv", "\t")])
def test_csv_delimiter_follows_the_header(tmp_path, name, sep):
    text = f"title{sep}url\nCut p99, 40%{sep}https://x.invalid\n"
    items = list(read_source(write(tmp_path, name, text)))
    assert [(i.text, i.link) for i in items] == [("Cut p99, 40%", "https://x.invalid")]


def test_csv_without_a_text_column_is_refused_at_line_1(tmp_path):
    with pytest.raises(EvidenceSourceError, match=r"nums\.csv:1: no text column"):
        list(read_source(write(tmp_path, "nums.csv", "a,b\n1,2\n")))


def test_gh_pr_list_json(tmp_path):
    prs = [
        {
            "title": "Add burn-rate alerts",
            "body": "SLO work",
            "url": "https://gh.invalid/1",
            "mergedAt": "2026-05-02T10:00:00Z",
        },
        {"title": "Bump TF provider", "body": None, "url": "https://gh.invalid/2"},
    ]
    path = write(tmp_path, "prs.json", json.dumps(prs, indent=2))
    items = list(read_source(path))
    assert [(i.text, i.line, i.date, i.link, i.detail) for i in items] == [
        ("Add burn-rate alerts", 2, "2026-05-02", "https://gh.invalid/1", "SLO work"),
        ("Bump TF provider", 8, None, "https://gh.invalid/2", ""),
    ]


def test_json_lines_and_an_object_holding_one_list(tmp_path):
    lines = write(tmp_path, "a.jsonl", '{"text": "one"}\n\n{"text": "two"}\n')
    assert [(i.line, i.text) for i in read_source(lines)] == [(1, "one"), (3, "two")]
    wrapped = write(tmp_path, "b.json", '{"items": [{"title": "x"}]}')
    assert [i.text for i in read_source(wrapped)] == ["x"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"title": "a"}, 3]', r"b\.json:1: item 2 is not a JSON object"),
        ('[{"title": "a"},\n {"title": }]', r"b\.json:2:\d+: not valid JSON"),
        ('"just text"', r"b\.json:1: expected a JSON list"),
        ("[" * 100_000, r"b\.json:1"),
    ],
)
def test_bad_json_is_one_line_with_its_position(tmp_path, text, message):
    with pytest.raises(EvidenceSourceError, match=message):
        list(read_source(write(tmp_path, "b.json", text)))


def test_binary_and_non_utf8_are_refused_with_their_line(tmp_path):
    binary = tmp_path / "x.md"
    binary.write_bytes(b"- fine\n- also fine\n\x00\x01\x02")
    with pytest.raises(EvidenceSourceError, match=r"x\.md:3: binary data"):
        list(read_source(binary))
    latin = tmp_path / "y.md"
    latin.write_bytes(b"- caf\xe9\n")
    with pytest.raises(EvidenceSourceError, match=r"y\.md:1: not UTF-8 text \(byte 0xe9\)"):
        list(read_source(latin))


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(EvidenceSourceError, match=r"big\.md: file is larger than 8 MiB"):
        list(read_source(big))


def test_too_many_items_are_refused_with_where_it_stopped(tmp_path):
    path = write(tmp_path, "many.txt", "".join(f"item {n}\n" for n in range(12)))
    with pytest.raises(EvidenceSourceError, match=r"many\.txt:11: more than 10 evidence items"):
        read_sources([path], max_items=10)


def test_missing_file_and_an_empty_folder(tmp_path):
    with pytest.raises(EvidenceSourceError, match="no such file"):
        list(read_source(tmp_path / "nope.md"))
    assert read_source(tmp_path) == []  # a folder is read, file by file


def test_an_empty_document_has_no_items(tmp_path):
    assert list(read_source(write(tmp_path, "e.md", ""))) == []
    assert list(read_source(write(tmp_path, "e.json", " \n"))) == []
    assert list(read_source(write(tmp_path, "e.csv", ""))) == []


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400), suffix=st.sampled_from([".md", ".txt", ".csv", ".json", ""]))
def test_arbitrary_text_gives_items_or_our_error(tmp_path, text, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        items = list(read_source(path))
    except EvidenceSourceError as exc:
        assert str(exc).startswith(str(path))
        return
    from sreladder.io.yamlio import unix_lines

    lines = unix_lines(text).count("\n") + 1  # \r, NEL, U+2028 end lines too
    for item in items:
        assert item.text.strip()
        assert 1 <= item.line <= lines


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_give_items_or_our_error(tmp_path, data):
    path = tmp_path / "any.md"
    path.write_bytes(data)
    with contextlib.suppress(EvidenceSourceError):
        list(read_source(path))


def test_pasted_bullets_and_label_lines_over_a_list(tmp_path):
    text = (
        "# Brag\n"
        "**March 2026**\n"
        "• Fixed the pager rota\n"
        "◦ Wrote SLOs\n"
        "Side projects:\n"
        "– **Built** a bot\n"
        "\n"
        "Intro: a paragraph, not a label.\n"
    )
    items = list(read_source(write(tmp_path, "paste.md", text)))
    assert [(i.line, i.text, i.context, i.date) for i in items] == [
        (3, "Fixed the pager rota", ("Brag", "March 2026"), "2026-03"),
        (4, "Wrote SLOs", ("Brag", "March 2026"), "2026-03"),
        (6, "Built a bot", ("Brag", "Side projects"), None),
        (8, "Intro: a paragraph, not a label.", ("Brag", "Side projects"), None),
    ]


@pytest.mark.parametrize("brk", ["\r", "\r\n", "\u2028"])
@pytest.mark.parametrize("name", ["brag.md", "brag.txt"])
def test_every_line_break_ends_an_item(tmp_path, brk, name):
    """CR-only files gave no item (Markdown) or one merged item (text)."""
    path = tmp_path / name
    path.write_bytes(
        f"# Q1 2026{brk}- Led the Sev1 incident{brk}- Wrote the postmortem{brk}".encode()
    )
    items = list(read_source(path))
    texts = [i.text for i in items if "Q1 2026" not in i.text]
    assert texts == ["Led the Sev1 incident", "Wrote the postmortem"]
    assert [i.line for i in items][-2:] == [2, 3]


def test_a_line_separator_inside_a_csv_cell_is_text(tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("text,date\nFixed A\u2028cont,2026-01-01\nFixed B,2026-01-02\n".encode())
    items = list(read_source(path))
    assert [(i.text, i.line, i.date) for i in items] == [
        ("Fixed A cont", 2, "2026-01-01"),  # one cell, its line separator read as a space
        ("Fixed B", 3, "2026-01-02"),
    ]


@pytest.mark.parametrize(
    ("text", "cleaned", "link"),
    [
        (
            "Wrote runbook [click](javascript:alert(1))",
            "Wrote runbook click",
            "javascript:alert(1)",
        ),
        ("[a](https://x.example/a_(b)) done", "a done", "https://x.example/a_(b)"),
        (
            "see https://en.wikipedia.org/wiki/Foo_(bar)",
            None,
            "https://en.wikipedia.org/wiki/Foo_(bar)",
        ),
        ("[x](<javascript:alert(2)>) ran", "x ran", "javascript:alert(2)"),
        ("Led \x1b]8;;https://evil\x07click incident", None, "https://evil"),
    ],
)
def test_links_with_parentheses_and_angle_brackets(text, cleaned, link):
    got_text, got_link = split_links(text)
    assert got_link == link
    if cleaned is not None:
        assert got_text == cleaned


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"title": "x", "n": ' + "9" * 5000 + "}]", "too long"),
        ('{"title": "x", "n": ' + "9" * 5000 + '}\n{"title": "y"}\n', "too long"),
    ],
)
def test_json_with_a_5000_digit_number_is_one_line(tmp_path, content, message):
    path = tmp_path / "n.json"
    path.write_text(content)
    with pytest.raises(EvidenceSourceError, match=message):
        list(read_source(path))


def test_a_lone_surrogate_in_json_becomes_a_replacement_character(tmp_path):
    path = write(tmp_path, "s.json", '[{"title": "\\ud800 incident"}]')
    [item] = read_source(path)
    assert item.text == "\ufffd incident"


@pytest.mark.parametrize(
    ("text", "date"), [("FY99", "FY1999"), ("FY26", "FY2026"), ("FY68", "FY2068")]
)
def test_two_digit_fiscal_years(text, date):
    assert find_date(f"Shipped in {text}") == date


def test_a_source_named_twice_is_read_once(tmp_path):
    path = write(tmp_path, "b.txt", "Led the Sev1 review\nWrote the runbook\n")
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    assert len(read_sources([path, path, link])) == 2


def test_an_empty_title_with_a_body_keeps_the_body(tmp_path):
    path = write(tmp_path, "prs.json", '[{"title": " ", "body": "Cut p99 latency by 40%"}]')
    [item] = read_source(path)
    assert item.text == "Cut p99 latency by 40%"
