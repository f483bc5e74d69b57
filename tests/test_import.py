"""`sreladder import`: every kind of source, through the CLI, into a folder that
`sreladder validate` accepts; bad input gives one line, exit 1 and no folder."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.io.rubric import load_rubric, validate_paths

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED_003 = Path(__file__).parent / "fixtures" / "seeds" / "003_40b92b76cb94f5af.txt"
WILD = Path(__file__).parent / "fixtures" / "wild"  # real ladders, MIT (README there)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def imported(source: Path, out: Path, *options: str) -> dict:
    """Import, check the folder validates, and give the JSON summary."""
    result = run("import", str(source), "--out", str(out), "--format", "json", *options)
    assert result.exit_code == 0, result.output
    report = validate_paths([out])
    assert [d for d in report.diagnostics if d.severity == "error"] == []
    return json.loads(result.stdout)


def role_file(out: Path, role_id: str) -> dict:
    return yaml.safe_load((out / "roles" / f"{role_id}.yaml").read_text(encoding="utf-8"))


def expectations(role: dict) -> list[dict]:
    return [
        e
        for dimension in role["dimensions"]
        for cell in dimension["levels"].values()
        for e in cell["expectations"]
    ]


def fails_in(source: Path, out: Path, *options: str) -> str:
    """The one-line error of an import into a folder that is already there; no file
    of it changed, and nothing left beside it."""
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run("import", str(source), "--out", str(out), *options)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sreladder: "), result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    return lines[0]


def fails(source: Path, out: Path, *options: str) -> str:
    result = run("import", str(source), "--out", str(out), *options)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sreladder: "), result.stderr
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    return lines[0]


# --- the three samples -------------------------------------------------------------


def test_the_handbook_pipe_table_seed_imports_whole(tmp_path):
    summary = imported(SEED_003, tmp_path / "out")
    assert summary["kind"] == "markdown"
    assert summary["scale"]["levels"] == ["L1", "L2", "L3", "L4", "L5"]
    [role] = summary["roles"]
    assert (role["dimensions"], role["expectations"]) == (12, 60)
    data = role_file(tmp_path / "out", role["id"])
    assert data["levels"]["L3"] == {"title": "Senior SRE"}
    ids = [d["id"] for d in data["dimensions"]]
    assert ids[:3] == ["mastery", "mastery-2", "mastery-3"]
    groups = {d["group"] for d in data["dimensions"]}
    assert groups == {"Skill", "Engagement", "Coachability"}
    texts = [e["text"] for e in expectations(data)]
    assert any("Work doesn’t necessarily need to be reviewed" in t for t in texts)  # repaired
    assert expectations(data)[0]["source"] == "003_40b92b76cb94f5af.txt:6"


def test_the_ft_sample_keeps_competency_ids_and_examples(tmp_path):
    summary = imported(WILD / "ft-operations.yml", tmp_path / "out")
    [role] = summary["roles"]
    assert (summary["kind"], role["dimensions"], role["expectations"]) == ("ft", 4, 48)
    data = role_file(tmp_path / "out", role["id"])
    first = expectations(data)[0]
    assert first["id"] == "06e32fac-1368-47fb-b6ef-261d58662ba8"
    assert first["text"] == "Support systems and performs technical processes"
    assert first["examples"][1] == "Has a good understanding of business critical systems"
    assert first["source"] == "ft-operations.yml:34"


def test_the_monzo_sample_imports_every_criterion(tmp_path):
    summary = imported(WILD / "monzo-techops.md", tmp_path / "out")
    [role] = summary["roles"]
    assert (summary["kind"], role["dimensions"], role["expectations"]) == ("monzo", 6, 139)
    data = role_file(tmp_path / "out", "techops")
    leadership = next(d for d in data["dimensions"] if d["id"] == "leadership")
    assert list(leadership["levels"]) == ["L3", "L4", "L5"]


# --- other ladders of each kind -----------------------------------------------------


def test_a_monzo_page_keeps_example_criteria_with_their_examples(tmp_path):
    imported(FIXTURES / "monzo-style.md", tmp_path / "out")
    data = role_file(tmp_path / "out", "data")
    assert data["name"] == "Data Engineering"
    skill = data["dimensions"][0]
    assert skill["name"] == "Technical skill"
    example = skill["levels"]["L1"]["expectations"][1]
    assert example["text"] == "Delivers small data models"
    assert example["examples"] == ["Built the daily signups model", "Fixed the churn model's join"]
    assert example["source"] == "monzo-style.md:15"
    assert data["dimensions"][1]["name"] == "delivery"  # no title: the topic's name
    assert data["description"] == (
        "### About this framework\nIt is a compass, not a GPS.\n- Levels are cumulative."
    )
    scale = yaml.safe_load((tmp_path / "out/levels/monzo-style.yaml").read_text())
    assert [level["id"] for level in scale["levels"]] == ["L1", "L2", "L3", "L4"]


def test_an_ft_family_with_other_levels_and_themes(tmp_path):
    summary = imported(FIXTURES / "ft-style.yml", tmp_path / "out")
    data = role_file(tmp_path / "out", summary["roles"][0]["id"])
    assert data["name"] == "Customer Products"
    assert data["description"] == "Competencies for engineers in Customer Products."
    assert [e["id"] for e in expectations(data)] == ["a1", "a2", "b1", "b2"]
    assert data["levels"]["mid"] == {"title": "Mid-level Engineer"}
    tech, people = data["dimensions"]
    assert tech["levels"]["senior"]["expectations"][0]["text"] == (
        "1. Designs components others build on.\n"
        "2. Reviews designs across teams, and writes them down."
    )
    assert tech["levels"]["junior"]["summary"] == "Awareness"  # the proficiency asked
    assert "summary" not in people["levels"]["junior"]
    assert people["description"] == (
        "Works well with others and helps them grow; this summary is wrapped over two "
        "lines in the file."
    )


def test_a_handbook_page_gives_one_role_per_table_named_by_its_heading(tmp_path):
    summary = imported(FIXTURES / "platform-handbook.md", tmp_path / "out")
    assert [r["id"] for r in summary["roles"]] == ["platform-engineer", "data-engineer"]
    platform = role_file(tmp_path / "out", "platform-engineer")
    assert platform["description"].startswith("Each row is a competency")
    automation = platform["dimensions"][0]
    assert (automation["name"], automation["group"]) == ("Automation", "Technical")
    cells = {lv: [e["text"] for e in c["expectations"]] for lv, c in automation["levels"].items()}
    assert cells["PE2"] == ["Automates team toil", "Reviews automation code"]
    assert cells["PE3"] == ["Designs automation frameworks", "Sets automation standards"]
    assert platform["dimensions"][1]["name"] == "Reliability | SLOs"
    assert [d["id"] for d in platform["dimensions"][2:]] == ["reviews", "reviews-2"]
    scale = yaml.safe_load((tmp_path / "out/levels/platform-handbook.yaml").read_text())
    assert scale["description"] == "Our handbook keeps one table per job family."
    data = role_file(tmp_path / "out", "data-engineer")
    assert data["levels"] == {
        "junior": {"title": "Junior"},
        "mid": {"title": "Mid"},
        "senior": {"title": "Senior"},
    }


def test_a_competency_page_of_html_tables(tmp_path):
    summary = imported(FIXTURES / "competency-page.md", tmp_path / "out")
    assert summary["kind"] == "html"
    data = role_file(tmp_path / "out", summary["roles"][0]["id"])
    assert data["name"] == "Security Engineer progression"
    assert data["description"] == "How we grow security engineers."
    threat, incident, mentoring, writing = data["dimensions"]
    assert (threat["name"], threat["group"]) == ("Threat modelling", "Craft")
    assert threat["description"] == "Understanding what can go wrong before it does."
    s1 = threat["levels"]["S1"]["expectations"]
    assert [e["text"] for e in s1] == [
        "Joins threat-modelling sessions",
        "Names the assets of a service & their owners",
    ]
    assert s1[1]["source"] == "competency-page.md:23"
    assert [e["text"] for e in incident["levels"]["S2"]["expectations"]] == [
        "Follows the security incident runbook"  # a cell spanning two levels
    ]
    assert len(incident["levels"]["S3"]["expectations"]) == 2  # one per paragraph
    assert (mentoring["name"], mentoring["group"]) == ("Mentoring", "Influence")
    assert list(writing["levels"]) == ["S1", "S3"]


# --- spreadsheets -------------------------------------------------------------------


def test_a_csv_with_a_bom_title_rows_groups_bullets_and_a_formula(tmp_path):
    summary = imported(FIXTURES / "sre-matrix.csv", tmp_path / "out", "--role-id", "sre-team")
    data = role_file(tmp_path / "out", "sre-team")
    assert summary["roles"][0]["id"] == "sre-team"
    assert data["name"] == "Team ladder"
    assert data["description"] == "SRE competencies, 2026"
    automation, observability, mastery, mastery2 = data["dimensions"]
    assert automation["group"] == "Technical" and mastery["group"] == "People"
    assert [e["text"] for e in automation["levels"]["L1"]["expectations"]] == [
        "Scripts own toil",
        "Uses CI",
    ]
    formula = observability["levels"]["L3"]["expectations"][0]
    assert formula["text"].startswith("=HYPERLINK(")  # kept as written, never evaluated
    assert formula["source"] == "sre-matrix.csv:9"
    assert (mastery["id"], mastery2["id"]) == ("mastery", "mastery-2")
    assert list(mastery2["levels"]) == ["L1", "L2"]  # a ragged row


def test_a_cp1252_semicolon_csv(tmp_path):
    source = tmp_path / "ladder.csv"
    text = "Skill;Débutant (N1);Confirmé (N2)\nCommunication;Écoute – pose des questions;Anime\n"
    source.write_bytes(text.encode("cp1252"))
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "ladder")
    assert data["levels"]["N1"] == {"title": "Débutant"}
    assert data["dimensions"][0]["levels"]["N1"]["expectations"][0]["text"] == (
        "Écoute – pose des questions"
    )


def test_transpose_reads_levels_as_rows(tmp_path):
    source = tmp_path / "levels-as-rows.csv"
    source.write_text(
        "Level,Coding,Operations\nJunior (J),Writes code,Joins on-call\n"
        "Senior (S),Designs systems,Leads incidents\n",
        encoding="utf-8",
    )
    imported(source, tmp_path / "out", "--transpose")
    data = role_file(tmp_path / "out", "levels-as-rows")
    assert list(data["levels"]) == ["J", "S"]
    assert [d["name"] for d in data["dimensions"]] == ["Coding", "Operations"]


def test_headers_without_ids_get_ids_from_their_words(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("Area,Software Engineer,Senior Software Engineer\nCode,A,B\n")
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "x")
    assert data["levels"] == {
        "software-engineer": {"title": "Software Engineer"},
        "senior-software-engineer": {"title": "Senior Software Engineer"},
    }


def _workbook(path: Path, sheets: dict[str, list[list]], merge: dict[str, list[str]] = {}):  # noqa: B006
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for block in merge.get(title, []):
            sheet.merge_cells(block)
    book.save(path)


def test_an_xlsx_sheet_with_merged_cells_formulas_and_an_empty_column(tmp_path):
    source = tmp_path / "ladder.xlsx"
    rows = [
        ["Engineering ladder"],
        [],
        ["Dimension", None, "IC1", "IC2", "IC3"],
        ["Delivery", None, "Ships tasks\nAsks for help", "Ships features", '=HYPERLINK("x","y")'],
        ["Scope", None, "Own tasks", "Team projects", None],
    ]
    _workbook(source, {"Notes": [["read me"]], "Ladder": rows}, {"Ladder": ["D5:E5"]})
    summary = imported(source, tmp_path / "out", "--sheet", "ladder")
    data = role_file(tmp_path / "out", summary["roles"][0]["id"])
    assert data["name"] == "Engineering ladder"
    delivery, scope = data["dimensions"]
    assert [e["text"] for e in delivery["levels"]["IC1"]["expectations"]] == [
        "Ships tasks",
        "Asks for help",
    ]
    assert delivery["levels"]["IC3"]["expectations"][0]["text"] == '=HYPERLINK("x","y")'
    assert delivery["levels"]["IC1"]["expectations"][0]["source"] == "ladder.xlsx:Ladder!C4"
    assert scope["levels"]["IC3"]["expectations"][0]["text"] == "Team projects"  # merged


def test_merged_titles_names_and_cells_read_as_people_mean_them(tmp_path):
    source = tmp_path / "merged.xlsx"
    rows = [
        ["SRE career ladder", None, None, None],
        ["Competency", "L1", "L2", "L3"],
        ["Incidents", "Joins on-call", "Leads incidents", None],
        [None, "Writes timelines", "Runs reviews", "Owns the process"],
        ["Automation", "Scripts toil", "Builds tools", None],
    ]
    merges = ["A1:D1", "A3:A4", "C5:D5"]
    _workbook(source, {"Ladder": rows}, {"Ladder": merges})
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "sre-career-ladder")
    assert data["name"] == "SRE career ladder" and "description" not in data
    incidents, automation = data["dimensions"]  # the merged name is one dimension
    assert [e["text"] for e in incidents["levels"]["L1"]["expectations"]] == [
        "Joins on-call",
        "Writes timelines",
    ]
    assert incidents["levels"]["L3"]["expectations"][0]["text"] == "Owns the process"
    assert automation["levels"]["L3"]["expectations"][0]["text"] == "Builds tools"


def test_without_sheet_every_sheet_with_a_ladder_is_a_role(tmp_path):
    source = tmp_path / "book.xlsx"
    grid = [["Skill", "L1", "L2"], ["Coding", "a", "b"]]
    _workbook(source, {"Readme": [["notes only"]], "Backend": grid, "Frontend": grid})
    summary = imported(source, tmp_path / "out")
    assert [r["name"] for r in summary["roles"]] == ["Backend", "Frontend"]


def test_sheets_whose_headers_name_level_ids_win_over_other_tables(tmp_path):
    source = tmp_path / "book.xlsx"
    changelog = [["Date", "Change", "Author"], ["2026-01-02", "First draft", "Kim"]]
    ladder = [["Skill", "Junior (L1)", "Senior (L2)"], ["Coding", "a", "b"]]
    _workbook(source, {"Changelog": changelog, "Ladder": ladder})
    summary = imported(source, tmp_path / "out")
    assert [r["name"] for r in summary["roles"]] == ["Ladder"]


def test_an_unknown_sheet_is_named(tmp_path):
    source = tmp_path / "book.xlsx"
    _workbook(source, {"A": [["Skill", "L1", "L2"], ["x", "a", "b"]]})
    assert "no sheet named 'B' (sheets: A)" in fails(source, tmp_path / "out", "--sheet", "B")


# --- bad input ---------------------------------------------------------------------


def test_a_password_protected_workbook_is_one_clear_line(tmp_path):
    source = tmp_path / "locked.xlsx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert "password-protected" in fails(source, tmp_path / "out")


def test_a_corrupt_workbook_is_one_clear_line(tmp_path):
    source = tmp_path / "broken.xlsx"
    source.write_bytes(b"PK\x03\x04" + b"junk" * 100)
    assert "broken.xlsx: not a readable XLSX workbook" in fails(source, tmp_path / "out")


def test_binary_junk_is_one_clear_line(tmp_path):
    source = tmp_path / "junk.csv"
    source.write_bytes(b"abc\n\x00\x01\x02")
    assert "junk.csv:2: binary data" in fails(source, tmp_path / "out")


def test_a_table_without_levels_is_one_clear_line(tmp_path):
    source = tmp_path / "list.csv"
    source.write_text("just\none\ncolumn\n")
    assert "no header row of levels" in fails(source, tmp_path / "out")


def test_cells_without_a_name_or_a_header_are_named_by_position(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("Skill,L1,L2\n,orphan,cells\n")
    assert "bad.csv:2: cells with no dimension name" in fails(source, tmp_path / "out")
    source.write_text("Skill,L1,L2,\nCoding,a,b,stray\n")
    assert "bad.csv:2: column 4: this column has text but its header" in fails(
        source, tmp_path / "out"
    )


def test_a_hundred_thousand_row_csv_stops_quickly(tmp_path):
    import time

    source = tmp_path / "huge.csv"
    rows = "".join(f"Skill {n},a,b\n" for n in range(100_000))
    source.write_text("Skill,L1,L2\n" + rows)
    started = time.monotonic()
    assert "more than 5,000 rows" in fails(source, tmp_path / "out")
    assert time.monotonic() - started < 10


def test_a_hundred_thousand_row_sheet_stops_quickly(tmp_path):
    import time

    from openpyxl import Workbook

    source = tmp_path / "huge.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Big")
    sheet.append(["Skill", "L1", "L2"])
    for n in range(100_000):
        sheet.append([f"S{n}", "a", "b"])
    book.save(source)
    started = time.monotonic()
    assert "huge.xlsx:Big!A5101: more than 5,000 rows" in fails(source, tmp_path / "out")
    assert time.monotonic() - started < 30


def test_a_malformed_ft_file_names_the_line(tmp_path):
    source = tmp_path / "family.yml"
    source.write_text(
        "levels:\n  - id: a\nthemes:\n  - id: t\ncompetencies:\n"
        "  - id: c1\n    summary: x\n    level: b\n    theme: t\n"
    )
    assert "family.yml:8: competencies[0].level: unknown level 'b'" in fails(
        source, tmp_path / "out"
    )


def test_broken_yaml_front_matter_names_the_line(tmp_path):
    source = tmp_path / "page.md"
    source.write_text("---\ntopics:\n  - name: a\n   bad: [\n---\n")
    assert fails(source, tmp_path / "out").startswith("sreladder: page.md:")


# --- the output folder ----------------------------------------------------------------


def test_an_import_into_a_rubric_folder_adds_the_role_beside_the_others(tmp_path):
    out = tmp_path / "out"
    imported(FIXTURES / "ft-style.yml", out)
    before = (out / "roles" / "customer-products.yaml").read_bytes()
    summary = imported(FIXTURES / "monzo-style.md", out)  # validated whole by `imported`
    assert sorted(p.name for p in (out / "roles").iterdir()) == [
        "customer-products.yaml",
        "data.yaml",
    ]
    assert (out / "roles" / "customer-products.yaml").read_bytes() == before
    statuses = {Path(c["path"]).name: c["status"] for c in summary["changes"]}
    assert statuses == {
        "monzo-style.yaml": "new",
        "data.yaml": "new",
        "ladder.schema.json": "identical",
        "role.schema.json": "identical",
    }
    assert run("validate", str(out)).exit_code == 0


def test_a_role_of_the_same_id_is_replaced_only_with_force(tmp_path):
    out = tmp_path / "out"
    imported(FIXTURES / "ft-style.yml", out)
    mine = (
        (out / "roles" / "customer-products.yaml")
        .read_text()
        .replace("id: customer-products", "id: mine")
    )
    (out / "roles" / "mine.yaml").write_text(mine)  # another role on the same scale
    again = imported(FIXTURES / "ft-style.yml", out)  # the same files: nothing to do
    assert {c["status"] for c in again["changes"]} == {"identical"}
    changed = tmp_path / "ft-style.yml"
    changed.write_text(
        (FIXTURES / "ft-style.yml").read_text().replace("Designs components", "Designs APIs")
    )
    line = fails_in(changed, out)
    assert "roles/customer-products.yaml: role 'customer-products' is already there" in line
    assert "--force" in line
    summary = imported(changed, out, "--force")
    statuses = {Path(c["path"]).name: c["status"] for c in summary["changes"]}
    assert statuses["customer-products.yaml"] == "replaced"
    assert statuses["ft-style.yaml"] == "identical"
    assert "Designs APIs" in (out / "roles" / "customer-products.yaml").read_text()
    assert (out / "roles" / "mine.yaml").read_text() == mine  # touched by nothing


def test_a_different_scale_with_the_same_id_is_refused_naming_both_files(tmp_path):
    out = tmp_path / "out"
    imported(FIXTURES / "ft-style.yml", out)
    other = tmp_path / "other.csv"
    other.write_text("Skill,Junior (J1),Senior (J2)\nCoding,writes,designs\n")
    line = fails_in(other, out, "--scale-id", "ft-style")
    assert "levels/ft-style.yaml: scale 'ft-style' is already there" in line
    assert "other.csv" in line and "--scale-id" in line
    assert "customer-products" in line  # the role that stands on it
    assert sorted(p.name for p in (out / "roles").iterdir()) == ["customer-products.yaml"]
    assert "customer-products" in fails_in(other, out, "--force", "--scale-id", "ft-style")
    # replacing the one role that stands on it, the scale goes with it
    both = ("--force", "--scale-id", "ft-style", "--role-id", "customer-products")
    summary = imported(other, out, *both)
    assert [c["status"] for c in summary["changes"][:2]] == ["replaced", "replaced"]


def test_dry_run_says_what_would_be_written_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = run("import", str(FIXTURES / "ft-style.yml"), "--out", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert result.stdout.startswith("would import ") and "dry run: nothing written" in result.stdout
    assert "roles/customer-products.yaml: role customer-products" in result.stdout
    assert "(new)" in result.stdout
    imported(FIXTURES / "ft-style.yml", out)
    snapshot = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    summary = imported(FIXTURES / "monzo-style.md", out, "--dry-run")
    assert summary["dry_run"] is True
    assert [(Path(c["path"]).name, c["status"]) for c in summary["changes"]][:2] == [
        ("monzo-style.yaml", "new"),
        ("data.yaml", "new"),
    ]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == snapshot


def test_a_folder_that_holds_other_things_and_no_rubric_is_refused(tmp_path):
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = run("import", str(FIXTURES / "ft-style.yml"), "--out", str(out), "--force")
    assert result.exit_code == 1 and "not a rubric folder; refusing to write there" in result.stderr
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def test_written_files_carry_the_modeline_and_load_as_a_rubric(tmp_path):
    out = tmp_path / "out"
    result = run("import", str(FIXTURES / "ft-style.yml"), "--out", str(out))
    assert result.exit_code == 0
    assert "roles/customer-products.yaml: role customer-products, 2 dimensions" in result.stdout
    text = (out / "roles" / "customer-products.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/role.schema.json\n")
    assert (out / "schemas" / "role.schema.json").is_file()
    role = load_rubric(out).role("customer-products")
    assert role.ladder == "ft-style"
    check = run("validate", str(out))
    assert check.exit_code == 0, check.output


def test_from_overrides_detection_and_scale_id_names_the_scale(tmp_path):
    source = tmp_path / "ladder.txt"
    source.write_text("| Skill | L1 | L2 |\n| --- | --- | --- |\n| Coding | a | b |\n")
    summary = imported(source, tmp_path / "a", "--scale-id", "eng")
    assert summary["kind"] == "markdown" and summary["scale"]["id"] == "eng"
    result = run("import", str(source), "--out", str(tmp_path / "b"), "--from", "monzo")
    assert result.exit_code == 1 and "no front matter with a `topics:` list" in result.stderr


def test_the_from_choices_are_the_kinds_the_importers_read():
    from sreladder.cli.ladder import From
    from sreladder.io.importers import KINDS

    assert tuple(kind.value for kind in From) == KINDS


def test_a_text_source_over_four_mib_is_refused_before_parsing(tmp_path):
    source = tmp_path / "big.md"
    source.write_text("| a | b | c |\n" * 400_000)
    assert "big.md: larger than 4 MiB" in fails(source, tmp_path / "out")


def test_a_markdown_row_of_too_many_columns_is_named(tmp_path):
    source = tmp_path / "wide.md"
    source.write_text("| a |" + " L |" * 300 + "\n|---|---|\n| x | y |\n")
    assert "wide.md:1: 301 columns" in fails(source, tmp_path / "out")


def test_a_page_of_thousands_of_tables_is_refused(tmp_path):
    source = tmp_path / "many.md"
    source.write_text("| a | L1 | L2 |\n|---|---|---|\n| x | y | z |\n\n" * 300)
    assert "many.md: 300 tables; at most 200 roles" in fails(source, tmp_path / "out")


def test_html_lists_inside_pipe_table_cells_are_items_and_plain_angles_are_text(tmp_path):
    source = tmp_path / "family.md"
    source.write_text(
        "## Backend Engineer\n\n| | Intermediate | Senior |\n|---|---|---|\n"
        "| Code | <ul><li>Writes tests</li><li>Ships &amp; monitors</li></ul> | "
        "Keeps p99 < 200ms and load > 1k rps |\n"
    )
    imported(source, tmp_path / "out")
    code = role_file(tmp_path / "out", "backend-engineer")["dimensions"][0]["levels"]
    assert [e["text"] for e in code["intermediate"]["expectations"]] == [
        "Writes tests",
        "Ships & monitors",
    ]
    assert code["senior"]["expectations"][0]["text"] == "Keeps p99 < 200ms and load > 1k rps"


def test_a_comma_csv_whose_cells_hold_semicolons_keeps_its_columns(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text(
        'Skill,L1,L2\nOps,"Runs jobs; reads logs; asks","Owns jobs; writes runbooks"\n'
        'Code,"Fixes bugs; adds tests",Designs\n'
    )
    imported(source, tmp_path / "out")
    ops = role_file(tmp_path / "out", "x")["dimensions"][0]
    assert ops["levels"]["L1"]["expectations"][0]["text"] == "Runs jobs; reads logs; asks"


def test_a_long_form_sheet_has_a_row_per_expectation(tmp_path):
    source = tmp_path / "form.csv"
    source.write_text(
        "Export of the competency tool\n"
        "Area,Competency,Level,Expectation\n"
        "Craft,Testing,Engineer (E1),Writes unit tests\n"
        ',,Senior (E2),"• Designs test strategy\n• Reviews tests"\n'
        "People,Mentoring,Senior (E2),Mentors one engineer\n"
    )
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "export-of-the-competency-tool")
    assert data["levels"] == {"E1": {"title": "Engineer"}, "E2": {"title": "Senior"}}
    testing, mentoring = data["dimensions"]
    assert (testing["group"], mentoring["group"]) == ("Craft", "People")
    assert [e["text"] for e in testing["levels"]["E2"]["expectations"]] == [
        "Designs test strategy",
        "Reviews tests",
    ]
    assert list(mentoring["levels"]) == ["E2"]


def test_an_outline_of_level_headings_and_dimension_sub_headings(tmp_path):
    summary = imported(FIXTURES / "levels-outline.md", tmp_path / "out")
    assert summary["kind"] == "outline"
    data = role_file(tmp_path / "out", "infrastructure-engineer")
    assert data["description"].startswith("Expectations by level")
    assert data["levels"]["IE1"] == {"title": "Infrastructure Engineer I"}
    operations, automation = data["dimensions"]
    assert [e["text"] for e in operations["levels"]["IE2"]["expectations"]] == [
        "Takes on-call shifts alone",
        "Writes and updates runbooks",
    ]
    first = automation["levels"]["IE1"]["expectations"][0]
    assert first["text"] == "Automates a task they repeat every week"
    assert first["source"] == "levels-outline.md:16"
    scale = yaml.safe_load((tmp_path / "out/levels/levels-outline.yaml").read_text())
    assert scale["levels"][0]["summary"] == "Works on well-scoped tasks with guidance."


def test_an_outline_of_dimension_headings_and_level_sub_headings(tmp_path):
    source = tmp_path / "by-dimension.md"
    source.write_text(
        "# Ladder\n\n## Coding\n\n### L1 - Junior\n\n- Writes code\n\n### L2 - Senior\n\n"
        "- Designs code\n\n## Testing\n\n### L1 - Junior\n\n- Writes tests\n"
    )
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "ladder")
    assert list(data["levels"]) == ["L1", "L2"]
    assert [d["name"] for d in data["dimensions"]] == ["Coding", "Testing"]


def test_an_html_table_with_a_row_per_level_is_read_transposed(tmp_path):
    summary = imported(FIXTURES / "levels-as-rows.html", tmp_path / "out")
    assert summary["kind"] == "html" and summary["scale"]["levels"] == ["1", "2"]
    data = role_file(tmp_path / "out", summary["roles"][0]["id"])
    assert [d["name"] for d in data["dimensions"]] == ["Scope", "On-call", "Automation"]
    assert all("group" not in d for d in data["dimensions"])  # no heading, no group
    _, on_call, automation = data["dimensions"]
    assert [e["text"] for e in on_call["levels"]["1"]["expectations"]] == [
        "Shadows on-call shifts",
        "Learns the runbooks",
    ]
    assert list(automation["levels"]) == ["2"]
    assert automation["levels"]["2"]["expectations"][0]["text"] == "Writes automation & its tests"


def test_a_csv_whose_first_header_is_level_is_read_transposed(tmp_path):
    source = tmp_path / "rows.csv"
    source.write_text(
        "Level,Coding,Testing\nJunior (J1),Writes code,Writes tests\nSenior (J2),Designs,\n"
    )
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "rows")
    assert list(data["levels"]) == ["J1", "J2"]
    assert [d["name"] for d in data["dimensions"]] == ["Coding", "Testing"]


def test_a_table_whose_header_is_all_levels_is_one_dimension_named_by_its_heading(tmp_path):
    source = tmp_path / "one.md"
    source.write_text(
        "## Code quality\n\n| Junior (L1) | Senior (L2) |\n|---|---|\n"
        "| Writes tests | Sets the testing strategy |\n| Fixes lint | Owns the linters |\n"
    )
    imported(source, tmp_path / "out")
    [dimension] = role_file(tmp_path / "out", "code-quality")["dimensions"]
    assert dimension["name"] == "Code quality"
    assert [e["text"] for e in dimension["levels"]["L1"]["expectations"]] == [
        "Writes tests",
        "Fixes lint",
    ]


def test_a_ladder_that_would_not_validate_writes_nothing_and_keeps_the_old_folder(tmp_path):
    source = tmp_path / "long.csv"
    source.write_text("Skill,L1,L2\nCoding," + "x" * 20_001 + ",short\n")
    message = fails(source, tmp_path / "out")
    assert "would not validate, so nothing was written" in message
    assert "out/roles/long.yaml" in message and "E104" in message
    out = tmp_path / "kept"
    imported(FIXTURES / "ft-style.yml", out)
    result = run("import", str(source), "--out", str(out), "--force")
    assert result.exit_code == 1
    assert sorted(p.name for p in (out / "roles").iterdir()) == ["customer-products.yaml"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--role-id", "no spaces"], "--role-id 'no spaces' is not an id"),
        (["--sheet", "S"], "--sheet is for XLSX workbooks"),
        (["--transpose"], "--transpose is for tables"),
    ],
)
def test_options_that_do_not_fit_are_usage_errors(options, message, tmp_path):
    source = FIXTURES / ("ft-style.yml" if "--transpose" in options else "sre-matrix.csv")
    result = run("import", str(source), "--out", str(tmp_path / "out"), *options)
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_row_numbers_are_skipped_and_an_id_column_names_the_dimensions(tmp_path):
    source = tmp_path / "numbered.csv"
    source.write_text(
        "#,ID,Competency,Description,Weight,L1,L2\n"
        "1,ops,Operations,Keeping things running,2,Joins on-call,Leads on-call\n"
        "2,,Code,,,Writes code,Reviews code\n"
    )
    imported(source, tmp_path / "out")
    ops, code = role_file(tmp_path / "out", "numbered")["dimensions"]
    assert (ops["id"], ops["name"], ops["weight"]) == ("ops", "Operations", 2.0)
    assert ops["description"] == "Keeping things running"
    assert (code["id"], code["name"]) == ("code", "Code")


def test_an_outline_with_group_headings_between_levels_and_dimensions(tmp_path):
    source = tmp_path / "deep.md"
    source.write_text(
        "# Ladder\n\n## Junior SRE (L1)\n\n### Skill\n\n#### Mastery\n\n- Knows one area.\n"
        "- Shadows on-call.\n\n### Engagement\n\n#### Communication\n\n- Speaks up.\n\n---\n\n"
        "## SRE (L2)\n\n### Skill\n\n#### Mastery\n\n- Knows two areas.\n"
    )
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "ladder")
    assert data["levels"] == {"L1": {"title": "Junior SRE"}, "L2": {"title": "SRE"}}
    mastery, communication = data["dimensions"]
    assert (mastery["group"], communication["group"]) == ("Skill", "Engagement")
    assert [e["text"] for e in mastery["levels"]["L1"]["expectations"]] == [
        "Knows one area.",
        "Shadows on-call.",
    ]
    assert list(communication["levels"]) == ["L1"]  # the rule line is not an expectation


def test_front_matter_of_a_handbook_page_is_its_title_not_text(tmp_path):
    source = tmp_path / "page.md"
    source.write_text(
        "---\ntitle: Reliability ladder\nlayout: handbook\n---\n\n"
        "| Skill | L1 | L2 |\n|---|---|---|\n| Ops | a | b |\n"
    )
    summary = imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", summary["roles"][0]["id"])
    assert data["name"] == "Reliability ladder" and "description" not in data
    scale = yaml.safe_load((tmp_path / "out/levels/page.yaml").read_text())
    assert "description" not in scale
    assert data["dimensions"][0]["levels"]["L1"]["expectations"][0]["source"] == "page.md:8"


def test_a_header_of_level_ids_with_a_row_of_titles_below_it(tmp_path):
    source = tmp_path / "two-headers.csv"
    source.write_text(
        "Level,L1,L2\nTitle,Junior Engineer,Senior Engineer\nCoding,Writes code,Designs code\n"
    )
    imported(source, tmp_path / "out")
    data = role_file(tmp_path / "out", "two-headers")
    assert data["levels"] == {
        "L1": {"title": "Junior Engineer"},
        "L2": {"title": "Senior Engineer"},
    }
    assert [d["name"] for d in data["dimensions"]] == ["Coding"]


# --- every real source, and the Etsy-shaped page -------------------------------------

REAL_SOURCES = [
    SEED_003,
    WILD / "ft-operations.yml",
    WILD / "monzo-techops.md",
    *sorted(FIXTURES.iterdir()),
]


def test_every_real_source_imports_into_one_folder_that_validates(tmp_path, capsys):
    sources = [s for s in REAL_SOURCES if s.is_file()]
    out = tmp_path / "ladders"
    done = []
    for source in sources:
        result = run("import", str(source), "--out", str(out), "--format", "json")
        assert result.exit_code == 0, (source.name, result.output)
        done.append(source.name)
    with capsys.disabled():
        print(f"\n{len(done)}/{len(sources)} real sources import into one folder")
    assert len(done) == len(sources) >= 11
    check = run("validate", str(out))
    assert check.exit_code == 0, check.output
    roles = sorted(p.name for p in (out / "roles").iterdir())
    assert len(roles) == len(load_rubric(out).roles) >= len(sources)


def test_an_etsy_shaped_competencies_page_imports_whole(tmp_path):
    """A published page of the shape Etsy's competencies page has: a table per
    competency under its heading, a <thead> of bare <th> cells (no <tr>, which every
    browser accepts), one row of level cells, nested lists in some cells."""
    summary = imported(FIXTURES / "competencies-page.html", tmp_path / "out")
    assert summary["kind"] == "html"
    assert summary["scale"]["levels"] == [
        "beginner",
        "intermediate",
        "advanced",
        "expert",
        "leading-expert",
    ]
    [role] = summary["roles"]
    assert (role["dimensions"], role["expectations"]) == (5, 50)
    data = role_file(tmp_path / "out", role["id"])
    assert data["name"] == "Shop Engineering Career Ladder"
    names = [(d["name"], d["group"]) for d in data["dimensions"]]
    assert names == [
        (name, "Competencies")
        for name in (
            "Delivery",
            "Domain Expertise",
            "Problem Solving",
            "Communication",
            "Leadership",
        )
    ]
    delivery = data["dimensions"][0]
    assert delivery["description"].startswith("Example Skills: Planning and estimates")
    assert all(len(delivery["levels"][lv]["expectations"]) >= 2 for lv in delivery["levels"])
    informed = delivery["levels"]["advanced"]["expectations"][2]
    assert informed["text"] == "You keep stakeholders informed:"
    assert informed["examples"] == ["when a plan is on track", "when it slips, and why"]
    assert informed["source"] == "competencies-page.html:49"
    texts = [e["text"] for e in expectations(data)]
    assert "You learn from your mistakes & change how you work." in texts  # &amp; read
    assert not any("window.dataLayer" in t or "border-collapse" in t for t in texts)
    assert "Level Progression" not in (data.get("description") or "")  # the nav is no text
