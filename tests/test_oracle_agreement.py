"""`sreladder score --format json` agrees with an independent implementation of its rules
(docs/scoring.md).

The oracle (tests/oracle_scoring.py) reads the role file with ``yaml.safe_load`` and
knows nothing of ``sreladder.core.scoring``. For every shipped role and every converted
public ladder under tests/fixtures/ladders/, hypothesis writes random assessment files
and the real CLI scores them; the parsed JSON must equal the oracle's object, floats
after the product's documented rounding (4 decimals), key order included.

Then one hand-computed assessment per fixture shape, so a reader sees concrete numbers.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle_scoring import oracle_score
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.io.rubric import builtin_data_dir

LADDERS = Path(__file__).parent / "fixtures" / "ladders"
COMPANIES = ["gitlab", "dropbox", "medium"]
ROLES = [
    (None, "sre"),
    (None, "ops-sre"),
    (None, "production-engineer"),
    ("gitlab", "sre-ic"),
    ("gitlab", "sre-manager"),
    ("dropbox", "reliability-engineer"),
    ("medium", "platform-engineer"),
]
EXAMPLES_PER_ROLE = 40
ABSENT = "absent"  # strategy marker: the expectation is not in the file at all

runner = CliRunner()


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # the strict loader refuses anchors and aliases


def dump(assessment: dict) -> str:
    return yaml.dump(assessment, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)


def data_dir(company: str | None) -> Path:
    return builtin_data_dir() if company is None else LADDERS / company


@cache
def role_data(company: str | None, role_id: str) -> dict:
    path = data_dir(company) / "roles" / f"{role_id}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def expectation_positions(role: dict) -> list[tuple[str, int]]:
    """(expectation id, role level position of its cell), read from the raw role."""
    pos = {lv: i for i, lv in enumerate(role["levels"])}
    return [
        (e["id"], pos[lv])
        for d in role["dimensions"]
        for lv, cell in d["levels"].items()
        for e in cell["expectations"]
    ]


def run_score(path: Path, company: str | None, target: str | None = None):
    args = ["score", str(path), "--format", "json"]
    if company is not None:
        args += ["--data", str(LADDERS / company)]
    if target is not None:
        args += ["--target", target]
    return runner.invoke(app, args)


def rounded(result: dict) -> dict:
    """The oracle's object with the product's JSON rounding: coverage and
    evidence_coverage to 4 decimals (gap credits are exact: 0, 0.5 or 1)."""
    out = dict(result)
    out["dimensions"] = [
        {**d, "coverage": {lv: round(c, 4) for lv, c in d["coverage"].items()}}
        for d in result["dimensions"]
    ]
    if out["evidence_coverage"] is not None:
        out["evidence_coverage"] = round(out["evidence_coverage"], 4)
    return out


def assert_agrees(path: Path, company: str | None, assessment: dict, target: str | None):
    result = run_score(path, company, target)
    assert result.exit_code == 0, result.output
    product = json.loads(result.stdout)
    expected = rounded(oracle_score(role_data(company, assessment["role"]), assessment, target))
    assert product == expected
    assert json.dumps(product) == json.dumps(expected)  # same key and list order too
    return product


# --- random assessments -----------------------------------------------------------

EVIDENCE = [{"text": "Linked postmortem", "link": "https://example.invalid/pm/1"}]
UNKNOWN_IDS = st.from_regex(r"\Azz-[a-z0-9]{1,8}\Z")  # no role has an id starting "zz-"
RATINGS = ["not-yet", "partially", "consistently"]
# Below the drawn "true level" answers lean to consistently; above it, to unanswered.
HELD = st.sampled_from(["consistently"] * 6 + ["partially", "not-yet", None, ABSENT])
NOT_HELD = st.sampled_from([ABSENT] * 3 + [*RATINGS, None])
ANY = st.sampled_from([*RATINGS, None, ABSENT])


def answer(rating: str | None, evidence: bool, omit_null: bool = False) -> dict:
    out: dict = {} if rating is None and omit_null else {"rating": rating}
    if evidence:
        out["evidence"] = EVIDENCE
    return out


@st.composite
def assessments(draw, role: dict) -> tuple[dict, str | None]:
    levels = list(role["levels"])
    true_level = draw(st.integers(-1, len(levels) - 1))
    uniform = draw(st.booleans())
    evidence_rate = draw(st.sampled_from([0, 1, 3]))  # of 4: rare, common, usual
    answers = {}
    for eid, pos in expectation_positions(role):
        rating = draw(ANY if uniform else HELD if pos <= true_level else NOT_HELD)
        if rating != ABSENT:
            evidence = draw(st.integers(0, 3)) < evidence_rate
            answers[eid] = answer(rating, evidence, omit_null=draw(st.booleans()))
    for eid in draw(st.lists(UNKNOWN_IDS, max_size=3, unique=True)):
        answers[eid] = answer(draw(st.sampled_from([*RATINGS, None])), draw(st.booleans()))
    assessment = {"sreladder": 1, "role": role["id"], "answers": answers}
    file_target = draw(st.none() | st.sampled_from(levels))
    if file_target is not None:
        assessment["target"] = file_target
    cli_target = draw(st.none() | st.sampled_from(levels))
    return assessment, cli_target


@pytest.mark.parametrize(
    ("company", "role_id"), ROLES, ids=[f"{c or 'builtin'}-{r}" for c, r in ROLES]
)
@settings(
    max_examples=EXAMPLES_PER_ROLE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_cli_score_agrees_with_oracle(company, role_id, data, tmp_path_factory):
    role = role_data(company, role_id)
    assessment, target = data.draw(assessments(role), label="assessment, --target")
    path = tmp_path_factory.getbasetemp() / f"agree-{company}-{role_id}.yaml"
    path.write_text(dump(assessment), encoding="utf-8")
    assert_agrees(path, company, assessment, target)


# --- random role shapes, in process ----------------------------------------------
# The CLI runs above are limited to real rubrics. Here hypothesis also invents the role
# (cells at any subset of levels, written in any order; uneven and fractional weights;
# any scoring block) and compares sreladder.core.scoring.score with the oracle directly.

WEIGHTS = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 0.7, 1, 1.5, 2, 3])
SHARES = st.sampled_from([0.1, 0.3, 0.5, 0.6, 2 / 3, 0.7, 0.75, 0.8, 0.9, 1.0])


@st.composite
def random_roles(draw) -> dict:
    levels = [f"L{i}" for i in range(1, draw(st.integers(1, 5)) + 1)]
    dimensions, k = [], 0
    for d in range(draw(st.integers(1, 4))):
        cells = {}
        for lv in draw(st.lists(st.sampled_from(levels), min_size=1, unique=True)):
            expectations = []
            for _ in range(draw(st.integers(1, 3))):
                k += 1
                e = {"id": f"e{k}", "text": f"expectation {k}"}
                if (w := draw(st.none() | WEIGHTS)) is not None:
                    e["weight"] = w
                expectations.append(e)
            cells[lv] = {"expectations": expectations}
        dimension = {"id": f"d{d}", "name": f"D{d}", "levels": cells}
        if (w := draw(st.none() | WEIGHTS)) is not None:
            dimension["weight"] = w
        dimensions.append(dimension)
    scoring = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "threshold": SHARES,
                "quorum": SHARES,
                "max_lag": st.integers(0, 3),
                "require_evidence": st.booleans(),
            },
        )
    )
    return {
        "id": "r",
        "name": "Random role",
        "ladder": "s",
        "levels": {lv: {} for lv in levels},
        "scoring": scoring,
        "dimensions": dimensions,
    }


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_scoring_agrees_with_oracle_on_random_roles(data):
    from sreladder.core.models import Assessment, Role
    from sreladder.core.scoring import score

    role = data.draw(random_roles(), label="role")
    answers = {}
    for eid, _ in expectation_positions(role):
        rating = data.draw(ANY)
        if rating != ABSENT:
            answers[eid] = answer(rating, data.draw(st.booleans()), data.draw(st.booleans()))
    assessment = {"sreladder": 1, "role": "r", "answers": answers}
    levels = list(role["levels"])
    if (file_target := data.draw(st.none() | st.sampled_from(levels))) is not None:
        assessment["target"] = file_target
    target = data.draw(st.none() | st.sampled_from(levels), label="target")

    product = score(Role.model_validate(role), Assessment.model_validate(assessment), target)
    expected = rounded(oracle_score(role, assessment, target))
    assert json.dumps(product.to_json()) == json.dumps(expected)


# --- the converted ladders are valid rubrics --------------------------------------


@pytest.mark.parametrize("company", COMPANIES)
def test_fixture_ladder_validates(company):
    result = runner.invoke(app, ["validate", str(LADDERS / company)])
    assert result.exit_code == 0, result.output
    assert " 0 error(s)" in result.stderr
    # Only the Dropbox ladder has gaps between cells, which validate flags (W402) on purpose.
    strict = runner.invoke(app, ["validate", "--strict", str(LADDERS / company)])
    warnings = [line for line in strict.stdout.splitlines() if " W" in line]
    if company == "dropbox":
        assert strict.exit_code == 1
        assert len(warnings) == 3 and all(" W402 " in w for w in warnings)
    else:
        assert strict.exit_code == 0, strict.output


def test_every_fixture_ladder_is_listed_in_the_readme():
    readme = (LADDERS / "README.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in LADDERS.iterdir() if p.is_dir())
    assert folders == sorted(COMPANIES)
    for company in COMPANIES:
        assert f"`{company}/`" in readme


# --- hand-computed examples, one per shape ----------------------------------------


def write(tmp_path: Path, assessment: dict) -> Path:
    path = tmp_path / "a.yaml"
    path.write_text(dump(assessment), encoding="utf-8")
    return path


def levels_of(result: dict) -> dict:
    return {d["id"]: d["level"] for d in result["dimensions"]}


def gap_ids(result: dict) -> list[tuple[str, float]]:
    return [(g["expectation"], g["credit"]) for g in result["gaps"]]


def test_manager_track_recommends_m4_counting_lag_in_role_levels(tmp_path):
    """GitLab sre-manager (L1 L2 L3 M4 M5 of the scale L1 L2 L3 IC4 IC5 M4 M5).

    accountability: every cell met, last cell L3 -> holds up to M5 (weight 1)
    delivery: L2, L3, M4 met, M5 unanswered -> M4 (1)
    team-building: starts at M4, 4/4 there, M5 unanswered -> M4 (2)
    coordination: L3 met, M4 (1 + 0.5) / 2 = 0.75 < 0.8 -> L3 (1)
    share at M4 = (1 + 1 + 2) / 5 = 0.8 >= 0.75, and the lowest dimension (L3) is one
    *role* level below M4, within max_lag 1 -> recommended M4. (In scale positions L3 is
    three below M4, with IC4 and IC5 in between: that reading would give L3.)
    Target M5; gaps heaviest first: team-building's M5 cell, then delivery's, then
    coordination's unmet M4 expectation.
    """
    c = "consistently"
    answers = {
        eid: {"rating": c}
        for eid in [
            "acc-l1-a",
            "acc-l2-a",
            "acc-l3-a",
            "del-l2-a",
            "del-l3-a",
            "del-m4-a",
            "del-m4-b",
            "team-m4-c",
            "coord-l3-a",
            "coord-m4-a",
        ]
    }
    answers["team-m4-a"] = {"rating": c, "evidence": EVIDENCE}
    answers["team-m4-b"] = {"rating": c, "evidence": EVIDENCE}
    answers["coord-m4-b"] = {"rating": "partially"}
    answers["team-m5-b"] = {}  # seen, skipped: earns nothing
    assessment = {"sreladder": 1, "role": "sre-manager", "answers": answers}
    result = assert_agrees(write(tmp_path, assessment), "gitlab", assessment, None)

    assert levels_of(result) == {
        "accountability": "M5",
        "delivery": "M4",
        "team-building": "M4",
        "coordination": "L3",
    }
    assert result["recommended"] == "M4"
    assert result["target"] == "M5"
    assert gap_ids(result) == [
        ("team-m5-a", 0.0),
        ("team-m5-b", 0.0),
        ("team-m5-c", 0.0),
        ("del-m5-a", 0.0),
        ("coord-m4-b", 0.5),
    ]
    assert result["dimensions"][3]["coverage"] == {"L3": 1.0, "M4": 0.75}
    # earned 12.5 (3 + 4 + 3 + 2.5); 2 of it on the two answers with evidence
    assert result["evidence_coverage"] == 0.16
    assert "team-m4-a" not in result["unsupported"]
    assert "team-m5-b" not in result["unsupported"]
    assert len(result["unsupported"]) == 11

    # The same answers, --target M4: only coordination is below it.
    result = assert_agrees(write(tmp_path, assessment), "gitlab", assessment, "M4")
    assert gap_ids(result) == [("coord-m4-b", 0.5)]


def test_ic_track_role_refuses_a_manager_level_target(tmp_path):
    """M4 is in the scale but not in sre-ic: a target there is an error, not a guess."""
    assessment = {"sreladder": 1, "role": "sre-ic", "answers": {}}
    path = write(tmp_path, assessment)
    result = run_score(path, "gitlab", "M4")
    assert result.exit_code == 1
    assert "M4" in result.output and "Traceback" not in result.output
    assessment["target"] = "M4"
    result = run_score(write(tmp_path, assessment), "gitlab")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_late_start_early_stop_and_gapped_dimensions(tmp_path):
    """Dropbox reliability-engineer (IC1..IC5, default scoring; weights scope 2,
    technical-strategy 1.5, others 1; total 7.5).

    scope (cells IC1, IC3, IC5): IC1 1.0, IC3 (1 + 0.5) / 2 = 0.75 -> IC2 (held via IC1)
    craft (stops at IC2): both met -> holds up to IC5
    mentorship (IC2, IC3, IC5): IC2 met, IC3 not-yet, IC5 met -> IC5, an inconsistency
    project-leadership (starts IC3), nothing answered -> IC2 (not yet expected below IC3)
    technical-strategy (starts IC4), nothing answered -> IC3
    impact: IC1..IC3 met -> IC3
    share at IC3 = (1 + 1 + 1.5 + 1) / 7.5 = 0.6 < 0.75 -> recommended IC2, target IC3.
    Gaps (heaviest first): scope-ic3-b at 0.5, then proj-ic3-a at 0.
    """
    c, ev = "consistently", {"evidence": EVIDENCE}
    answers = {
        "scope-ic1-a": {"rating": c, **ev},
        "scope-ic3-a": {"rating": c, **ev},
        "scope-ic3-b": {"rating": "partially", **ev},
        "craft-ic1-a": {"rating": c},
        "craft-ic2-a": {"rating": c},
        "ment-ic2-a": {"rating": c},
        "ment-ic3-a": {"rating": "not-yet"},
        "ment-ic5-a": {"rating": c},
        **{e: {"rating": c} for e in ["imp-ic1-a", "imp-ic1-b", "imp-ic2-a", "imp-ic2-b"]},
        "imp-ic3-a": {"rating": c},
        "zz-retired": {"rating": c},
    }
    assessment = {"sreladder": 1, "role": "reliability-engineer", "answers": answers}
    result = assert_agrees(write(tmp_path, assessment), "dropbox", assessment, None)

    assert levels_of(result) == {
        "scope": "IC2",
        "craft": "IC5",
        "mentorship": "IC5",
        "project-leadership": "IC2",
        "technical-strategy": "IC3",
        "impact": "IC3",
    }
    assert result["dimensions"][0]["coverage"] == {"IC1": 1.0, "IC3": 0.75, "IC5": 0.0}
    assert result["recommended"] == "IC2"
    assert result["target"] == "IC3"
    assert gap_ids(result) == [("scope-ic3-b", 0.5), ("proj-ic3-a", 0.0)]
    assert result["inconsistencies"] == [
        {"dimension": "mentorship", "level": "IC5", "unmet": ["IC3"]}
    ]
    assert result["evidence_coverage"] == round(2.5 / 11.5, 4)  # 0.2174
    assert result["unknown_answers"] == ["zz-retired"]
    assert result["unsupported"][:2] == ["craft-ic1-a", "craft-ic2-a"]


def test_non_default_scoring_and_uneven_weights(tmp_path):
    """Medium Snowflake platform-engineer: threshold 0.6, quorum 0.6, max_lag 2,
    require_evidence; dimension weights 3, 2, 1.5, 1, 0.5 (total 8).

    platform: MS1 (2*1 + 1*0) / 3 = 0.6667 (plat-1-b has no evidence: earns 0),
      MS2 2.5/3, MS3 2/3 held at 0.6, MS4 1/3 -> MS3
    craft: MS1 3/3.5, MS2 0.5/1.5 (craft-2-a lacks evidence) unmet, MS3 3/4 held -> MS3,
      an inconsistency; its unmet MS2 cell is below its level, so it is not a gap
    project-management -> MS2; communication -> MS1; initiative (starts MS2) -> MS1
    share at MS3 = (3 + 2) / 8 = 0.625 >= 0.6 and MS1 is within max_lag 2 of MS3
    -> recommended MS3 (with the defaults it would be MS2).
    """
    c, p, ev = "consistently", "partially", EVIDENCE
    answers = {
        "plat-1-a": {"rating": c, "evidence": ev},
        "plat-1-b": {"rating": c},
        "plat-2-a": {"rating": c, "evidence": ev},
        "plat-2-b": {"rating": p, "evidence": ev},
        "plat-3-a": {"rating": p, "evidence": ev},
        "plat-3-b": {"rating": c, "evidence": ev},
        "plat-4-a": {"rating": "not-yet", "evidence": ev},
        "plat-4-b": {"rating": c, "evidence": ev},
        "craft-1-a": {"rating": c, "evidence": ev},
        "craft-2-a": {"rating": c},
        "craft-2-b": {"rating": c, "evidence": ev},
        "craft-3-a": {"rating": c, "evidence": ev},
        "pm-1-a": {"rating": c, "evidence": ev},
        "pm-2-a": {"rating": p, "evidence": ev},
        "pm-2-b": {"rating": c, "evidence": ev},
        "comm-1-a": {"rating": c, "evidence": ev},
        "comm-2-a": {"rating": None},
    }
    assessment = {"sreladder": 1, "role": "platform-engineer", "answers": answers}
    result = assert_agrees(write(tmp_path, assessment), "medium", assessment, None)

    assert result["dimensions"][0]["coverage"] == {
        "MS1": 0.6667,
        "MS2": 0.8333,
        "MS3": 0.6667,
        "MS4": 0.3333,
        "MS5": 0.0,
    }
    assert levels_of(result) == {
        "platform": "MS3",
        "craft": "MS3",
        "project-management": "MS2",
        "communication": "MS1",
        "initiative": "MS1",
    }
    assert result["recommended"] == "MS3"
    assert result["target"] == "MS4"
    assert result["inconsistencies"] == [{"dimension": "craft", "level": "MS3", "unmet": ["MS2"]}]
    assert gap_ids(result) == [
        ("plat-4-a", 0.0),
        ("craft-4-a", 0.0),
        ("pm-3-a", 0.0),
        ("pm-4-a", 0.0),
        ("comm-2-a", 0.0),
        ("comm-3-a", 0.0),
        ("comm-3-b", 0.0),
        ("init-2-a", 0.0),
        ("init-3-a", 0.0),
        ("init-4-a", 0.0),
    ]
    assert result["unsupported"] == ["plat-1-b", "craft-2-a"]
    assert result["evidence_coverage"] == 1.0  # under require_evidence all credit has it
