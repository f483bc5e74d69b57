"""Pydantic v2 models of level scales, role rubrics and assessments.

Every model forbids unknown keys. Field constraints carry the shape rules (types,
required keys, weights > 0, 0 < threshold <= 1, non-blank text, at least one cell per
dimension and one expectation per cell). The rules that relate several fields (unique
ids, cells only at the role's levels) are :func:`findings`, at the end of this module;
the model validators run them, so a model built in code is as valid as one loaded from
a file. Rules between files (a role and its scale) are :mod:`sreladder.core.checks`.
The file loader passes ``context={"deferred_checks": True}`` and runs the same checks
itself, to report each finding at its own line instead of at the top of the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Annotated, Any, Literal, get_args

from sreladder.core.findings import Finding, duplicates
from sreladder.core.strict import Rule, StrictModel, model, validate_as

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
NOT_BLANK = r"\S"

Id = Annotated[str, Rule(pattern=ID_PATTERN)]
Text = Annotated[str, Rule(pattern=NOT_BLANK, max_length=20_000)]
Sources = Text | list[Text]
# Numbers and switches are strict, as the JSON Schema is: `true`, "0.8" or `yes` where a
# number or a boolean belongs is an error, not silently 1.0, 0.8 or True.
Weight = Annotated[float, Rule(strict=True, gt=0, le=1_000_000)]
Fraction = Annotated[float, Rule(strict=True, gt=0, le=1)]
StrictBool = Annotated[bool, Rule(strict=True)]


def _format_one(version: int) -> int:
    if version != 1:
        raise ValueError("this sreladder reads format version 1")
    return version


FormatVersion = Annotated[
    int,
    Rule(strict=True, after=_format_one, json={"const": 1, "description": "file format version"}),
]

Rating = Literal["not-yet", "partially", "consistently"]
RATINGS: tuple[Rating, ...] = ("not-yet", "partially", "consistently")
RATING_KEYS: dict[str, Rating] = {"n": "not-yet", "p": "partially", "c": "consistently"}


def parse_rating(text: str) -> Rating | None:
    """``n``/``p``/``c`` or the full word (any case); None if it is neither."""
    word = text.strip().lower()
    if word in RATING_KEYS:
        return RATING_KEYS[word]
    if word in RATINGS:
        return word  # type: ignore[return-value]
    return None


CREDIT: dict[str, float] = {"not-yet": 0.0, "partially": 0.5, "consistently": 1.0}
Relation = Literal["self", "manager", "peer"]
RELATIONS: tuple[Relation, ...] = get_args(Relation)

FORMAT_VERSION = 1


def pick_name(name: str, choices: list[str]) -> str | None:
    """``name`` exactly, else the one choice equal to it ignoring case (``p3`` for P3):
    what people type on the command line. Files are matched exactly."""
    if name in choices:
        return name
    folded = [c for c in choices if c.casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def _run_checks(model: StrictModel, context: Mapping[str, Any] | None) -> None:
    if context and context.get("deferred_checks"):
        return
    errors = [f for f in findings(model) if f.code.startswith("E")]
    if errors:
        raise ValueError("; ".join(f"{'.'.join(map(str, f.loc))}: {f.message}" for f in errors))


# --- level scales ----------------------------------------------------------------


@model
class LevelAttributes(StrictModel):
    """The universal attributes a scale may give a level; each is optional."""

    scope: Text | None = None
    autonomy: Text | None = None
    complexity: Text | None = None
    impact: Text | None = None
    decision_rights: Text | None = None
    leadership: Text | None = None
    typical_experience: Text | None = None
    degree_and_years: Text | None = None


@model
class Level(StrictModel):
    id: Id
    name: Text | None = None
    summary: Text | None = None
    attributes: LevelAttributes | None = None
    source: Sources | None = None


@model
class LevelScale(StrictModel):
    """A ladder: ordered levels, lowest first."""

    id: Id
    name: Text
    description: Text | None = None
    levels: Annotated[list[Level], Rule(min_length=1)]

    def validated(self, context: Mapping[str, Any] | None) -> None:
        _run_checks(self, context)

    @cached_property
    def level_ids(self) -> list[str]:
        return [level.id for level in self.levels]

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)


# --- role rubrics ----------------------------------------------------------------


@model
class Scoring(StrictModel):
    threshold: Fraction = 0.8
    quorum: Fraction = 0.75
    max_lag: Annotated[int, Rule(strict=True, ge=0, le=100)] = 1
    require_evidence: StrictBool = False


@model
class Profile(StrictModel):
    """What a level asks a person to *have* rather than to *do*: the skills, knowledge,
    competencies and qualifications a source lists beside its tasks. Shown by ``show``,
    ``diff`` and the packet; never rated (a rating needs a behaviour)."""

    skills: list[Text] = field(default_factory=list)
    knowledge: list[Text] = field(default_factory=list)
    competencies: list[Text] = field(default_factory=list)
    qualifications: list[Text] = field(default_factory=list)
    source: Sources | None = None

    def sections(self) -> list[tuple[str, list[str]]]:
        """The non-empty lists, in reading order, with their names."""
        named = [
            ("skills", self.skills),
            ("knowledge", self.knowledge),
            ("competencies", self.competencies),
            ("qualifications", self.qualifications),
        ]
        return [(name, items) for name, items in named if items]


@model
class RoleLevel(StrictModel):
    title: Text | None = None
    profile: Profile | None = None


@model
class Expectation(StrictModel):
    id: Id
    text: Text
    weight: Weight = 1.0
    examples: list[Text] = field(default_factory=list)
    # what evidence of it looks like in a brag document, for the evidence matcher only:
    # not part of what is expected, so not part of the role's digest
    evidence_examples: list[Text] = field(default_factory=list)
    source: Sources | None = None


@model
class Cell(StrictModel):
    summary: Text | None = None
    expectations: Annotated[list[Expectation], Rule(min_length=1)]


@model
class Dimension(StrictModel):
    id: Id
    name: Text
    group: Text | None = None
    weight: Weight = 1.0
    description: Text | None = None
    levels: Annotated[dict[Id, Cell], Rule(min_length=1)]


@model
class Role(StrictModel):
    """A role rubric: dimensions x levels -> expectations."""

    id: Id
    name: Text
    ladder: Id
    description: Text | None = None
    levels: Annotated[dict[Id, RoleLevel], Rule(min_length=1)]
    scoring: Scoring = field(default_factory=Scoring)
    dimensions: Annotated[list[Dimension], Rule(min_length=1)]

    def validated(self, context: Mapping[str, Any] | None) -> None:
        _run_checks(self, context)

    @cached_property
    def level_ids(self) -> list[str]:
        return list(self.levels)

    def level_named(self, name: str) -> str | None:
        """The level id ``name`` stands for, ignoring case; None if it names none."""
        return pick_name(name, self.level_ids)

    def level_index(self, level_id: str) -> int:
        return self.level_ids.index(level_id)

    def title(self, level_id: str) -> str:
        level = self.levels.get(level_id)
        return (level.title if level and level.title else None) or level_id

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def cells(self, dimension: Dimension) -> list[tuple[str, Cell]]:
        """The dimension's cells in the role's level order."""
        return [(lv, dimension.levels[lv]) for lv in self.level_ids if lv in dimension.levels]

    def first_level(self, dimension: Dimension) -> str:
        """The level of the dimension's first cell (nothing is expected below it)."""
        return next(lv for lv in self.level_ids if lv in dimension.levels)

    def expectations(self) -> Iterator[tuple[Dimension, str, Expectation]]:
        for dimension in self.dimensions:
            for level_id, cell in self.cells(dimension):
                for expectation in cell.expectations:
                    yield dimension, level_id, expectation

    @cached_property
    def expectation_index(self) -> dict[str, tuple[Dimension, str, Expectation]]:
        return {e.id: (d, lv, e) for d, lv, e in self.expectations()}

    @cached_property
    def digest(self) -> str:
        """Identifies this version of the role; stored in assessments. An expectation's
        ``evidence_examples`` are left out: they do not change what is expected."""
        data = self.model_dump(mode="json")
        for dimension in data["dimensions"]:
            for cell in dimension["levels"].values():
                for expectation in cell["expectations"]:
                    expectation.pop("evidence_examples", None)
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


# --- assessments -----------------------------------------------------------------


@model
class Evidence(StrictModel):
    text: Text
    link: Text | None = None
    date: dt.date | None = None


@model
class Answer(StrictModel):
    """A rating with its evidence. No rating means the question was skipped: it
    earns nothing, and the interview does not ask it again on resume."""

    rating: Rating | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerMap:
    """An ``--answers`` file: expectation id -> a rating (``n``/``p``/``c`` or the word,
    any case), null (skipped) or an answer with evidence. The same ids and answers as
    an assessment's ``answers``, so a map that loads makes a file that validates."""

    root: dict[str, Answer]

    @classmethod
    def model_validate(cls, data: Any, *, context: Mapping[str, Any] | None = None) -> AnswerMap:
        if isinstance(data, dict):
            data = {key: _answer_value(value) for key, value in data.items()}
        return cls(validate_as(dict[Id, Answer], data))


def _answer_value(value: Any) -> Any:
    if value is None:
        return {"rating": None}
    if isinstance(value, str):
        return {"rating": parse_rating(value) or value}
    if isinstance(value, dict) and isinstance(value.get("rating"), str):
        return {**value, "rating": parse_rating(value["rating"]) or value["rating"]}
    return value


@model
class Person(StrictModel):
    name: Text


@model
class Assessor(StrictModel):
    name: Text | None = None
    relation: Relation = "self"


@model
class Assessment(StrictModel):
    """An assessment file. Only ``sreladder``, ``role`` and ``answers`` are required."""

    sreladder: FormatVersion
    role: Id
    rubric_digest: Annotated[str, Rule(max_length=200)] | None = None
    subject: Person | None = None
    assessor: Assessor | None = None
    target: Id | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    claimed: Annotated[
        dict[Id, Id],
        Rule(
            json={
                "description": "per dimension, the level the assessor picked as best "
                "describing the person's consistent work (written by the interview)"
            }
        ),
    ] = field(default_factory=dict)
    answers: dict[Id, Answer]

    @property
    def subject_name(self) -> str | None:
        """The subject's name as people read it: spaces around it dropped."""
        name = self.subject.name if self.subject else None
        if name is None and self.assessor and self.assessor.relation == "self":
            name = self.assessor.name
        return name.strip() if name else None

    @property
    def subject_key(self) -> str | None:
        """Who the assessment is about, for matching: whitespace collapsed, any case."""
        name = self.subject_name
        return " ".join(name.split()).casefold() if name else None

    @property
    def relation(self) -> Relation:
        return self.assessor.relation if self.assessor else "self"


# --- the rules within one scale or role ----------------------------------------------


def findings(model: object) -> list[Finding]:
    """The within-file findings for a scale or a role (none for other models)."""
    if isinstance(model, LevelScale):
        return scale_findings(model)
    if isinstance(model, Role):
        return role_findings(model)
    return []


def scale_findings(scale: LevelScale) -> list[Finding]:
    return duplicates(
        ((level.id, ("levels", i, "id")) for i, level in enumerate(scale.levels)), "level"
    )


def role_findings(role: Role) -> list[Finding]:
    out = duplicates(
        ((d.id, ("dimensions", i, "id")) for i, d in enumerate(role.dimensions)), "dimension"
    )
    out += duplicates(
        (
            (e.id, ("dimensions", i, "levels", level_id, "expectations", k, "id"))
            for i, d in enumerate(role.dimensions)
            for level_id, cell in d.levels.items()
            for k, e in enumerate(cell.expectations)
        ),
        "expectation",
    )
    order = role.level_ids
    for i, dimension in enumerate(role.dimensions):
        for level_id in dimension.levels:
            if level_id not in role.levels:
                out.append(
                    Finding(
                        ("dimensions", i, "levels", level_id),
                        "E202",
                        f"dimension {dimension.id!r} has a cell at {level_id!r}, which is not "
                        f"one of the role's levels ({', '.join(order)})",
                        at_key=True,
                    )
                )
        out += _adjacent_cell_findings(role, i)
    return out


def _adjacent_cell_findings(role: Role, i: int) -> list[Finding]:
    dimension = role.dimensions[i]
    cells = role.cells(dimension)
    out = []
    for (low_id, low), (high_id, high) in pairwise(cells):
        gap = role.level_index(high_id) - role.level_index(low_id)
        if gap > 1:
            skipped = role.level_ids[role.level_index(low_id) + 1 : role.level_index(high_id)]
            out.append(
                Finding(
                    ("dimensions", i, "levels", high_id),
                    "W402",
                    f"dimension {dimension.id!r} has no cell at {', '.join(skipped)} between "
                    f"{low_id} and {high_id}: those levels are held with {low_id}'s expectations",
                    at_key=True,
                )
            )
        below = {" ".join(e.text.split()) for e in low.expectations}
        for k, expectation in enumerate(high.expectations):
            if " ".join(expectation.text.split()) in below:
                out.append(
                    Finding(
                        ("dimensions", i, "levels", high_id, "expectations", k, "text"),
                        "W401",
                        f"same text at {low_id} and {high_id} in dimension {dimension.id!r}: "
                        f"{expectation.id!r} does not say what {high_id} adds",
                    )
                )
    return out
