"""`sreladder roles`, `levels`, `show` and `diff`: real CLI runs, checked against the
rubric files read independently with yaml.safe_load."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core import browse
from sreladder.io.rubric import builtin_data_dir, load_rubric

FIXTURE = Path(__file__).parent / "fixtures" / "browse"
DATA = builtin_data_dir()
BUILTIN_ROLES = {"sre", "ops-sre", "production-engineer"}


def run(*args: str, columns: int = 80, **env: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns), **env})


def run_fixture(*args: str, **kw):
    return run(*args, "--data", str(FIXTURE), **kw)


def ok_json(*args: str):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def raw_role(role_id: str, data: Path = DATA) -> dict:
    return yaml.safe_load((data / "roles" / f"{role_id}.yaml").read_text(encoding="utf-8"))


def flat(text: str) -> str:
    """Output with line wrapping undone: every whitespace run one space."""
    return " ".join(text.split())


def expected_new(raw: dict, low: str, high: str) -> dict[str, list[str]]:
    """Per dimension id, the expectation ids of its cells above ``low`` up to ``high``."""
    order = list(raw["levels"])
    lo, hi = order.index(low), order.index(high)
    found: dict[str, list[str]] = {}
    for dim in raw["dimensions"]:
        ids = [
            e["id"]
            for level in order[lo + 1 : hi + 1]
            if level in dim["levels"]
            for e in dim["levels"][level]["expectations"]
        ]
        if ids:
            found[dim["id"]] = ids
    return found


# --- roles ---------------------------------------------------------------------------------


def test_roles_json_counts_match_the_files():
    roles = {r["id"]: r for r in ok_json("roles")["roles"]}
    assert set(roles) == BUILTIN_ROLES
    for role_id, row in roles.items():
        raw = raw_role(role_id)
        assert row["scale"] == raw["ladder"]
        assert [lv["id"] for lv in row["levels"]] == list(raw["levels"])
        assert row["dimensions"] == len(raw["dimensions"])
        count = sum(len(c["expectations"]) for d in raw["dimensions"] for c in d["levels"].values())
        assert row["expectations"] == count
    assert roles["sre"]["levels"][0]["title"] == raw_role("sre")["levels"]["P1"]["title"]


def test_roles_table_lists_each_role_with_its_counts():
    result = run("roles")
    assert result.exit_code == 0
    rubric = load_rubric()
    for role_id, role in rubric.roles.items():
        line = next(ln for ln in result.stdout.splitlines() if ln.startswith(role_id + " "))
        count = sum(len(c.expectations) for d in role.dimensions for c in d.levels.values())
        assert line.split()[-2:] == [str(len(role.dimensions)), str(count)]


def test_roles_markdown_is_a_table():
    result = run("roles", "--format", "md")
    assert result.exit_code == 0
    rows = [ln for ln in result.stdout.splitlines() if ln.startswith("| ")]
    assert len(rows) == 1 + len(BUILTIN_ROLES)


# --- levels --------------------------------------------------------------------------------


def test_levels_json_is_the_scale_as_loaded_with_its_roles():
    data = ok_json("levels", "PROFESSIONAL")
    raw = yaml.safe_load((DATA / "levels" / "professional.yaml").read_text(encoding="utf-8"))
    assert [lv["id"] for lv in data["levels"]] == [lv["id"] for lv in raw["levels"]]
    assert data["levels"][0]["attributes"]["scope"] == raw["levels"][0]["attributes"]["scope"]
    assert data["roles"] == ["production-engineer", "sre"]


def test_levels_without_scale_shows_every_scale():
    data = ok_json("levels")
    assert [s["id"] for s in data["scales"]] == ["ops", "professional"]
    table = run("levels").stdout
    raw = yaml.safe_load((DATA / "levels" / "professional.yaml").read_text(encoding="utf-8"))
    assert raw["levels"][0]["attributes"]["autonomy"] in flat(table)
    assert "Principal SRE" in table  # the ops scale too


def test_levels_unknown_scale_names_the_known_ones_and_hints_at_roles():
    result = run("levels", "sre")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "ops, professional" in lines[0] and "is a role" in lines[0]


# --- show ----------------------------------------------------------------------------------


def test_show_json_is_the_role_as_loaded():
    data = ok_json("show", "sre")
    assert data == load_rubric().role("sre").model_dump(mode="json")
    raw = raw_role("sre")
    ids = [
        e["id"] for d in data["dimensions"] for c in d["levels"].values() for e in c["expectations"]
    ]
    raw_ids = [
        e["id"] for d in raw["dimensions"] for c in d["levels"].values() for e in c["expectations"]
    ]
    assert ids == raw_ids


def test_show_level_json_gives_each_dimension_status():
    data = ok_json("show", "sre", "--level", "p4")
    assert data["level"]["id"] == "P4"
    status = {d["id"]: (d["status"], d["cell_level"]) for d in data["dimensions"]}
    raw = {d["id"]: d for d in raw_role("sre")["dimensions"]}
    for dim_id, (kind, cell_level) in status.items():
        levels = raw[dim_id]["levels"]
        order = ["P1", "P2", "P3", "P4"]
        below = [lv for lv in order if lv in levels]
        if "P4" in levels:
            assert (kind, cell_level) == ("new", "P4")
        elif below:
            assert (kind, cell_level) == ("same", below[-1])
        else:
            assert (kind, cell_level) == ("not-yet", None)
    assert status["strategy-influence"][0] == "not-yet"


def test_show_cell_json_and_dimension_json():
    cell = ok_json("show", "sre", "--dimension", "leadership", "--level", "P6")
    raw = next(d for d in raw_role("sre")["dimensions"] if d["id"] == "leadership")
    got = [e["id"] for e in cell["dimension"]["cell"]["expectations"]]
    assert got == [e["id"] for e in raw["levels"]["P6"]["expectations"]]
    dim = ok_json("show", "sre", "--dimension", "LEADERSHIP")
    assert list(dim["dimension"]["levels"]) == list(raw["levels"])


def test_show_table_has_every_statement_of_the_role():
    result = run("show", "sre")
    assert result.exit_code == 0
    text = flat(result.stdout)
    for dim in raw_role("sre")["dimensions"]:
        for cell in dim["levels"].values():
            for e in cell["expectations"]:
                assert flat(e["text"]) in text, e["id"]


def test_show_cell_gives_ids_and_sources_and_not_yet_says_when():
    result = run("show", "sre", "-d", "leadership", "-l", "p6")
    assert result.exit_code == 0
    assert "lead-p6-a" in result.stdout and "source" in result.stdout
    assert "evidence" in result.stdout  # the brag-document lines the matcher compares with
    early = run("show", "sre", "-d", "strategy-influence", "-l", "P2")
    assert early.exit_code == 0
    assert "starts at P5" in early.stdout


def test_show_dimension_progression_merges_repeated_levels():
    result = run_fixture("show", "hostile", "--dimension", "late")
    assert result.exit_code == 0
    assert re.search(r"T1–T3\s+not expected yet", result.stdout)
    assert "Arrives late" in result.stdout


def test_show_layout_is_a_text_matrix_only_when_wide_enough():
    narrow = run("show", "production-engineer", columns=80)
    wide = run("show", "production-engineer", columns=160)
    assert narrow.exit_code == wide.exit_code == 0
    assert "number: expectations added" in narrow.stdout
    assert "number: expectations added" not in wide.stdout
    header = next(ln for ln in wide.stdout.splitlines() if "P1 Associate Production" in ln)
    assert "P2 Production Engineer" in header  # both levels side by side


# --- diff ----------------------------------------------------------------------------------


def test_diff_json_has_exactly_the_cells_above_from_up_to_to():
    data = ok_json("diff", "sre", "P3", "P4")
    got = {
        d["id"]: [e["id"] for cell in d["new"] for e in cell["expectations"]]
        for d in data["dimensions"]
    }
    want = expected_new(raw_role("sre"), "P3", "P4")
    assert got == want
    assert data["new_expectations"] == sum(len(v) for v in want.values())
    raw_ids = {d["id"] for d in raw_role("sre")["dimensions"]}
    assert {d["id"] for d in data["unchanged"]} == raw_ids - set(want)


def test_diff_json_over_several_levels():
    data = ok_json("diff", "ops-sre", "l1", "L4")
    got = {
        d["id"]: [e["id"] for cell in d["new"] for e in cell["expectations"]]
        for d in data["dimensions"]
    }
    assert got == expected_new(raw_role("ops-sre"), "L1", "L4")


def test_diff_table_lists_the_new_statements_and_no_others():
    result = run("diff", "sre", "P3", "P4")
    assert result.exit_code == 0
    out = flat(result.stdout)
    raw = raw_role("sre")
    want = expected_new(raw, "P3", "P4")
    texts = {
        e["id"]: e["text"]
        for d in raw["dimensions"]
        for c in d["levels"].values()
        for e in c["expectations"]
    }
    for ids in want.values():
        for eid in ids:
            assert flat(texts[eid]) in out
    new = {eid for ids in want.values() for eid in ids}
    for eid, text in texts.items():
        if eid not in new and all(flat(text) != flat(texts[n]) for n in new):
            assert flat(text) not in out, eid
    first = result.stdout.splitlines()[0]
    count = sum(len(v) for v in want.values())
    assert f"{count} new expectations in {len(want)} dimensions" in first
    assert "P3" in first and "P4" in first


def test_diff_orders_heaviest_first_and_summarises_the_rest_in_one_line():
    result = run_fixture("diff", "hostile", "T1", "T3")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Leadership") < out.index("Ops [bold red]x[/]")  # weight 3 before 1
    summary = [ln for ln in out.splitlines() if ln.startswith("Nothing new")]
    assert summary == ["Nothing new in 1 dimension: Late starter (starts at T4)."]
    assert out.count("Late starter") == 1
    assert "3 new expectations in 2 dimensions" in out.splitlines()[0]


def test_diff_over_several_levels_labels_each_statement_with_its_level():
    result = run_fixture("diff", "hostile", "T1", "T4")
    assert result.exit_code == 0
    assert re.search(r"T2 • Mentors one person", result.stdout)
    assert re.search(r"T4 • Mentors a team", result.stdout)
    single = run_fixture("diff", "hostile", "T3", "T4")
    assert re.search(r"^  • Mentors a team", single.stdout, re.M)


def test_diff_downwards_is_an_error_that_gives_the_command_the_right_way_round():
    result = run("diff", "sre", "P5", "p3")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "sreladder diff sre P3 P5" in result.stderr


def test_diff_same_level_is_empty_not_an_error():
    result = run("diff", "sre", "P3", "P3")
    assert result.exit_code == 0
    assert "0 new expectations" in result.stdout and "same level" in result.stdout
    assert ok_json("diff", "sre", "P3", "P3")["dimensions"] == []


def test_diff_markdown_escapes_rubric_text():
    result = run_fixture("diff", "hostile", "T1", "T3", "--format", "md")
    assert result.exit_code == 0
    assert "## Leadership (weight 3)" in result.stdout
    assert r"Owns the \[italic\]pager\[/italic\]" in result.stdout


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle", "known"),
    [
        (["show", "nope"], "unknown role 'nope'", "ops-sre, production-engineer, sre"),
        (["diff", "nope", "P1", "P2"], "unknown role 'nope'", "production-engineer"),
        (["diff", "sre", "P9", "P2"], "unknown level 'P9'", "P1, P2, P3, P4, P5, P6, P7"),
        (["show", "sre", "--level", "L3"], "unknown level 'L3'", "P1, P2"),
        (["show", "sre", "--dimension", "x"], "unknown dimension 'x'", "incident-response"),
        (["levels", "nope"], "unknown level scale 'nope'", "ops, professional"),
    ],
)
def test_unknown_names_are_one_line_errors_listing_the_known_ones(args, needle, known):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and needle in lines[0] and known in lines[0]


def test_role_and_level_names_match_case_insensitively():
    assert ok_json("diff", "SRE", "p3", "p4")["to"]["id"] == "P4"


# --- untrusted text and terminals -------------------------------------------------------------


RUNS = r"Runs [bold red]x[/] playbooks \x1b[2J and \x1b[31mred\x1b[0m"
HOSTILE_COMMANDS = [
    (["roles"], ["Hostile [bold red]role[/]"]),
    (
        ["levels"],
        [
            "Tiers [bold red]scale[/]",
            r"Learns the job \x1b[2J with help",
            "[link=https://evil.invalid]click[/link]",
        ],
    ),
    (
        ["show", "hostile"],
        [
            "Hostile [bold red]role[/]",
            "Apprentice [blink]x[/]",
            RUNS,
            r"Summary \x1b]8;;https://evil.invalid\x1b\link",
            "Owns the [italic]pager[/italic]",
        ],
    ),
    (["show", "hostile", "--level", "T2"], ["Ops [bold red]x[/]", RUNS]),
    (["show", "hostile", "--dimension", "ops", "--level", "T1"], ["Ops [bold red]x[/]", RUNS]),
    (
        ["diff", "hostile", "T1", "T3"],
        ["Apprentice [blink]x[/]", "Ops [bold red]x[/]", "Owns the [italic]pager[/italic]"],
    ),
]


@pytest.mark.parametrize(("args", "literals"), HOSTILE_COMMANDS)
@pytest.mark.parametrize("force_color", [False, True])
def test_markup_and_escapes_in_rubric_text_print_literally(args, literals, force_color):
    env = {"FORCE_COLOR": "1"} if force_color else {}
    result = run_fixture(*args, columns=120, **env)  # narrower than the text matrix
    assert result.exit_code == 0, result.output
    out = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout) if force_color else result.stdout
    for literal in literals:
        assert literal in out
    # no raw escape from the rubric reaches the terminal (styles may, when forced)
    assert "\x1b[2J" not in result.stdout and "\x1b]8" not in result.stdout
    if not force_color:
        assert "\x1b" not in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["show", "sre"],
        ["show", "ops-sre"],
        ["show", "production-engineer"],
        ["show", "sre", "--level", "P4"],
        ["show", "sre", "--dimension", "leadership"],
        ["show", "sre", "--dimension", "leadership", "--level", "P5"],
        ["diff", "sre", "P3", "P4"],
        ["diff", "sre", "P1", "P7"],
        ["diff", "ops-sre", "L2", "L5"],
        ["roles"],
        ["levels"],
    ],
)
def test_table_output_fits_80_columns_and_is_plain_when_piped(args):
    result = run(*args, columns=80)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) > 3
    too_long = [ln for ln in lines if len(ln) > 80]
    assert too_long == []
    assert "\x1b" not in result.stdout


COLOUR = re.compile(r"\x1b\[(?:\d+;)*3[0-7](?:;\d+)*m")


def test_no_color_keeps_output_free_of_colour_codes_even_when_forced():
    result = run("diff", "sre", "P1", "P3", FORCE_COLOR="1", NO_COLOR="1")
    assert result.exit_code == 0
    assert not COLOUR.search(result.stdout)
    coloured = run("diff", "sre", "P1", "P3", FORCE_COLOR="1")
    assert COLOUR.search(coloured.stdout)  # the control: colour appears when allowed


# --- core ------------------------------------------------------------------------------------


def test_progression_merges_runs_and_step_at_follows_the_nearest_cell_below():
    rubric = load_rubric(FIXTURE)
    role = rubric.role("hostile")
    lead = role.dimension("lead")
    steps = [(s.kind, s.levels, s.cell_level) for s in browse.progression(role, lead)]
    assert steps == [
        ("not-yet", ("T1",), None),
        ("new", ("T2",), "T2"),
        ("same", ("T3",), "T2"),
        ("new", ("T4",), "T4"),
    ]
    assert browse.step_at(role, lead, "T3").cell is lead.levels["T2"]


def test_command_module_imports_no_heavy_modules():
    code = (
        "import sys, sreladder.cli.browse\n"
        "heavy = [m for m in ('rich', 'pydantic', 'yaml', 'sreladder.core.browse',"
        " 'sreladder.present.browse_view', 'sreladder.io.rubric') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_levels_of_an_own_folder_list_its_scales_not_the_built_in_ones(tmp_path):
    """Built-in scales join a --data folder's set only when one of its roles uses them."""
    own = CliRunner().invoke(app, ["levels", "--data", str(FIXTURE), "--format", "json"])
    assert own.exit_code == 0
    assert [s["id"] for s in json.loads(own.stdout)["scales"]] == ["tiers"]

    (tmp_path / "levels").mkdir()
    (tmp_path / "roles").mkdir()
    role = (DATA / "roles" / "production-engineer.yaml").read_text(encoding="utf-8")
    (tmp_path / "roles" / "production-engineer.yaml").write_text(role, encoding="utf-8")
    borrowed = CliRunner().invoke(app, ["levels", "--data", str(tmp_path), "--format", "json"])
    assert borrowed.exit_code == 0, borrowed.output
    assert [s["id"] for s in json.loads(borrowed.stdout)["scales"]] == ["professional"]
