"""`sreladder impact`: stored assessments scored under a ladder before and after a change.

The main fixture is the change the command exists for: the built-in ladders copied
twice, and in the new copy P3 expectations added to three dimensions of the sre role.
Every stored assessment at P3 must show its recommendation dropping, with before and
after; the others must show what concerns them and nothing else.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_team import write
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.io.rubric import builtin_data_dir, load_rubric

runner = CliRunner()
C = "consistently"
CHANGED_DIMENSIONS = ["incident-response", "slo-observability", "automation-infrastructure"]
NEW_IDS = [f"{d}-p3-new-{k}" for d in CHANGED_DIMENSIONS for k in (1, 2)]
#: file -> (subject, role, level its answers hold under the built-in ladder, relation)
PEOPLE = {
    "ada.yaml": ("Ada Lovelace", "sre", "P1", "self"),
    "team/bo.yaml": ("Bo Chenwick", "sre", "P2", "self"),
    "team/cy.yaml": ("Cy Parkhurst", "sre", "P3", "self"),
    "team/cy-manager.yaml": ("Cy Parkhurst", "sre", "P3", "manager"),
    "team/di.yaml": ("Di Itoshima", "sre", "P3", "self"),
    "team/ed.yaml": ("Ed Ruizdael", "sre", "P4", "self"),
    "team/fay.yaml": ("Fay Wuthering", "sre", "P5", "self"),
    "pe/gus.yaml": ("Gus Obianuju", "production-engineer", "P2", "self"),
    "ops/hal.yaml": ("Hal Kaylock", "ops-sre", "L3", "self"),
}
AT_P3 = {f for f, (_, role, level, _) in PEOPLE.items() if role == "sre" and level == "P3"}


def answers_up_to(role_id: str, level: str) -> dict[str, str]:
    """Every expectation of the built-in role at or below ``level`` rated consistently."""
    role = load_rubric().roles[role_id]
    top = role.level_index(level)
    return {e.id: C for _, lv, e in role.expectations() if role.level_index(lv) <= top}


def copy_ladder(target: Path) -> Path:
    shutil.copytree(builtin_data_dir(), target)
    return target


def edit_role(ladder: Path, role_id: str, change: Any) -> None:
    path = ladder / "roles" / f"{role_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def add_p3_expectations(data: dict[str, Any]) -> None:
    for dimension in data["dimensions"]:
        if dimension["id"] in CHANGED_DIMENSIONS:
            dimension["levels"]["P3"]["expectations"] += [
                {"id": f"{dimension['id']}-p3-new-{k}", "text": f"New P3 behaviour {k}."}
                for k in (1, 2)
            ]


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("impact")
    old = copy_ladder(root / "old")
    new = copy_ladder(root / "new")
    edit_role(new, "sre", add_p3_expectations)
    people = root / "people"
    for name, (subject, role, level, relation) in PEOPLE.items():
        write(
            people,
            name,
            subject,
            role=role,
            relation=relation,
            answers=answers_up_to(role, level),
            rubric_digest=load_rubric().roles[role].digest,
        )
    return {"old": old, "new": new, "people": people, "root": root}


def impact(change: dict[str, Path], *args: str, before: str = "old", after: str = "new") -> Any:
    return runner.invoke(
        app,
        ["impact", *args, "--before", str(change[before]), "--after", str(change[after])],
    )


def impact_json(change: dict[str, Path], *args: str, **ladders: str) -> dict[str, Any]:
    result = impact(change, *args, "--format", "json", **ladders)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_file(data: dict[str, Any], people: Path) -> dict[str, dict[str, Any]]:
    return {Path(c["file"]).relative_to(people).as_posix(): c for c in data["changes"]}


# --- the change of the issue: P3 expectations added to three dimensions -----------------


def test_every_assessment_at_p3_drops_with_before_and_after(change: dict[str, Path]) -> None:
    data = impact_json(change, str(change["people"]))
    changes = by_file(data, change["people"])
    dropped = {f for f, c in changes.items() if c["recommendation_changed"]}
    assert dropped == AT_P3
    for name in AT_P3:
        entry = changes[name]
        assert (entry["before"], entry["after"], entry["direction"]) == ("P3", "P2", "down")
        assert entry["subject"] == PEOPLE[name][0]
        moved = {d["id"]: (d["before"], d["after"]) for d in entry["dimensions"]}
        assert {d for d, (b, a) in moved.items() if b != a} == set(CHANGED_DIMENSIONS)
        assert all(moved[d] == ("P3", "P2") for d in CHANGED_DIMENSIONS)
        assert [e["id"] for e in entry["unrated_new"]] == NEW_IDS
        assert entry["removed_answers"] == []
    assert data["assessments"] == len(PEOPLE)
    assert data["recommendations_changed"] == len(AT_P3)


def test_people_above_p3_keep_their_level_but_see_the_new_expectations(
    change: dict[str, Path],
) -> None:
    changes = by_file(impact_json(change, str(change["people"])), change["people"])
    for name, level in (("team/ed.yaml", "P4"), ("team/fay.yaml", "P5")):
        entry = changes[name]
        assert (entry["before"], entry["after"], entry["recommendation_changed"]) == (
            level,
            level,
            False,
        )
        assert [e["id"] for e in entry["unrated_new"]] == NEW_IDS
        assert all(e["level"] == "P3" and e["text"] for e in entry["unrated_new"])


def test_people_below_p3_and_other_roles_are_unchanged(change: dict[str, Path]) -> None:
    data = impact_json(change, str(change["people"]))
    changes = by_file(data, change["people"])
    untouched = {"ada.yaml", "team/bo.yaml", "pe/gus.yaml", "ops/hal.yaml"}
    assert untouched.isdisjoint(changes)
    assert data["unchanged"] == len(untouched)
    assert set(changes) == set(PEOPLE) - untouched


def test_before_is_what_score_gives_under_the_old_ladder(change: dict[str, Path]) -> None:
    changes = by_file(impact_json(change, str(change["people"])), change["people"])
    for name, entry in changes.items():
        for side in ("old", "new"):
            scored = runner.invoke(
                app,
                ["score", str(change["people"] / name), "-f", "json", "--data", str(change[side])],
            )
            assert scored.exit_code == 0, scored.output
            expected = json.loads(scored.stdout)
            key = "before" if side == "old" else "after"
            assert entry[key] == expected["recommended"]
            assert {d["id"]: d[key] for d in entry["dimensions"]} == {
                d["id"]: d["level"] for d in expected["dimensions"]
            }


def test_markdown_is_a_short_pull_request_comment(change: dict[str, Path]) -> None:
    result = impact(change, str(change["people"]), "--format", "md")
    assert result.exit_code == 0, result.output
    out = result.stdout
    changed = len(PEOPLE) - 4
    assert f"**{changed} of {len(PEOPLE)} assessments change; 3 recommendations drop.**" in out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| Person | File | Role | Before | After |")
    dropped_rows = [r for r in rows if "P2 ↓" in r]
    assert len(dropped_rows) == len(AT_P3)
    assert all("| P3 | P2 ↓ |" in r for r in dropped_rows)
    assert "Cy Parkhurst (manager)" in out
    table_end = out.index("<details>")
    assert "New P3 behaviour 1." not in out[:table_end]  # texts are folded away
    assert "New P3 behaviour 1." in out[table_end:] and out.rstrip().endswith("</details>")


def test_terminal_table_lists_the_changes(change: dict[str, Path]) -> None:
    result = impact(change, str(change["people"]))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"{len(PEOPLE) - 4} of {len(PEOPLE)} assessments change;")
    for name in AT_P3:
        assert PEOPLE[name][0] in out
    assert "P2 ↓" in out and "Ada Lovelace" not in out
    assert "incident-response-p3-new-1" in out


def test_fail_on_change_exits_1_only_when_a_recommendation_changes(
    change: dict[str, Path],
) -> None:
    assert impact(change, str(change["people"]), "--fail-on-change").exit_code == 1
    same = impact(change, str(change["people"]), "--fail-on-change", before="new", after="new")
    assert same.exit_code == 0, same.output
    assert same.stdout.startswith(f"0 of {len(PEOPLE)} assessments change.")
    # P4 and P5 change (new unrated expectations) but no recommendation moves
    only_high = [str(change["people"] / "team" / f) for f in ("ed.yaml", "fay.yaml")]
    assert impact(change, *only_high, "--fail-on-change").exit_code == 0


def test_anonymous_output_has_no_names_and_no_paths(change: dict[str, Path]) -> None:
    for fmt in ("table", "md", "json"):
        result = impact(change, str(change["people"]), "--anonymous", "--format", fmt)
        assert result.exit_code == 0, result.output
        for subject, *_ in PEOPLE.values():
            surname = subject.split()[-1]
            assert subject not in result.stdout and surname not in result.stdout, (fmt, subject)
        assert ".yaml" not in result.stdout and str(change["root"]) not in result.stdout
    data = impact_json(change, str(change["people"]), "--anonymous")
    assert all(c["file"] is None for c in data["changes"])
    labels = [c["subject"] for c in data["changes"]]
    # the same person (Cy, self and manager) is one label; labels are stable
    assert len(labels) == len(set(labels)) + 1
    assert labels == [
        c["subject"] for c in impact_json(change, str(change["people"]), "--anonymous")["changes"]
    ]
    assert all(label.startswith("person ") for label in labels)


# --- other changes --------------------------------------------------------------------


def test_answers_to_removed_expectations_are_listed(tmp_path: Path) -> None:
    old = copy_ladder(tmp_path / "old")
    new = copy_ladder(tmp_path / "new")
    role = load_rubric().roles["sre"]
    gone = role.cells(role.dimension("collaboration"))[0][1].expectations[0].id  # type: ignore[arg-type]

    def remove(data: dict[str, Any]) -> None:
        for dimension in data["dimensions"]:
            for cell in dimension["levels"].values():
                cell["expectations"] = [e for e in cell["expectations"] if e["id"] != gone]

    edit_role(new, "sre", remove)
    path = write(
        tmp_path / "people", "kim.yaml", "Kim", role="sre", answers=answers_up_to("sre", "P2")
    )
    result = runner.invoke(
        app, ["impact", str(path), "--before", str(old), "--after", str(new), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)["changes"]
    assert [(a["id"], a["rating"]) for a in entry["removed_answers"]] == [(gone, C)]
    assert entry["removed_answers"][0]["level"] == "P1"


def test_a_role_missing_in_one_ladder_is_reported_not_crashed_on(tmp_path: Path) -> None:
    old = copy_ladder(tmp_path / "old")
    new = copy_ladder(tmp_path / "new")
    (new / "roles" / "production-engineer.yaml").unlink()
    people = tmp_path / "people"
    write(
        people,
        "gus.yaml",
        "Gus",
        role="production-engineer",
        answers=answers_up_to("production-engineer", "P1"),
    )
    write(people, "ann.yaml", "Ann", role="sre", answers=answers_up_to("sre", "P1"))
    for before, after, status in ((old, new, "role-removed"), (new, old, "role-added")):
        args = ["impact", str(people), "--before", str(before), "--after", str(after)]
        result = runner.invoke(app, [*args, "-f", "json", "--fail-on-change"])
        assert result.exit_code == 1, result.output  # a role gone is a changed recommendation
        data = json.loads(result.stdout)
        (entry,) = data["changes"]
        assert (entry["subject"], entry["status"]) == ("Gus", status)
        assert (entry["before"] is None) == (status == "role-added")
        assert data["unchanged"] == 1
        for fmt in ("table", "md"):
            shown = runner.invoke(app, [*args, "-f", fmt])
            assert shown.exit_code == 0 and "no role" in shown.stdout, shown.output


def test_rubric_files_and_other_yaml_in_the_folder_are_skipped(change: dict[str, Path]) -> None:
    data = impact_json(change, str(change["people"]), str(change["old"]))
    assert data["assessments"] == len(PEOPLE)


def test_the_same_file_twice_counts_once(change: dict[str, Path]) -> None:
    one = str(change["people"] / "team" / "cy.yaml")
    data = impact_json(change, one, one, str(change["people"] / "team"))
    assert data["assessments"] == sum(1 for f in PEOPLE if f.startswith("team/"))


# --- bad inputs: one line each, exit 1, no traceback -------------------------------------


def one_line_errors(result: Any) -> list[str]:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()


def test_a_broken_ladder_is_one_line_with_its_position(
    tmp_path: Path, change: dict[str, Path]
) -> None:
    broken = copy_ladder(tmp_path / "broken")
    role = broken / "roles" / "sre.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace("weight: 2", "weight: [2", 1), encoding="utf-8"
    )
    result = runner.invoke(
        app,
        ["impact", str(change["people"]), "--before", str(change["old"]), "--after", str(broken)],
    )
    (line,) = one_line_errors(result)
    assert line.startswith(f"{role}:") and " E004 " in line and line.endswith("(--after)")
    assert line.split(":")[1].isdigit() and line.split(":")[2].isdigit()


@pytest.mark.parametrize(
    ("ladder", "message"),
    [("missing", "no such folder (--before)"), ("empty", "not a ladder folder")],
)
def test_a_folder_that_is_no_ladder_is_one_line(
    tmp_path: Path, change: dict[str, Path], ladder: str, message: str
) -> None:
    folder = tmp_path / ladder
    if ladder == "empty":
        folder.mkdir()
    result = runner.invoke(
        app,
        ["impact", str(change["people"]), "--before", str(folder), "--after", str(change["new"])],
    )
    (line,) = one_line_errors(result)
    assert message in line


def test_bad_assessments_are_one_line_each(tmp_path: Path, change: dict[str, Path]) -> None:
    people = tmp_path / "people"
    write(people, "good.yaml", "Good", role="sre", answers={"ir-p1-a": C})
    write(people, "bad-rating.yaml", "Bad", role="sre", answers={"ir-p1-a": "maybe"})
    write(people, "no-role.yaml", "Nobody", role="astronaut", answers={})
    (people / "syntax.yaml").write_text("sreladder: 1\nrole: [sre\n", encoding="utf-8")
    result = runner.invoke(
        app, ["impact", str(people), "--before", str(change["old"]), "--after", str(change["new"])]
    )
    lines = one_line_errors(result)
    assert len(lines) == 3
    by_name = {Path(line.split(":")[0]).name: line for line in lines}
    assert set(by_name) == {"bad-rating.yaml", "no-role.yaml", "syntax.yaml"}
    assert " E104 " in by_name["bad-rating.yaml"]
    assert " E301 " in by_name["no-role.yaml"] and "neither ladder" in by_name["no-role.yaml"]
    assert " E004 " in by_name["syntax.yaml"]
    for line in lines:
        assert line.split(":")[1].isdigit(), line


def test_a_target_only_the_new_ladder_has_is_accepted(
    tmp_path: Path, change: dict[str, Path]
) -> None:
    old = copy_ladder(tmp_path / "old")

    def drop_p7(data: dict[str, Any]) -> None:
        del data["levels"]["P7"]
        for dimension in data["dimensions"]:
            dimension["levels"].pop("P7", None)

    edit_role(old, "sre", drop_p7)
    path = write(tmp_path / "p", "x.yaml", "X", role="sre", target="P7", answers={"ir-p1-a": C})
    result = runner.invoke(
        app, ["impact", str(path), "--before", str(old), "--after", str(change["old"])]
    )
    assert result.exit_code == 0, result.output


def test_hostile_names_and_rubric_text_stay_inert(tmp_path: Path, change: dict[str, Path]) -> None:
    from hostile_corpus import FORBIDDEN_RAW, HOSTILE_TEXTS

    people = tmp_path / "people"
    for number, text in enumerate(HOSTILE_TEXTS):
        write(people, f"h{number}.yaml", text, role="sre", answers=answers_up_to("sre", "P3"))
    args = ["impact", str(people), "--before", str(change["old"]), "--after", str(change["new"])]
    for fmt in ("table", "md", "json"):
        result = runner.invoke(app, [*args, "-f", fmt])
        assert result.exit_code == 0, result.output
        for raw in FORBIDDEN_RAW:
            assert raw not in result.stdout, (fmt, repr(raw))
        if fmt == "md":
            assert "<script>" not in result.stdout and "\\<script\\>" in result.stdout
        if fmt == "json":
            subjects = {c["subject"] for c in json.loads(result.stdout)["changes"]}
            assert subjects == {text.strip() for text in HOSTILE_TEXTS}
