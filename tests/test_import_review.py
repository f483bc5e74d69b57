"""Defects a review of `sreladder import` / `export` found (issue 15): each test fails
without its fix."""

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_import import fails, run

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def refused(source: Path, out: Path, *options: str) -> str:
    """The one-line error of an import into an ``out`` that exists (``fails`` checks
    the others, and that no ``out`` was left)."""
    result = run("import", str(source), "--out", str(out), *options)
    assert (result.exit_code, result.stderr.count("\n")) == (1, 1), result.output
    assert result.stderr.startswith("sreladder: ") and "Traceback" not in result.output
    return result.stderr.strip()


def imported(source: Path, out: Path, *options: str) -> dict:
    result = run("import", str(source), "--out", str(out), "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def role_of(out: Path) -> dict:
    (path,) = (out / "roles").iterdir()
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- 3, 4: the output folder ---------------------------------------------------------


def test_force_leaves_other_roles_and_files_inside_the_rubric_alone(tmp_path):
    out = tmp_path / "rubric"
    imported(FIXTURES / "ft-style.yml", out)
    (out / "roles" / "mine.yaml").write_text("precious")
    (out / "levels" / "notes.txt").write_text("mine too")
    imported(FIXTURES / "ft-style.yml", out, "--force")
    assert (out / "roles" / "mine.yaml").read_text() == "precious"
    assert (out / "levels" / "notes.txt").read_text() == "mine too"


def test_an_import_into_the_current_folder_adds_files_and_moves_no_folder(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    imported(FIXTURES / "ft-style.yml", Path("."))
    assert sorted(p.name for p in work.iterdir()) == ["levels", "roles", "schemas"]
    (work / "thesis.tex").write_text("precious")  # still a rubric folder: added to
    imported(FIXTURES / "monzo-style.md", Path("."))
    assert (work / "thesis.tex").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_a_failed_write_puts_every_file_back_and_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "rubric"
    imported(FIXTURES / "ft-style.yml", out)
    changed = tmp_path / "ft-style.yml"
    changed.write_text(
        (FIXTURES / "ft-style.yml").read_text().replace("Designs components", "Designs APIs")
    )
    monkeypatch.setattr("sreladder.io.schema.render", lambda body: "{}\n")  # schemas change
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real_replace = os.replace
    calls = []

    def busy(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the role is in place; the first schema fails
            raise OSError(16, "Device or resource busy", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", busy)
    line = refused(changed, out, "--force")
    assert "Device or resource busy" in line and "nothing was changed" in line
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ft-style.yml", "rubric"]


# --- 6: a decompression bomb --------------------------------------------------------


def test_an_xlsx_whose_parts_unpack_to_gigabytes_is_refused_from_the_zip_directory(tmp_path):
    source = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b" " * 2**20
            for _ in range(100):  # 100 MiB of spaces, about 100 KiB zipped
                part.write(block)
    assert source.stat().st_size < 2 * 2**20
    line = fails(source, tmp_path / "out")
    assert "bomb.xlsx: xl/worksheets/sheet1.xml unpacks past 64 MiB" in line
    assert not (tmp_path / "out").exists()


# --- 9: the source's name in the written YAML --------------------------------------


@pytest.mark.parametrize(
    "name", ["ladder\ndescription: injected.csv", "ladder\x1b[31m.csv", "a\u2028b\rc.csv"]
)
def test_a_source_name_with_line_breaks_or_escapes_cannot_add_yaml(tmp_path, name):
    source = write(tmp_path / name, "Skill,Junior (L1),Senior (L2)\nCoding,writes code,designs\n")
    out = tmp_path / "out"
    imported(source, out)
    for path in [*(out / "levels").iterdir(), *(out / "roles").iterdir()]:
        text = path.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\u2028" not in text and "\r" not in text
        comment = text.splitlines()[1]
        assert comment.startswith("# Imported by") and ("\\x" in comment or "\\u" in comment)
        assert "description" not in yaml.safe_load(text)  # the name is a value, never a key


# --- 7: rows wider than the header ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("wide.csv", "Skill,Junior (L1),Senior (L2)\nCoding,a,b,dropped\n", "wide.csv:2: column 4"),
        (
            "wide.md",
            "| Skill | Junior (L1) | Senior (L2) |\n|---|---|---|\n| Coding | a | b | dropped |\n",
            "wide.md:3: column 4",
        ),
    ],
)
def test_a_row_with_more_cells_than_the_header_is_refused_naming_row_and_column(
    tmp_path, name, text, where
):
    line = fails(write(tmp_path / name, text), tmp_path / "out")
    assert where in line and "more cells than the header" in line
    assert not (tmp_path / "out").exists()


# --- 1: level headers in any script, and repeated ones ------------------------------


@pytest.mark.parametrize(
    ("header", "titles"),
    [
        ("Навык,Младший,Старший", ["Младший", "Старший"]),
        ("スキル,ジュニア,シニア,スタッフ", ["ジュニア", "シニア", "スタッフ"]),
    ],
)
def test_level_headers_in_another_script_are_distinct_levels_with_their_titles(
    tmp_path, header, titles
):
    cells = ",".join(f"item {n}" for n in range(len(titles)))
    source = write(tmp_path / "ladder.csv", f"{header}\nКод,{cells}\nTesting,{cells}\n")
    out = tmp_path / "out"
    imported(source, out)
    role = role_of(out)
    assert [lv.get("title") for lv in role["levels"].values()] == titles
    assert list(role["levels"]) == [f"level-{n}" for n in range(1, len(titles) + 1)]
    assert [d["id"] for d in role["dimensions"]] == ["dimension-1", "testing"]
    for dimension in role["dimensions"]:
        assert len(dimension["levels"]) == len(titles)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Skill,Junior (L1),Junior (L1)\nCoding,a,b\n", "same.csv:1 column 3"),
        ("Skill,Junior (L1),Senior (L1)\nCoding,a,b\n", "same.csv:1 column 3"),
    ],
)
def test_two_level_headers_with_one_id_are_refused_naming_both_cells(tmp_path, text, where):
    line = fails(write(tmp_path / "same.csv", text), tmp_path / "out")
    assert where in line and "same.csv:1 column 2" in line and "'L1'" in line
    assert not (tmp_path / "out").exists()


# --- 2: rows above the header --------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["Skill,Junior,Senior", "Навык,Младший,Старший", "Competency,Foundation,Practitioner"],
)
def test_a_metadata_row_with_cells_above_the_header_is_not_taken_for_it(tmp_path, header):
    source = write(
        tmp_path / "ladder.csv",
        f"Acme Corp,Confidential,Updated 2024-03\nOwner: HR,,\n{header}\n"
        "Coding,writes code,designs systems\nTesting,writes tests,plans testing\n",
    )
    out = tmp_path / "out"
    imported(source, out)
    role = role_of(out)
    titles = [lv["title"] for lv in role["levels"].values()]
    assert titles == header.split(",")[1:]
    assert [d["name"] for d in role["dimensions"]] == ["Coding", "Testing"]


def test_a_metadata_row_right_above_a_header_of_level_words_is_passed_over(tmp_path):
    source = write(
        tmp_path / "ladder.csv",
        "Acme Corp,Confidential,Updated 2024-03\nSkill,Junior engineer,Senior engineer\n"
        "Coding,writes code,designs systems\n",
    )
    out = tmp_path / "out"
    imported(source, out)
    role = role_of(out)
    assert [lv["title"] for lv in role["levels"].values()] == ["Junior engineer", "Senior engineer"]


# --- 5: rowspan and colspan in HTML tables -------------------------------------------

SPANNED_PAGE = """# Platform ladder

<table>
<tr><th>Competency</th><th>Junior (L1)</th><th>Mid (L2)</th><th>Senior (L3)</th></tr>
<tr><td rowspan="2">Delivery</td><td>ships small changes</td>
    <td colspan="2">ships features end to end</td></tr>
<tr><td>asks for review</td><td>reviews others</td><td>sets review norms</td></tr>
<tr><td>Operations</td><td rowspan="2">follows runbooks</td><td>writes runbooks</td>
    <td>owns on-call</td></tr>
<tr><td>Security</td><td>patches hosts</td><td>threat models</td></tr>
</table>
"""


def test_html_rowspan_and_colspan_keep_every_cell_under_its_own_level(tmp_path):
    out = tmp_path / "out"
    imported(write(tmp_path / "page.md", SPANNED_PAGE), out)
    role = role_of(out)
    cells = {
        d["name"]: {
            level: [e["text"] for e in c["expectations"]] for level, c in d["levels"].items()
        }
        for d in role["dimensions"]
    }
    assert cells == {
        "Delivery": {
            "L1": ["ships small changes", "asks for review"],
            "L2": ["ships features end to end", "reviews others"],
            "L3": ["ships features end to end", "sets review norms"],
        },
        "Operations": {
            "L1": ["follows runbooks"],
            "L2": ["writes runbooks"],
            "L3": ["owns on-call"],
        },
        "Security": {"L1": ["follows runbooks"], "L2": ["patches hosts"], "L3": ["threat models"]},
    }


# --- 8: tables in comments and code blocks are examples, not the ladder --------------


def test_a_pipe_table_inside_an_html_comment_is_skipped(tmp_path):
    page = (
        "# Ladder\n\n<!--\n| Skill | Old (L1) | Older (L2) |\n|---|---|---|\n"
        "| Gone | x | y |\n-->\n\n"
        "| Skill | Junior (L1) | Senior (L2) |\n|---|---|---|\n| Coding | writes | designs |\n"
        "<!-- | Hidden | a | b | -->\n"
    )
    out = tmp_path / "out"
    imported(write(tmp_path / "page.md", page), out)
    roles = list((out / "roles").iterdir())
    assert len(roles) == 1
    role = role_of(out)
    assert [d["name"] for d in role["dimensions"]] == ["Coding"]
    assert list(role["levels"]) == ["L1", "L2"]


def test_an_html_table_inside_a_code_fence_is_skipped(tmp_path):
    page = (
        "# Ladder\n\n## Example\n\n```html\n<table><tr><th>Old (L9)</th><th>Older (L8)</th></tr>"
        "\n<tr><td>gone</td><td>gone</td></tr></table>\n```\n\n## Delivery\n\n"
        "<table><tr><th>Junior (L1)</th><th>Senior (L2)</th></tr>\n"
        "<tr><td><ul><li>ships</li></ul></td><td><ul><li>leads</li></ul></td></tr></table>\n"
        "<!-- <table><tr><th>Hidden (L7)</th><th>H (L6)</th></tr>"
        "<tr><td>a</td><td>b</td></tr></table> -->\n"
    )
    out = tmp_path / "out"
    imported(write(tmp_path / "page.md", page), out)
    role = role_of(out)
    assert list(role["levels"]) == ["L1", "L2"]
    assert [
        e["text"]
        for d in role["dimensions"]
        for c in d["levels"].values()
        for e in c["expectations"]
    ] == ["ships", "leads"]


def test_an_html_table_shown_in_a_code_fence_does_not_make_a_pipe_table_page_html(tmp_path):
    page = (
        "# Ladder\n\n```html\n<table><tr><th>Old (L9)</th><th>Older (L8)</th></tr>\n"
        "<tr><td>gone</td><td>gone</td></tr></table>\n```\n\n"
        "| Skill | Junior (L1) | Senior (L2) |\n|---|---|---|\n| Coding | writes | designs |\n"
    )
    out = tmp_path / "out"
    summary = imported(write(tmp_path / "page.md", page), out)
    assert summary["kind"] == "markdown"
    assert list(role_of(out)["levels"]) == ["L1", "L2"]


# --- 10: an edited export keeps the ids of unchanged texts ---------------------------


def _cell_ids(role: dict) -> dict[str, str]:
    return {
        e["text"]: e["id"]
        for d in role["dimensions"]
        for c in d["levels"].values()
        for e in c["expectations"]
    }


@pytest.mark.parametrize("where", ["start", "end"])
def test_adding_a_bullet_to_an_exported_cell_keeps_the_other_ids(tmp_path, where):
    sheet = tmp_path / "sre.csv"
    assert run("export", "sre", "-f", "csv", "-o", str(sheet)).exit_code == 0
    before = yaml.safe_load(
        (Path(__file__).parents[1] / "data" / "roles" / "sre.yaml").read_text(encoding="utf-8")
    )
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    header = next(n for n, row in enumerate(rows) if row and row[0] == "Dimension")
    target = next(row for row in rows[header + 1 :] if len(row) > 1 and row[1].count("•") >= 2)
    added = "• Writes a brand new bullet nobody exported"
    target[1] = f"{added}\n{target[1]}" if where == "start" else f"{target[1]}\n{added}"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "out"
    result = run("import", str(sheet), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "1 expectation(s) not in the export" in result.stderr
    after = yaml.safe_load((out / "roles" / "sre.yaml").read_text(encoding="utf-8"))
    old, new = _cell_ids(before), _cell_ids(after)
    new_text = added.removeprefix("• ")
    assert new_text in new and new[new_text] not in old.values()
    assert {text: new[text] for text in old} == old  # every other id as it was


# --- 11: control characters in rubric text -------------------------------------------

CONTROL_ROLE = """id: ctl
name: "Ops\\x1b[2J team"
ladder: two
levels:
  A: {title: "Junior\\x07"}
  B: {}
dimensions:
  - id: oncall
    name: "On\\x1b]8;;http://x.invalid\\x07call"
    levels:
      A:
        expectations:
          - {id: ctl-a, text: "Pages \\x1b[31mred\\x1b[0m and \\x9b5m"}
          - {id: ctl-b, text: "plain words"}
      B:
        expectations:
          - {id: ctl-c, text: "tab\\tand \\x85 next line"}
"""


def _control_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "levels").mkdir(parents=True)
    (data / "roles").mkdir()
    write(data / "levels" / "two.yaml", "id: two\nname: Two\nlevels:\n  - id: A\n  - id: B\n")
    write(data / "roles" / "ctl.yaml", CONTROL_ROLE)
    return data


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_export_shows_control_characters_escaped_and_import_gives_them_back(tmp_path, fmt):
    data = _control_data(tmp_path)
    result = run("export", "ctl", "-f", fmt, "--data", str(data))
    assert result.exit_code == 0, result.output
    visible = result.stdout
    if fmt == "csv":  # the last column keeps the exact text as JSON: look at the others
        rows = csv.reader(io.StringIO(result.stdout, newline=""))
        visible = "\n".join(",".join(row[:-1]) for row in rows)
    for raw in ("\x1b", "\x07", "\x9b", "\x85"):
        assert raw not in visible
    assert "\\x1b" in visible
    exported = write(tmp_path / f"ctl.{fmt}", result.stdout)
    out = tmp_path / "back"
    back = run("import", str(exported), "--out", str(out))
    assert back.exit_code == 0, back.output
    assert "note:" not in back.stderr
    original = yaml.safe_load(CONTROL_ROLE)
    role = yaml.safe_load((out / "roles" / "ctl.yaml").read_text(encoding="utf-8"))
    assert role["name"] == original["name"]
    assert role["dimensions"][0]["name"] == original["dimensions"][0]["name"]
    assert _cell_ids(role) == _cell_ids(original)


def test_import_warns_of_control_characters_naming_the_cell(tmp_path):
    source = write(
        tmp_path / "ladder.csv",
        "Skill,Junior (L1),Senior (L2)\nCoding,writes \x1b[31mcode,designs\nOps,runs,\x07owns\n",
    )
    out = tmp_path / "out"
    result = run("import", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "control character" in line]
    assert notes and "ladder.csv:2" in notes[0] and "\\x1b" in notes[0]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


# --- 12: smaller ones -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "ids", "titles"),
    [
        ("Skill,Level 1 (Junior),Level 2 (Senior)", ["level-1", "level-2"], ["Junior", "Senior"]),
        ("Skill,L1 (Junior),L2 (Senior)", ["L1", "L2"], ["Junior", "Senior"]),
        ("Skill,Junior (L1),Senior (L2)", ["L1", "L2"], ["Junior", "Senior"]),
    ],
)
def test_a_level_number_before_a_title_in_parentheses_is_the_id(tmp_path, header, ids, titles):
    out = tmp_path / "out"
    imported(write(tmp_path / "l.csv", f"{header}\nCoding,a,b\n"), out)
    role = role_of(out)
    assert list(role["levels"]) == ids
    assert [lv["title"] for lv in role["levels"].values()] == titles


def test_export_refuses_to_overwrite_a_file_without_force(tmp_path):
    target = write(tmp_path / "sre.csv", "precious")
    result = run("export", "sre", "-f", "csv", "-o", str(target))
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert target.read_text() == "precious"
    assert run("export", "sre", "-f", "csv", "-o", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8-sig").startswith("Site Reliability")


def test_a_monzo_level_past_the_levels_count_is_refused_naming_the_line(tmp_path):
    page = (
        "---\ntitle: Backend\nlevels: 2\ntopics:\n  - name: code\n    title: Code\n"
        "    content:\n      - level: 1\n        criteria:\n          - writes code\n"
        "      - level: 7\n        criteria:\n          - sneaks in a level\n---\n"
    )
    line = fails(write(tmp_path / "backend.md", page), tmp_path / "out")
    assert "backend.md:11" in line and "level 7 is past the page's `levels: 2`" in line
    assert not (tmp_path / "out").exists()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_source_name_stays_inside_the_comment(name):
    from sreladder.io.ladder_writer import render

    text = render({"id": "x", "name": "X"}, "role", f"Imported from {name} (csv).")
    assert yaml.safe_load(text) == {"id": "x", "name": "X"}
    assert len(text.splitlines()) == 4


def test_a_symlink_in_the_way_is_refused_and_others_are_left_alone(tmp_path):
    out = tmp_path / "rubric"
    imported(FIXTURES / "ft-style.yml", out)
    (tmp_path / "elsewhere").mkdir()
    (out / "roles" / "linked").symlink_to(tmp_path / "elsewhere")
    imported(FIXTURES / "ft-style.yml", out, "--force")
    assert (out / "roles" / "linked").is_symlink()
    (out / "schemas" / "role.schema.json").unlink()
    (out / "schemas" / "role.schema.json").symlink_to(tmp_path / "elsewhere")
    assert "role.schema.json: is not a plain file" in refused(FIXTURES / "ft-style.yml", out)
    assert (out / "schemas" / "role.schema.json").is_symlink()


def test_an_outline_inside_a_comment_is_skipped(tmp_path):
    page = (
        "# Ladder\n\n<!--\n## Old (L9)\n### Gone\n- removed item\n-->\n\n"
        "## Junior (L1)\n### Coding\n- writes code\n## Senior (L2)\n### Coding\n- designs\n"
    )
    out = tmp_path / "out"
    imported(write(tmp_path / "outline.md", page), out, "--from", "outline")
    assert list(role_of(out)["levels"]) == ["L1", "L2"]


def test_a_file_named_in_another_script_gives_a_readable_scale_id(tmp_path):
    source = write(tmp_path / "лестница.csv", "Skill,Junior (L1),Senior (L2)\nCoding,a,b\n")
    out = tmp_path / "out"
    imported(source, out)
    assert [p.name for p in (out / "levels").iterdir()] == ["ladder.yaml"]
