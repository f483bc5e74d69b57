"""Pydantic models of level scales, role rubrics and assessments.

Every model here is a :class:`FileModel`: a frozen Pydantic ``BaseModel`` that forbids
unknown keys and refuses NaN and infinity (the lexicon's and the lint settings' models
are too; an ``--answers`` file's is a ``RootModel``, :mod:`sreladder.core.answer_map`).
Constraints are written where the type is, as ``Annotated[..., Field(...)]``, and
carry the shape rules (types, required keys, weights > 0, 0 < threshold <= 1,
non-blank text, at least one cell per dimension and one expectation per cell). The
rules that relate several fields (unique ids, cells only at the role's levels) are
:func:`findings`, at the end of this module; the model validators run them, so a
model built in code (``Role(...)``) is validated exactly as one loaded from a file.
Rules between files (a role and its scale) are :mod:`sreladder.core.checks`. The file
loader passes ``context={"deferred_checks": True}`` and runs the same checks itself,
to report each finding at its own line instead of at the top of the file.

The models are declared with ``defer_build=True``: Pydantic builds a model's
validator and serializer the first time it is used, not when this module is imported,
so a command that only reads models from the cache (:mod:`sreladder.io.cache`) never
builds them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from functools import cached_property
from itertools import pairwise
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

from sreladder.core.findings import Finding, duplicates

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
NOT_BLANK = r"\S"

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(pattern=NOT_BLANK, max_length=20_000)]
Sources = Text | list[Text]
# Numbers and switches are strict, as the JSON Schema is: `true`, "0.8" or `yes` where a
# number or a boolean belongs is an error, not silently 1.0, 0.8 or True.
Weight = Annotated[float, Field(strict=True, gt=0, le=1_000_000)]
Fraction = Annotated[float, Field(strict=True, gt=0, le=1)]
StrictBool = Annotated[bool, Field(strict=True)]


def _format_one(version: int) -> int:
    if version != 1:
        raise ValueError("this sreladder reads format version 1")
    return version


FormatVersion = Annotated[
    int,
    Field(strict=True, description="file format version", json_schema_extra={"const": 1}),
    AfterValidator(_format_one),
]

Rating = Literal["not-yet", "partially", "consistently"]
RATINGS: tuple[Rating, ...] = ("not-yet", "partially", "consistently")
RATING_KEYS: dict[str, Rating] = {"n": "not-yet", "p": "partially", "c": "consistently"}


def parse_rating(text: str) -> Rating | None:
    """``n``/``p``/``c`` or the full word (any case); None if it is neither."""
    word = text.strip().lower()
    if word in RATING_KEYS:
        return RATING_KEYS[word]
    return next((rating for rating in RATINGS if rating == word), None)


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


class FileModel(BaseModel):
    """The base of every model read from a file: frozen, unknown keys are errors, NaN
    and infinity are refused. Frozen so that a ``cached_property`` (a digest, an index)
    never goes stale; :meth:`model_copy` makes a copy that computes its own."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, defer_build=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied (not validated, as in Pydantic), without the
        values cached on this one: Pydantic copies ``__dict__`` whole, where
        ``functools.cached_property`` keeps them, so a copy would otherwise keep the
        digest of the model it was copied from."""
        copied = super().model_copy(update=dict(update) if update else None, deep=deep)
        for name in _cached_names(type(self)):
            copied.__dict__.pop(name, None)
        return copied


@functools.cache
def _cached_names(cls: type) -> tuple[str, ...]:
    """The names of ``cls``'s cached properties, its bases' included."""
    return tuple(
        name
        for klass in cls.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, cached_property)
    )


def _run_checks(model: BaseModel, info: ValidationInfo) -> None:
    if info.context and info.context.get("deferred_checks"):
        return
    errors = [f for f in findings(model) if f.code.startswith("E")]
    if errors:
        raise ValueError("; ".join(f"{'.'.join(map(str, f.loc))}: {f.message}" for f in errors))


# --- level scales ----------------------------------------------------------------


class LevelAttributes(FileModel):
    """The universal attributes a scale may give a level; each is optional."""

    scope: Text | None = None
    autonomy: Text | None = None
    complexity: Text | None = None
    impact: Text | None = None
    decision_rights: Text | None = None
    leadership: Text | None = None
    typical_experience: Text | None = None
    degree_and_years: Text | None = None


class Level(FileModel):
    id: Id
    name: Text | None = None
    summary: Text | None = None
    attributes: LevelAttributes | None = None
    source: Sources | None = None


class LevelScale(FileModel):
    """A ladder: ordered levels, lowest first."""

    id: Id
    name: Text
    description: Text | None = None
    levels: Annotated[list[Level], Field(min_length=1)]

    @model_validator(mode="after")
    def _within_file_rules(self, info: ValidationInfo) -> Self:
        _run_checks(self, info)
        return self

    @cached_property
    def level_ids(self) -> list[str]:
        return [level.id for level in self.levels]

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)


# --- role rubrics ----------------------------------------------------------------


class Scoring(FileModel):
    threshold: Fraction = 0.8
    quorum: Fraction = 0.75
    max_lag: Annotated[int, Field(strict=True, ge=0, le=100)] = 1
    require_evidence: StrictBool = False


class Profile(FileModel):
    """What a level asks a person to *have* rather than to *do*: the skills, knowledge,
    competencies and qualifications a source lists beside its tasks. Shown by ``show``,
    ``diff`` and the packet; never rated (a rating needs a behaviour)."""

    skills: list[Text] = Field(default_factory=list)
    knowledge: list[Text] = Field(default_factory=list)
    competencies: list[Text] = Field(default_factory=list)
    qualifications: list[Text] = Field(default_factory=list)
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


class RoleLevel(FileModel):
    title: Text | None = None
    profile: Profile | None = None


class Expectation(FileModel):
    id: Id
    text: Text
    weight: Weight = 1.0
    examples: list[Text] = Field(default_factory=list)
    # what evidence of it looks like in a brag document, for the evidence matcher only:
    # not part of what is expected, so not part of the role's digest
    evidence_examples: list[Text] = Field(default_factory=list)
    source: Sources | None = None


class Cell(FileModel):
    summary: Text | None = None
    expectations: Annotated[list[Expectation], Field(min_length=1)]


class Dimension(FileModel):
    id: Id
    name: Text
    group: Text | None = None
    weight: Weight = 1.0
    description: Text | None = None
    levels: Annotated[dict[Id, Cell], Field(min_length=1)]


class Role(FileModel):
    """A role rubric: dimensions x levels -> expectations."""

    id: Id
    name: Text
    ladder: Id
    description: Text | None = None
    levels: Annotated[dict[Id, RoleLevel], Field(min_length=1)]
    scoring: Scoring = Field(default_factory=Scoring)
    dimensions: Annotated[list[Dimension], Field(min_length=1)]

    @model_validator(mode="after")
    def _within_file_rules(self, info: ValidationInfo) -> Self:
        _run_checks(self, info)
        return self

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

    def __getstate__(self) -> dict[Any, Any]:
        """Pickled (into the cache, to a worker process) with its digest: computing it
        takes Pydantic's serializer, which a command reading the role back would
        otherwise build for that alone."""
        self.digest  # noqa: B018 - cached in __dict__, which is pickled
        return super().__getstate__()


# --- assessments -----------------------------------------------------------------


class EvidenceSource(FileModel):
    """Where an evidence item was found: a source file and its 1-based line."""

    file: Text
    line: Annotated[int, Field(strict=True, ge=1, le=100_000_000)]


#: how a suggested item came to be attached: a person accepted it (``confirmed``), or it
#: was attached without being shown (``unreviewed``: ``evidence --attach --yes``, ``all``)
Suggested = Literal["confirmed", "unreviewed"]


class Evidence(FileModel):
    text: Text
    link: Text | None = None
    date: dt.date | None = None
    source: Annotated[
        EvidenceSource | None,
        Field(
            description="where the item was found (written by `evidence --attach` and the "
            "interview's suggestions)"
        ),
    ] = None
    suggested: Annotated[
        Suggested | None,
        Field(
            description="set when sreladder's matcher suggested the item: `confirmed` (a "
            "person accepted it) or `unreviewed` (attached unseen)"
        ),
    ] = None


class Answer(FileModel):
    """A rating with its evidence. No rating means the question was skipped: it
    earns nothing, and the interview does not ask it again on resume."""

    rating: Rating | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Person(FileModel):
    name: Text


class Assessor(FileModel):
    name: Text | None = None
    relation: Relation = "self"


class Assessment(FileModel):
    """An assessment file. Only ``sreladder``, ``role`` and ``answers`` are required."""

    sreladder: FormatVersion
    role: Id
    rubric_digest: Annotated[str, Field(max_length=200)] | None = None
    subject: Person | None = None
    assessor: Assessor | None = None
    target: Id | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    claimed: dict[Id, Id] = Field(
        default_factory=dict,
        description="per dimension, the level the assessor picked as best describing "
        "the person's consistent work (written by the interview)",
    )
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


def findings(model: BaseModel) -> list[Finding]:
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
