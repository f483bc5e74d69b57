"""`sreladder assess`: real CLI runs driven through stdin (CliRunner input=...)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import sreladder.tty.session as tty
from sreladder.cli.app import app
from sreladder.core.interview import next_question, with_answer, with_claim
from sreladder.core.models import Answer, Assessment
from sreladder.io.rubric import load_rubric

FIXTURE = Path(__file__).parent / "fixtures" / "assess"
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(monkeypatch, tmp_path):
    """A fixed clock (so whole files compare byte for byte) and a scratch cwd."""
    monkeypatch.setattr(tty, "utc_now", lambda: NOW)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SRELADDER_DATA", raising=False)


@pytest.fixture(scope="module")
def role():
    return load_rubric(FIXTURE).role("tiny")


def invoke(args, input=""):
    return CliRunner().invoke(app, [*args, "--data", str(FIXTURE)], input=input)


def person_chunks(role, level, evidence=False):
    """The stdin of a person really at ``level``, one chunk per question, in the order
    the plan asks: claims ``level``; ``c`` at cells up to it (with an evidence item when
    ``evidence``), ``n`` above."""
    index = role.level_index
    a = Assessment(sreladder=1, role=role.id, answers={})
    chunks = []
    while (q := next_question(role, a)) is not None:
        if q.kind == "claim":
            chunks.append(f"{level}\n")
            a = with_claim(a, q.dimension.id, level)
            continue
        if index(q.level) <= index(level):
            if evidence:
                chunks.append(f"c\ndid {q.expectation.id}\nhttps://x.invalid/1\n2026-10-03\nn\n")
            else:
                chunks.append("c\n\n")
            rating = "consistently"
        else:
            chunks.append("n\n")
            rating = "not-yet"
        a = with_answer(a, q.expectation.id, Answer(rating=rating))
    return chunks


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def score_json(path: Path) -> dict:
    result = CliRunner().invoke(
        app, ["score", str(path), "--format", "json", "--data", str(FIXTURE)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- a whole interview ----------------------------------------------------------------


@pytest.mark.parametrize("level", ["L1", "L2", "L3", "L4"])
def test_full_interview_scores_the_level_the_person_is_at(role, tmp_path, level):
    out = tmp_path / "a.yaml"
    chunks = person_chunks(role, level, evidence=True)
    result = invoke(["assess", "tiny", "--subject", "Dana", "--out", str(out)], "".join(chunks))
    assert result.exit_code == 0, result.output
    assert score_json(out)["recommended"] == level
    data = load(out)
    assert data["subject"] == {"name": "Dana"}
    assert data["assessor"] == {"name": "Dana", "relation": "self"}
    assert data["rubric_digest"] == role.digest
    assert data["claimed"] == {"code": level, "ops": level, "design": level}
    # the score view on stdout, the file and next commands on stderr
    assert "Recommended:" in result.stdout
    assert f"saved to {out}" in result.stderr
    assert f"sreladder packet {out}" in result.stderr
    assert "Keys at any prompt: s skip · b back · ? help · q save and quit" in result.stderr


def test_adaptive_asks_fewer_than_thorough(role, tmp_path):
    # everything "c" in thorough mode: every expectation appears in the file
    out = tmp_path / "t.yaml"
    n = len(role.expectation_index)
    thorough_input = "L2\n" + "c\n\n" * 7 + "L2\n" + "c\n\n" * 4 + "L3\n" + "c\n\n" * 3
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out), "--thorough"], thorough_input
    )
    assert result.exit_code == 0, result.output
    assert len(load(out)["answers"]) == n
    adaptive = tmp_path / "a.yaml"
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(adaptive)],
        "".join(person_chunks(role, "L2")),
    )
    assert result.exit_code == 0, result.output
    assert len(load(adaptive)["answers"]) < n


def test_file_is_owner_only_and_timestamps_are_set(role, tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)], "".join(person_chunks(role, "L1"))
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = load(out)
    assert data["created"] == data["updated"] == "2026-11-22T10:00:00Z"


# --- resume ---------------------------------------------------------------------------


@pytest.mark.parametrize("k", [0, 1, 2, 5, 9])
@pytest.mark.parametrize("how", ["eof", "quit"])
def test_interrupted_and_resumed_equals_uninterrupted(role, tmp_path, k, how):
    chunks = person_chunks(role, "L2", evidence=True)
    assert k < len(chunks)
    whole = tmp_path / "whole.yaml"
    args = ["assess", "tiny", "--subject", "Dana", "--target", "L3"]
    assert invoke([*args, "--out", str(whole)], "".join(chunks)).exit_code == 0

    part = tmp_path / "part.yaml"
    first = "".join(chunks[:k]) + ("q\n" if how == "quit" else "")
    result = invoke([*args, "--out", str(part)], first)
    assert result.exit_code == (0 if how == "quit" else 1), result.output
    assert f"assess --resume {part}" in result.stderr
    assert part.exists()
    resumed = invoke(["assess", "--resume", str(part)], "".join(chunks[k:]))
    assert resumed.exit_code == 0, resumed.output
    assert part.read_text() == whole.read_text()


def test_resume_of_a_complete_file_just_scores(role, tmp_path):
    out = tmp_path / "a.yaml"
    invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)], "".join(person_chunks(role, "L3"))
    )
    before = out.read_text()
    result = invoke(["assess", "--resume", str(out)], "")
    assert result.exit_code == 0, result.output
    assert "Recommended:" in result.stdout
    assert out.read_text() == before


def test_resume_says_when_the_rubric_changed(role, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    out = tmp_path / "a.yaml"
    args = ["assess", "tiny", "--subject", "D", "--out", str(out), "--data", str(data)]
    result = CliRunner().invoke(app, args, input="L1\nc\n\n")
    assert result.exit_code == 1  # input ended
    role_file = data / "roles" / "tiny.yaml"
    role_file.write_text(role_file.read_text().replace("Ships small fixes", "Ships fixes"))
    result = CliRunner().invoke(
        app, ["assess", "--resume", str(out), "--data", str(data)], input="q\n"
    )
    assert result.exit_code == 0, result.output
    assert "the rubric changed since this file was started" in result.stderr
    # quitting answered nothing, so the file is untouched and still says so next time
    before = out.read_bytes()
    again = CliRunner().invoke(
        app, ["assess", "--resume", str(out), "--data", str(data)], input="q\n"
    )
    assert again.exit_code == 0, again.output
    assert "rubric changed" in again.stderr and out.read_bytes() == before
    # an answer given against the current rubric records it: no message the next time
    answered = CliRunner().invoke(
        app, ["assess", "--resume", str(out), "--data", str(data)], input="c\n\nq\n"
    )
    assert answered.exit_code == 0, answered.output
    last = CliRunner().invoke(
        app, ["assess", "--resume", str(out), "--data", str(data)], input="q\n"
    )
    assert "rubric changed" not in last.stderr


def test_resume_refuses_another_role(tmp_path):
    out = tmp_path / "a.yaml"
    invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "q\n")
    result = invoke(["assess", "sre", "--resume", str(out)], "")
    assert result.exit_code == 1
    assert "for role 'tiny'" in result.stderr


# --- keys and bad input ---------------------------------------------------------------


def test_skip_writes_rating_null(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "L1\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert "  code-1a:\n    rating: null\n" in out.read_text()
    assert load(out)["answers"] == {"code-1a": {"rating": None}}


def test_skip_at_the_level_question_starts_at_the_lowest_level(tmp_path):
    out = tmp_path / "a.yaml"
    invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "s\nq\n")
    assert load(out)["claimed"] == {"code": "L1"}


def test_back_re_answers_the_previous_question(tmp_path):
    out = tmp_path / "a.yaml"
    # claim L1; code-1a: c (no evidence); at code-1b: back; code-1a again: n; then quit
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "L1\nc\n\nb\nn\nq\n")
    assert result.exit_code == 0, result.output
    assert load(out)["answers"] == {"code-1a": {"rating": "not-yet"}}
    assert "Enter keeps: consistently" in result.stderr


def test_back_to_the_level_question_and_enter_keeps_old_answers(tmp_path):
    out = tmp_path / "a.yaml"
    # claim L2; code-2a: p; back; back (to the claim); Enter keeps L2; Enter keeps p
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)], "L2\np\n\nb\nb\n\n\nq\n"
    )
    assert result.exit_code == 0, result.output
    data = load(out)
    assert data["claimed"] == {"code": "L2"}
    assert data["answers"] == {"code-2a": {"rating": "partially"}}


def test_back_with_nothing_to_go_back_to(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "b\nq\n")
    assert result.exit_code == 0
    assert "Nothing to go back to" in result.stderr


def test_bad_input_is_asked_again(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)],
        "L9\nL1\nx\n?\nc\nfixed it\n\n2026-13-45\n2026-10-03\nn\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert "Type a number from 1-4 or one of L1, L2, L3, L4" in result.stderr
    assert "Type n, p or c" in result.stderr
    assert "c consistently  reliably, without being asked" in result.stderr  # the help
    assert "Not a valid date: 2026-13-45" in result.stderr
    assert load(out)["answers"]["code-1a"] == {
        "rating": "consistently",
        "evidence": [{"text": "fixed it", "date": "2026-10-03"}],
    }


def test_several_evidence_items(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)],
        "L1\nc\none\n\n\ny\ntwo\nhttps://x.invalid\n\nn\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert load(out)["answers"]["code-1a"]["evidence"] == [
        {"text": "one"},
        {"text": "two", "link": "https://x.invalid"},
    ]


def test_markup_and_escapes_in_evidence_are_shown_literally(tmp_path):
    out = tmp_path / "a.yaml"
    evil = "[bold]x[/] \x1b[31mred\x07"
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)], f"L1\nc\n{evil}\n\n\nn\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "[bold]x[/] \\x1b[31mred\\x07" in result.stderr
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert load(out)["answers"]["code-1a"]["evidence"] == [{"text": evil}]


def test_ctrl_c_exits_130_with_every_answer_on_disk(monkeypatch, tmp_path):
    replies = iter(["L1", "c", "", "p", ""])

    def ask(self, prompt):
        try:
            return next(replies)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(tty.Prompter, "ask", ask)
    out = tmp_path / "a.yaml"
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)])
    assert result.exit_code == 130
    assert f"resume with: sreladder assess --resume {out}" in result.stderr
    assert load(out)["answers"] == {
        "code-1a": {"rating": "consistently"},
        "code-1b": {"rating": "partially"},
    }
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# --- starting ---------------------------------------------------------------------------


def test_existing_out_is_refused(tmp_path):
    out = tmp_path / "a.yaml"
    out.write_text("precious\n")
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "L1\n")
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "--resume" in result.stderr
    assert out.read_text() == "precious\n"


def test_default_name_and_role_picker_and_name_prompt(tmp_path):
    result = invoke(["assess"], "9\n1\nDana Smith\nq\n")
    assert result.exit_code == 0, result.output
    assert "1. tiny" in result.stderr
    path = tmp_path / "dana-smith-tiny-self-2026-11-22.yaml"
    assert path.exists()
    assert load(path)["subject"] == {"name": "Dana Smith"}
    # the same default again does not overwrite: it gets a new name
    result = invoke(["assess", "tiny", "--subject", "Dana Smith"], "q\n")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dana-smith-tiny-self-2026-11-22-2.yaml").exists()


def test_role_picker_lines_up_the_built_in_roles(tmp_path):
    result = CliRunner().invoke(app, ["assess"], input="q\n")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line[3:5] == ". "]
    assert [line.split()[1] for line in lines] == ["ops-sre", "production-engineer", "sre"]
    name_columns = {
        line.index("Site") if "Site" in line else line.index("Prod", 10) for line in lines
    }
    assert len(name_columns) == 1
    assert "(P1–P7)" in result.stderr and "(P1, P2)" in result.stderr


def test_quit_prints_the_resume_command_on_a_line_of_its_own(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "q\n")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"saved to {out}" in lines
    assert any(line.startswith("resume with: sreladder assess --resume ") for line in lines)


def test_manager_is_asked_for_the_subject(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(["assess", "tiny", "--as", "manager", "--out", str(out)], "Dana\nL1\nq\n")
    assert result.exit_code == 0, result.output
    assert "Name of the person assessed" in result.stderr
    assert "best describes Dana's consistent work" in result.stderr
    data = load(out)
    assert data["subject"] == {"name": "Dana"}
    assert data["assessor"] == {"relation": "manager"}


def test_bad_target_is_refused(tmp_path):
    result = invoke(["assess", "tiny", "--subject", "D", "--target", "L9", "--out", "x.yaml"])
    assert result.exit_code == 1
    assert "not a level of role 'tiny'" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_role_and_target_typed_in_another_case_are_found(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(
        ["assess", "TINY", "--subject", "D", "--target", "l2", "--out", str(out)], "q\n"
    )
    assert result.exit_code == 0, result.output
    assert load(out)["role"] == "tiny" and load(out)["target"] == "L2"


def test_input_ending_before_the_start_saves_nothing(tmp_path):
    result = invoke(["assess", "tiny"], "")
    assert result.exit_code == 1
    assert "input ended before the interview started" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- --answers --------------------------------------------------------------------------


def test_answers_file_end_to_end(tmp_path):
    answers = tmp_path / "in.yaml"
    answers.write_text(
        "code-1a: c\n"
        "code-1b: consistently\n"
        "code-2a: {rating: consistently, evidence: [{text: shipped X, date: 2026-10-03}]}\n"
        "code-2b: c\nops-1a: c\nops-2a: c\nops-2b: c\n"
        "design-3a: n\ndesign-3b: null\n"
        "gone-1: c\n"
    )
    out = tmp_path / "a.yaml"
    result = invoke(
        ["assess", "tiny", "--answers", str(answers), "--subject", "D", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Recommended:" in result.stdout
    assert "gone-1" in result.stderr and "kept" in result.stderr
    data = load(out)
    assert data["answers"]["gone-1"] == {"rating": "consistently"}
    assert data["answers"]["design-3b"] == {"rating": None}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert score_json(out)["recommended"] == "L2"


def test_answers_file_with_a_bad_rating_fails_cleanly(tmp_path):
    answers = tmp_path / "in.yaml"
    answers.write_text("code-1a: maybe\n")
    result = invoke(["assess", "tiny", "--answers", str(answers), "--out", "a.yaml"])
    assert result.exit_code == 1
    assert "in.yaml:1:10: E104 rating: must be 'not-yet', 'partially' or 'consistently'" in (
        result.stderr
    )
    assert not (tmp_path / "a.yaml").exists()


def test_answers_from_a_full_assessment_file(role, tmp_path):
    source = tmp_path / "src.yaml"
    invoke(
        ["assess", "tiny", "--subject", "Dana", "--out", str(source)],
        "".join(person_chunks(role, "L3")),
    )
    out = tmp_path / "copy.yaml"
    result = invoke(["assess", "--answers", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load(out)["answers"] == load(source)["answers"]
    assert load(out)["subject"] == {"name": "Dana"}
    assert score_json(out)["recommended"] == "L3"


def test_answers_need_a_role(tmp_path):
    answers = tmp_path / "in.yaml"
    answers.write_text("code-1a: c\n")
    result = invoke(["assess", "--answers", str(answers)])
    assert result.exit_code == 2  # a usage error
    assert "--answers needs ROLE" in result.stderr


def test_options_that_do_not_go_together_are_usage_errors(tmp_path):
    answers = tmp_path / "in.yaml"
    answers.write_text("code-1a: c\n")
    peer = invoke(["assess", "tiny", "--answers", str(answers), "--as", "peer", "--out", "x.yaml"])
    assert peer.exit_code == 2 and "--as peer needs --subject NAME" in peer.stderr
    both = invoke(["assess", "--resume", str(answers), "--out", "x.yaml"])
    assert both.exit_code == 2 and "do not go together" in both.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "L9"], "not a level of role 'tiny'"),
        (["--out", "."], "is a folder"),
        (["--out", "nowhere/a.yaml"], "no folder nowhere"),
    ],
)
def test_bad_target_or_out_is_refused_before_any_question(tmp_path, args, message):
    result = invoke(["assess", "tiny", *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Your name" not in result.stderr


def test_answers_applied_to_a_resumed_file(tmp_path):
    out = tmp_path / "a.yaml"
    invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], "L1\nc\n\nq\n")
    answers = tmp_path / "in.yaml"
    answers.write_text("code-1b: p\n")
    result = invoke(["assess", "--resume", str(out), "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    data = load(out)
    assert data["answers"] == {
        "code-1a": {"rating": "consistently"},
        "code-1b": {"rating": "partially"},
    }
    assert data["claimed"] == {"code": "L1"}


def test_thorough_is_part_of_the_resume_hint(tmp_path):
    out = tmp_path / "a.yaml"
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out), "--thorough"], "q\n")
    assert result.exit_code == 0
    assert f"--resume {out} --data {FIXTURE} --thorough" in result.stderr


def test_rubric_text_with_markup_and_escapes_is_shown_literally(tmp_path):
    """Rubric files are untrusted too: their names, titles, summaries and statements
    reach the terminal with control characters as escapes and markup unread."""
    hostile = Path(__file__).parent / "fixtures" / "browse"
    result = CliRunner().invoke(
        app,
        ["assess", "hostile", "--data", str(hostile), "--subject", "Kim", "--out", "k.yaml"],
        input="1\nq\n",
        env={"FORCE_COLOR": "1", "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    plain = result.output
    for raw in ("\x1b[2J", "\x1b[31m", "\x1b]8;"):
        assert raw not in plain
    assert "[bold red]x[/]" in plain  # the statement, printed as written
    assert "\\x1b[2J" in plain
    assert "[blink]x[/]" in plain  # the level title


def test_each_dimension_opens_with_its_name(tmp_path):
    result = invoke(["assess", "tiny", "--subject", "Kim", "--out", "k.yaml"], input="q\n")
    assert result.exit_code == 0, result.output
    role = load_rubric(FIXTURE).role("tiny")
    rule_lines = [line for line in result.output.splitlines() if "───" in line]
    assert rule_lines and role.dimensions[0].name in rule_lines[0]


@pytest.mark.parametrize(
    ("name", "stem"),
    [("Zoë", "zoe"), ("李", "李"), ("../../etc", "etc"), ("\x1b[31mDana", "31mdana")],
)
def test_default_file_name_keeps_letters_of_any_script(tmp_path, name, stem):
    result = invoke(["assess", "tiny", "--subject", name], "q\n")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.glob("*.yaml")] == [f"{stem}-tiny-self-2026-11-22.yaml"]


def test_back_after_a_resume_never_drops_an_answer_it_will_not_ask_again(tmp_path):
    """Answers from --answers came before the first claim: "back" right after that claim
    once went to the last of them (another dimension's) and dropped it from the file."""
    answers = tmp_path / "ans.yaml"
    answers.write_text("code-1a: c\nops-2a: p\n")
    out = tmp_path / "a.yaml"
    first = invoke(
        ["assess", "tiny", "--subject", "D", "--answers", str(answers), "--out", str(out)]
    )
    assert first.exit_code == 0, first.output
    resumed = invoke(["assess", "--resume", str(out)], "L1\nb\nc\n\nq\n")
    assert resumed.exit_code == 0, resumed.output
    data = load(out)
    assert data["answers"]["ops-2a"] == {"rating": "partially"}
    assert data["answers"]["code-1a"] == {"rating": "consistently"}
    assert data["claimed"] == {"code": "L1"}
    # with nothing asked in this sitting, "back" only forgets what the plan asks again
    again = invoke(["assess", "--resume", str(out)], "b\nc\n\nq\n")
    assert again.exit_code == 0, again.output
    assert load(out)["answers"]["ops-2a"] == {"rating": "partially"}


@pytest.mark.parametrize("typed", ["²", "٣", "①", "1\u0301"])
def test_digits_that_are_not_ascii_are_asked_again(tmp_path, typed):
    out = tmp_path / "a.yaml"
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], f"{typed}\nq\n")
    assert result.exit_code == 0, result.output
    assert "Type a number" in result.stderr
    picker = invoke(["assess"], f"{typed}\nq\n")
    assert picker.exit_code == 0, picker.output
    assert "Type a number" in picker.stderr


def _snapshot(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), stat.S_IMODE(info.st_mode), info.st_mtime_ns


FULL = "sreladder: 1\nrole: tiny\ntarget: L9\nanswers:\n  code-1a: {rating: consistently}\n"


def test_answers_from_a_full_file_are_checked_as_score_checks_them(tmp_path):
    """A full assessment whose target is not a level of its role was written out, then
    the command failed without naming the input file."""
    full = tmp_path / "full.yaml"
    full.write_text(FULL)
    result = invoke(["assess", "--answers", str(full), "--out", "a.yaml"])
    assert result.exit_code == 1
    assert "full.yaml:3:9: E302" in result.stderr
    assert not (tmp_path / "a.yaml").exists()
    score = invoke(["score", str(full)])
    assert "full.yaml:3:9: E302" in score.stderr  # the same finding, the same place
    full.write_text(FULL.replace("target: L9\n", ""))
    other_role = invoke(["assess", "nope-role", "--answers", str(full), "--out", "b.yaml"])
    assert other_role.exit_code == 1 and not (tmp_path / "b.yaml").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FULL, "r.yaml:3:9: E302"),
        (FULL.replace("role: tiny", "role: nope").replace("target: L9\n", ""), "r.yaml:2:7: E301"),
        (FULL.replace("answers:\n  code-1a: {rating: consistently}\n", ""), "r.yaml:1:1: E101"),
    ],
)
def test_resume_refuses_what_score_refuses_and_leaves_the_file_untouched(tmp_path, text, expected):
    path = tmp_path / "r.yaml"
    path.write_text(text)
    path.chmod(0o640)
    before = _snapshot(path)
    result = invoke(["assess", "--resume", str(path)], "L1\nc\n\nq\n")
    assert result.exit_code == 1, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert _snapshot(path) == before


@pytest.mark.parametrize(
    ("key", "shown"),
    [("bad key", "'bad key' is not a valid id"), ('"\\e[31mred\\e]8;;x\\e\\\\"', "\\x1b[31mred")],
)
def test_answer_keys_that_are_not_ids_are_refused_before_anything_is_written(tmp_path, key, shown):
    answers = tmp_path / "m.yaml"
    answers.write_text(f"code-1a: c\n{key}: p\n")
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--answers", str(answers), "--out", "a.yaml"]
    )
    assert result.exit_code == 1
    assert "m.yaml:2:1: E104 " in result.stderr and shown in result.stderr
    assert "\x1b" not in result.output
    assert not (tmp_path / "a.yaml").exists()


def test_a_five_thousand_digit_number_is_asked_again(tmp_path):
    out = tmp_path / "a.yaml"
    huge = "1" * 5000
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(out)], f"{huge}\nq\n")
    assert result.exit_code == 0, result.output
    assert "Type a number" in result.stderr
    picker = invoke(["assess"], f"{huge}\nq\n")
    assert picker.exit_code == 0 and "Type a number" in picker.stderr


def test_text_that_is_not_utf8_becomes_replacement_characters(tmp_path):
    out = tmp_path / "a.yaml"
    result = CliRunner().invoke(
        app,
        ["assess", "tiny", "--out", str(out), "--data", str(FIXTURE)],
        input=b"Zo\xeb\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert load(out)["subject"] == {"name": "Zo\ufffd"}
    named = invoke(
        ["assess", "tiny", "--subject", "Zo\udceb", "--out", str(tmp_path / "b.yaml")], "q\n"
    )
    assert named.exit_code == 0, named.output
    assert load(tmp_path / "b.yaml")["subject"] == {"name": "Zo\ufffd"}


@pytest.mark.parametrize("typed", ["2026-W01-1", "20260314", "2026-3-14", "２０２６-０３-１４"])
def test_dates_other_than_yyyy_mm_dd_are_asked_again(tmp_path, typed):
    out = tmp_path / "a.yaml"
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)],
        f"L1\nc\nfixed it\n\n{typed}\n2026-03-14\nn\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert "Not a valid date" in result.stderr
    assert load(out)["answers"]["code-1a"]["evidence"][0]["date"] == "2026-03-14"


def test_answers_from_a_managers_file_keep_its_assessor_and_date(tmp_path):
    full = tmp_path / "mgr.yaml"
    full.write_text(
        "sreladder: 1\nrole: tiny\nsubject: {name: Dana}\n"
        "assessor: {name: Mo, relation: manager}\ncreated: 2026-01-05T09:00:00Z\n"
        "answers:\n  code-1a: {rating: consistently}\n"
    )
    out = tmp_path / "mo.yaml"
    result = invoke(["assess", "--answers", str(full), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = load(out)
    assert data["assessor"] == {"name": "Mo", "relation": "manager"}
    assert data["created"] == "2026-01-05T09:00:00Z"
    assert data["subject"] == {"name": "Dana"}


def test_resume_with_answers_of_another_person_or_role_is_refused(tmp_path):
    mine = tmp_path / "mine.yaml"
    first = invoke(["assess", "tiny", "--subject", "Dana", "--out", str(mine)], "q\n")
    assert first.exit_code == 0, first.output
    before = mine.read_bytes()
    other = tmp_path / "other.yaml"
    for text in (
        "sreladder: 1\nrole: tiny\nsubject: {name: Alex}\n"
        "answers: {code-1a: {rating: partially}}\n",
        "sreladder: 1\nrole: other\nsubject: {name: Dana}\nanswers: {x-1: c}\n",
    ):
        other.write_text(text)
        result = invoke(["assess", "--resume", str(mine), "--answers", str(other)])
        assert result.exit_code == 1, result.output
        assert mine.read_bytes() == before


def test_a_long_list_of_unknown_answers_is_cut(tmp_path):
    answers = tmp_path / "m.yaml"
    answers.write_text("".join(f"gone-{i}: c\n" for i in range(500)))
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--answers", str(answers), "--out", "a.yaml"]
    )
    assert result.exit_code == 0, result.output
    assert "500 answer(s)" in result.stderr and "and 490 more" in result.stderr
    assert "gone-499" not in result.stderr


def test_a_symlink_is_never_resumed_or_written_through(tmp_path):
    target = tmp_path / "real.yaml"
    first = invoke(["assess", "tiny", "--subject", "D", "--out", str(target)], "q\n")
    assert first.exit_code == 0, first.output
    before = target.read_bytes()
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    result = invoke(["assess", "--resume", str(link)], "L1\nc\n\nq\n")
    assert result.exit_code == 1
    assert "link.yaml is a symbolic link: not written" in result.stderr
    assert link.is_symlink() and target.read_bytes() == before


def test_a_dangling_symlink_at_out_is_refused_before_any_question(tmp_path):
    link = tmp_path / "out.yaml"
    link.symlink_to(tmp_path / "elsewhere" / "planted.yaml")
    (tmp_path / "elsewhere").mkdir()
    result = invoke(["assess", "tiny", "--subject", "D", "--out", str(link)], "L1\nc\n")
    assert result.exit_code == 1 and "is a symbolic link: not written" in result.stderr
    assert "Which level" not in result.stderr
    assert not (tmp_path / "elsewhere" / "planted.yaml").exists() and link.is_symlink()


def test_a_packet_is_never_written_through_a_dangling_symlink(tmp_path):
    made = invoke(["assess", "tiny", "--subject", "D", "--out", "a.yaml"], "q\n")
    assert made.exit_code == 0, made.output
    link = tmp_path / "packet.md"
    link.symlink_to(tmp_path / "planted.md")
    result = invoke(["packet", "a.yaml", "--out", str(link)])
    assert result.exit_code == 1 and "is a symbolic link: not written" in result.stderr
    assert not (tmp_path / "planted.md").exists()


def test_a_file_open_in_another_interview_is_refused_and_kept(tmp_path):
    from sreladder.io import file_lock

    path = tmp_path / "a.yaml"
    assert invoke(["assess", "tiny", "--subject", "D", "--out", str(path)], "q\n").exit_code == 0
    before = path.read_bytes()
    with file_lock.held(path):
        result = invoke(["assess", "--resume", str(path)], "L1\nc\n\nq\n")
    assert result.exit_code == 1
    assert f"is open in another sreladder interview (process {os.getpid()})" in result.stderr
    assert path.read_bytes() == before
    assert not file_lock.lock_path(path).exists()  # removed when the holder is done
    again = invoke(["assess", "--resume", str(path)], "L1\nc\n\nq\n")
    assert again.exit_code == 0, again.output


def test_two_interview_processes_of_one_file_lose_no_answer(tmp_path):
    path = tmp_path / "a.yaml"
    assert invoke(["assess", "tiny", "--subject", "D", "--out", str(path)], "q\n").exit_code == 0
    command = [sys.executable, "-m", "sreladder", "assess", "--resume", str(path)]
    command += ["--data", str(FIXTURE)]
    first = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / ".a.yaml.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        second = subprocess.run(
            command, input="L1\nn\nq\n", capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 1
        assert f"open in another sreladder interview (process {first.pid})" in second.stderr
        _, err = first.communicate("L1\nc\n\nq\n", timeout=60)
    finally:
        first.kill()
    assert first.returncode == 0, err
    assert load(path)["answers"]["code-1a"] == {"rating": "consistently"}


def test_skipped_questions_are_counted_as_skipped(tmp_path):
    result = invoke(["assess", "tiny", "--subject", "D", "--out", "a.yaml"], "L1\ns\nc\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "0 questions answered · 1 skipped" in result.stderr
    assert "1 question answered · 1 skipped" not in result.stderr.split("skipped", 1)[0]


def test_the_role_picker_shows_hostile_role_names_as_text(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    role = data / "roles" / "tiny.yaml"
    hostile = "Tiny \\e]8;;https://evil.invalid\\a[link]\\e]8;;\\a \\e[2J \\u202e[bold]x[/]"
    role.write_text(role.read_text().replace("name: Tiny engineer", f'name: "{hostile}"'))
    result = CliRunner().invoke(app, ["assess", "--data", str(data)], input="q\n")
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "[link]" in result.stderr and "Tiny" in result.stderr


def test_a_map_file_given_where_an_assessment_belongs_has_a_position(tmp_path):
    answers = tmp_path / "m.yaml"
    answers.write_text("code-1a: c\n")
    for args in (["score", str(answers)], ["assess", "--resume", str(answers)]):
        result = invoke(args)
        assert result.exit_code == 1
        assert "m.yaml:1:1: E101 not a sreladder assessment" in result.stderr


def test_a_new_rating_after_back_keeps_the_evidence_given(tmp_path):
    out = tmp_path / "a.yaml"
    # claim L1; code-1a: c with one evidence item; at code-1b: back; code-1a again: p
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)],
        "L1\nc\nfixed the flaky test\n\n\n\nb\np\n\nq\n",
    )
    assert result.exit_code == 0, result.output
    answer = load(out)["answers"]["code-1a"]
    assert answer == {"rating": "partially", "evidence": [{"text": "fixed the flaky test"}]}
    assert "kept 1 evidence item(s)" in result.stderr


def test_evidence_too_long_to_load_again_is_not_saved(tmp_path):
    out = tmp_path / "a.yaml"
    long_link = "https://x.invalid/" + "a" * 20_000
    result = invoke(
        ["assess", "tiny", "--subject", "D", "--out", str(out)],
        f"L1\nc\nfixed it\n{long_link}\n\nfixed it\n\n\nn\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert "Not saved: String should have at most 20000 characters" in result.stderr
    assert load(out)["answers"]["code-1a"]["evidence"] == [{"text": "fixed it"}]
    assert invoke(["validate", str(out)]).exit_code == 0


@pytest.mark.parametrize("option", ["--subject", "--assessor"])
def test_a_name_the_file_could_not_hold_is_refused_before_anything_is_written(tmp_path, option):
    out = tmp_path / "a.yaml"
    answers = tmp_path / "answers.yaml"
    answers.write_text("code-1a: c\n")
    value = "   " if option == "--subject" else "x" * 20_001
    extra = [] if option == "--subject" else ["--subject", "D"]
    result = invoke(
        ["assess", "tiny", "--answers", str(answers), option, value, *extra, "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"sreladder: {out}: not written: ") and "nothing was changed" in line
    assert "must not be empty" in line or "at most 20000" in line
    assert not out.exists()
