"""`sreladder team DIR`: people x dimensions, spread, common gaps, progress over time."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app

FIXTURE = Path(__file__).parent / "fixtures" / "team"
runner = CliRunner()
C = "consistently"


def write(
    folder: Path,
    name: str,
    subject: str | None = "Dana",
    *,
    role: str = "alpha",
    relation: str = "self",
    updated: str | None = "2026-03-01T10:00:00Z",
    answers: dict[str, str] | None = None,
    **extra: Any,
) -> Path:
    data: dict[str, Any] = {"sreladder": 1, "role": role}
    if subject is not None:
        data["subject"] = {"name": subject}
    data["assessor"] = {"name": "someone", "relation": relation}
    if updated is not None:
        data["updated"] = updated
    data.update(extra)
    data["answers"] = {key: {"rating": rating} for key, rating in (answers or {}).items()}
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def team(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["team", *args, "--data", str(FIXTURE)], env=env)


def team_json(folder: Path, *args: str) -> dict[str, Any]:
    result = team(str(folder), "--format", "json", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Dana (self twice, manager once: one person), Lee and Kim on alpha; Sam on beta."""
    d = tmp_path / "assessments"
    # the older self-assessment sorts last by path: the date, not the order, must decide
    write(d, "z-dana-march.yaml", "  dana ", answers={"ops-1": C, "code-1": C})
    write(
        d,
        "a-dana-sept.yaml",
        "Dana",
        updated="2026-09-01T09:00:00Z",
        answers={"ops-1": C, "ops-2": C, "code-1": C, "code-2": C},
    )
    write(
        d,
        "dana-manager.yaml",
        relation="manager",
        updated="2026-09-02T09:00:00Z",
        answers={"ops-1": C, "code-1": "partially"},
    )
    write(
        d,
        "sub/lee.yaml",
        "Lee",
        updated="2026-05-01T00:00:00Z",
        answers={"ops-1": C, "ops-2": C, "code-1": C, "code-2": "not-yet"},
    )
    write(d, "sub/deeper/kim.yml", "Kim", answers={"ops-1": C, "code-1": C})
    write(d, "sam.yaml", "Sam", role="beta", answers={"craft-1": C})
    return d


def people(data: dict[str, Any], role: str) -> dict[tuple[str, str], dict[str, Any]]:
    group = next(r for r in data["roles"] if r["role"] == role)
    return {(p["name"], p["relation"]): p for p in group["people"]}


def role_of(data: dict[str, Any], role: str) -> dict[str, Any]:
    return next(r for r in data["roles"] if r["role"] == role)


def test_levels_equal_what_score_gives_for_each_latest_file(folder: Path) -> None:
    data = team_json(folder)
    rows = {**people(data, "alpha"), **people(data, "beta")}
    assert set(rows) == {("Dana", "manager"), ("Lee", "self"), ("Kim", "self"), ("Sam", "self")}
    (dana_self,) = rows[("Dana", "manager")]["other_views"]
    assert dana_self["relation"] == "self"
    for row in [*rows.values(), dana_self]:
        scored = runner.invoke(
            app, ["score", str(folder / row["file"]), "--format", "json", "--data", str(FIXTURE)]
        )
        assert scored.exit_code == 0, scored.stderr
        expected = json.loads(scored.stdout)
        assert row["recommended"] == expected["recommended"]
        assert row["levels"] == {d["id"]: d["level"] for d in expected["dimensions"]}
    assert dana_self["levels"] == {"ops": "L2", "code": "L2"}
    assert dana_self["file"].endswith("a-dana-sept.yaml")  # September, not March
    assert rows[("Dana", "manager")]["recommended"] is None
    assert data["files"] == {"loaded": 6, "broken": 0, "skipped": 0}
    assert data["people"] == 4


def test_people_are_grouped_by_role_with_their_own_dimensions(folder: Path) -> None:
    data = team_json(folder)
    assert [r["role"] for r in data["roles"]] == ["alpha", "beta"]
    assert [d["id"] for d in role_of(data, "alpha")["dimensions"]] == ["ops", "code"]
    assert [d["id"] for d in role_of(data, "beta")["dimensions"]] == ["craft"]
    # sorted by name; Dana's manager view counts
    names = [(p["name"], p["relation"]) for p in role_of(data, "alpha")["people"]]
    assert names == [("Dana", "manager"), ("Kim", "self"), ("Lee", "self")]


def test_spread_counts_each_persons_latest_recommendation(folder: Path) -> None:
    alpha = role_of(team_json(folder), "alpha")
    assert alpha["spread"] == [
        {"level": None, "people": 1},  # Dana: her manager's view counts, not her own L2
        {"level": "L1", "people": 2},  # Lee, Kim
        {"level": "L2", "people": 0},
        {"level": "L3", "people": 0},
    ]


def test_common_gaps_count_people_most_first(folder: Path) -> None:
    alpha = role_of(team_json(folder), "alpha")
    gaps = [(g["expectation"], g["people"]) for g in alpha["common_gaps"]]
    # code-2: Lee and Kim; then one each in the role's order (Dana's manager view: code-1)
    assert gaps == [("code-2", 2), ("ops-2", 1), ("code-1", 1)]
    assert alpha["common_gaps"][0]["text"] == "Reviews changes of others"


def test_self_and_manager_views_of_one_person_are_one_person(tmp_path: Path) -> None:
    write(tmp_path, "self.yaml", "Ana", answers={"ops-1": C, "code-1": C})
    write(tmp_path, "mgr.yaml", "ana", relation="manager", answers={"ops-1": C})
    write(tmp_path, "peer.yaml", "Ana", relation="peer", updated="2026-12-01T00:00:00Z")
    write(tmp_path, "bo.yaml", "Bo", answers={"ops-1": C})
    result = team(str(tmp_path), env={"COLUMNS": "200"})
    assert "4 assessments of 2 people read." in result.stderr
    lines = result.stdout.splitlines()
    ana = lines[next(i for i, line in enumerate(lines) if line.startswith("Person")) + 1]
    assert ana.split()[:2] == ["Ana", "manager"]  # the manager view counts, though older
    assert "self L1 (2026-03-01); peer not yet L1 (2026-12-01)" in result.stdout
    md = team(str(tmp_path), "--format", "md").stdout
    assert "4 assessments of 2 people." in md
    assert "| self L1 (2026-03-01); peer not yet L1 (2026-12-01) |" in md
    no_manager = tmp_path / "no-manager"
    write(no_manager, "self.yaml", "Ana", answers={"ops-1": C, "code-1": C})
    write(no_manager, "peer.yaml", "Ana", relation="peer", updated="2026-12-01T00:00:00Z")
    (ana_row,) = people(team_json(no_manager), "alpha").values()
    assert ana_row["relation"] == "peer"  # no manager view: the latest counts


def test_common_gaps_stop_at_ten(tmp_path: Path) -> None:
    rubric = yaml.safe_load((FIXTURE / "roles" / "alpha.yaml").read_text())
    ops = rubric["dimensions"][0]
    ops["levels"]["L1"]["expectations"] = [
        {"id": f"ops-1{c}", "text": f"Thing {c}"} for c in "abcdefghijkl"
    ]
    data_dir = tmp_path / "data"
    (data_dir / "roles").mkdir(parents=True)
    (data_dir / "levels").mkdir()
    (data_dir / "levels" / "mini.yaml").write_text((FIXTURE / "levels" / "mini.yaml").read_text())
    (data_dir / "roles" / "alpha.yaml").write_text(yaml.safe_dump(rubric))
    write(tmp_path / "a", "x.yaml", answers={})
    result = runner.invoke(
        app, ["team", str(tmp_path / "a"), "-f", "json", "--data", str(data_dir)]
    )
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["roles"][0]["common_gaps"]) == 10


def test_latest_wins_and_progress_is_in_date_order(folder: Path) -> None:
    data = team_json(folder)
    dana = people(data, "alpha")[("Dana", "manager")]
    assert dana["file"].endswith("dana-manager.yaml")
    assert dana["assessments"] == 3
    progress = role_of(data, "alpha")["progress"]
    assert [(p["name"], p["relation"]) for p in progress] == [("Dana", "manager")]
    assert progress[0]["history"] == [
        {"date": "2026-03-01T10:00:00Z", "recommended": "L1", "relation": "self"},
        {"date": "2026-09-01T09:00:00Z", "recommended": "L2", "relation": "self"},
        {"date": "2026-09-02T09:00:00Z", "recommended": None, "relation": "manager"},
    ]
    steps = "2026-03-01 L1 (self) → 2026-09-01 L2 (self) → 2026-09-02 not yet L1 (manager)"
    table = team(str(folder), env={"COLUMNS": "200"})
    assert steps in table.stdout
    md = team(str(folder), "--format", "md")
    assert f"- Dana (manager): {steps}" in md.stdout


def test_date_falls_back_to_created_then_file_time(tmp_path: Path) -> None:
    d = tmp_path / "a"
    write(d, "1.yaml", updated=None, created="2026-06-01T00:00:00Z", answers={"ops-1": C})
    old = write(d, "2.yaml", updated=None, answers={"ops-1": C, "code-1": C})
    os.utime(old, (1_700_000_000, 1_700_000_000))  # 2023-11-14
    data = team_json(d)
    dana = people(data, "alpha")[("Dana", "self")]
    assert (dana["file"], dana["date_from"]) == (str(d / "1.yaml"), "created")
    history = role_of(data, "alpha")["progress"][0]["history"]
    assert [h["date"][:10] for h in history] == ["2023-11-14", "2026-06-01"]


def test_csv_has_one_row_per_person_with_levels(folder: Path) -> None:
    result = team(str(folder), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "role",
        "name",
        "relation",
        "date",
        "file",
        "recommended",
        "ops",
        "code",
        "craft",
        "other_views",
    ]
    by = {(r["name"], r["relation"]): r for r in rows}
    assert by[("Dana", "manager")]["other_views"] == "self L2 (2026-09-01)"
    assert by[("Dana", "manager")]["date"] == "2026-09-02"
    assert (by[("Lee", "self")]["ops"], by[("Lee", "self")]["code"]) == ("L2", "L1")
    assert by[("Sam", "self")]["craft"] == "L1" and by[("Sam", "self")]["ops"] == ""
    assert by[("Dana", "manager")]["recommended"] == ""
    assert by[("Lee", "self")]["other_views"] == ""


def test_markdown_tables(folder: Path) -> None:
    result = team(str(folder), "--format", "md")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "| Person | Relation | Date | Operations | Code | Recommended | Other views |" in out
    assert "| Lee | self | 2026-05-01 | L2 | L1 | L1 |  |" in out
    assert "| Dana | manager | 2026-09-02 | L1 | — | not yet L1 | self L2 (2026-09-01) |" in out
    assert "| L1 | 2 |" in out
    assert "| code-2 | L2 | Reviews changes of others | 2 |" in out


def test_terminal_table(folder: Path) -> None:
    result = team(str(folder))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    lee = next(line for line in lines if line.startswith("Lee"))
    assert lee.split() == ["Lee", "self", "2026-05-01", "L2", "L1", "L1"]
    dana = next(line for line in lines if line.startswith("Dana"))
    assert dana.split() == [
        "Dana",
        "manager",
        "2026-09-02",
        "L1",
        "—",
        "—",
        "self",
        "L2",
        "(2026-09-01)",
    ]
    assert "D1 Operations  D2 Code" in result.stdout
    assert "Beta engineer (beta) · 1 person" in result.stdout
    assert "6 assessments of 4 people read." in result.stderr


def test_target_option_counts_gaps_against_that_level(folder: Path) -> None:
    alpha = role_of(team_json(folder, "--target", "L3"), "alpha")
    gaps = {g["expectation"]: g["people"] for g in alpha["common_gaps"]}
    assert gaps["ops-3"] == 3 and gaps["code-3"] == 3  # Dana, Kim, Lee
    result = team(str(folder), "--target", "L3", "-f", "json")
    assert "L3 is not a level of role beta" in result.stderr
    bad = team(str(folder), "--target", "L9")
    assert bad.exit_code == 1 and "not a level of any role" in bad.stderr


def test_target_option_ignores_case(folder: Path) -> None:
    assert team_json(folder, "--target", "l3") == team_json(folder, "--target", "L3")


def test_broken_file_is_reported_with_its_position_and_is_not_fatal(folder: Path) -> None:
    (folder / "broken.yaml").write_text("sreladder: 1\nrole: alpha\nanswers:\n  ops-1: [\n")
    write(folder, "bad-rating.yaml", answers={"ops-1": "sometimes"})
    write(folder, "unknown-role.yaml", role="gamma")
    result = team(str(folder), "--format", "json")
    assert result.exit_code == 0
    errors = [line for line in result.stderr.splitlines() if ": E" in line]
    assert len(errors) == 3
    assert any(line.startswith(f"{folder / 'broken.yaml'}:5:1: E004") for line in errors)
    assert any(f"{folder / 'bad-rating.yaml'}:" in line and "E104" in line for line in errors)
    assert any("unknown-role.yaml:2:7: E301" in line for line in errors)
    assert "3 file(s) could not be read" in result.stderr
    assert json.loads(result.stdout)["files"] == {"loaded": 6, "broken": 3, "skipped": 0}
    strict = team(str(folder), "--format", "json", "--strict")
    assert strict.exit_code == 1 and json.loads(strict.stdout)["files"]["broken"] == 3


def test_rubric_and_other_yaml_files_are_skipped(folder: Path) -> None:
    (folder / "rubric").mkdir()
    for sub in ("levels", "roles"):
        (folder / "rubric" / sub).mkdir()
    (folder / "rubric" / "roles" / "alpha.yaml").write_text(
        (FIXTURE / "roles" / "alpha.yaml").read_text()
    )
    (folder / "rubric" / "levels" / "mini.yaml").write_text(
        (FIXTURE / "levels" / "mini.yaml").read_text()
    )
    (folder / "ci.yml").write_text("jobs: {test: {runs-on: ubuntu}}\n")
    (folder / "notes.txt").write_text("not yaml")
    (folder / ".git").mkdir()
    write(folder, ".git/hidden.yaml", "Ghost")
    result = team(str(folder), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["files"] == {"loaded": 6, "broken": 0, "skipped": 3}
    assert ("Ghost", "self") not in people(data, "alpha")
    assert ": E" not in result.stderr


def test_file_with_answers_but_no_version_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml")
    (tmp_path / "no-version.yaml").write_text("role: alpha\nanswers: {}\n")
    result = team(str(tmp_path))
    assert result.exit_code == 0
    assert "no-version.yaml:1:1: E101 missing required key 'sreladder'" in result.stderr


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = team(str(tmp_path))
    assert result.exit_code == 1
    assert "no assessment files under" in result.stderr
    assert result.stdout == ""


def test_only_broken_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("sreladder: 1\nrole: [\n")
    result = team(str(tmp_path))
    assert result.exit_code == 1
    assert "x.yaml:" in result.stderr
    assert "no assessment under" in result.stderr and "(1 broken)" in result.stderr


def test_not_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    file = write(tmp_path, "one.yaml")
    result = team(str(file))
    assert result.exit_code == 2
    assert "not a folder" in result.stderr
    missing = team(str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "no such folder" in missing.stderr


HOSTILE = '=HYPERLINK("http://x","y") | pipe | <script> [red]x[/] \x1b[2J'


def test_user_text_is_inert_in_every_format(tmp_path: Path) -> None:
    write(tmp_path, "evil.yaml", HOSTILE, answers={"ops-1": C})
    write(tmp_path, "evil2.yaml", "-cmd", answers={"ops-1": C})

    as_json = team_json(tmp_path)
    names = {p["name"] for p in role_of(as_json, "alpha")["people"]}
    assert names == {HOSTILE, "-cmd"}  # JSON keeps it exact

    out = team(str(tmp_path), "--format", "csv").stdout
    assert "\x1b" not in out
    rows = list(csv.reader(io.StringIO(out)))
    assert {r[1] for r in rows[1:]} == {
        "'" + HOSTILE.replace("\x1b", "\\x1b"),
        "'-cmd",
    }
    assert all(len(r) == len(rows[0]) for r in rows)

    md = team(str(tmp_path), "--format", "md").stdout
    assert "\x1b" not in md and "<script>" not in md
    row = next(line for line in md.splitlines() if "HYPERLINK" in line)
    assert "\\| pipe \\|" in row and "\\<script\\>" in row and "\\[red\\]" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # seven cells: the name stays one

    table = team(str(tmp_path)).stdout
    assert "\x1b" not in table
    assert "[red]x[/]" in table and "\\x1b[2J" in table


def test_parallel_workers_give_the_same_result(folder: Path) -> None:
    one = team(str(folder), "--format", "json", "--jobs", "1")
    two = team(str(folder), "--format", "json", "--jobs", "2")
    assert two.exit_code == 0, two.stderr
    assert one.stdout == two.stdout


def test_core_equal_dates_the_later_path_wins_and_history_keeps_both() -> None:
    import datetime as dt

    from sreladder.core.team import Record, build_team
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(FIXTURE)
    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def record(path: str, recommended: str | None) -> Record:
        return Record(
            "alpha", "Dana", "dana", "self", day, "updated", path, recommended, ("L1", None), ()
        )

    broken: list[object] = []
    result = build_team(
        [("ok", record("b.yaml", "L2")), ("skip", None), ("ok", record("a.yaml", "L1"))],
        rubric.roles,
        on_broken=broken.append,
    )
    (group,) = result.roles
    (person,) = group.people
    assert person.latest.path == "b.yaml"
    assert person.history == [(day, "L2", "self"), (day, "L1", "self")]
    assert (result.loaded, result.skipped, result.broken, broken) == (2, 1, 0, [])


def test_a_huge_jobs_value_is_capped_not_a_fork_bomb(folder: Path, monkeypatch) -> None:
    """`--jobs 99999999999` once tried to start that many processes."""
    from sreladder.io import pool

    started: list[int] = []
    real_pool = pool.ProcessPoolExecutor

    def counting_pool(max_workers=None, *args, **kwargs):
        started.append(max_workers)
        return real_pool(max_workers, *args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", counting_pool)
    capped = team(str(folder), "--format", "json", "--jobs", "99999999999")
    assert capped.exit_code == 0, capped.output
    files = sum(1 for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))
    assert started and all(n <= min(files, 4 * os.cpu_count()) for n in started)
    assert json.loads(capped.stdout) == json.loads(team(str(folder), "--format", "json").stdout)


def test_a_file_that_kills_its_worker_is_reported_and_the_run_finishes(
    folder: Path, monkeypatch
) -> None:
    """A worker that died (PyYAML 6.0.2 segfaulted on some files) made `--jobs 2` wait
    forever for its task. Now that file is E009, every other file is read, exit 1 under
    --strict. Workers are forked, so they inherit the patched reader."""
    import faulthandler
    import signal

    from sreladder.io import team_files

    real_reduce = team_files.reduce_file
    victim = sorted(p for p in folder.rglob("*.yaml"))[1]

    def crashing_reduce(path, rubric, target):
        if Path(path) == victim:
            faulthandler.disable()  # the crash is the point: no dump in the test output
            os.kill(os.getpid(), signal.SIGSEGV)
        return real_reduce(path, rubric, target)

    healthy = json.loads(team(str(folder), "--format", "json", "--jobs", "1").stdout)
    monkeypatch.setattr(team_files, "reduce_file", crashing_reduce)
    result = team(str(folder), "--format", "json", "--jobs", "2", "--strict")
    assert result.exit_code == 1, result.output
    assert re.search(rf"{re.escape(victim.name)}: E009 .*crashed the worker", result.stderr)
    crashed = json.loads(result.stdout)
    assert crashed["files"]["broken"] == healthy["files"]["broken"] + 1
    assert crashed["files"]["loaded"] == healthy["files"]["loaded"] - 1


@pytest.mark.parametrize("brk", ["\r", "\r\n", "\u2028"])
def test_an_assessment_with_other_line_breaks_is_reported_not_skipped(tmp_path, brk) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    text = f"role: sre{brk}answers:{brk}  ir-p1-a: {{rating: consistently}}{brk}"
    (folder / "cr.yaml").write_bytes(text.encode())
    result = runner.invoke(app, ["team", str(folder)])
    assert result.exit_code == 1
    assert "cr.yaml:1:1: E101" in result.stderr


def test_a_date_at_the_end_of_the_calendar_does_not_stop_the_team(tmp_path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    for name, stamp in (("a", "9999-12-31T23:59:59-23:00"), ("b", "0001-01-01T00:00:00+23:00")):
        (folder / f"{name}.yaml").write_text(
            f"sreladder: 1\nrole: sre\nsubject: {{name: {name}}}\nupdated: {stamp}\n"
            "answers:\n  ir-p1-a: {rating: consistently}\n"
        )
    result = runner.invoke(app, ["team", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"]["loaded"] == 2
