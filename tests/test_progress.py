"""`sreladder progress FILE... | DIR`: one person's assessments over time."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core.errors import SreladderError
from sreladder.core.progress import build_progress
from sreladder.core.team import Record
from sreladder.io.rubric import load_rubric

FIXTURE = Path(__file__).parent / "fixtures" / "team"
runner = CliRunner()
C = "consistently"
LEVEL_1 = {"ops-1": C, "code-1": C}
LEVEL_2 = {**LEVEL_1, "ops-2": C, "code-2": C}
LEVEL_3 = {**LEVEL_2, "ops-3": C, "code-3": C}


def write(
    folder: Path,
    name: str,
    created: str | None,
    answers: dict[str, str],
    subject: str = "Dana",
    role: str = "alpha",
    relation: str = "self",
    **extra: Any,
) -> Path:
    data: dict[str, Any] = {"sreladder": 1, "role": role, "subject": {"name": subject}}
    data["assessor"] = {"name": "someone", "relation": relation}
    if created is not None:
        data["created"] = created
    data.update(extra)
    data["answers"] = {key: {"rating": rating} for key, rating in answers.items()}
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def progress(*args: str) -> Any:
    return runner.invoke(app, ["progress", *args, "--data", str(FIXTURE)])


def progress_json(*args: str) -> dict[str, Any]:
    result = progress(*args, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """Three assessments of Dana, written out of date order."""
    folder = tmp_path / "dana"
    write(folder, "a.yaml", "2026-09-01T10:00:00Z", LEVEL_3)
    write(folder, "b.yaml", "2026-01-15T10:00:00Z", LEVEL_1)
    write(folder, "c.yaml", "2026-05-01T10:00:00Z", LEVEL_2)
    return folder


def test_three_dated_assessments_give_three_points_in_date_order(three):
    document = progress_json(str(three))
    assert document["subject"] == "Dana" and document["role"] == "alpha"
    points = document["points"]
    assert [p["date"] for p in points] == [
        "2026-01-15T10:00:00Z",
        "2026-05-01T10:00:00Z",
        "2026-09-01T10:00:00Z",
    ]
    assert [p["recommended"] for p in points] == ["L1", "L2", "L3"]
    assert points[0]["dimensions"] == {"ops": "L1", "code": "L1"}
    assert [Path(p["file"]).name for p in points] == ["b.yaml", "c.yaml", "a.yaml"]


def test_the_table_and_markdown_show_each_date_and_the_changes(three):
    table = progress(str(three))
    assert table.exit_code == 0, table.stderr
    header = next(line for line in table.stdout.splitlines() if "2026-01-15" in line)
    assert header.index("2026-01-15") < header.index("2026-05-01") < header.index("2026-09-01")
    assert (
        "L1 Junior (2026-01-15) → L2 Engineer (2026-05-01) → L3 Senior (2026-09-01)" in table.stdout
    )
    markdown = progress(str(three), "--format", "md").stdout
    assert "| Dimension | 2026-01-15 | 2026-05-01 | 2026-09-01 |" in markdown
    assert "| **Recommended** | **L1** | **L2** | **L3** |" in markdown


def test_the_html_page_is_self_contained_with_a_chart(three, tmp_path):
    out = tmp_path / "progress.html"
    result = progress(str(three), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<circle") == 3
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<script" not in page


def test_files_named_one_by_one_and_a_file_named_twice_count_once(three):
    files = sorted(str(p) for p in three.iterdir())
    document = progress_json(*files, str(three), files[0])
    assert len(document["points"]) == 3


def test_a_point_is_dated_by_created_else_updated(tmp_path):
    write(tmp_path, "a.yaml", None, LEVEL_2, updated="2026-02-01T00:00:00Z")
    write(tmp_path, "b.yaml", "2026-03-01T00:00:00Z", LEVEL_1, updated="2026-12-01T00:00:00Z")
    points = progress_json(str(tmp_path))["points"]
    assert [(p["date_from"], p["recommended"]) for p in points] == [
        ("updated", "L2"),
        ("created", "L1"),
    ]


def test_several_people_are_refused_unless_one_is_chosen(three):
    write(three, "other.yaml", "2026-02-01T10:00:00Z", LEVEL_1, subject="Sam")
    refused = progress(str(three))
    assert refused.exit_code == 1
    assert "2 people ('Dana', 'Sam'); choose one with --subject NAME" in refused.stderr
    assert len(progress_json(str(three), "--subject", " dana ")["points"]) == 3
    assert len(progress_json(str(three), "--subject", "Sam")["points"]) == 1


def test_several_roles_are_refused_unless_one_is_chosen(three):
    write(three, "beta.yaml", "2026-02-01T10:00:00Z", {"craft-1": C}, role="beta")
    refused = progress(str(three))
    assert refused.exit_code == 1 and "choose one with --role ROLE" in refused.stderr
    assert progress_json(str(three), "--role", "beta")["role"] == "beta"


def test_self_and_manager_views_are_labelled_and_can_be_chosen(three):
    write(three, "m.yaml", "2026-09-02T10:00:00Z", LEVEL_2, relation="manager")
    points = progress_json(str(three))["points"]
    assert [p["relation"] for p in points] == ["self", "self", "self", "manager"]
    table = progress(str(three)).stdout
    assert "manager" in table
    assert [p["relation"] for p in progress_json(str(three), "--as", "manager")["points"]] == [
        "manager"
    ]


def test_a_broken_file_is_reported_and_left_out(three):
    (three / "broken.yaml").write_text("sreladder: 1\nrole: alpha\nanswers: {ops-1: maybe}\n")
    (three / "rubric.yaml").write_text((FIXTURE / "roles" / "alpha.yaml").read_text())
    result = progress(str(three), "--format", "json")
    assert result.exit_code == 0
    assert "broken.yaml:3:" in result.stderr and "rubric.yaml" not in result.stderr
    assert len(json.loads(result.stdout)["points"]) == 3


def test_bad_input_is_one_line_and_exit_1(tmp_path):
    missing = progress(str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1 and "no such file or folder" in missing.stderr
    rubric = progress(str(FIXTURE / "roles" / "alpha.yaml"))
    assert rubric.exit_code == 1 and "alpha.yaml:1:1: E008 not an assessment" in rubric.stderr
    (tmp_path / "empty").mkdir()
    empty = progress(str(tmp_path / "empty"))
    assert empty.exit_code == 1 and "no assessment files found" in empty.stderr
    assert "Traceback" not in missing.stderr + rubric.stderr + empty.stderr


HOSTILE = (
    "[bold red]Dana[/] <script>alert(1)</script> \x1b]8;;https://x\x07link\x1b]8;;\x07 \u202e|x|"
)


def test_hostile_names_are_text_in_every_format(tmp_path):
    write(tmp_path, "a.yaml", "2026-01-15T10:00:00Z", LEVEL_1, subject=HOSTILE)
    write(tmp_path, "b.yaml", "2026-05-01T10:00:00Z", LEVEL_2, subject=HOSTILE)
    for fmt in ("table", "md", "html", "json"):
        result = progress(str(tmp_path), "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout, fmt
    table = progress(str(tmp_path)).stdout
    assert "[bold red]Dana[/]" in table
    page = progress(str(tmp_path), "--format", "html").stdout
    assert "<script>" not in page and "&lt;script&gt;" in page
    markdown = progress(str(tmp_path), "--format", "md").stdout
    assert "\\[bold red\\]" in markdown and "<script>" not in markdown
    assert json.loads(progress(str(tmp_path), "--format", "json").stdout)["subject"] == HOSTILE


# --- the core, directly -------------------------------------------------------------

ROLES = load_rubric(FIXTURE).roles
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def record(path: str, days: int, name: str = "Dana", role: str = "alpha", **kw: Any) -> Record:
    levels = (None,) * len(ROLES[role].dimensions)
    return Record(
        role=role,
        name=name,
        key=name.strip().casefold(),
        relation=kw.get("relation", "self"),
        date=START + dt.timedelta(days=days),
        date_source="updated",
        path=path,
        recommended=kw.get("recommended"),
        levels=levels,
        gaps=(),
        created=kw.get("created"),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-500, 500), min_size=1, max_size=12))
def test_points_are_every_record_in_date_order(days):
    records = [record(f"f{i}.yaml", d) for i, d in enumerate(days)]
    points = build_progress(list(reversed(records)), ROLES).points
    assert len(points) == len(records)
    assert [p.date for p in points] == sorted(r.date for r in records)
    assert [(p.date, p.file) for p in points] == sorted((p.date, p.file) for p in points)


def test_the_core_refuses_nothing_left_after_the_choice():
    with pytest.raises(SreladderError, match="no assessment of subject 'Sam' among the 1 read"):
        build_progress([record("a.yaml", 0)], ROLES, subject="Sam")


def test_the_subject_shown_is_the_latest_spelling():
    records = [record("a.yaml", 0, "dana"), record("b.yaml", 9, "Dana ")]
    assert build_progress(records, ROLES).subject == "Dana "


def test_created_dates_the_point_before_updated():
    created = START - dt.timedelta(days=30)
    points = build_progress(
        [record("a.yaml", 0, created=created), record("b.yaml", -10)], ROLES
    ).points
    assert [(p.file, p.date_from) for p in points] == [("a.yaml", "created"), ("b.yaml", "updated")]


def test_out_is_written_and_nothing_is_written_on_error(three, tmp_path):
    out = tmp_path / "p.json"
    write(three, "other.yaml", "2026-02-01T10:00:00Z", LEVEL_1, subject="Sam")
    assert progress(str(three), "--format", "json", "--out", str(out)).exit_code == 1
    assert not out.exists()
    assert progress(str(three), "-s", "Sam", "-f", "json", "--out", str(out)).exit_code == 0
    assert json.loads(out.read_text())["subject"] == "Sam"
    assert os.stat(out).st_size > 0
