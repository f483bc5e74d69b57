"""Each rule of "Scoring (exact)" pinned on a small hand-computed role, then the
properties that must hold for any role and assessment."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sreladder.core.models import RATINGS, Assessment, Role
from sreladder.core.scoring import carried_over, credit, score

LEVELS = ["L1", "L2", "L3", "L4"]


def make_role(dimensions: list[dict], **scoring) -> Role:
    return Role.model_validate(
        {
            "id": "r",
            "name": "Role",
            "ladder": "s",
            "levels": {lv: {} for lv in LEVELS},
            "scoring": scoring,
            "dimensions": dimensions,
        }
    )


def dim(dim_id: str, cells: dict[str, list], weight: float = 1) -> dict:
    """cells: level -> list of expectation weights (ids are <dim>-<level>-<n>)."""
    return {
        "id": dim_id,
        "name": dim_id.upper(),
        "weight": weight,
        "levels": {
            lv: {
                "expectations": [
                    {"id": f"{dim_id}-{lv}-{n}".lower(), "text": f"{dim_id} {lv} {n}", "weight": w}
                    for n, w in enumerate(weights)
                ]
            }
            for lv, weights in cells.items()
        },
    }


def assess(
    ratings: dict[str, str | None], evidence: set[str] = frozenset(), target=None
) -> Assessment:
    answers = {
        eid: {"rating": r, "evidence": [{"text": "proof"}] if eid in evidence else []}
        for eid, r in ratings.items()
    }
    return Assessment.model_validate(
        {"sreladder": 1, "role": "r", "answers": answers, "target": target}
    )


def all_at(role: Role, rating: str, up_to: str) -> dict[str, str]:
    top = role.level_index(up_to)
    return {e.id: rating for _, lv, e in role.expectations() if role.level_index(lv) <= top}


# --- credit and coverage -----------------------------------------------------------


def test_credit_values_and_require_evidence():
    a = assess({"x": "partially", "y": "consistently", "z": "not-yet", "s": None}, evidence={"y"})
    assert [credit(a.answers[k], False) for k in "xyzs"] == [0.5, 1.0, 0.0, 0.0]
    assert [credit(a.answers[k], True) for k in "xyzs"] == [0.0, 1.0, 0.0, 0.0]
    assert credit(None, False) == 0.0


def test_coverage_is_weighted_share_of_credit():
    role = make_role([dim("a", {"L1": [3, 1]})])
    result = score(role, assess({"a-l1-0": "partially", "a-l1-1": "consistently"}))
    # (3 * 0.5 + 1 * 1) / 4 = 0.625
    assert result.dimensions[0].coverage == {"L1": pytest.approx(0.625)}
    assert result.dimensions[0].level is None  # below the 0.8 threshold


def test_threshold_is_inclusive():
    role = make_role([dim("a", {"L1": [1, 1, 1, 1, 1]})])
    four_of_five = {f"a-l1-{n}": "consistently" for n in range(4)}
    assert (
        score(role, assess(four_of_five)).dimensions[0].level == "L4"
    )  # 0.8 >= 0.8, holds to the top


# --- meets / level per dimension -------------------------------------------------


def test_dimension_starting_late_is_met_below_its_first_cell():
    role = make_role([dim("late", {"L3": [1]})])
    result = score(role, assess({}))
    assert result.dimensions[0].level == "L2"  # L1, L2 not yet expected; L3 unmet


def test_dimension_stopping_early_is_held_above_its_last_cell():
    role = make_role([dim("early", {"L1": [1], "L2": [1]})])
    result = score(role, assess({"early-l1-0": "consistently", "early-l2-0": "consistently"}))
    assert result.dimensions[0].level == "L4"
    # the views say where the rubric stops: L2 is the last cell, L3 and L4 carry over
    assert result.dimensions[0].top_cell == "L2"
    assert carried_over(role, result.dimensions[0]) == ["L3", "L4"]
    assert result.to_json()["dimensions"][0]["top_cell"] == "L2"


def test_nothing_carries_over_at_or_below_the_last_cell():
    role = make_role([dim("early", {"L1": [1], "L2": [1]}), dim("late", {"L3": [1]})])
    result = score(role, assess({"early-l1-0": "consistently"}))
    early, late = result.dimensions
    assert (early.level, early.top_cell, carried_over(role, early)) == ("L1", "L2", [])
    assert (late.level, late.top_cell, carried_over(role, late)) == ("L2", "L3", [])
    nothing = score(role, assess({})).dimensions[0]
    assert nothing.level is None and carried_over(role, nothing) == []


def test_a_gap_keeps_the_rating_given_apart_from_no_answer():
    role = make_role([dim("a", {"L1": [1, 1, 1, 1]})], require_evidence=True)
    ratings = {"a-l1-0": "not-yet", "a-l1-1": None, "a-l1-2": "consistently"}
    gaps = {g.expectation: (g.rating, g.credit) for g in score(role, assess(ratings)).gaps}
    assert gaps == {
        "a-l1-0": ("not-yet", 0.0),
        "a-l1-1": (None, 0.0),  # skipped
        "a-l1-2": ("consistently", 0.0),  # no evidence where the role requires it
        "a-l1-3": (None, 0.0),  # not in the file at all
    }


def test_level_between_cells_follows_nearest_cell_below():
    role = make_role([dim("hole", {"L1": [1], "L3": [1]})])
    result = score(role, assess({"hole-l1-0": "consistently"}))
    assert result.dimensions[0].level == "L2"  # L2 inherits L1 (held), L3 not held


def test_no_level_when_first_cell_unmet():
    role = make_role([dim("a", {"L1": [1], "L2": [1]})])
    assert score(role, assess({})).dimensions[0].level is None


def test_met_cell_above_unmet_one_counts_and_is_reported():
    role = make_role([dim("a", {"L1": [1], "L2": [1], "L3": [1]})])
    answers = {"a-l1-0": "consistently", "a-l2-0": "not-yet", "a-l3-0": "consistently"}
    result = score(role, assess(answers))
    assert result.dimensions[0].level == "L4"  # highest L with meets: L3 held, L4 inherits L3
    assert [(i.dimension, i.level, i.unmet) for i in result.inconsistencies] == [
        ("a", "L3", ("L2",))
    ]


def test_unasked_cells_below_a_held_one_are_not_inconsistent():
    """The adaptive interview starts at the claimed level: the cells below it are never
    asked, and must not be reported as unmet. A skipped question is not a rating."""
    role = make_role([dim("a", {"L1": [1], "L2": [1], "L3": [1]})])
    result = score(role, assess({"a-l2-0": None, "a-l3-0": "consistently"}))
    assert result.dimensions[0].level == "L4"
    assert result.inconsistencies == []


# --- recommendation ------------------------------------------------------------------


def test_weighted_quorum():
    # a (weight 3) holds L3, b (weight 1) holds L1: share at L3 is 3/4 = 0.75 >= quorum
    role = make_role(
        [
            dim("a", {"L1": [1], "L2": [1], "L3": [1], "L4": [1]}, weight=3),
            dim("b", {"L1": [1], "L2": [1]}),
        ],
        max_lag=5,
    )
    ratings = {
        "a-l1-0": "consistently",
        "a-l2-0": "consistently",
        "a-l3-0": "consistently",
        "b-l1-0": "consistently",
    }
    result = score(role, assess(ratings))
    assert [d.level for d in result.dimensions] == ["L3", "L1"]
    assert result.recommended == "L3"
    assert result.quorum_share["L3"] == pytest.approx(0.75)


def test_max_lag_caps_the_recommendation():
    role = make_role(
        [
            dim("a", {"L1": [1], "L2": [1], "L3": [1], "L4": [1]}, weight=3),
            dim("b", {"L1": [1], "L2": [1]}),
        ],
        max_lag=1,
    )
    ratings = {
        "a-l1-0": "consistently",
        "a-l2-0": "consistently",
        "a-l3-0": "consistently",
        "b-l1-0": "consistently",
    }
    assert (
        score(role, assess(ratings)).recommended == "L2"
    )  # b at L1 may lag L2 by one, not L3 by two


def test_none_counts_as_one_below_the_first_level():
    role = make_role([dim("a", {"L1": [1]}, weight=9), dim("b", {"L1": [1]})], max_lag=0)
    result = score(role, assess({"a-l1-0": "consistently"}))
    assert result.dimensions[1].level is None
    assert result.recommended is None  # b is "L0": L1 - 0 lag fails
    role_lag1 = make_role(
        [dim("a", {"L1": [1]}, weight=9), dim("b", {"L1": [1]})], max_lag=1, quorum=0.9
    )
    # a holds up to L4 (it stops at L1); b, at none, may lag L1 by one but not L2 by two
    assert score(role_lag1, assess({"a-l1-0": "consistently"})).recommended == "L1"


def test_nothing_held_recommends_none_and_targets_first_level():
    role = make_role([dim("a", {"L1": [1], "L2": [1]})])
    result = score(role, assess({}))
    assert result.recommended is None
    assert result.target == "L1"
    assert result.to_json()["recommended"] is None


# --- target and gaps ------------------------------------------------------------------


def test_target_precedence_option_then_file_then_next_level():
    role = make_role([dim("a", {"L1": [1], "L2": [1], "L3": [1], "L4": [1]})])
    ratings = all_at(role, "consistently", "L1")
    assert score(role, assess(ratings)).target == "L2"
    assert score(role, assess(ratings, target="L4")).target == "L4"
    assert score(role, assess(ratings, target="L4"), target="L3").target == "L3"


def test_a_typed_target_matches_ignoring_case():
    role = make_role([dim("a", {"L1": [1], "L2": [1], "L3": [1], "L4": [1]})])
    ratings = all_at(role, "consistently", "L1")
    assert score(role, assess(ratings), target="l3").target == "L3"


def test_top_level_recommendation_targets_itself_with_no_gaps():
    role = make_role([dim("a", {"L1": [1], "L4": [1]})])
    result = score(role, assess(all_at(role, "consistently", "L4")))
    assert (result.recommended, result.target, result.gaps) == ("L4", "L4", [])


def test_gaps_cover_cells_above_level_up_to_target_heaviest_first():
    role = make_role(
        [
            dim("light", {"L1": [1], "L2": [1], "L3": [1]}, weight=1),
            dim("heavy", {"L1": [1], "L2": [1, 1], "L3": [1], "L4": [1]}, weight=5),
        ],
        max_lag=3,
        quorum=0.1,
    )
    ratings = {
        "light-l1-0": "consistently",
        "heavy-l1-0": "consistently",
        "heavy-l2-0": "consistently",
        "heavy-l2-1": "partially",
    }
    result = score(role, assess(ratings), target="L3")
    assert [(g.dimension, g.level, g.expectation, g.credit) for g in result.gaps] == [
        ("heavy", "L2", "heavy-l2-1", 0.5),  # L2 held? (1 + .5) / 2 = .75 < .8: no, level L1
        ("heavy", "L3", "heavy-l3-0", 0.0),
        ("light", "L2", "light-l2-0", 0.0),
        ("light", "L3", "light-l3-0", 0.0),
    ]
    # heavy-l2-0 has full credit: not a gap; L4 is above the target: not a gap


def test_dimension_at_or_above_target_has_no_gaps():
    role = make_role([dim("a", {"L1": [1], "L2": [1, 1]})])
    ratings = {"a-l1-0": "consistently", "a-l2-0": "consistently", "a-l2-1": "consistently"}
    assert score(role, assess(ratings), target="L2").gaps == []


# --- evidence, unsupported, unknown -------------------------------------------------------


def test_evidence_coverage_and_unsupported():
    role = make_role([dim("a", {"L1": [1, 1, 1]})])
    ratings = {"a-l1-0": "consistently", "a-l1-1": "partially", "a-l1-2": "not-yet"}
    result = score(role, assess(ratings, evidence={"a-l1-0"}))
    assert result.evidence_coverage == pytest.approx(1 / 1.5)
    assert result.unsupported == ["a-l1-1"]  # not-yet claims nothing


def test_require_evidence_zeroes_unsupported_claims():
    role = make_role([dim("a", {"L1": [1, 1]})], require_evidence=True)
    ratings = {"a-l1-0": "consistently", "a-l1-1": "consistently"}
    result = score(role, assess(ratings, evidence={"a-l1-0"}))
    assert result.dimensions[0].coverage["L1"] == pytest.approx(0.5)
    assert result.unsupported == ["a-l1-1"]
    assert result.evidence_coverage == 1.0
    assert [
        g.expectation for g in score(role, assess(ratings, evidence={"a-l1-0"}), target="L1").gaps
    ] == ["a-l1-1"]


def test_no_earned_credit_gives_null_evidence_coverage():
    role = make_role([dim("a", {"L1": [1]})])
    assert score(role, assess({"a-l1-0": "not-yet"})).evidence_coverage is None


def test_unknown_answers_are_listed_sorted_and_score_nothing():
    role = make_role([dim("a", {"L1": [1]})])
    result = score(role, assess({"zz-old": "consistently", "aa-old": "consistently"}))
    assert result.unknown_answers == ["aa-old", "zz-old"]
    assert result.dimensions[0].level is None


def test_json_shape_matches_design():
    role = make_role([dim("a", {"L1": [1]})])
    out = score(role, assess({"a-l1-0": "consistently"})).to_json()
    assert list(out) == [
        "role", "recommended", "target", "dimensions", "gaps", "evidence_coverage",
        "unsupported", "inconsistencies", "unknown_answers",
    ]  # fmt: skip
    assert list(out["dimensions"][0]) == [
        "id", "name", "level", "coverage", "not_expected_yet", "top_cell",
    ]  # fmt: skip


# --- properties -------------------------------------------------------------------------

CELL_SETS = st.lists(st.sampled_from(LEVELS), min_size=1, max_size=4, unique=True)


@st.composite
def roles_and_ratings(draw):
    n_dims = draw(st.integers(1, 4))
    dims = []
    for i in range(n_dims):
        cells = {
            lv: draw(st.lists(st.sampled_from([0.5, 1, 2, 3]), min_size=1, max_size=3))
            for lv in draw(CELL_SETS)
        }
        dims.append(dim(f"d{i}", cells, weight=draw(st.sampled_from([1, 2, 5]))))
    role = make_role(
        dims,
        threshold=draw(st.sampled_from([0.5, 0.8, 1.0])),
        quorum=draw(st.sampled_from([0.5, 0.75, 1.0])),
        max_lag=draw(st.integers(0, 2)),
        require_evidence=draw(st.booleans()),
    )
    ids = [e.id for _, _, e in role.expectations()]
    ratings = {i: draw(st.sampled_from([*RATINGS, None])) for i in ids if draw(st.booleans())}
    evidence = {i for i in ratings if draw(st.booleans())}
    return role, ratings, evidence


def _rank(role: Role, level: str | None) -> int:
    return -1 if level is None else role.level_index(level)


@settings(max_examples=300, deadline=None)
@given(roles_and_ratings(), st.data())
def test_raising_one_rating_never_lowers_a_level(case, data):
    role, ratings, evidence = case
    ids = [e.id for _, _, e in role.expectations()]
    chosen = data.draw(st.sampled_from(ids))
    before = ratings.get(chosen)
    order = [None, *RATINGS]
    higher = data.draw(st.sampled_from(order[order.index(before) + 1 :] or [before]))
    low = score(role, assess(ratings, evidence))
    high = score(role, assess({**ratings, chosen: higher}, evidence))
    for a, b in zip(low.dimensions, high.dimensions, strict=True):
        assert _rank(role, b.level) >= _rank(role, a.level)
    assert _rank(role, high.recommended) >= _rank(role, low.recommended)


@settings(max_examples=200, deadline=None)
@given(roles_and_ratings(), st.randoms(use_true_random=False))
def test_order_of_dimensions_and_answers_does_not_matter(case, rnd):
    role, ratings, evidence = case
    base = score(role, assess(ratings, evidence)).to_json()
    items = list(ratings.items())
    rnd.shuffle(items)
    dims = list(role.model_dump()["dimensions"])
    rnd.shuffle(dims)
    shuffled_role = Role.model_validate({**role.model_dump(), "dimensions": dims})
    other = score(shuffled_role, assess(dict(items), evidence)).to_json()
    assert other["recommended"] == base["recommended"]
    assert other["target"] == base["target"]
    key = lambda d: d["id"]  # noqa: E731
    assert sorted(other["dimensions"], key=key) == sorted(base["dimensions"], key=key)
    assert sorted(map(str, other["gaps"])) == sorted(map(str, base["gaps"]))
    assert other["unknown_answers"] == base["unknown_answers"]
    assert sorted(other["unsupported"]) == sorted(base["unsupported"])
    assert (
        other["evidence_coverage"] == pytest.approx(base["evidence_coverage"])
        if base["evidence_coverage"] is not None
        else other["evidence_coverage"] is None
    )


@settings(max_examples=100, deadline=None)
@given(roles_and_ratings())
def test_same_input_same_output(case):
    role, ratings, evidence = case
    assert (
        score(role, assess(ratings, evidence)).to_json()
        == score(role, assess(ratings, evidence)).to_json()
    )
