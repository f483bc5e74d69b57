"""Two assessments of one person, side by side: where the assessors disagree.

Pure: (role, assessment A, assessment B) -> :class:`Comparison`. No I/O, no printing.

Definitions (also in ``sreladder compare --help`` and docs/commands.md):

* A rating is a step on the scale not-yet / partially / consistently (0 / 1 / 2). Two
  ratings of one expectation **differ** when they are a step or more apart; that
  expectation is listed with both ratings and the number of steps.
* An expectation that one side rated and the other left unanswered or skipped is a
  **no answer** item: listed separately, never counted as a disagreement. Expectations
  neither side rated are left out. Answers to expectations the role does not have are
  ignored here (``score`` reports them).
* **Agreement** is two figures:
  - ``expectations``: of the expectations both sides rated, the share rated the same
    (``None`` when they share no rated expectation);
  - ``dimensions``: of the role's dimensions, the share where both sides reach the same
    level (both "not yet" counts as the same).
* Both assessments are scored against one role (A's), with the same target, so their
  per-dimension levels are comparable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sreladder.core.models import RATINGS, Assessment, Rating, Role
from sreladder.core.scoring import ScoreResult, score


def steps(rating: Rating) -> int:
    """A rating's position on the scale: not-yet 0, partially 1, consistently 2."""
    return RATINGS.index(rating)


def mismatch(a: Assessment, b: Assessment) -> str | None:
    """Why A and B should not be compared (different subjects or roles), or None.
    Subject names are compared trimmed, whitespace-collapsed and case-insensitively; a
    file that names no subject cannot be told apart, so it does not count as different."""
    if a.role != b.role:
        return f"the assessments are of different roles ({a.role!r} and {b.role!r})"
    name_a, name_b = a.subject_key, b.subject_key
    if name_a and name_b and name_a != name_b:
        return (
            "the assessments are of different people "
            f"({_quoted(a.subject_name or '')} and {_quoted(b.subject_name or '')})"
        )
    return None


def _quoted(name: str, limit: int = 80) -> str:
    """A name for a message: quoted, cut visibly, every control or invisible character
    escaped (``repr`` escapes what is not printable, direction overrides included)."""
    return repr(name if len(name) <= limit else name[: limit - 1] + "…")


def label(assessment: Assessment) -> str:
    """'self (Dana)', 'manager (Sam)'; just the relation when the assessor has no name."""
    name = assessment.assessor.name if assessment.assessor else None
    return (
        f"{assessment.relation} ({name.strip()})" if name and name.strip() else assessment.relation
    )


@dataclass(frozen=True)
class RatingPair:
    expectation: str
    dimension: str
    level: str
    text: str
    a: Rating | None  # None = no answer (unanswered or skipped)
    b: Rating | None

    @property
    def steps(self) -> int | None:
        if self.a is None or self.b is None:
            return None
        return abs(steps(self.a) - steps(self.b))

    def to_json(self) -> dict[str, Any]:
        return {
            "expectation": self.expectation,
            "dimension": self.dimension,
            "level": self.level,
            "text": self.text,
            "a": self.a,
            "b": self.b,
            "steps": self.steps,
        }


@dataclass(frozen=True)
class DimensionComparison:
    id: str
    name: str
    level_a: str | None
    level_b: str | None
    differences: list[RatingPair] = field(default_factory=list)

    @property
    def same_level(self) -> bool:
        return self.level_a == self.level_b


@dataclass(frozen=True)
class Comparison:
    role: str
    label_a: str
    label_b: str
    result_a: ScoreResult
    result_b: ScoreResult
    dimensions: list[DimensionComparison]
    differences: list[RatingPair]  # both rated, a step or more apart; role order
    no_answer: list[RatingPair]  # rated by one side only; role order
    both_rated: int
    equal: int

    @property
    def expectation_agreement(self) -> float | None:
        return self.equal / self.both_rated if self.both_rated else None

    @property
    def dimension_agreement(self) -> float:
        return self.dimensions_equal / len(self.dimensions)

    @property
    def dimensions_equal(self) -> int:
        return sum(d.same_level for d in self.dimensions)

    def agreement_json(self) -> dict[str, Any]:
        return {
            "expectations": _round(self.expectation_agreement),
            "expectations_equal": self.equal,
            "expectations_rated_by_both": self.both_rated,
            "dimensions": _round(self.dimension_agreement),
            "dimensions_equal": self.dimensions_equal,
            "dimensions_total": len(self.dimensions),
        }

    def to_json(self) -> dict[str, Any]:
        """The object of ``sreladder compare --format json``."""
        return {
            "role": self.role,
            "a": {"label": self.label_a, "recommended": self.result_a.recommended},
            "b": {"label": self.label_b, "recommended": self.result_b.recommended},
            "target": self.result_a.target,
            "agreement": self.agreement_json(),
            "dimensions": [
                {
                    "id": d.id,
                    "name": d.name,
                    "a": d.level_a,
                    "b": d.level_b,
                    "same": d.same_level,
                    "differences": [p.expectation for p in d.differences],
                }
                for d in self.dimensions
            ],
            "differences": [p.to_json() for p in self.differences],
            "no_answer": [p.to_json() for p in self.no_answer],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def rating_of(assessment: Assessment | None, expectation_id: str) -> Rating | None:
    """The rating ``assessment`` gives an expectation; None when it gives none (or there
    is no assessment)."""
    answer = assessment.answers.get(expectation_id) if assessment is not None else None
    return answer.rating if answer is not None else None


def compare(
    role: Role,
    a: Assessment,
    b: Assessment,
    target: str | None = None,
    labels: tuple[str, str] | None = None,
) -> Comparison:
    """Compare A and B against ``role``. ``target`` overrides A's (B is scored to the
    same target as A so both results measure the same thing)."""
    result_a = score(role, a, target)
    result_b = score(role, b, result_a.target)
    label_a, label_b = labels or (label(a), label(b))
    differences: list[RatingPair] = []
    no_answer: list[RatingPair] = []
    by_dimension: dict[str, list[RatingPair]] = {d.id: [] for d in role.dimensions}
    both_rated = equal = 0
    for dimension, level_id, expectation in role.expectations():
        pair = RatingPair(
            expectation.id,
            dimension.id,
            level_id,
            expectation.text,
            rating_of(a, expectation.id),
            rating_of(b, expectation.id),
        )
        if pair.a is None and pair.b is None:
            continue
        if pair.steps is None:
            no_answer.append(pair)
            continue
        both_rated += 1
        if pair.steps == 0:
            equal += 1
        else:
            differences.append(pair)
            by_dimension[dimension.id].append(pair)
    dimensions = [
        DimensionComparison(
            da.id, da.name, da.level, result_b.dimension(da.id).level, by_dimension[da.id]
        )
        for da in result_a.dimensions
    ]
    return Comparison(
        role=role.id,
        label_a=label_a,
        label_b=label_b,
        result_a=result_a,
        result_b=result_b,
        dimensions=dimensions,
        differences=differences,
        no_answer=no_answer,
        both_rated=both_rated,
        equal=equal,
    )
