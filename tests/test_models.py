"""The models on their own: a model built in code is as valid as one loaded from a file."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sreladder.core.models import (
    Assessment,
    Cell,
    Dimension,
    Evidence,
    Expectation,
    Level,
    LevelScale,
    Role,
)
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


def test_every_model_is_a_frozen_pydantic_model_that_forbids_unknown_keys():
    from pydantic import BaseModel, RootModel

    from sreladder.core import answer_map, lexicon, models
    from sreladder.io import lint_config

    declared = [
        value
        for module in (models, answer_map, lexicon, lint_config)
        for name, value in vars(module).items()
        if isinstance(value, type)
        and value.__module__ == module.__name__
        and "[" not in name  # not RootModel[...], which Pydantic keeps there
    ]
    found = [cls for cls in declared if issubclass(cls, BaseModel)]
    for cls in (Role, Assessment, LevelScale, Expectation, Evidence, lexicon.Lexicon):
        assert issubclass(cls, BaseModel) and cls in found
    assert issubclass(answer_map.AnswerMap, RootModel) and answer_map.AnswerMap in found
    for cls in found:
        config = cls.model_config
        assert config.get("frozen") and config.get("defer_build"), cls
        if cls is not answer_map.AnswerMap:  # a RootModel has no keys of its own
            assert issubclass(cls, models.FileModel), cls
            assert config.get("extra") == "forbid" and config.get("allow_inf_nan") is False


def built_role(**changes) -> Role:
    """A role built in code, field by field, as a program would."""
    data = role_data(**changes)
    dimensions = [
        Dimension(
            id=d["id"],
            name=d["name"],
            levels={
                level_id: Cell(expectations=[Expectation(**e) for e in cell["expectations"]])
                for level_id, cell in d["levels"].items()
            },
        )
        for d in data.pop("dimensions")
    ]
    return Role(**{**data, "dimensions": dimensions})


def test_a_model_built_in_code_is_validated():
    assert built_role() == Role.model_validate(role_data())
    with pytest.raises(ValidationError, match="text"):
        Evidence(text="")
    with pytest.raises(ValidationError, match="text"):
        Evidence(text=" \n")
    with pytest.raises(ValidationError, match="id"):
        built_role(id="bad id!")
    with pytest.raises(ValidationError, match="weight"):
        Expectation(id="e", text="t", weight=float("nan"))
    with pytest.raises(ValidationError, match="weight"):
        Expectation(id="e", text="t", weight=True)
    with pytest.raises(ValidationError, match="surprise"):
        Evidence(text="t", surprise=1)
    with pytest.raises(ValidationError, match="sreladder"):
        Assessment(sreladder=2, role="sre", answers={})


def test_the_rules_across_fields_run_when_built_in_code():
    dimension = role_data()["dimensions"][0]
    twice = role_data(dimensions=[dimension, dimension])["dimensions"]
    with pytest.raises(ValidationError, match="duplicate dimension id 'd'"):
        built_role(dimensions=twice)
    elsewhere = {**dimension, "levels": {"L9": dimension["levels"]["L1"]}}
    with pytest.raises(ValidationError, match="L9"):
        built_role(dimensions=[elsewhere])
    with pytest.raises(ValidationError, match="duplicate level id"):
        LevelScale(id="s", name="S", levels=[Level(id="A"), Level(id="A")])


def test_models_are_frozen_and_a_copy_never_keeps_a_stale_digest():
    role = load_rubric(None).roles["sre"]
    digest, level_ids, index = role.digest, role.level_ids, role.expectation_index
    with pytest.raises(ValidationError, match="frozen"):
        role.name = "changed"
    renamed = role.model_copy(update={"name": "x"})
    assert renamed.name == "x" and renamed.digest != digest
    assert renamed.digest == Role.model_validate({**role.model_dump(), "name": "x"}).digest
    assert role.model_copy(update={"levels": {"P1": role.levels["P1"]}}).level_ids == ["P1"]
    fewer = role.model_copy(update={"dimensions": role.dimensions[:1]})
    assert set(fewer.expectation_index) < set(index)
    assert role.model_copy(deep=True).digest == digest  # computed again, to the same value
    assert role.digest == digest and role.level_ids == level_ids
    scale = load_rubric(None).scales["professional"]
    assert scale.level_ids  # cached, then not carried over
    assert scale.model_copy(update={"levels": scale.levels[:2]}).level_ids == scale.level_ids[:2]


def test_a_cached_value_is_no_part_of_equality_or_of_a_copy():
    role = Role.model_validate(role_data())
    other = Role.model_validate(role_data())
    role.digest  # noqa: B018 - cached on one of them only
    assert role == other and hash(role.scoring) == hash(other.scoring)
    assert "digest" not in role.model_copy().__dict__


def test_dates_dump_as_the_files_write_them():
    evidence = Evidence(text="t", date=dt.date(2024, 1, 2))
    assert evidence.model_dump(mode="json") == {
        "text": "t",
        "link": None,
        "date": "2024-01-02",
        "source": None,
        "suggested": None,
    }
    stamp = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)
    assessment = Assessment(sreladder=1, role="sre", answers={}, created=stamp)
    assert assessment.model_dump(mode="json")["created"] == "2026-11-20T15:30:00Z"


# --- built in code or read from a file: the same checks, the same model ----------------

_ids = st.sampled_from(["a", "b", "L1", "L2", "bad id", "-x", ""])
_texts = st.sampled_from(["does it", "  ", "", "x" * 20_001, "ok"])


@st.composite
def role_documents(draw):
    """Role data, often invalid: odd ids, blank texts, repeated ids, unknown levels."""
    expectation = st.fixed_dictionaries(
        {"id": _ids, "text": _texts},
        optional={"weight": st.sampled_from([1, 2.5, 0, -1, float("nan"), True])},
    )
    cell = st.fixed_dictionaries({"expectations": st.lists(expectation, max_size=2)})
    dimension = st.fixed_dictionaries(
        {"id": _ids, "name": _texts, "levels": st.dictionaries(_ids, cell, max_size=2)}
    )
    levels = st.dictionaries(_ids, st.just({}), max_size=3)
    return {
        "id": draw(_ids),
        "name": draw(_texts),
        "ladder": "s",
        "levels": draw(levels),
        "dimensions": draw(st.lists(dimension, max_size=3)),
    }


def _outcome(make):
    try:
        return make()
    except ValidationError as exc:
        return sorted((e["type"], e["loc"]) for e in exc.errors())


@settings(max_examples=200, deadline=None)
@given(role_documents())
def test_a_role_built_in_code_is_checked_as_one_read_from_a_file(data):
    def in_code():
        dimensions = [
            Dimension(
                id=d["id"],
                name=d["name"],
                levels={
                    lv: Cell(expectations=[Expectation(**e) for e in c["expectations"]])
                    for lv, c in d["levels"].items()
                },
            )
            for d in data["dimensions"]
        ]
        return Role(**{**data, "dimensions": dimensions})

    from_file = _outcome(lambda: Role.model_validate(data))
    built = _outcome(in_code)
    if isinstance(from_file, Role):
        assert built == from_file and built.digest == from_file.digest
    else:  # a part built alone fails first, with its own locations: refused all the same
        assert not isinstance(built, Role)


# Assessments store their role's digest (rubric_digest) and warn when it no longer
# matches: these are the shipped roles' digests as released, so a change to how a role
# is dumped (the models, Pydantic's serializer) cannot silently make every saved
# assessment warn.
SHIPPED_DIGESTS = {
    "ops-sre": "sha256:6f26ef40378862c7ab9c5daa7db55be170c1c7a127d37b0a98480cb80c27fc35",
    "production-engineer": (
        "sha256:2b00b2719750a06d316db5214267031baa2072d25edffd98253fc2ffbb146b09"
    ),
    "sre": "sha256:5dfbe650da933b01031394039a9af61f0ad5a6023f9d4e306ee75bf6ac80ac0f",
}


@pytest.mark.parametrize("role_id", sorted(SHIPPED_DIGESTS))
def test_the_shipped_roles_keep_their_digests(role_id):
    import yaml

    from sreladder.io.rubric import load_file

    path = builtin_data_dir() / "roles" / f"{role_id}.yaml"
    assert load_file(path, "role", cached=False).model.digest == SHIPPED_DIGESTS[role_id]
    built = Role.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert built.digest == SHIPPED_DIGESTS[role_id]
