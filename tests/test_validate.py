"""`sreladder validate` on the shipped data and on broken copies of it.

Every broken variant is a text edit of a shipped file in a copy of ``data/``; the
expected ``line:col`` is computed from where the edit was made.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.io.diagnostics import CODES, Diagnostic, render_github
from sreladder.io.rubric import validate_paths

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SRE = "data/roles/sre.yaml"
PROFESSIONAL = "data/levels/professional.yaml"
CLI = [sys.executable, "-c", "from sreladder.cli.app import app; app()"]

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(autouse=True)
def _no_data_env(monkeypatch):
    monkeypatch.delenv("SRELADDER_DATA", raising=False)


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A copy of the shipped data under the working directory, so paths print as data/…"""
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(rel: str, old: str, new: str) -> str:
    """Replace the first ``old`` in ``rel`` with ``new``; return the new text."""
    path = Path(rel)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which ``needle`` starts."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def col_of(text: str, needle: str, within: str | None = None) -> int:
    """The 1-based column of ``within`` (default: ``needle``) inside the line holding ``needle``."""
    index = text.index(needle)
    start = text.rfind("\n", 0, index) + 1
    if within is not None:
        index = text.index(within, index)
    return index - start + 1


def expect(result, path: str, line: int, col: int, code: str) -> str:
    """The finding line for ``path:line:col: CODE`` (asserting exit 1 and that it is there)."""
    assert result.exit_code == 1, result.output
    prefix = f"{path}:{line}:{col}: {code} "
    found = [ln for ln in result.stdout.splitlines() if ln.startswith(prefix)]
    assert found, f"no {prefix!r} in:\n{result.stdout}"
    return found[0]


def expect_line(result, path: str, line: int, col: int) -> str:
    prefix = f"{path}:{line}:{col}: "
    found = [ln for ln in result.stdout.splitlines() if ln.startswith(prefix)]
    assert found, f"no {prefix!r} in:\n{result.stdout}"
    return found[0]


def errors_of(result) -> list[str]:
    return [ln for ln in result.stdout.splitlines() if re.search(r": E\d{3} ", ln)]


# --- the shipped data --------------------------------------------------------------


def test_builtin_data_is_clean():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert not errors_of(result)
    assert "checked 6 file(s): 0 error(s)" in result.stderr


def test_data_folder_is_clean(work):
    result = run("validate", "data")
    assert result.exit_code == 0, result.output
    assert "checked 6 file(s)" in result.stderr


def test_strict_fails_on_the_intended_warnings():
    result = run("validate", "--strict")
    assert result.exit_code == 1
    assert not errors_of(result)
    # The built-in data lives in the repo (editable install) or in site-packages.
    assert re.search(r"^\S*data/roles/ops-sre\.yaml:\d+:\d+: W401 ", result.stdout, re.M)


def test_single_role_file_finds_its_scale_beside_it(work):
    # What the pre-commit hook does: pass the changed files only.
    edit(PROFESSIONAL, "name: Professional track", "name: Professional track, edited")
    result = run("validate", SRE, "data/levels/ops.yaml")
    assert result.exit_code == 0, result.output
    assert "checked 2 file(s): 0 error(s), 0 warning(s)" in result.stderr


def test_single_role_file_on_a_local_scale(work, tmp_path):
    # A scale that exists only beside the role (not built in) must be found.
    edit(PROFESSIONAL, "id: professional", "id: house")
    Path(PROFESSIONAL).rename("data/levels/house.yaml")
    edit(SRE, "ladder: professional", "ladder: house")
    assert run("validate", SRE).exit_code == 0
    edit(SRE, "ladder: house", "ladder: nope")
    result = run("validate", SRE)
    text = Path(SRE).read_text()
    expect(result, SRE, line_of(text, "ladder: nope"), 9, "E201")


def test_missing_path_is_an_error_not_a_crash(work):
    result = run("validate", "data/roles/nope.yaml")
    assert result.exit_code == 1
    assert "data/roles/nope.yaml: E001 no such file" in result.stdout


def test_bad_format_is_a_usage_error():
    assert run("validate", "--format", "xml").exit_code == 2


# --- syntax --------------------------------------------------------------------------


def test_syntax_error(work):
    text = edit(SRE, "  P2: {}\n", "  P2: {]\n")
    line = expect(run("validate", "data"), SRE, line_of(text, "  P2: {]"), 8, "E004")
    assert "YAML error" in line


def test_tab_indent_gets_a_hint(work):
    text = edit(SRE, "\n  P2: {}\n", "\n\tP2: {}\n")
    line = expect(run("validate", "data"), SRE, line_of(text, "\tP2"), 1, "E004")
    assert "tab" in line


def test_duplicate_top_level_key(work):
    text = edit(SRE, "ladder: professional\n", "ladder: professional\nname: Again\n")
    line = expect(run("validate", "data"), SRE, line_of(text, "name: Again"), 1, "E005")
    assert f"first at line {line_of(text, 'name: Site')}" in line


def test_duplicate_key_at_depth_five(work):
    # root > dimensions > dimension > levels > P1 cell: the fifth mapping/sequence down
    old = "      P1:\n        expectations:\n          - id: ir-p1-a\n"
    new = "      P1:\n        summary: one\n        summary: two\n        expectations:\n"
    new += "          - id: ir-p1-a\n"
    text = edit(SRE, old, new)
    expect(run("validate", "data"), SRE, line_of(text, "summary: two"), 9, "E005")


def test_alias_bomb(work):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    text = edit(SRE, "id: sre\n", bomb + "id: sre\n")
    started = time.monotonic()
    result = run("validate", "data")
    assert time.monotonic() - started < 10
    expect(result, SRE, line_of(text, "b: &b"), col_of(text, "b: &b", "*a"), "E006")


def test_single_harmless_alias(work):
    edit(SRE, "name: Site Reliability Engineer\n", "name: &n Site Reliability Engineer\n")
    text = edit(SRE, "  P2: {}\n", "  P2: {title: *n}\n")
    # points at the alias, not at the anchor
    at = "  P2: {title: *n}"
    expect(run("validate", "data"), SRE, line_of(text, at), col_of(text, at, "*n"), "E006")


def test_merge_key_is_an_alias_too(work):
    edit(SRE, "levels:\n  P1:", "base: &b {title: x}\nlevels:\n  P1:")
    text = edit(SRE, "  P2: {}\n", "  P2: {<<: *b}\n")
    at = "  P2: {<<"
    expect(run("validate", "data"), SRE, line_of(text, at), col_of(text, at, "*b"), "E006")


def test_twenty_megabytes_is_refused_fast(work):
    with open(SRE, "a", encoding="utf-8") as handle:
        handle.write(("# " + "x" * 1000 + "\n") * 20_000)
    assert Path(SRE).stat().st_size > 20_000_000
    started = time.monotonic()
    result = run("validate", "data")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert f"{SRE}: E002 file is larger than 4 MiB" in result.stdout


def _deep(kind: str, depth: int) -> tuple[str, int]:
    """A ``deep:`` key nested ``depth`` levels, and the column where level 65 opens."""
    if kind == "flow":
        # "deep: " then brackets; the root mapping is level 1, the first "[" level 2
        return "deep: " + "[" * depth + "]" * depth + "\n", 7 + 63
    # "deep:" then "  - - - x": the first "-" (column 3) is level 2; "cr" breaks its
    # lines with a bare "\r" (a million of these crashed PyYAML 6.0.2's composer)
    brk = "\r" if kind == "cr" else "\n"
    return f"deep:{brk}  " + "- " * depth + f"x{brk}", 3 + 2 * 63


def test_deep_nesting_in_a_subprocess(work):
    # 5,000 to 1,000,000 levels, block and flow: libyaml's composer would crash the
    # interpreter at about 50,000, so this runs in a subprocess (one for all the files).
    expected = []
    cases = [(kind, depth) for kind in ("block", "flow") for depth in (5_000, 100_000)]
    for kind, depth in [*cases, ("cr", 1_000_000)]:
        copy = Path(f"{kind}-{depth}")
        shutil.copytree("data", copy)
        path = copy / "roles/sre.yaml"
        text = path.read_text(encoding="utf-8")
        addition, col = _deep(kind, depth)
        path.write_text(text + addition, encoding="utf-8", newline="")
        line = text.count("\n") + 1 + (0 if kind == "flow" else 1)
        expected.append(f"{path}:{line}:{col}: E007 nested more than 64 levels deep")
    started = time.monotonic()
    proc = subprocess.run(
        [*CLI, "validate", *(e.split(":")[0] for e in expected)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=work,
    )
    assert time.monotonic() - started < 30
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    for line in expected:
        assert line in proc.stdout.splitlines(), proc.stdout


def test_depth_64_is_fine_and_65_is_not(work):
    # The root mapping is level 1 and "deep:"'s flow sequence level 2, so 63 "[" reach 64.
    text = Path(SRE).read_text(encoding="utf-8")
    Path(SRE).write_text(text + "deep: " + "[" * 63 + "]" * 63 + "\n", encoding="utf-8")
    result = run("validate", "data")
    assert "E007" not in result.stdout
    expect(result, SRE, text.count("\n") + 1, 1, "E102")  # unknown key, but it loaded
    Path(SRE).write_text(text + "deep: " + "[" * 64 + "]" * 64 + "\n", encoding="utf-8")
    expect(run("validate", "data"), SRE, text.count("\n") + 1, 70, "E007")


# --- not text -----------------------------------------------------------------------


def test_random_bytes(work):
    Path(SRE).write_bytes(random.Random(7).randbytes(4096))
    result = run("validate", "data")
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(SRE)}:\d+:\d+: E003 ", result.stdout, re.M), result.stdout


def test_png_header(work):
    Path(SRE).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    line = expect(run("validate", "data"), SRE, 3, 1, "E003")  # the NUL after "\n\x1a\n"
    assert "NUL" in line


def test_utf16_with_bom(work):
    Path(SRE).write_text(Path(SRE).read_text(encoding="utf-8"), encoding="utf-16")
    line = expect(run("validate", "data"), SRE, 1, 1, "E003")
    assert "UTF-16" in line


def test_latin1_byte(work):
    text = Path(SRE).read_text(encoding="utf-8")
    bad = text.replace("name: Site Reliability Engineer", "name: Site Reliabilit\u00e9", 1)
    Path(SRE).write_bytes(bad.encode("latin-1", errors="replace"))
    line = expect(run("validate", "data"), SRE, line_of(bad, "name: Site"), 22, "E003")
    assert "0xe9" in line


# --- schema: types, values, references -----------------------------------------------


def test_weight_as_text(work):
    text = edit(SRE, "    weight: 2\n", "    weight: heavy\n")
    line = expect(run("validate", "data"), SRE, line_of(text, "weight: heavy"), 13, "E103")
    assert "weight: expected a number, got text" in line


@pytest.mark.parametrize(
    ("key", "raw", "expected", "got"),
    [
        ("threshold", "'0.8'", "a number", "text"),
        ("threshold", "true", "a number", "true/false"),
        ("quorum", "yes", "a number", "true/false"),
        ("max_lag", "1.0", "a whole number", "number"),
        ("require_evidence", "'yes'", "true or false", "text"),
        ("require_evidence", "1", "true or false", "number"),
    ],
)
def test_numbers_and_switches_are_strict(work, key, raw, expected, got):
    text = edit(SRE, "ladder: professional\n", f"ladder: professional\nscoring:\n  {key}: {raw}\n")
    line = expect(
        run("validate", "data"), SRE, line_of(text, f"{key}: {raw}"), 5 + len(key), "E103"
    )
    assert line.endswith(f"{key}: expected {expected}, got {got}")


def test_a_weight_of_true_is_not_1(work):
    text = edit(SRE, "    weight: 2\n", "    weight: true\n")
    line = expect(run("validate", "data"), SRE, line_of(text, "weight: true"), 13, "E103")
    assert line.endswith("weight: expected a number, got true/false")


@pytest.mark.parametrize("raw", ["true", "1.0", "'1'"])
def test_the_format_version_must_be_the_integer_1(tmp_path, raw):
    path = tmp_path / "a.yaml"
    path.write_text(f"sreladder: {raw}\nrole: sre\nanswers: {{}}\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert ": E103 sreladder: expected a whole number" in result.stdout


def test_expectations_as_a_string(work):
    old = "      P1:\n        expectations:\n"
    text = edit(SRE, old, "      P1:\n        expectations: none here\n        old:\n")
    result = run("validate", "data")
    expect(result, SRE, line_of(text, "expectations: none"), 23, "E103")
    expect(result, SRE, line_of(text, "        old:"), 9, "E102")


def test_missing_required_key(work):
    text = edit(SRE, "name: Site Reliability Engineer\n", "")
    # reported at the mapping that misses it: the top level starts at "id: sre"
    line = expect(run("validate", "data"), SRE, line_of(text, "id: sre"), 1, "E101")
    assert "missing required key 'name'" in line


def test_unknown_ladder(work):
    text = edit(SRE, "ladder: professional", "ladder: nope")
    line = expect(run("validate", "data"), SRE, line_of(text, "ladder: nope"), 9, "E201")
    assert "'nope'" in line


def test_level_not_in_the_scale(work):
    text = edit(SRE, "  P7: {}\n", "  P7: {}\n  P8: {}\n")
    line = expect(run("validate", "data"), SRE, line_of(text, "  P8: {}"), 3, "E202")
    assert "'P8'" in line and "professional" in line


def test_cell_at_a_level_the_role_does_not_have(work):
    text = edit(SRE, "  P7: {}\n", "")
    result = run("validate", "data")
    assert result.exit_code == 1
    cells = [i + 1 for i, ln in enumerate(text.splitlines()) if ln == "      P7:"]
    assert cells
    for line in cells:
        expect(result, SRE, line, 7, "E202")


def test_levels_out_of_the_scales_order(work):
    text = edit(SRE, "  P2: {}\n  P3: {}\n", "  P3: {}\n  P2: {}\n")
    line = expect(run("validate", "data"), SRE, line_of(text, "  P2: {}"), 3, "E203")
    assert "'P3'" in line


@pytest.mark.parametrize("raw", ['""', '"   "'])
def test_empty_text(work, raw):
    old = "            text: Participate in on-call rotations"
    text = edit(SRE, old, f"            text: {raw}\n            old: Participate")
    line = expect(run("validate", "data"), SRE, line_of(text, f"text: {raw}"), 19, "E104")
    assert "must not be empty" in line


@pytest.mark.parametrize("raw", ["0", "-1", ".inf", ".nan"])
def test_bad_weights(work, raw):
    text = edit(SRE, "    weight: 2\n", f"    weight: {raw}\n")
    line = expect(run("validate", "data"), SRE, line_of(text, f"weight: {raw}"), 13, "E104")
    assert "weight" in line


@pytest.mark.parametrize(
    ("key", "raw"), [("threshold", "0"), ("threshold", "1.5"), ("quorum", "0"), ("max_lag", "-1")]
)
def test_bad_scoring_values(work, key, raw):
    text = edit(SRE, "dimensions:\n", f"scoring:\n  {key}: {raw}\ndimensions:\n")
    line = expect(run("validate", "data"), SRE, line_of(text, f"  {key}:"), 5 + len(key), "E104")
    assert key in line


def test_boundary_scoring_values_are_fine(work):
    edit(SRE, "dimensions:\n", "scoring:\n  threshold: 1\n  quorum: 1\n  max_lag: 0\ndimensions:\n")
    assert run("validate", "data").exit_code == 0


def test_duplicate_expectation_id_in_a_file(work):
    text = edit(SRE, "- id: ir-p1-b\n", "- id: ir-p1-a\n")
    second = text.index("- id: ir-p1-a", text.index("- id: ir-p1-a") + 1)
    line = text.count("\n", 0, second) + 1
    message = expect(run("validate", "data"), SRE, line, 17, "E105")
    assert "'ir-p1-a'" in message


def test_same_role_in_two_files(work):
    shutil.copy(SRE, "data/roles/sre-copy.yaml")
    result = run("validate", "data")
    text = Path(SRE).read_text()
    message = expect(result, "data/roles/sre.yaml", line_of(text, "id: sre"), 5, "E204")
    assert "sre-copy.yaml" in message or "sre.yaml" in message
    assert "W405" in result.stdout  # the copy's name does not match its id


def test_expectation_ids_may_repeat_across_roles(work):
    # Ids are unique within a role; assessments name the role, so two roles may share one.
    edit(SRE, "id: sre\n", "id: sre-copy\n")
    shutil.copy(SRE, "data/roles/sre-copy.yaml")
    edit(SRE, "id: sre-copy\n", "id: sre\n")
    result = run("validate", "data")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("raw", ["no", "off", "2026-01-01"])
def test_id_read_as_another_type_gets_a_quote_hint(work, raw):
    text = edit(SRE, "- id: ir-p1-a\n", f"- id: {raw}\n")
    line = expect(run("validate", "data"), SRE, line_of(text, f"- id: {raw}"), 17, "E103")
    assert f"quote it, '{raw}'" in line


@pytest.mark.parametrize("raw", ["no", "2026-01-01"])
def test_level_key_read_as_another_type(work, raw):
    text = edit(SRE, "  P2: {}\n", f"  {raw}: {{}}\n")
    line = expect(run("validate", "data"), SRE, line_of(text, f"  {raw}: {{}}"), 3, "E103")
    assert f"quote it, '{raw}'" in line


def test_empty_file(work):
    Path(SRE).write_text("")
    line = expect(run("validate", "data"), SRE, 1, 1, "E008")
    assert "empty" in line


def test_comments_only_file(work):
    Path(SRE).write_text("# yaml-language-server: $schema=../../schemas/role.schema.json\n")
    expect(run("validate", "data"), SRE, 1, 1, "E008")


def test_top_level_list(work):
    Path(PROFESSIONAL).write_text("- id: P1\n- id: P2\n")
    line = expect(run("validate", "data"), PROFESSIONAL, 1, 1, "E008")
    assert "list" in line


def test_two_documents(work):
    text = Path(SRE).read_text()
    Path(SRE).write_text(text + "---\nid: again\n")
    expect(run("validate", "data"), SRE, text.count("\n") + 1, 1, "E008")


def test_scale_duplicate_level_id(work):
    text = edit(PROFESSIONAL, "  - id: P2\n", "  - id: P1\n")
    second = text.index("  - id: P1", text.index("  - id: P1") + 1)
    line = text.count("\n", 0, second) + 1
    expect(run("validate", "data"), PROFESSIONAL, line, 9, "E105")


def test_one_broken_file_does_not_hide_the_others(work):
    edit(SRE, "ladder: professional", "ladder: nope")
    pe = "data/roles/production-engineer.yaml"
    text = edit(pe, "    weight: 15\n", "    weight: 0\n")
    result = run("validate", "data")
    expect(result, SRE, line_of(Path(SRE).read_text(), "ladder: nope"), 9, "E201")
    expect(result, pe, line_of(text, "weight: 0"), 13, "E104")


# --- warnings ------------------------------------------------------------------------


def test_identical_text_at_adjacent_levels_warns(work):
    lines = Path(SRE).read_text().splitlines(keepends=True)
    p3 = lines.index("          - id: ir-p3-a\n") + 1
    p4 = lines.index("          - id: ir-p4-a\n") + 1
    assert lines[p3].startswith("            text: ") and lines[p4].startswith("            text: ")
    lines[p4] = lines[p3]  # P4's text copied from P3
    Path(SRE).write_text("".join(lines))
    result = run("validate", SRE)
    assert result.exit_code == 0, result.stdout
    assert f"{SRE}:{p4 + 1}:19: W401 " in result.stdout
    assert run("validate", "--strict", SRE).exit_code == 1


def test_a_dimension_skipping_a_level_warns(work):
    start = "      P3:\n        expectations:\n          - id: ir-p3-a\n"
    text = Path(SRE).read_text()
    begin = text.index(start)
    end = text.index("      P4:\n", begin)
    Path(SRE).write_text(text[:begin] + text[end:])
    text = Path(SRE).read_text()
    result = run("validate", SRE)
    assert result.exit_code == 0, result.stdout
    message = expect_line(result, SRE, line_of(text, "      P4:\n        expectations:\n"), 7)
    assert "W402" in message and "P3" in message


def test_file_name_must_match_the_id(work):
    Path(SRE).rename("data/roles/site-reliability.yaml")
    result = run("validate", "data")
    assert result.exit_code == 0
    text = Path("data/roles/site-reliability.yaml").read_text()
    line = line_of(text, "id: sre")
    assert f"data/roles/site-reliability.yaml:{line}:5: W405 " in result.stdout


# --- assessments ---------------------------------------------------------------------

ASSESSMENT = """\
sreladder: 1
role: sre
subject: {name: Dana}
assessor: {name: Dana, relation: self}
target: P3
answers:
  ir-p1-a:
    rating: consistently
    evidence:
      - text: Led the 2026-10-03 checkout outage response
        date: 2026-10-03
  ir-p1-b:
    rating: partially
"""


def write_assessment(text: str) -> str:
    Path("me.yaml").write_text(text, encoding="utf-8")
    return "me.yaml"


def test_valid_assessment(work):
    result = run("validate", write_assessment(ASSESSMENT))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_assessment_for_an_unknown_role(work):
    text = ASSESSMENT.replace("role: sre", "role: nope")
    message = expect(run("validate", write_assessment(text)), "me.yaml", 2, 7, "E301")
    assert "'nope'" in message


def test_assessment_answers_an_unknown_expectation(work):
    text = ASSESSMENT + "  gone-p1-a:\n    rating: consistently\n"
    path = write_assessment(text)
    result = run("validate", path)
    assert result.exit_code == 0
    assert f"me.yaml:{line_of(text, 'gone-p1-a')}:3: W403 " in result.stdout
    assert run("validate", "--strict", path).exit_code == 1


def test_assessment_bad_rating(work):
    text = ASSESSMENT.replace("rating: partially", "rating: sometimes")
    message = expect(
        run("validate", write_assessment(text)), "me.yaml", line_of(text, "sometimes"), 13, "E104"
    )
    assert "rating" in message


def test_assessment_target_not_a_level(work):
    text = ASSESSMENT.replace("target: P3", "target: P9")
    expect(run("validate", write_assessment(text)), "me.yaml", 5, 9, "E302")


def test_assessment_of_another_rubric_version(work):
    text = ASSESSMENT.replace("role: sre\n", "role: sre\nrubric_digest: sha256:0000\n")
    result = run("validate", write_assessment(text))
    assert result.exit_code == 0
    assert "me.yaml:3:16: W404 " in result.stdout


def test_assessment_against_a_local_rubric(work):
    # --data: the assessment is checked against that rubric set
    edit(SRE, "- id: ir-p1-b\n", "- id: ir-p1-z\n")
    path = write_assessment(ASSESSMENT)
    result = run("validate", "--data", "data", path)
    assert f"me.yaml:{line_of(ASSESSMENT, 'ir-p1-b')}:3: W403 " in result.stdout


# --- output formats ------------------------------------------------------------------


def test_json_format(work):
    text = edit(SRE, "ladder: professional", "ladder: nope")
    result = run("validate", "--format", "json", "data")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"status", "checked", "errors", "warnings", "findings"}
    assert report["status"] == "fail"
    assert report["checked"] == 6  # 2 scales, 3 roles, the lexicon
    assert report["errors"] == 1
    assert report["warnings"] == len([f for f in report["findings"] if f["code"].startswith("W")])
    (error,) = [f for f in report["findings"] if f["severity"] == "error"]
    assert error == {
        "path": SRE,
        "line": line_of(text, "ladder: nope"),
        "col": 9,
        "code": "E201",
        "severity": "error",
        "message": error["message"],
    }


def test_json_format_clean():
    result = run("validate", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert report["status"] == "ok" and report["errors"] == 0 and report["warnings"] > 0
    strict = json.loads(run("validate", "--format", "json", "--strict").stdout)
    assert strict["status"] == "fail"


def test_github_format(work):
    text = edit(SRE, "ladder: professional", "ladder: nope")
    result = run("validate", "--format", "github", "data")
    assert result.exit_code == 1
    line = line_of(text, "ladder: nope")
    assert f"::error file={SRE},line={line},col=9,title=E201::" in result.stdout
    assert "::warning file=data/roles/ops-sre.yaml,line=" in result.stdout
    # every finding also as a plain line (GitHub shows only ten annotations per kind)
    assert f"{SRE}:{line}:9: E201 " in result.stdout


def test_github_format_escapes_paths_and_messages(work):
    odd = Path("we,ird:100%.yaml")
    odd.write_text("id: x\nid: y\n100%: a\n")
    result = run("validate", "--format", "github", str(odd))
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=we%2Cird%3A100%25.yaml,line=2,col=1,title=E005::")
    d = Diagnostic("a,b:c.yaml", 3, 4, "E004", "error", "50% done\r\nnext: line")
    assert render_github([d]).splitlines()[0] == (
        "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=E004::50%25 done%0D%0Anext: line"
    )


def test_control_characters_never_reach_the_terminal(work):
    Path("evil.yaml").write_text('"\\e[31mred\\e[0m": 1\n"\\e[31mred\\e[0m": 2\n')
    result = run("validate", "evil.yaml")
    assert "\x1b" not in result.stdout
    assert "\\x1b[31m" in result.stdout


# --- the pre-commit hook -------------------------------------------------------------


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "sreladder-validate")
    assert hook["entry"] == "sreladder validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for path in ["data/roles/sre.yaml", "roles/x.yml", "ladder/levels/ops.yaml"]:
        assert files.search(path), path
    for path in ["README.md", "data/roles/sre.json", "data/roles/sub/x.yaml", "xroles/a.yaml"]:
        assert not files.search(path), path


def test_pre_commit_hook_command_line_on_shipped_files():
    proc = subprocess.run(
        [*CLI, "validate", "data/roles/sre.yaml", "data/levels/ops.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "checked 2 file(s)" in proc.stderr


# --- the codes table -----------------------------------------------------------------


def test_every_code_used_in_the_source_is_documented():
    from sreladder.io.diagnostics import CODES

    source = "".join(p.read_text() for p in (REPO / "src/sreladder").rglob("*.py"))
    used = set(re.findall(r"\"([EW]\d{3})\"", source))
    assert used - set(CODES) == set()
    assert {"E001", "E005", "E006", "E007", "E201", "W401", "W403"} <= used


# --- mutated documents never crash validate ------------------------------------------


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _replace(doc, path, value):
    if not path:
        return value
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


_ROLE = yaml.safe_load((DATA / "roles/sre.yaml").read_text())
_ROLE["dimensions"] = _ROLE["dimensions"][:2]
_SCALE = yaml.safe_load((DATA / "levels/professional.yaml").read_text())
_ASSESSMENT = yaml.safe_load(ASSESSMENT)
_ASSESSMENT["claimed"] = {"incident-response": "P2"}
_DOCS = {"roles/sre.yaml": _ROLE, "levels/professional.yaml": _SCALE, "me.yaml": _ASSESSMENT}
_MUTATIONS = [(name, path) for name, doc in _DOCS.items() for path in _paths(doc)]
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True)
    | st.dates()
    | st.sampled_from(["", " ", "P1", "P9", "sre", "nope", "ir-p1-a", "no", "bad id", "x" * 70]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "text", "P1", "rating", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_MUTATIONS), _VALUES), min_size=1, max_size=3))
def test_mutated_shipped_documents_never_crash_validate(tmp_path_factory, mutations):
    root = tmp_path_factory.mktemp("mut")
    (root / "roles").mkdir()
    (root / "levels").mkdir()
    docs = copy.deepcopy(_DOCS)
    for (name, path), value in mutations:
        with contextlib.suppress(KeyError, IndexError, TypeError):  # path gone already
            docs[name] = _replace(docs[name], path, copy.deepcopy(value))
    texts = {name: yaml.safe_dump(doc, sort_keys=False) for name, doc in docs.items()}
    for name, text in texts.items():
        (root / name).write_text(text)
    report = validate_paths([root / "roles/sre.yaml", root / "me.yaml"], root)
    report.diagnostics += validate_paths([root]).diagnostics
    for d in report.diagnostics:
        assert d.code in CODES
        if d.line is not None:
            name = next(n for n in texts if d.path.endswith(n))
            assert 1 <= d.line <= texts[name].count("\n") + 1, d


@pytest.mark.parametrize("how", ["data", "path"])
def test_a_folder_without_yaml_fails_instead_of_checking_nothing(tmp_path, how):
    empty = tmp_path / "ladders"
    empty.mkdir()
    args = ["--data", str(empty)] if how == "data" else [str(empty)]
    result = run("validate", *args)
    assert result.exit_code == 1
    assert "E001 no YAML files here" in result.stdout


@pytest.mark.parametrize("code", ["E001", "E004", "e0", "E"])
def test_ignore_takes_warnings_only(tmp_path, code):
    result = runner.invoke(app, ["validate", str(tmp_path / "missing.yaml"), "--ignore", code])
    assert result.exit_code == 2
    assert "warning codes (W…) only" in result.stderr


def test_github_plain_lines_never_start_a_workflow_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("::add-mask::x.yaml").write_text("id: [\n")
    result = runner.invoke(app, ["validate", "::add-mask::x.yaml", "--format", "github"])
    assert result.exit_code == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert commands and all(line.startswith("::error ") for line in commands)


@pytest.mark.parametrize(
    ("concept", "message"),
    [
        ("  - {id: mine, terms: [zorp], negated: nope}\n", "negated names unknown concept 'nope'"),
        ("  - {id: mine, terms: [zorp], implies: [nope]}\n", "implies names unknown concept"),
        ("  - {id: mine, terms: [zorp], weight: many}\n", "E103"),
    ],
)
def test_validate_checks_the_lexicon_beside_a_rubric(tmp_path, concept, message):
    """A company's lexicon.yaml was only read by `evidence`: CI stayed green on a broken one."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("lexicon.yaml"))
    lexicon = data / "lexicon.yaml"
    lexicon.write_text("lexicon: 1\nconcepts:\n  - {id: first, terms: [blip]}\n" + concept)
    for args in (["validate", str(data)], ["validate", str(lexicon)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert "lexicon.yaml:4:" in result.stdout and message in result.stdout
