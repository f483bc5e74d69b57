"""`sreladder evidence`: every format, hostile input, exit codes, --assessment/--attach."""

import errno
import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "evidence"

HOSTILE = (
    "# Q1 2026\n"
    "- [bold red]IC[/] for the Sev1 outage [/oops] \x1b[31mred\x1b[0m "
    "\x1b]8;;https://evil.invalid\x07link\x1b]8;;\x07 <script>alert(1)</script> | # `x` *y*\n"
    '- =HYPERLINK("https://evil.invalid") on-call pages\n'
)


def run(*args, **kwargs):
    return CliRunner().invoke(app, ["evidence", *map(str, args)], **kwargs)


def test_json_has_the_documented_shape():
    result = run(FIXTURES / "brag-pe.md", "--role", "production-engineer", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["role"] == "production-engineer"
    assert {"role", "items", "without_evidence", "unmatched"} <= set(data)
    lines = [item["line"] for item in data["items"]]
    assert lines == sorted(lines) and lines[0] == 4
    for item in data["items"]:
        assert set(item) >= {"text", "file", "line", "date", "link", "context", "matches"}
        assert len(item["matches"]) <= 3
        for match in item["matches"]:
            assert set(match) == {"expectation", "dimension", "level", "score", "why"}
            assert match["why"]
    unmatched = [i for i, item in enumerate(data["items"]) if not item["matches"]]
    assert data["unmatched"] == unmatched and unmatched  # the two distractors
    assert data["items"][0]["context"][-1] == "Onboarding (Jan 2026)"


def test_top_and_several_sources_in_order(tmp_path):
    second = tmp_path / "more.txt"
    second.write_text("Automated the weekly cert rotation with a cron job\n")
    result = run(FIXTURES / "brag-sre.md", second, "--role", "sre", "--top", "1", "-f", "json")
    data = json.loads(result.stdout)
    assert all(len(item["matches"]) <= 1 for item in data["items"])
    assert data["items"][-1]["file"].endswith("more.txt")


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_table_and_markdown_show_items_and_missing(fmt):
    result = run(FIXTURES / "brag-ops.md", "--role", "ops-sre", "-f", fmt)
    assert result.exit_code == 0, result.output
    assert "Shadowed two on-call weeks" in " ".join(result.stdout.split())
    assert "oncall-l1-a" in result.stdout
    assert "without evidence" in result.stdout.lower()
    assert "Items per cell" in result.stdout and "Items (#)" in result.stdout


def test_hostile_items_are_shown_literally_in_every_format(tmp_path):
    source = tmp_path / "evil.md"
    source.write_text(HOSTILE, encoding="utf-8")
    table = run(source, "--role", "sre", env={"COLUMNS": "300"})
    assert table.exit_code == 0, table.output
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "[bold red]IC[/]" in table.stdout and "[/oops]" in table.stdout
    md = run(source, "--role", "sre", "-f", "md")
    assert "\x1b" not in md.stdout
    assert "<script>" not in md.stdout and "\\<script\\>" in md.stdout
    assert "\\| \\# x y" in md.stdout  # `x` *y* read as Markdown: code and emphasis
    data = json.loads(run(source, "--role", "sre", "-f", "json").stdout)
    assert data["items"][0]["text"].startswith("[bold red]IC[/]")
    assert data["items"][1]["text"].startswith("=HYPERLINK")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--role", "nope"], 1, "unknown role 'nope'"),
        ([], 2, "which role?"),
        (["--role", "sre", "--attach"], 2, "--attach needs --assessment"),
    ],
)
def test_usage_errors(args, code, message):
    result = run(FIXTURES / "brag-sre.md", *args)
    assert result.exit_code == code
    assert message in result.stderr


def test_bad_sources_give_one_line_and_exit_1(tmp_path):
    binary = tmp_path / "blob.md"
    binary.write_bytes(b"- ok\n\x00\xff")
    result = run(binary, "--role", "sre")
    assert result.exit_code == 1
    assert result.stderr == f"sreladder: {binary}:2: binary data (a NUL byte), not text\n"
    assert result.stdout == ""
    empty = tmp_path / "empty.md"
    empty.write_text("")
    result = run(empty, "--role", "sre", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["items"] == []
    assert "no evidence items" in result.stderr


def test_a_bad_lexicon_is_reported_with_its_position(tmp_path):
    lexicon = tmp_path / "lex.yaml"
    lexicon.write_text("lexicon: 1\nconcepts:\n  - id: x\n    terms: [y]\n    weight: -1\n")
    result = run(FIXTURES / "brag-sre.md", "--role", "sre", "--lexicon", lexicon)
    assert result.exit_code == 1
    assert "lex.yaml:5:13: E104" in result.stderr


def test_a_lexicon_option_extends_the_matching(tmp_path):
    source = tmp_path / "b.txt"
    source.write_text("Handled the blorp on Tuesday\n")
    before = json.loads(run(source, "--role", "sre", "-f", "json").stdout)
    lexicon = tmp_path / "lex.yaml"
    lexicon.write_text("lexicon: 1\nconcepts:\n  - id: incident\n    terms: [blorp]\n")
    after = json.loads(run(source, "--role", "sre", "-f", "json", "--lexicon", lexicon).stdout)
    assert before["items"][0]["matches"] == []
    assert after["items"][0]["matches"]


# --- --assessment and --attach ---------------------------------------------------------

ASSESSMENT = {
    "sreladder": 1,
    "role": "sre",
    "answers": {
        "ir-p1-a": {"rating": "partially"},
        "ir-p2-a": {"rating": "consistently", "evidence": [{"text": "already here"}]},
        "slo-p3-b": {"rating": "not-yet"},
        "auto-p1-a": {"rating": "consistently"},
    },
}


@pytest.fixture
def assessment(tmp_path):
    path = tmp_path / "dana.yaml"
    path.write_text(yaml.safe_dump(ASSESSMENT, sort_keys=False))
    os.chmod(path, 0o600)
    return path


def test_claims_without_evidence_are_listed_and_nothing_is_written(assessment):
    before = assessment.read_bytes(), assessment.stat().st_mtime_ns
    result = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "-f", "json")
    assert result.exit_code == 0, result.output
    claims = {c["expectation"]: c for c in json.loads(result.stdout)["claims"]}
    assert set(claims) <= {"ir-p1-a", "auto-p1-a"}  # p/c, no evidence yet
    assert "ir-p1-a" in claims and claims["ir-p1-a"]["suggested"]
    assert (assessment.read_bytes(), assessment.stat().st_mtime_ns) == before


def test_attach_adds_evidence_and_never_changes_a_rating(assessment):
    result = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "--attach", "-f", "json")
    assert result.exit_code == 0, result.output
    assert "attached" in result.stderr
    written = yaml.safe_load(assessment.read_text())
    assert {k: a["rating"] for k, a in written["answers"].items()} == {
        k: a["rating"] for k, a in ASSESSMENT["answers"].items()
    }
    assert set(written["answers"]) == set(ASSESSMENT["answers"])
    evidence = written["answers"]["ir-p1-a"]["evidence"]
    assert evidence and all(e["text"] for e in evidence)
    assert written["answers"]["ir-p2-a"]["evidence"] == [{"text": "already here"}]
    assert "evidence" not in written["answers"]["slo-p3-b"]
    assert assessment.stat().st_mode & 0o777 == 0o600
    assert "updated" in written and written["updated"] != ASSESSMENT.get("updated")
    assert written.get("rubric_digest") == ASSESSMENT.get("rubric_digest")  # as answered
    again = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "--attach", "-f", "json")
    assert "ir-p1-a" not in {c["expectation"] for c in json.loads(again.stdout)["claims"]}


def test_attach_leaves_the_file_whole_when_writing_fails(assessment, monkeypatch):
    before = assessment.read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "--attach")
    assert result.exit_code == 1
    assert "no space left" in result.stderr
    assert assessment.read_bytes() == before
    assert sorted(p.name for p in assessment.parent.iterdir()) == ["dana.yaml"]


def test_role_must_agree_with_the_assessment(assessment):
    result = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "--role", "ops-sre")
    assert result.exit_code == 2
    assert "assessment is for role 'sre'" in result.stderr


def test_attach_refuses_evidence_the_file_could_not_hold(assessment, tmp_path):
    items = tmp_path / "items.json"
    text = "Primary on the payments-api rotation for 6 weeks; 41 pages, 3 of them real"
    items.write_text(json.dumps([{"title": text, "url": "https://x.invalid/" + "a" * 20_000}]))
    before = assessment.read_bytes(), assessment.stat().st_mtime_ns
    result = run(items, "--assessment", assessment, "--attach", "-f", "json")
    assert result.exit_code == 1
    assert "not written:" in result.stderr and "at most 20000 characters" in result.stderr
    assert (assessment.read_bytes(), assessment.stat().st_mtime_ns) == before
