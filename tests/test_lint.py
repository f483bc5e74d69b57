"""`sreladder lint`: the verb heuristic, the rules on odd input, the CLI, the config
(``.sreladder.yaml``, ``pyproject.toml``, acknowledgements, inline comments), and the
built-in ladders it was written for."""

from __future__ import annotations

import json
import statistics
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core.lint import RULES, lint_role, select_rules
from sreladder.core.lint import text as tx
from sreladder.core.models import Role
from sreladder.io.rubric import load_rubric

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run(*args: str, cwd: Path | None = None):
    if cwd is None:
        return runner.invoke(app, list(args), catch_exceptions=False)
    import os

    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


# --- the heuristic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Leads the incident review.",
        "Participate in on-call rotations.",
        "Independently owns reliability outcomes for a set of services.",
        "Can explain common failure points",
        "Is able to deploy without help.",
        "Able to disagree and commit.",
        "I serve as a role model for other engineers.",
        "Mentorship - I actively level up less-experienced members of my team.",
        "Networks with senior professionals.",
        "Upholds standards for on-call through their own behavior.",
        "Containerizes the build.",
    ],
)
def test_behaviours_have_a_verb(text):
    assert tx.has_verb(text)


@pytest.mark.parametrize(
    "text",
    [
        "Incident management.",
        "Advanced monitoring.",
        "Expert in multiple areas.",
        "Strong analytical skills",
        "Monitoring tool usage",
        "Basic understanding of monitoring tools",
        "Bachelor's degree in Computer Science or related field",
        "Competent in 1-2 areas (e.g. networking, containers) and with common procedures.",
        "Expertise in Kubernetes.",
    ],
)
def test_topics_and_traits_have_none(text):
    assert not tx.has_verb(text)


def test_labels_anywhere_in_the_text():
    assert tx.labels("Maintain uptime. Competency: Uptime compliance.") == ["Competency"]
    assert tx.labels("Skill and competency: Leadership.") == ["Skill and competency"]
    assert tx.labels("Reduces the skill gap: pairs weekly.") == []
    assert tx.without_labels("Maintain uptime. Competency: Uptime compliance.") == (
        "Maintain uptime."
    )


def test_coordinated_verbs_agree_with_the_head():
    assert tx.coordinated_verbs("Designs, builds and runs the pipeline") == [
        "Designs",
        "builds",
        "runs",
    ]
    # a list of nouns after the verb is not a list of verbs
    assert tx.coordinated_verbs("Writes scripts in Python, Go and Bash") == ["Writes"]


def test_extra_verbs_extend_the_list():
    assert not tx.has_verb("Terraform the staging account.")
    assert tx.has_verb("Terraform the staging account.", frozenset({"terraform"}))


def role_with(texts: list[str], **expectation) -> Role:
    return Role.model_validate(
        {
            "id": "r",
            "name": "R",
            "ladder": "s",
            "levels": {"P1": {}},
            "dimensions": [
                {
                    "id": "d",
                    "name": "D",
                    "levels": {
                        "P1": {
                            "expectations": [
                                {"id": f"e{i}", "text": t, **expectation}
                                for i, t in enumerate(texts)
                            ]
                        }
                    },
                }
            ],
        }
    )


def codes(role: Role, *only: str) -> list[str]:
    return [f.code for f in lint_role(role, chosen=select_rules(only))]


def test_vague_word_with_something_observable_is_fine():
    assert codes(role_with(["Communicates well with stakeholders."]), "L505") == ["L505"]
    assert codes(role_with(["Communicates well: an update every 30 minutes."]), "L505") == []
    examples = role_with(["Communicates well with stakeholders."], examples=["weekly note"])
    assert codes(examples, "L505") == []
    # "well" inside a compound is not a qualifier
    assert codes(role_with(["Executes well-scoped improvements."]), "L505") == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=300).filter(str.strip), min_size=1, max_size=5))
def test_rules_take_any_text(texts):
    role = role_with(texts)
    for finding in lint_role(role):
        assert finding.code in {r.code for r in RULES}
        assert finding.finding.message


def test_near_identical_check_stays_fast_on_a_large_dimension():
    import time

    texts = [f"Runs service number {i} with care and attention to detail." for i in range(600)]
    role = Role.model_validate(
        {
            "id": "r",
            "name": "R",
            "ladder": "s",
            "levels": {"P1": {}, "P2": {}},
            "dimensions": [
                {
                    "id": "d",
                    "name": "D",
                    "levels": {
                        lv: {
                            "expectations": [
                                {"id": f"{lv}-{i}", "text": t} for i, t in enumerate(texts)
                            ]
                        }
                        for lv in ("P1", "P2")
                    },
                }
            ],
        }
    )
    start = time.perf_counter()
    found = codes(role, "L506")
    assert found  # every P2 line is 100% a P1 line
    assert time.perf_counter() - start < 30


# --- the built-in ladders ----------------------------------------------------------------


def test_builtin_ladders_are_clean_with_their_acknowledgements():
    result = run("lint")
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.stderr and "acknowledged" in result.stderr


def test_builtin_acknowledgements_each_give_a_reason_and_none_hides_balance():
    config = yaml.safe_load((REPO / "data" / ".sreladder.yaml").read_text(encoding="utf-8"))
    entries = config["lint"]["acknowledge"]
    assert entries and all(e["reason"].strip() and e.get("ids") for e in entries)
    sre = [e for e in entries if e["path"] == "roles/sre.yaml"]
    assert not any(c in ("L501", "L508") for e in sre for c in e["codes"])


def test_no_sre_level_adds_more_than_twice_the_median():
    role = load_rubric().role("sre")
    added = {lv: 0 for lv in role.level_ids}
    for _, level, _ in role.expectations():
        added[level] += 1
    assert max(added.values()) <= 2 * statistics.median(added.values()), added


def test_without_the_acknowledgements_only_seed_forced_rules_remain(tmp_path):
    data = tmp_path / "data"
    import shutil

    shutil.copytree(REPO / "data", data)
    (data / ".sreladder.yaml").unlink()
    result = run("lint", str(data / "roles" / "sre.yaml"), "--format", "json")
    assert result.exit_code == 1
    found = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert found <= {"L502", "L503", "L504", "L505"}  # seed 000/002 wording only


# --- the CLI -----------------------------------------------------------------------------


def write_role(folder: Path, body: str, name: str = "r.yaml") -> Path:
    roles = folder / "roles"
    roles.mkdir(parents=True, exist_ok=True)
    path = roles / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


ROLE = """\
    id: r
    name: R
    ladder: professional
    levels: {P1: {}, P2: {}}
    dimensions:
      - id: ops
        name: Ops
        levels:
          P1:
            expectations:
              - id: ops-1
                text: "Skill: Incident management."
              - id: ops-2
                text: Communicates well with the team.
          P2:
            expectations:
              - id: ops-3
                text: Leads the weekly incident review for the team.
      - id: docs
        name: Docs
        levels:
          P1:
            expectations:
              - id: docs-1
                text: Writes the runbook for every alert they add.
          P2:
            expectations:
              - id: docs-2
                text: Reviews the team's runbooks every quarter.
      - id: review
        name: Review
        levels:
          P1:
            expectations:
              - {id: rev-1, text: Reviews one change a day for the team.}
          P2:
            expectations:
              - {id: rev-2, text: Approves changes to the deploy pipeline.}
    """


def test_findings_are_located_and_exit_1(tmp_path):
    path = write_role(tmp_path, ROLE)
    result = run("lint", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "r.yaml:12:19: L501 'ops-1' is a label (Skill:), not a behaviour someone can be "
        "rated on; move it to the level's profile or rewrite it as what the person does"
    )
    assert lines[1].endswith(
        "r.yaml:14:19: L505 'ops-2' says 'well' with nothing observable: "
        "add a number, a frequency or examples of what counts"
    )
    assert "linted 1 role(s): 2 finding(s)" in result.stderr


def test_json_and_github_formats(tmp_path):
    path = write_role(tmp_path, ROLE)
    data = json.loads(run("lint", str(path), "--format", "json").stdout)
    assert data["status"] == "fail" and data["checked"] == 1
    assert [(f["code"], f["line"], f["severity"]) for f in data["findings"]] == [
        ("L501", 12, "error"),
        ("L505", 14, "warning"),
    ]
    github = run("lint", str(path), "--format", "github").stdout
    assert github.startswith("::error file=")
    assert "title=L501" in github and "::warning " in github


def test_select_and_ignore(tmp_path):
    path = write_role(tmp_path, ROLE)
    only = run("lint", str(path), "--select", "L505", "--format", "json")
    assert [f["code"] for f in json.loads(only.stdout)["findings"]] == ["L505"]
    clean = run("lint", str(path), "--ignore", "l501,L505")
    assert clean.exit_code == 0 and clean.stdout == ""
    unknown = run("lint", str(path), "--select", "L999")
    assert unknown.exit_code == 2
    assert "unknown rule code(s) L999" in unknown.stderr


def test_lint_never_changes_validate(tmp_path):
    path = write_role(tmp_path, ROLE)
    assert run("lint", str(path)).exit_code == 1
    result = run("validate", "--strict", str(path))
    assert result.exit_code == 0, result.output


def test_a_role_that_does_not_load_is_reported_once(tmp_path):
    path = write_role(tmp_path, "id: r\nname: [unclosed\n")
    result = run("lint", str(path))
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1 and ": E004 " in result.stdout
    assert "Traceback" not in result.output


def test_nothing_to_lint_is_an_error(tmp_path):
    result = run("lint", str(tmp_path))
    assert result.exit_code == 1 and "E001 no role rubric here" in result.stdout
    scale = REPO / "data" / "levels" / "ops.yaml"
    assert "E001 no role rubric here" in run("lint", str(scale)).stdout
    missing = run("lint", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1 and missing.stdout.count("E001") == 1


def test_hostile_text_is_printed_on_one_line(tmp_path):
    path = write_role(
        tmp_path,
        ROLE.replace("Skill: Incident management.", "Skill: \\x1b[31m[bold]red[/] \\u2028x"),
    )
    result = run("lint", str(path))
    assert "\x1b" not in result.stdout and "\u2028" not in result.stdout
    assert all(line.count(": L5") == 1 for line in result.stdout.splitlines())


# --- configuration -------------------------------------------------------------------------


def test_sreladder_yaml_sets_thresholds_and_acknowledges(tmp_path):
    path = write_role(tmp_path, ROLE)
    (tmp_path / ".sreladder.yaml").write_text(
        "lint:\n"
        "  min-words: 8\n"
        "  acknowledge:\n"
        "    - path: roles/*.yaml\n"
        "      codes: [L501]\n"
        "      ids: [ops-1]\n"
        "      reason: the source lists it this way\n",
        encoding="utf-8",
    )
    result = run("lint", str(path), "--format", "json")
    found = [(f["code"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    # L501 acknowledged; with min-words 8, short lines are now too short (L504)
    assert ("L501", 12) not in found
    assert ("L504", 12) in found and ("L504", 14) in found
    assert "acknowledged" in result.stderr


def test_pyproject_table_and_nearest_config_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.sreladder.lint]\nignore = ["L505"]\n', encoding="utf-8"
    )
    path = write_role(tmp_path / "ladder", ROLE)
    result = run("lint", str(path), "--format", "json")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["L501"]
    (tmp_path / "ladder" / ".sreladder.yaml").write_text("lint:\n  ignore: [L501]\n")
    result = run("lint", str(path), "--format", "json")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["L505"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("lint:\n  acknowledge:\n    - codes: [L501]\n", "reason"),
        ("lint:\n  similarity: 2\n", "similarity"),
        ("lint:\n  select: [L777]\n", "unknown rule code(s) L777"),
        ("lint:\n  colour: red\n", "colour"),
        ("lint: [1, 2]\n", "`lint` must be a mapping"),
        ("lint:\n  a: [unclosed\n", ".sreladder.yaml:"),
    ],
)
def test_a_bad_config_is_one_clear_line(tmp_path, config, message):
    path = write_role(tmp_path, ROLE)
    (tmp_path / ".sreladder.yaml").write_text(config, encoding="utf-8")
    result = run("lint", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("sreladder: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_inline_ignore_on_the_line_or_the_line_above(tmp_path):
    body = ROLE.replace(
        "              - id: ops-1\n",
        "              # sreladder: ignore[L501]\n              - id: ops-1\n",
    ).replace(
        "text: Communicates well with the team.",
        "text: Communicates well with the team.  # sreladder: ignore",
    )
    path = write_role(tmp_path, body)
    result = run("lint", str(path))
    assert result.exit_code == 0, result.output
    assert "2 acknowledged" in result.stderr
    # a comment for another rule ignores nothing
    path.write_text(body.replace("ignore[L501]", "ignore[L503]"), encoding="utf-8")
    assert "L501" in run("lint", str(path)).stdout


# --- validate --ignore -------------------------------------------------------------------


def test_validate_ignore_lets_strict_pass_on_a_known_warning():
    strict = run("validate", "--strict")
    assert strict.exit_code == 1 and "W401" in strict.stdout
    acknowledged = run("validate", "--strict", "--ignore", "W401")
    assert acknowledged.exit_code == 0, acknowledged.output
    assert "ignored" in acknowledged.stderr
    assert run("validate", "--ignore", "W999").exit_code == 2


# --- ids are a contract: old assessments ----------------------------------------------------

OLD = REPO / "tests" / "fixtures" / "packet" / "dana-self.yaml"


def changelog_ids() -> set[str]:
    history = (REPO / "docs" / "ladders.md").read_text(encoding="utf-8")
    section = history.split("### Removed expectation ids", 1)[1].split("\n## ", 1)[0]
    import re

    return set(re.findall(r"`([a-z]+-p\d-[a-z])`", section))


def test_removed_ids_are_listed_and_gone():
    role = load_rubric().role("sre")
    removed = changelog_ids()
    assert removed and not removed & set(role.expectation_index)
    answered = set(yaml.safe_load(OLD.read_text(encoding="utf-8"))["answers"])
    assert answered - set(role.expectation_index) <= removed


def test_an_old_assessment_still_loads_and_scores():
    checked = run("validate", str(OLD))
    assert checked.exit_code == 0
    assert "W403 role 'sre' has no expectation 'ir-p1-c'" in checked.stdout
    scored = json.loads(run("score", str(OLD), "--format", "json").stdout)
    assert "ir-p1-c" in scored["unknown_answers"]
    assert scored["recommended"] is not None


# --- the profile in show and diff -----------------------------------------------------------


def test_diff_and_show_list_the_profile_not_as_expectations():
    diff = run("diff", "sre", "P4", "P5")
    assert "Profile at P5" in diff.stdout and "Advanced monitoring" in diff.stdout
    assert "Profile" not in run("diff", "sre", "P2", "P3").stdout
    data = json.loads(run("diff", "sre", "P4", "P5", "--format", "json").stdout)
    assert data["profiles"][0]["level"] == "P5"
    assert "Proven leadership skills" in data["profiles"][0]["qualifications"]
    md = run("show", "sre", "--level", "P1", "--format", "md").stdout
    assert "### Profile at P1" in md and "Basic scripting" in md
    level = json.loads(run("show", "sre", "--level", "P1", "--format", "json").stdout)
    assert level["profile"]["source"] == "000_a8e650f416a218b3.txt"


def test_profile_text_is_escaped_for_terminal_and_markdown(tmp_path):
    data = tmp_path / "data"
    (data / "levels").mkdir(parents=True)
    (data / "levels" / "s.yaml").write_text("id: s\nname: S\nlevels: [{id: P1}, {id: P2}]\n")
    write_role(
        data,
        """\
        id: r
        name: R
        ladder: s
        levels:
          P1: {}
          P2:
            profile:
              skills: ["[bold]loud[/] \\x1b[31mred", "a | b *c*"]
              source: "<script>x</script>"
        dimensions:
          - id: d
            name: D
            levels:
              P1: {expectations: [{id: d-1, text: Responds to alerts.}]}
              P2: {expectations: [{id: d-2, text: Leads incidents.}]}
        """,
    )
    view = run("diff", "r", "P1", "P2", "--data", str(data)).stdout
    assert "[bold]loud[/]" in view and "\x1b" not in view and "\\x1b" in view
    md = run("diff", "r", "P1", "P2", "--data", str(data), "--format", "md").stdout
    assert "a \\| b \\*c\\*" in md and "<script>" not in md


def test_the_builtin_ladders_lint_clean():
    """Their acknowledgements (data/.sreladder.yaml) cover every finding; docs/ladders.md
    shows the counts with and without them (benchmarks/docs_figures.py)."""
    from sreladder.io.lint import lint_paths

    assert [d.code for d in lint_paths([REPO / "data"]).diagnostics] == []


def test_pre_commit_hook_lints_changed_roles():
    import re

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sreladder-lint")
    assert hook["entry"] == "sreladder lint" and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("data/roles/sre.yaml") and files.search("roles/x.yml")
    assert not files.search("data/levels/ops.yaml") and not files.search("data/.sreladder.yaml")
    assert run("lint", "data/roles/sre.yaml", cwd=REPO).exit_code == 0


LEAK = """\
    id: r
    name: R
    ladder: professional
    levels: {P1: {}}
    dimensions:
      - id: talk
        name: Talk
        levels:
          P1:
            expectations:
              - id: c0
                text: Communicates effectively with the team as needed.  # sreladder: ignore[L505]
              - id: c1
                text: Communicates effectively with customers as needed.
              - {id: c2, text: Writes effectively for all as needed.}  # sreladder: ignore[L505]
              - {id: c3, text: Writes effectively for customers as needed.}
              - {id: c4, text: "Presents effectively to the org # sreladder: ignore"}
              - id: c5
                text: >
                  Reviews designs effectively as needed
                  # sreladder: ignore
    """


def test_an_inline_ignore_covers_its_own_expectation_only(tmp_path):
    """A comment ending an expectation's line once silenced the next expectation too,
    and the marker inside quoted or folded text counted as a comment."""
    path = write_role(tmp_path, LEAK)
    result = run("lint", str(path), "--select", "L505", "--format", "json")
    found = json.loads(result.stdout)
    flagged = (
        sorted(d["message"].split("'")[1] for d in found["findings"] if d["code"] == "L505")
        if "findings" in found
        else found
    )
    assert flagged == ["c1", "c3", "c4", "c5"], result.stdout


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("lint: {max-words: true}\n", "max-words"),
        ('lint: {similarity: "0.8"}\n', "similarity"),
        ("lint: {min-words: 50, max-words: 3}\n", "min-words (50) is above max-words (3)"),
    ],
)
def test_config_values_are_strict(tmp_path, config, message):
    write_role(tmp_path, ROLE)
    (tmp_path / ".sreladder.yaml").write_text(config)
    result = run("lint", str(tmp_path / "roles" / "r.yaml"))
    assert result.exit_code == 1 and message in result.stderr


@pytest.mark.parametrize("written", [True, False])
def test_a_heavy_dimension_is_reported_at_its_weight_where_one_is_written(tmp_path, written):
    body = ROLE.replace("        name: Docs\n", "        name: Docs\n        weight: 0.1\n")
    body = body.replace("        name: Review\n", "        name: Review\n        weight: 0.1\n")
    if written:
        body = body.replace("        name: Ops\n", "        name: Ops\n        weight: 1\n")
    path = write_role(tmp_path, body)
    found = json.loads(run("lint", str(path), "--format", "json").stdout)["findings"]
    heavy = [f for f in found if f["code"] == "L509"]
    assert [(f["line"], f["col"]) for f in heavy] == ([(8, 13)] if written else [(6, 5)])


def test_a_heavy_dimension_can_be_acknowledged_on_its_id_line(tmp_path):
    body = ROLE.replace(
        "      - id: ops\n        name: Ops\n",
        "      - name: Ops\n        id: ops  # sreladder: ignore[L509]\n",
    )
    body = body.replace("        name: Docs\n", "        name: Docs\n        weight: 0.1\n")
    body = body.replace("        name: Review\n", "        name: Review\n        weight: 0.1\n")
    assert "ignore[L509]" in body and body.count("weight: 0.1") == 2
    path = write_role(tmp_path, body)
    found = json.loads(run("lint", str(path), "--format", "json").stdout)["findings"]
    assert "L509" not in {f["code"] for f in found}
    unacknowledged = write_role(tmp_path / "b", body.replace("  # sreladder: ignore[L509]", ""))
    found = json.loads(run("lint", str(unacknowledged), "--format", "json").stdout)["findings"]
    assert "L509" in {f["code"] for f in found}
