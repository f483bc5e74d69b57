"""The adaptive question plan (sreladder.core.interview), tested as pure logic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sreladder.core.interview import (
    go_back,
    last_asked,
    next_question,
    parse_date,
    parse_level,
    simulate,
    start_level,
    with_answer,
    with_claim,
)
from sreladder.core.models import Answer, Assessment, parse_rating
from sreladder.core.scoring import score
from sreladder.io.rubric import load_rubric

FIXTURE = Path(__file__).parent / "fixtures" / "assess"


@pytest.fixture(scope="module")
def role():
    return load_rubric(FIXTURE).role("tiny")


def empty(role) -> Assessment:
    return Assessment(sreladder=1, role=role.id, answers={})


def run(role, rate, claim, thorough=False, assessment=None):
    """Drive the plan to the end; ``rate(level, expectation id)`` gives each rating,
    ``claim(dimension id)`` each claim. Returns (assessment, keys asked in order)."""
    assessment = assessment or empty(role)
    asked = []
    while (q := next_question(role, assessment, thorough)) is not None:
        assert q.key not in asked, f"asked {q.key} twice"
        asked.append(q.key)
        if q.kind == "claim":
            assessment = with_claim(assessment, q.dimension.id, claim(q.dimension.id))
        else:
            answer = Answer(rating=rate(q.level, q.expectation.id))
            assessment = with_answer(assessment, q.expectation.id, answer)
        assert len(asked) < 100, "the plan does not end"
    return assessment, asked


@pytest.mark.parametrize("level", ["L1", "L2", "L3", "L4"])
def test_a_person_really_at_a_level_is_recommended_that_level(role, level):
    adaptive, asked = simulate(role, level)
    thorough, asked_all = simulate(role, level, thorough=True)
    assert score(role, adaptive).recommended == level
    assert score(role, thorough).recommended == level
    assert asked < asked_all == len(role.expectation_index)


def test_thorough_asks_every_expectation_in_rubric_order(role):
    _, asked = run(role, lambda lv, e: "not-yet", lambda d: "L4", thorough=True)
    expectations = [k for k in asked if not k.startswith("claim:")]
    assert expectations == [e.id for _, _, e in role.expectations()]
    assert [k for k in asked if k.startswith("claim:")] == [
        "claim:code",
        "claim:ops",
        "claim:design",
    ]


def test_claim_held_goes_up_until_a_cell_is_not_held(role):
    # really at L3 in code, claims L2: asks L2, then L3 (held), then L4 (not held), stops
    index = role.level_ids.index
    assessment, asked = run(
        role,
        lambda lv, e: "consistently" if index(lv) <= index("L3") else "not-yet",
        lambda d: "L2",
    )
    code = [k for k in asked if k.startswith("code-")]
    assert code == ["code-2a", "code-2b", "code-3a", "code-3b", "code-4a"]
    assert score(role, assessment).dimension("code").level == "L3"


def test_claim_not_held_goes_down_until_a_cell_is_held(role):
    # claims L4 but is really at L2: L4 (no), L3 (no), L2 (held) -> stop; L1 never asked
    index = role.level_ids.index
    assessment, asked = run(
        role,
        lambda lv, e: "consistently" if index(lv) <= index("L2") else "not-yet",
        lambda d: "L4",
    )
    code = [k for k in asked if k.startswith("code-")]
    assert code == ["code-4a", "code-3a", "code-3b", "code-2a", "code-2b"]
    assert score(role, assessment).dimension("code").level == "L2"
    # the late dimension (design starts at L3): L4 not held, L3 not held, bottom reached
    assert [k for k in asked if k.startswith("design-")] == ["design-4a", "design-3a", "design-3b"]


def test_partial_credit_follows_the_role_threshold(role):
    # 1 of 2 consistently + 1 partially = 0.75 < 0.8: not held, so the walk goes down
    ratings = {"code-3a": "consistently", "code-3b": "partially"}
    _, asked = run(role, lambda lv, e: ratings.get(e, "consistently"), lambda d: "L3")
    code = [k for k in asked if k.startswith("code-")]
    assert code == ["code-3a", "code-3b", "code-2a", "code-2b"]


def test_answered_and_skipped_expectations_are_never_asked_again(role):
    start = with_claim(empty(role), "code", "L2")
    start = with_answer(start, "code-2a", Answer(rating=None))  # skipped
    start = with_answer(start, "code-3a", Answer(rating="consistently"))  # answered earlier
    _, asked = run(role, lambda lv, e: "consistently", lambda d: "L2", assessment=start)
    assert "code-2a" not in asked and "code-3a" not in asked
    # skipped code-2a earns nothing: L2 is at 0.5, not held, so the walk went down
    assert asked[:2] == ["code-2b", "code-1a"]


def test_claim_without_a_cell_starts_at_the_nearest_cell_below(role):
    design = role.dimension("design")
    ops = role.dimension("ops")
    assert start_level(role, design, "L1") == "L3"  # no cell at or below: first cell
    assert start_level(role, ops, "L4") == "L3"  # stops at L3
    assert start_level(role, ops, "nonsense") == "L1"


def test_progress_fields(role):
    a = with_claim(empty(role), "code", "L1")
    a = with_answer(a, "code-1a", Answer(rating="consistently"))
    q = next_question(role, a)
    assert (q.kind, q.key, q.level, q.dimension_number, q.dimension_count, q.answered) == (
        "rating",
        "code-1b",
        "L1",
        1,
        3,
        1,
    )


def test_back_forgets_the_last_answer_and_the_plan_asks_it_again(role):
    a = empty(role)
    history = []
    for _ in range(5):
        q = next_question(role, a)
        history.append((q.key, a))
        if q.kind == "claim":
            a = with_claim(a, q.dimension.id, "L1")
        else:
            a = with_answer(a, q.expectation.id, Answer(rating="consistently"))
    for key, before in reversed(history):
        a, forgotten, _ = go_back(role, a)
        assert forgotten == key
        assert a == before
        assert next_question(role, a).key == key
    assert go_back(role, a) == (a, None, None)


def test_back_from_a_new_dimension_returns_to_its_claim_then_the_previous_answer(role):
    a = with_claim(empty(role), "code", "L4")
    a = with_answer(a, "code-4a", Answer(rating="consistently"))
    a = with_claim(a, "ops", "L1")
    assert last_asked(role, a) == "claim:ops"
    a, key, old = go_back(role, a)
    assert (key, old) == ("claim:ops", "L1")
    assert last_asked(role, a) == "code-4a"


def test_back_ignores_answers_to_expectations_the_role_no_longer_has(role):
    a = with_claim(empty(role), "code", "L4")
    a = with_answer(a, "code-4a", Answer(rating="consistently"))
    a = with_answer(a, "removed-x", Answer(rating="consistently"))
    a, key, _ = go_back(role, a)
    assert key == "code-4a"
    assert "removed-x" in a.answers


def test_re_answering_moves_the_answer_to_the_end(role):
    a = with_answer(empty(role), "code-1a", Answer(rating="not-yet"))
    a = with_answer(a, "code-1b", Answer(rating="not-yet"))
    a = with_answer(a, "code-1a", Answer(rating="partially"))
    assert list(a.answers) == ["code-1b", "code-1a"]


def test_parsers(role):
    code = role.dimension("code")
    design = role.dimension("design")
    assert [parse_rating(x) for x in ("n", "P", " c ", "partially", "x", "")] == [
        "not-yet",
        "partially",
        "consistently",
        "partially",
        None,
        None,
    ]
    assert parse_level(role, code, "l3") == "L3"
    assert parse_level(role, design, "1") == "L3"  # numbers count the cells shown
    assert parse_level(role, design, "L1") == "L1"  # below its first cell: allowed
    assert parse_level(role, design, "L9") is None
    assert parse_level(role, design, "3") is None
    assert parse_date("2026-10-03") == dt.date(2026, 10, 3)
    for bad in ("2026-13-45", "yesterday", "20261003", "2026-1-3"):
        with pytest.raises(ValueError):
            parse_date(bad)


@pytest.mark.parametrize("role_id", ["sre", "ops-sre", "production-engineer"])
def test_shipped_roles_adaptive_plan_finds_the_level(role_id):
    role = load_rubric().role(role_id)
    for level in role.level_ids:
        assessment, asked = simulate(role, level)
        assert score(role, assessment).recommended == level
        assert asked <= len(role.expectation_index)
