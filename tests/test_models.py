"""The models on their own: a model built in code is as valid as one loaded from a file."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sreladder.core.models import Assessment, LevelScale, Role
from sreladder.io.rubric import builtin_data_dir, load_rubric


def role_data(**changes) -> dict:
    data = {
        "id": "r",
        "name": "Role",
        "ladder": "s",
        "levels": {"L1": {}, "L2": {"title": "Senior"}},
        "dimensions": [
            {
                "id": "d",
                "name": "Dimension",
                "levels": {
                    "L1": {"expectations": [{"id": "d-1", "text": "does one"}]},
                    "L2": {"expectations": [{"id": "d-2", "text": "does two", "weight": 2}]},
                },
            }
        ],
    }
    data.update(changes)
    return data


def test_a_valid_role_and_its_helpers():
    role = Role.model_validate(role_data())
    assert role.level_ids == ["L1", "L2"]
    assert role.title("L1") == "L1" and role.title("L2") == "Senior"
    assert [e.id for _, _, e in role.expectations()] == ["d-1", "d-2"]
    assert role.expectation_index["d-2"][1] == "L2"
    assert role.scoring.threshold == 0.8 and role.scoring.max_lag == 1
    assert role.digest.startswith("sha256:")
    assert role.digest != Role.model_validate(role_data(name="Other")).digest


# the shipped roles' digests before `evidence_examples` were written into them: every
# stored assessment names its rubric by digest, and matcher data must not make them warn
SHIPPED_DIGESTS = {
    "ops-sre": "sha256:6f26ef40378862c7ab9c5daa7db55be170c1c7a127d37b0a98480cb80c27fc35",
    "production-engineer": (
        "sha256:2b00b2719750a06d316db5214267031baa2072d25edffd98253fc2ffbb146b09"
    ),
    "sre": "sha256:5dfbe650da933b01031394039a9af61f0ad5a6023f9d4e306ee75bf6ac80ac0f",
}


def test_evidence_examples_do_not_change_the_shipped_digests():
    roles = load_rubric(None).roles
    assert {rid: roles[rid].digest for rid in SHIPPED_DIGESTS} == SHIPPED_DIGESTS
    assert any(e.evidence_examples for _, _, e in roles["sre"].expectations())


def test_evidence_examples_are_optional_non_blank_and_outside_the_digest():
    plain = Role.model_validate(role_data())
    dimension = role_data()["dimensions"][0]
    dimension["levels"]["L1"]["expectations"][0]["evidence_examples"] = ["paged 3x, fixed 2"]
    shown = Role.model_validate(role_data(dimensions=[dimension]))
    assert shown.expectation_index["d-1"][2].evidence_examples == ["paged 3x, fixed 2"]
    assert shown.digest == plain.digest
    dimension["levels"]["L1"]["expectations"][0]["evidence_examples"] = ["  "]
    with pytest.raises(ValidationError, match="evidence_examples"):
        Role.model_validate(role_data(dimensions=[dimension]))


def test_cross_field_rules_run_when_built_in_code():
    dimension = role_data()["dimensions"][0]
    dimension["levels"]["L2"]["expectations"][0]["id"] = "d-1"
    with pytest.raises(ValidationError, match="duplicate expectation id 'd-1'"):
        Role.model_validate(role_data(dimensions=[dimension]))
    # the file loader defers them, to report each at its own line
    Role.model_validate(role_data(dimensions=[dimension]), context={"deferred_checks": True})


def test_cell_outside_the_roles_levels():
    dimension = role_data()["dimensions"][0]
    dimension["levels"]["L9"] = {"expectations": [{"id": "d-9", "text": "nine"}]}
    with pytest.raises(ValidationError, match="L9"):
        Role.model_validate(role_data(dimensions=[dimension]))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scoring": {"threshold": 0}}, "threshold"),
        ({"scoring": {"threshold": 1.01}}, "threshold"),
        ({"scoring": {"quorum": 0}}, "quorum"),
        ({"scoring": {"max_lag": -1}}, "max_lag"),
        ({"scoring": {"threshold": float("nan")}}, "threshold"),
        ({"name": " \n"}, "name"),
        ({"id": "has space"}, "id"),
        ({"id": "-lead"}, "id"),
        ({"id": "x" * 65}, "id"),
        ({"levels": {}}, "levels"),
        ({"dimensions": []}, "dimensions"),
        ({"extra": 1}, "extra"),
    ],
)
def test_shape_rules(changes, field):
    with pytest.raises(ValidationError) as info:
        Role.model_validate(role_data(**changes))
    assert any(field in map(str, e["loc"]) for e in info.value.errors())


@pytest.mark.parametrize("weight", [0, -1, float("inf"), float("nan"), "heavy", 2_000_000])
def test_bad_weights(weight):
    dimension = role_data()["dimensions"][0]
    dimension["weight"] = weight
    with pytest.raises(ValidationError):
        Role.model_validate(role_data(dimensions=[dimension]))


def test_scale():
    scale = LevelScale.model_validate(
        {"id": "s", "name": "S", "levels": [{"id": "A"}, {"id": "B"}]}
    )
    assert scale.level_ids == ["A", "B"] and scale.level("B").id == "B" and scale.level("C") is None
    with pytest.raises(ValidationError, match="duplicate level id"):
        LevelScale.model_validate({"id": "s", "name": "S", "levels": [{"id": "A"}, {"id": "A"}]})
    with pytest.raises(ValidationError):
        LevelScale.model_validate({"id": "s", "name": "S", "levels": [{"id": "A", "x": 1}]})


def test_assessment_minimal_and_defaults():
    a = Assessment.model_validate({"sreladder": 1, "role": "sre", "answers": {"x": {}}})
    assert a.answers["x"].rating is None and a.answers["x"].evidence == []
    assert a.relation == "self" and a.subject_name is None and a.claimed == {}
    a = Assessment.model_validate(
        {"sreladder": 1, "role": "sre", "assessor": {"name": "Dana"}, "answers": {}}
    )
    assert a.subject_name == "Dana"
    for bad in [
        {"sreladder": 2, "role": "sre", "answers": {}},
        {"sreladder": 1, "role": "sre"},
        {"sreladder": 1, "role": "sre", "answers": {"x": {"rating": "always"}}},
        {"sreladder": 1, "role": "sre", "answers": {}, "assessor": {"relation": "boss"}},
    ]:
        with pytest.raises(ValidationError):
            Assessment.model_validate(bad)


def test_builtin_roles_match_the_brief():
    rubric = load_rubric(builtin_data_dir())
    assert sorted(rubric.roles) == ["ops-sre", "production-engineer", "sre"]
    sre = rubric.role("sre")
    assert sre.level_ids == [f"P{i}" for i in range(1, 8)]
    assert len(sre.dimensions) == 9 and len(sre.expectation_index) == 70
    assert rubric.scale_for(sre).id == "professional"


def test_subject_name_drops_surrounding_spaces():
    a = Assessment.model_validate(
        {"sreladder": 1, "role": "sre", "subject": {"name": "  dana  "}, "answers": {}}
    )
    assert a.subject_name == "dana"


def test_models_are_frozen_and_a_copy_never_keeps_a_stale_digest():
    import dataclasses

    from sreladder.io.rubric import load_rubric

    role = load_rubric(None).roles["sre"]
    digest, level_ids = role.digest, role.level_ids
    with pytest.raises(dataclasses.FrozenInstanceError):
        role.name = "changed"
    renamed = role.model_copy(update={"name": "x"})
    assert renamed.digest != digest
    assert role.model_copy(update={"levels": {"P1": role.levels["P1"]}}).level_ids == ["P1"]
    assert role.digest == digest and role.level_ids == level_ids


def test_a_dump_turns_any_list_or_mapping_inside_into_plain_data():
    import collections
    import datetime as dt

    from sreladder.core.models import Evidence
    from sreladder.core.strict import _dump

    evidence = Evidence(text="t", date=dt.date(2024, 1, 2))

    class Items(list):
        pass

    nested = collections.OrderedDict(a=[evidence], b=Items([evidence]))
    assert _dump(nested, True, False, False) == {
        "a": [{"text": "t", "link": None, "date": "2024-01-02"}],
        "b": [{"text": "t", "link": None, "date": "2024-01-02"}],
    }


# --- model_dump is Pydantic's, so digests written into assessments never change ------

_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30).filter(
    lambda t: t.strip()  # a non-blank text, as the models require
)
_ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
_zones = st.sampled_from(
    [
        None,
        dt.UTC,
        dt.timezone(dt.timedelta(hours=5, minutes=30)),
        dt.timezone(-dt.timedelta(hours=8)),
    ]
)


@st.composite
def assessments(draw):
    answer = st.fixed_dictionaries(
        {"rating": st.sampled_from([None, "not-yet", "partially", "consistently"])},
        optional={
            "evidence": st.lists(
                st.fixed_dictionaries(
                    {"text": _text},
                    optional={"link": _text, "date": st.dates().map(dt.date.isoformat)},
                ),
                max_size=2,
            )
        },
    )
    stamp = st.datetimes(timezones=_zones).map(lambda d: d.isoformat())
    data = {
        "sreladder": 1,
        "role": draw(_ids),
        "answers": draw(st.dictionaries(_ids, answer, max_size=4)),
    }
    for key, value in (("created", stamp), ("target", _ids), ("subject", _text)):
        if draw(st.booleans()):
            data[key] = {"name": draw(value)} if key == "subject" else draw(value)
    return Assessment.model_validate(data)


def _pydantic_dump(model, **options):
    from pydantic import TypeAdapter

    return TypeAdapter(type(model)).dump_python(model, mode="json", **options)


@settings(max_examples=150, deadline=None)
@given(assessments(), st.booleans())
def test_model_dump_matches_pydantic_on_any_assessment(assessment, exclude_none):
    ours = assessment.model_dump(mode="json", exclude_none=exclude_none)
    assert ours == _pydantic_dump(assessment, exclude_none=exclude_none)


def test_model_dump_matches_pydantic_on_every_shipped_role_and_scale():
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(None)
    for model in [*rubric.roles.values(), *rubric.scales.values()]:
        for options in ({}, {"exclude_none": True}, {"exclude_defaults": True}):
            assert model.model_dump(mode="json", **options) == _pydantic_dump(model, **options)
