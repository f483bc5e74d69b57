"""`sreladder evidence` over every kind of source: standard input, folders, --from,
--author, sources it cannot read, the skipped entries and the merged ones in each view,
and hostile input (one line, exit 1 or escaped, never a traceback)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sreladder.cli.app import app

SOURCES = Path(__file__).resolve().parent / "fixtures" / "evidence" / "sources"


def run(*args, **kwargs):
    return CliRunner().invoke(app, ["evidence", *map(str, args)], **kwargs)


def as_json(*args, **kwargs):
    result = run(*args, "--role", "sre", "-f", "json", **kwargs)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_standard_input_is_told_by_its_content():
    text = (SOURCES / "git-log.txt").read_text()
    data = as_json("-", input=text)
    assert [(i["file"], i["line"], i["format"]) for i in data["items"]][:2] == [
        ("<stdin>", 10, "git"),
        ("<stdin>", 16, "git"),
    ]
    assert len(data["items"]) == 5 and len(data["skipped"]) == 6
    assert data["skipped"][0] == {
        "file": "<stdin>",
        "line": 1,
        "text": "Merge pull request #1230 from acme/dana/auth-pool",
        "reason": "merge commit",
    }


def test_from_forces_a_format_and_an_unknown_name_is_a_usage_error():
    text = '[{"title": "Led the Sev1 review"}]\n'
    data = as_json("-", "--from", "text", input=text)
    assert [i["text"] for i in data["items"]] == ['[{"title": "Led the Sev1 review"}]']
    result = run("-", "--role", "sre", "--from", "docx", input=text)
    assert result.exit_code == 2
    assert "--from 'docx': one of markdown, text, incident, html, git, github" in result.stderr


def test_author_is_repeatable_and_filters_other_peoples_work():
    data = as_json(SOURCES / "git-log.txt", "--author", "Dana Smith", "--author", "dana-smith")
    assert len(data["items"]) == 3
    assert sum(s["reason"].startswith("someone else's") for s in data["skipped"]) == 2


def test_a_folder_is_read_recursively(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "brag.md").write_text("- Led the Sev1 checkout review\n")
    (tmp_path / "notes" / ".hidden.md").write_text("- not read\n")
    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "server.log").write_text("12:00 GET /health 200\n")
    data = as_json(tmp_path)
    assert [i["text"] for i in data["items"]] == ["Led the Sev1 checkout review"]
    assert sorted((Path(s["file"]).name, s["line"], s["reason"]) for s in data["skipped"]) == [
        ("server.log", None, "not a format sreladder reads"),  # .log, but not a git log
        ("slides.pdf", None, "not a format sreladder reads"),
    ]
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    data = as_json(tmp_path)
    assert [s["reason"] for s in data["skipped"] if s["file"].endswith("package.json")] == [
        "unreadable (expected a JSON list of objects (or an object holding one list))"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.rst", "Heading\n=======\n\n* item\n", "notes.rst: not a format sreladder reads"),
        ("notes.org", "* TODO item\n", "(a .org file that is none of: markdown, text"),
        ("server.log", "12:00 GET /health 200\n", "pass --from NAME to read it as one of them"),
        (
            "data.json",
            '[{"id": 1, "value": 3}]',
            "data.json:1: no known field in its objects (looked for: text, title, summary",
        ),
        ("data.csv", "a,b\n1,2\n", "data.csv:1: no text column in the header (looked for: text"),
    ],
)
def test_a_source_it_cannot_read_is_one_line_and_exit_1(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    result = run(path, "--role", "sre")
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_the_same_work_from_four_sources_is_one_item():
    files = ["brag.md", "jira-export.csv", "gh-pr-list.json", "git-log.txt"]
    data = as_json(*(SOURCES / f for f in files))
    [alerts] = [i for i in data["items"] if "burn-rate alerts" in i["text"]]
    assert alerts["text"] == "Added multi-window burn-rate alerts for the checkout SLO (OPS-412)"
    assert [(Path(s["file"]).name, s["line"]) for s in alerts["sources"]] == [
        ("brag.md", 20),
        ("jira-export.csv", 2),
        ("gh-pr-list.json", 1),
        ("git-log.txt", 58),
    ]
    assert alerts["date"] == "2026-02-03"  # the most precise of 2026-Q1 and the day
    assert alerts["link"] == "https://github.com/acme/platform/pull/1187"
    assert set(alerts["refs"]) >= {"jira:OPS-412", "github:acme/platform#1187"}
    # the PR #1230 squash commit and the PR are one item too
    [pool] = [i for i in data["items"] if "github:acme/platform#1230" in i["refs"]]
    assert [Path(s["file"]).name for s in pool["sources"]] == ["gh-pr-list.json", "git-log.txt"]


def test_views_say_what_was_skipped_and_merged():
    files = [SOURCES / "gh-pr-list.json", SOURCES / "git-log.txt"]
    table = run(*files, "--role", "sre", env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "13 skipped, not counted: 3 dependency bump, 2 revert, 2 typo fix, " in table.stdout
    assert "found in several sources" in table.stdout
    md = run(*files, "--role", "sre", "-f", "md")
    assert "## Skipped, not counted (13)" in md.stdout
    assert ", closed without merging)" in md.stdout


def test_everything_skipped_says_so(tmp_path):
    path = tmp_path / "log.txt"
    path.write_text("abc1234 Merge branch 'main' into feature\ndef5678 Fix typo in README\n")
    result = run(path, "--role", "sre", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["items"] == []
    assert "no evidence items found in the source(s) (2 skipped)" in result.stderr


# --- hostile input ------------------------------------------------------------------------

HIDDEN = "Led\u202e the\x85 Sev1\x9b review\u200b of the \x1b[31mcheckout\x1b[0m outage"


def test_json_output_escapes_hidden_characters(tmp_path):
    path = tmp_path / "brag.md"
    path.write_text(f"- {HIDDEN}\n", encoding="utf-8")
    result = run(path, "--role", "sre", "-f", "json")
    assert result.exit_code == 0
    for char in ("\u202e", "\x85", "\x9b", "\u200b", "\x1b"):
        assert char not in result.stdout
    assert "\\u202e" in result.stdout and "\\u009b" in result.stdout
    assert json.loads(result.stdout)["items"][0]["text"] == " ".join(HIDDEN.split())


def test_markup_and_escapes_in_an_export_stay_text(tmp_path):
    path = tmp_path / "log.txt"
    path.write_text(
        "abc1234 [bold red]Led[/] the \x1b]8;;https://evil.invalid\x07Sev1\x1b]8;;\x07 review\n"
    )
    table = run(path, "--role", "sre", env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "[bold red]Led[/]" in table.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("blob.md", b"- ok\n\x00\xff", "blob.md:2: binary data (a NUL byte), not text"),
        ("latin.txt", b"- caf\xe9\n", "latin.txt:1: not UTF-8 text (byte 0xe9)"),
        ("deep.json", b"[" * 100_000, "deep.json:1: JSON nested too deeply"),
        ("big.md", b"- x\n" * 300_000, "a document read as Markdown or text has at most"),
        ("huge.csv", b"a" * (8 * 1024 * 1024 + 1), "huge.csv: file is larger than 8 MiB"),
        ("tags.html", b"<!DOCTYPE html>" + b"<b>" * 100_001, "HTML tags; at most 100,000"),
    ],
)
def test_hostile_sources_are_one_line_and_exit_1(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(path, "--role", "sre")
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_deep_nesting_in_documents_is_read_without_a_traceback(tmp_path):
    quotes = tmp_path / "quotes.md"
    quotes.write_text("> " * 50_000 + "deep\n")
    lists = tmp_path / "lists.html"
    lists.write_text("<!DOCTYPE html><ul>" + "<li>Led the review<ul>" * 2_000 + "</ul>")
    for path in (quotes, lists):
        result = run(path, "--role", "sre", "-f", "json")
        assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)["items"]
    assert len(items) == 2_000
    assert max(len(i["context"]) for i in items) <= 8  # the nearest parents only
    assert items[-1]["context"] == ["Led the review"] * 8


def test_standard_input_over_the_size_limit_is_refused():
    result = run("-", "--role", "sre", input="x" * (8 * 1024 * 1024 + 1))
    assert result.exit_code == 1
    assert "<stdin>: more than 8 MiB on standard input" in result.stderr
