"""`sreladder export`: the matrix people share, and `import` of it gives the role back."""

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.io.rubric import load_rubric

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "browse"
FORMATS = {"csv": "csv", "xlsx": "xlsx", "md": "md"}


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _round_trip(role, data: Path | None, fmt: str, tmp_path: Path):
    exported = tmp_path / f"{role.id}.{FORMATS[fmt]}"
    data_args = ["--data", str(data)] if data else []
    result = run("export", role.id, "--format", fmt, "--out", str(exported), *data_args)
    assert result.exit_code == 0, result.output
    out = tmp_path / f"back-{fmt}"
    result = run("import", str(exported), "--out", str(out))
    assert result.exit_code == 0, result.output
    return load_rubric(out).role(role.id)


BUILT_IN = sorted(load_rubric(None).roles)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role_id", BUILT_IN)
def test_every_built_in_role_round_trips_through_every_format(role_id, fmt, tmp_path):
    role = load_rubric(None).role(role_id)
    back = _round_trip(role, None, fmt, tmp_path)
    assert back.model_dump(mode="json") == role.model_dump(mode="json")
    assert back.digest == role.digest  # assessments taken on one still fit the other


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_round_trips(fmt, tmp_path):
    """Rich markup, ANSI escapes and terminal hyperlinks survive every format."""
    role = load_rubric(HOSTILE).role("hostile")
    back = _round_trip(role, HOSTILE, fmt, tmp_path)
    assert back.model_dump(mode="json") == role.model_dump(mode="json")


def _tricky_role(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "levels").mkdir(parents=True)
    (data / "roles").mkdir()
    (data / "levels" / "two.yaml").write_text(
        "id: two\nname: Two\nlevels:\n  - id: A\n  - id: B\n", encoding="utf-8"
    )
    (data / "roles" / "tricky.yaml").write_text(
        """id: tricky
name: "=cmd|' /C calc'!A0"
ladder: two
levels:
  A: {title: "@SUM(1+1)"}
  B: {}
scoring: {threshold: 0.6, quorum: 0.5, max_lag: 0, require_evidence: true}
dimensions:
  - id: pipes
    name: "a | b *c* _d_ <br> `e` & f"
    weight: 2.5
    description: "Line one\\nline two"
    levels:
      A:
        summary: "  spaced  "
        expectations:
          - id: p-a
            text: "=HYPERLINK(\\"http://x.invalid\\",\\"click\\")"
            weight: 3
            examples: ["- starts like a list", "'quoted"]
          - id: p-b
            text: "two\\nlines • with a bullet"
          - id: p-c
            text: "- a dash first"
      B:
        expectations:
          - id: p-d
            text: "+1 | 2 \\\\| 3 &amp; <script>alert(1)</script>"
  - id: grouped
    name: Grouped
    group: G
    levels:
      B:
        expectations:
          - {id: g-1, text: "1. numbered"}
  - id: ungrouped
    name: Ungrouped
    levels:
      A:
        expectations:
          - {id: u-1, text: "  padded  "}
""",
        encoding="utf-8",
    )
    return data


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_that_looks_like_formulas_markup_or_bullets_round_trips(fmt, tmp_path):
    data = _tricky_role(tmp_path)
    role = load_rubric(data).role("tricky")
    back = _round_trip(role, data, fmt, tmp_path)
    assert back.model_dump(mode="json") == role.model_dump(mode="json")


def test_csv_export_is_a_readable_matrix_with_formulas_neutralised(tmp_path):
    data = _tricky_role(tmp_path)
    result = run("export", "tricky", "--format", "csv", "--data", str(data))
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "'=cmd|' /C calc'!A0"
    header = rows[1]
    assert header[:3] == ["Dimension", "'@SUM(1+1) (A)", "B"] and header[-1] == "sreladder"
    pipes = rows[2]
    assert pipes[1].split("\n")[0] == '• =HYPERLINK("http://x.invalid","click")'
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


def test_xlsx_export_stores_formula_looking_text_as_text(tmp_path):
    from openpyxl import load_workbook

    data = _tricky_role(tmp_path)
    out = tmp_path / "tricky.xlsx"
    assert run("export", "tricky", "-f", "xlsx", "-o", str(out), "--data", str(data)).exit_code == 0
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "=cmd|' /C calc'!A0"
    assert sheet["A1"].data_type == "s"  # a string cell, not a formula
    assert sheet["A1"].quotePrefix  # and a spreadsheet keeps it text when it is edited
    assert sheet["B2"].value == "@SUM(1+1) (A)"
    assert sheet.column_dimensions["D"].hidden  # the sreladder column


def test_markdown_export_is_a_table_a_gfm_parser_splits_right(tmp_path):
    from markdown_table import md_cells

    data = _tricky_role(tmp_path)
    result = run("export", "tricky", "--format", "md", "--data", str(data))
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert all(len(md_cells(row)) == 3 for row in rows)
    assert "<script>" not in result.stdout


def test_xlsx_needs_an_out_file():
    result = run("export", "sre", "--format", "xlsx")
    assert result.exit_code == 2 and "needs --out" in result.stderr


def test_an_unknown_role_is_one_line():
    result = run("export", "nope")
    assert result.exit_code == 1 and result.stderr.startswith("sreladder: unknown role 'nope'")


def test_an_edited_export_keeps_the_new_words_and_makes_new_ids(tmp_path):
    exported = tmp_path / "sre.csv"
    assert run("export", "sre", "-o", str(exported)).exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    first_bullet = text.index("• ") + 2
    edited = text[:first_bullet] + "Newly written. " + text[first_bullet:]
    exported.write_text(edited, encoding="utf-8")
    out = tmp_path / "back"
    assert run("import", str(exported), "--out", str(out)).exit_code == 0
    back = load_rubric(out).role("sre")
    first = back.dimensions[0].levels["P1"].expectations[0]
    assert first.text.startswith("Newly written. ")


def test_export_and_import_do_not_load_openpyxl_at_start_up():
    import subprocess
    import sys

    code = "import sys, sreladder.cli.ladder; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_role_s_level_scale_comes_back_too(fmt, tmp_path):
    rubric = load_rubric(None)
    role = rubric.role("sre")
    _round_trip(role, None, fmt, tmp_path)
    back = load_rubric(tmp_path / f"back-{fmt}")
    assert back.scale("professional") == rubric.scale("professional")
