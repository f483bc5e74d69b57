"""Hostile files through every command that reads assessments (see hostile_corpus.py).

Accepted files: read by score, packet (md/html/json), validate, team --format csv,
assess --answers and assess --resume; their hostile text reaches no output raw (no
control character, no markup that a terminal, Markdown, HTML or a spreadsheet would
act on). Rejected files: each command refuses them with ``file:line:col`` (``file:``
for a size limit), exit 1, no traceback, and the file is byte for byte unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from hostile_corpus import (
    EXPECTED,
    FORBIDDEN_RAW,
    HOSTILE_TEXTS,
    SHOWN_WORDS,
    accepted,
    rejected,
    write,
)
from typer.testing import CliRunner

from sreladder.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    root = tmp_path_factory.mktemp("hostile")
    return write(root / "accepted", accepted()), write(root / "rejected", rejected())


def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin, env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    return result.exit_code, result.stdout, result.stderr


def assert_inert(text: str, medium: str) -> None:
    # JSON keeps text exactly as written (its escapes cover the C0 controls only)
    for raw in FORBIDDEN_RAW if medium != "json" else [c for c in FORBIDDEN_RAW if c < " "]:
        assert raw not in text, (medium, repr(raw))
    if medium in ("html", "md"):  # a tag, unescaped (Markdown's "\\<" is a literal "<")
        assert not re.search(r"(?<!\\)<(script|img)", text), medium
        link = r"href=.javascript:" if medium == "html" else r"(?<!\\)\]\(javascript:"
        assert not re.search(link, text), medium
    if medium == "md":  # "&amp;" typed by a user must read "&amp;", not "&"
        assert not re.search(r"(?<!\\)&amp;(?!amp;)", text), medium
    if medium == "table" and "MARKUPTEXT" in text:
        assert "[bold red]MARKUPTEXT[/bold red]" in text  # shown, not applied
    if medium == "csv":
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
                assert not (cell.startswith("-") and not re.fullmatch(r"-[\d.]+", cell)), cell


def test_accepted_files_are_read_everywhere_and_their_text_stays_inert(corpus, tmp_path):
    good, _ = corpus
    for path in good:
        if path.name == "ok-answers-map.yaml":
            continue
        for fmt in ("table", "json", "md"):
            code, out, err = invoke("score", str(path), "--format", fmt)
            assert code == 0, (path.name, err)
            assert_inert(out + err, "table" if fmt == "table" else fmt)
        for fmt in ("md", "html", "json"):
            code, out, err = invoke("packet", str(path), "--format", fmt)
            assert code == 0, (path.name, err)
            assert_inert(out + err, fmt)
            for text, word in zip(HOSTILE_TEXTS, SHOWN_WORDS, strict=True):
                if path.name == f"ok-text-{HOSTILE_TEXTS.index(text)}.yaml":
                    assert word in out, (path.name, fmt, word)  # escaped, not dropped
        code, out, err = invoke("validate", str(path))
        assert code == 0, (path.name, out)
        copy = tmp_path / f"resume-{path.name}"
        shutil.copy(path, copy)
        code, out, err = invoke("assess", "--resume", str(copy), stdin="q\n")
        assert code == 0, (path.name, err)
        assert_inert(out + err, "table")
    for path in good:
        out_file = tmp_path / f"from-{path.name}"
        code, out, err = invoke("assess", "sre", "--subject", "D", "--as", "manager",
                                "--answers", str(path), "--out", str(out_file))  # fmt: skip
        assert code == 0, (path.name, err)
        assert_inert(out + err, "table")
        assert invoke("validate", str(out_file))[0] == 0


def test_team_csv_of_the_whole_corpus(corpus):
    good, bad = corpus
    folder = good[0].parent.parent
    code, out, err = invoke("team", str(folder), "--format", "csv")
    assert code == 0, err
    assert_inert(out, "csv")
    assert_inert(err, "table")
    # a top-level list is YAML but no sreladder file: team skips it (counted, not listed)
    for path in (p for p in bad if p.name != "bad-list.yaml"):
        place = EXPECTED[path.name]
        assert f"{path.name}:{place}" in err or f"{path.name}{place}" in err, path.name
    assert f"{len(bad) - 1} file(s) could not be read" in err


def _assert_refused(path: Path, code: int, text: str) -> None:
    assert code == 1, (path.name, text)
    place = EXPECTED[path.name]  # the line and column a reader of the file needs
    assert f"{path.name}:{place}" in text or f"{path.name}{place}" in text, (path.name, text)
    assert_inert(text, "table")


def test_every_rejected_file_has_its_expected_position():
    assert sorted(EXPECTED) == sorted(rejected())


@pytest.mark.parametrize("name", sorted(rejected()))
def test_rejected_files_are_refused_with_a_position_and_never_modified(corpus, name, tmp_path):
    _, bad = corpus
    path = next(p for p in bad if p.name == name)
    before = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode)
    for args in (
        ["score", str(path)],
        ["score", str(path), "--format", "json"],
        ["packet", str(path), "--format", "html"],
        ["validate", str(path)],
        ["assess", "sre", "--subject=D", "--answers", str(path), "--out", str(tmp_path / "n.yaml")],
        ["assess", "--resume", str(path)],
    ):  # fmt: skip
        code, out, err = invoke(*args, stdin="c\n\nq\n")
        _assert_refused(path, code, out + err)
        assert not (tmp_path / "n.yaml").exists()
        assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode) == before, args


def test_rubric_text_with_escapes_is_inert_in_the_score_view(tmp_path):
    """The score view printed gap and claim texts raw: an OSC sequence in a rubric
    (imported from someone's spreadsheet) reached the terminal."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "assess", data)
    role = data / "roles" / "tiny.yaml"
    hostile = '"Ships features \\u001b]0;pwned\\u0007 end \\u202e to end"'
    role.write_text(role.read_text().replace("Ships features end to end", hostile))
    answers = tmp_path / "s.yaml"
    answers.write_text("sreladder: 1\nrole: tiny\nanswers:\n  code-1a: {rating: consistently}\n")
    code, out, err = invoke("score", str(answers), "--data", str(data), "--target", "L2")
    assert code == 0, err
    assert "Ships features \\x1b]0;pwned\\x07 end \\u202e to end" in out
    assert_inert(out, "table")
