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


def test_table_shows_items_and_missing():
    result = run(FIXTURES / "brag-ops.md", "--role", "ops-sre")
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
    result = run(
        FIXTURES / "brag-sre.md", "--assessment", assessment, "--attach", "--yes", "-f", "json"
    )
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
    again = run(
        FIXTURES / "brag-sre.md", "--assessment", assessment, "--attach", "--yes", "-f", "json"
    )
    assert "ir-p1-a" not in {c["expectation"] for c in json.loads(again.stdout)["claims"]}


def test_attach_leaves_the_file_whole_when_writing_fails(assessment, monkeypatch):
    before = assessment.read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "--attach", "--yes")
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
    result = run(items, "--assessment", assessment, "--attach", "--yes", "-f", "json")
    assert result.exit_code == 1
    assert "not written:" in result.stderr and "at most 20000 characters" in result.stderr
    assert (assessment.read_bytes(), assessment.stat().st_mtime_ns) == before


def test_attach_off_a_terminal_without_yes_writes_nothing(assessment):
    before = assessment.read_bytes(), assessment.stat().st_mtime_ns
    result = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "--attach")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "add --yes" in result.stderr
    assert result.stdout == ""  # refused before anything is read or shown
    assert (assessment.read_bytes(), assessment.stat().st_mtime_ns) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "sre", "--yes"], "--yes goes with --attach"),
        (["--role", "sre", "--min-score", "0.5"], "--min-score needs --assessment"),
    ],
)
def test_yes_and_min_score_need_their_options(args, message):
    result = run(FIXTURES / "brag-sre.md", *args)
    assert result.exit_code == 2
    assert message in result.stderr


# --- the review: y / n / a / q -----------------------------------------------------------

CLAIMS = {
    "sreladder": 1,
    "role": "sre",
    "answers": {
        key: {"rating": "partially"}
        for key in ("ir-p1-a", "ir-p1-f", "ir-p3-a", "ir-p4-a", "ir-p5-a", "slo-p1-c")
    },
}


@pytest.fixture
def claims_file(tmp_path):
    path = tmp_path / "sam.yaml"
    path.write_text(yaml.safe_dump(CLAIMS, sort_keys=False))
    return path


@pytest.fixture
def terminal(monkeypatch):
    """stdin counts as a terminal: the review asks, and CliRunner's input answers."""
    from sreladder.tty import attach_review

    monkeypatch.setattr(attach_review, "stdin_is_terminal", lambda: True)


def proposed(path, *options):
    """The review's proposals in order, as (expectation, item line), from the JSON
    report's claims: what `--attach` asks about."""
    data = json.loads(
        run(FIXTURES / "brag-sre.md", "--assessment", path, "-f", "json", *options).stdout
    )
    return [
        (claim["expectation"], data["items"][i]["line"])
        for claim in data["claims"]
        for i in claim["suggested"]
    ]


def written(path):
    """What the file holds as (expectation, source line, suggested), in order."""
    answers = yaml.safe_load(path.read_text())["answers"]
    return [
        (key, e["source"]["line"], e["suggested"])
        for key, answer in answers.items()
        for e in answer.get("evidence", [])
    ]


def attach(path, answers, *options):
    return run(
        FIXTURES / "brag-sre.md",
        "--assessment",
        path,
        "--attach",
        "-f",
        "json",
        *options,
        input=answers,
    )


def in_file_order(pairs):
    order = list(CLAIMS["answers"])
    return sorted(pairs, key=lambda p: (order.index(p[0]), 0))


def test_review_yes_and_no_write_exactly_the_yeses(claims_file, terminal):
    asked = proposed(claims_file)
    assert len(asked) >= 5
    answers = "".join("y\n" if i % 2 == 0 else "n\n" for i in range(len(asked)))
    result = attach(claims_file, answers)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Attach it?") == len(asked)
    yeses = [(e, line, "confirmed") for i, (e, line) in enumerate(asked) if i % 2 == 0]
    assert written(claims_file) == in_file_order(yeses)
    ratings = yaml.safe_load(claims_file.read_text())["answers"]
    assert {k: a["rating"] for k, a in ratings.items()} == {
        k: "partially" for k in CLAIMS["answers"]
    }
    assert "attached" in result.stderr


def test_review_all_confirms_the_one_shown_and_marks_the_rest_unreviewed(claims_file, terminal):
    asked = proposed(claims_file)
    result = attach(claims_file, "n\na\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Attach it?") == 2  # nothing asked after "a"
    expected = [(asked[1][0], asked[1][1], "confirmed")]
    expected += [(e, line, "unreviewed") for e, line in asked[2:]]
    assert written(claims_file) == in_file_order(expected)


def test_review_quit_keeps_the_yeses_and_writes_nothing_more(claims_file, terminal):
    asked = proposed(claims_file)
    result = attach(claims_file, "y\nmaybe\ny\nq\ny\n")
    assert result.exit_code == 0, result.output
    assert "Type y, n, a or q." in result.stderr  # "maybe" is asked again
    assert result.stderr.count("Attach it?") == 4
    assert written(claims_file) == in_file_order([(e, ln, "confirmed") for e, ln in asked[:2]])
    assert "stopped after 2 of" in result.stderr


def test_review_quit_at_once_leaves_the_file_untouched(claims_file, terminal):
    before = claims_file.read_bytes(), claims_file.stat().st_mtime_ns
    result = attach(claims_file, "q\n")
    assert result.exit_code == 0, result.output
    assert "nothing attached" in result.stderr
    assert (claims_file.read_bytes(), claims_file.stat().st_mtime_ns) == before


def test_the_end_of_input_is_quit(claims_file, terminal):
    asked = proposed(claims_file)
    result = attach(claims_file, "y\n")
    assert result.exit_code == 0, result.output
    assert written(claims_file) == [(asked[0][0], asked[0][1], "confirmed")]


def test_review_shows_the_claim_and_the_item_in_full(claims_file, terminal):
    result = attach(claims_file, "q\n")
    first = result.stderr.split("Attach it?")[0]
    flat = " ".join(first.split())
    # expectation id, level, its text, the rating, the item's text, date, where, score
    assert "ir-p1-a · P1 · rated partially · score 0." in flat
    assert "Expectation Participate in on-call rotations." in flat
    assert "Item Primary on the payments-api rotation for 6 weeks" in flat
    assert "Date 2026-Q1" in flat and "Link —" in flat
    assert "brag-sre.md:8 (under" in flat


def test_yes_attaches_everything_marked_unreviewed_with_its_source(claims_file):
    asked = proposed(claims_file)
    result = attach(claims_file, "", "--yes")
    assert result.exit_code == 0, result.output
    assert "Attach it?" not in result.stderr
    assert written(claims_file) == in_file_order([(e, ln, "unreviewed") for e, ln in asked])
    evidence = yaml.safe_load(claims_file.read_text())["answers"]["ir-p1-a"]["evidence"][0]
    assert evidence["source"]["file"].endswith("brag-sre.md")
    # the packet says where it came from and that nobody reviewed it
    md = CliRunner().invoke(app, ["packet", str(claims_file), "--format", "md"])
    assert md.exit_code == 0, md.output
    line = next(x for x in md.stdout.splitlines() if "Primary on the payments-api" in x)
    assert line.endswith("_from brag-sre.md:8, suggested, not reviewed_")


def test_min_score_proposes_only_matches_at_or_above_it(claims_file):
    data = json.loads(
        run(FIXTURES / "brag-sre.md", "--assessment", claims_file, "-f", "json").stdout
    )
    scores = sorted({s for claim in data["claims"] for s in claim["scores"]})
    assert len(scores) > 2
    cut = scores[len(scores) // 2]
    everything = proposed(claims_file)
    kept = proposed(claims_file, "--min-score", str(cut))
    assert 0 < len(kept) < len(everything) and set(kept) <= set(everything)
    result = attach(claims_file, "", "--yes", "--min-score", str(cut))
    assert result.exit_code == 0, result.output
    assert written(claims_file) == in_file_order([(e, ln, "unreviewed") for e, ln in kept])
    assert (
        run(FIXTURES / "brag-sre.md", "--assessment", claims_file, "--min-score", "1.5").exit_code
        == 2
    )


def test_attach_is_refused_while_an_interview_holds_the_file(claims_file, terminal):
    from sreladder.io import file_lock

    before = claims_file.read_bytes()
    with file_lock.held(claims_file):
        result = attach(claims_file, "y\ny\ny\n")
    assert result.exit_code == 1
    assert "Attach it?" not in result.stderr  # refused before asking anything
    assert claims_file.read_bytes() == before


def test_hostile_text_is_shown_literally_in_the_review(tmp_path, terminal):
    source = tmp_path / "evil.md"
    source.write_text(HOSTILE, encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(
        yaml.safe_dump(
            {"sreladder": 1, "role": "sre", "answers": {"ir-p4-a": {"rating": "partially"}}}
        )
    )
    result = run(source, "--assessment", path, "--attach", "-f", "json", input="n\n")
    assert result.exit_code == 0, result.output
    assert "Attach it?" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "[bold red]IC[/]" in result.stderr and "[/oops]" in result.stderr
    assert "<script>alert(1)</script>" in result.stderr  # a terminal shows it as text


def test_an_evidence_source_and_suggested_are_validated(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "sreladder: 1\nrole: sre\nanswers:\n  ir-p1-a:\n    rating: partially\n"
        "    evidence:\n    - text: x\n      source: {file: brag.md, line: 0}\n"
        "      suggested: maybe\n"
    )
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "bad.yaml:8:" in result.output and "bad.yaml:9:" in result.output


# --- --format md ---------------------------------------------------------------------------


def test_markdown_groups_items_under_each_expectation_with_dates_and_links():
    result = run(FIXTURES / "brag-sre.md", "--role", "sre", "-f", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# Evidence for Site Reliability Engineer (sre)\n")
    assert "\n## Incident response & on-call\n" in md
    section = md.split("**P4** Leads major incident responses end-to-end", 1)[1].split("\n\n**")[0]
    assert "(ir-p4-a)" in section
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert items
    linked = next(line for line in items if "PM-2291" in line)
    assert linked.endswith(  # nested under the Sev2 of 2026-02-09: its parent's date
        " — 2026-02-09 — [https://wiki.example.invalid/pm/2291](https://wiki.example.invalid/pm/2291)"
    )
    assert "| # |" not in md  # not a table of bare ids
    tail = md.split("\n## Items that support no expectation (", 1)[1]
    assert "brag-sre.md:" in tail


def test_markdown_lists_the_claims_with_their_suggestions(assessment):
    result = run(FIXTURES / "brag-sre.md", "--assessment", assessment, "-f", "md")
    tail = result.stdout.split("\n## Claims without evidence that have suggestions (", 1)[1]
    assert "- **P1** Participate in on-call rotations. (ir-p1-a, partially):" in tail
    assert "\n  - Primary on the payments-api rotation" in tail


def test_markdown_escapes_hostile_items_and_links(tmp_path):
    source = tmp_path / "evil.md"
    source.write_text(
        HOSTILE + "- Paged on-call for the Sev2 [runbook](javascript:alert(1)) 2026-03-01\n",
        encoding="utf-8",
    )
    md = run(source, "--role", "sre", "-f", "md").stdout
    assert "\x1b" not in md and "\x07" not in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\[bold red\\]IC\\[/\\]" in md
    assert "](javascript:" not in md and "link: javascript:alert" in md
