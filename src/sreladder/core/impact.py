"""What a change to a ladder does to stored assessments: the pure core of ``sreladder impact``.

Each assessment is scored twice with the one scorer (:func:`sreladder.core.scoring.score`):
against its role in the ladder *before* the change and in the ladder *after* it. Reading
the two ladders and the files is :mod:`sreladder.io.impact_inputs`; the views are
:mod:`sreladder.present.report_impact`.

Choices:

* An assessment's ``rubric_digest`` names the old version of its role, so it differs
  under the new ladder by construction: it is not reported.
* The ``target`` and ``claimed`` levels of the file play no part: only the
  recommendation and each dimension's level are compared, and a target that the new
  ladder dropped must not stop the comparison.
* An assessment *changes* when its recommendation, a dimension's level, or what it can
  be scored on changes: answers to expectations the new ladder no longer has
  (``removed_answers``: ids that the old role had and the new one has not), or new
  expectations at or below the person's level before the change that the file has no
  rating for (``unrated_new``: ids the new role has and the old one had not). "At or
  below" is by the new role's order; a level the new role dropped counts as the
  highest level it kept from below it.
* A role that only one ladder has is reported (``role-removed``, ``role-added``) and
  counts as a changed recommendation; a role neither ladder has is a bad assessment,
  refused before anything is scored.
* ``direction``: ``down`` or ``up`` when the new recommendation is lower or higher in
  the new role's level order (no level held is below every level), ``same``, or
  ``other`` when the two cannot be placed on one order (a level the new role dropped,
  a role only one ladder has).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from sreladder.core.models import Assessment, Role
from sreladder.core.scoring import ScoreResult, score

Status = Literal["scored", "role-removed", "role-added"]
Direction = Literal["down", "up", "same", "other"]


@dataclass(frozen=True)
class DimensionShift:
    """One dimension's level before and after. ``only_in``: the dimension exists in one
    ladder only (its level on the other side is None). ``*_not_expected``: the level is
    held only because the dimension starts later
    (:func:`~sreladder.core.scoring.not_expected_yet`)."""

    id: str
    name: str
    before: str | None
    after: str | None
    only_in: Literal["before", "after"] | None = None
    before_not_expected: bool = False
    after_not_expected: bool = False

    @property
    def changed(self) -> bool:
        return self.only_in is not None or self.before != self.after


@dataclass(frozen=True)
class RemovedAnswer:
    """An answer to an expectation the old role had and the new one has not."""

    id: str
    rating: str | None
    dimension: str
    level: str
    text: str


@dataclass(frozen=True)
class NewExpectation:
    """An expectation only the new role has, at or below the person's old level, with
    no rating in the file."""

    id: str
    dimension: str
    level: str
    text: str


@dataclass(frozen=True)
class Impact:
    """One assessment under both ladders. ``file`` and ``subject`` are None when the
    report is anonymous (``subject`` also when the file names nobody)."""

    file: str | None
    subject: str | None
    relation: str
    role: str
    status: Status
    before: str | None
    after: str | None
    direction: Direction
    dimensions: tuple[DimensionShift, ...]
    removed_answers: tuple[RemovedAnswer, ...]
    unrated_new: tuple[NewExpectation, ...]

    @property
    def recommendation_changed(self) -> bool:
        return self.status != "scored" or self.before != self.after

    @property
    def changed(self) -> bool:
        return (
            self.recommendation_changed
            or any(d.changed for d in self.dimensions)
            or bool(self.removed_answers)
            or bool(self.unrated_new)
        )


@dataclass(frozen=True)
class ImpactReport:
    """Every assessment, in the order they were read."""

    impacts: tuple[Impact, ...]
    anonymous: bool = False

    @property
    def total(self) -> int:
        return len(self.impacts)

    @property
    def changes(self) -> list[Impact]:
        return [i for i in self.impacts if i.changed]

    @property
    def unchanged(self) -> int:
        return sum(1 for i in self.impacts if not i.changed)

    @property
    def recommendation_changes(self) -> list[Impact]:
        return [i for i in self.impacts if i.recommendation_changed]

    def count(self, direction: Direction) -> int:
        return sum(1 for i in self.recommendation_changes if i.direction == direction)


# --- one assessment ------------------------------------------------------------------


def _scored(role: Role, assessment: Assessment) -> ScoreResult:
    # the top level as target: the file's own target may not be a level of the other
    # ladder, and gaps are not compared
    return score(role, assessment, role.level_ids[-1])


def _direction(after_role: Role, before: str | None, after: str | None) -> Direction:
    if before == after:
        return "same"
    if before is not None and before not in after_role.levels:
        return "other"
    low = -1 if before is None else after_role.level_index(before)
    high = -1 if after is None else after_role.level_index(after)
    return "down" if high < low else "up"


def _threshold(before_role: Role, after_role: Role, level: str | None) -> int:
    """The index in the new role's order of the person's old level (see the module's
    choices); -1 when they held none."""
    if level is None:
        return -1
    if level in after_role.levels:
        return after_role.level_index(level)
    upto = before_role.level_ids[: before_role.level_index(level) + 1]
    kept = [after_role.level_index(lv) for lv in upto if lv in after_role.levels]
    return max(kept, default=-1)


def _dimension_shifts(
    before_role: Role | None,
    after_role: Role | None,
    before: ScoreResult | None,
    after: ScoreResult | None,
) -> tuple[DimensionShift, ...]:
    """The union of both roles' dimensions: the old role's order, then the new ones."""
    old = {d.id: d for d in before.dimensions} if before else {}
    new = {d.id: d for d in after.dimensions} if after else {}
    order = [d.id for d in before.dimensions] if before else []
    order += [d.id for d in (after.dimensions if after else []) if d.id not in old]
    shifts = []
    for dimension_id in order:
        b, a = old.get(dimension_id), new.get(dimension_id)
        only: Literal["before", "after"] | None = None
        if b is None:
            only = "after"
        elif a is None:
            only = "before"
        shifts.append(
            DimensionShift(
                id=dimension_id,
                name=(a or b).name,  # type: ignore[union-attr]
                before=b.level if b else None,
                after=a.level if a else None,
                only_in=only if before_role and after_role else None,
                before_not_expected=b.not_expected_yet if b else False,
                after_not_expected=a.not_expected_yet if a else False,
            )
        )
    return tuple(shifts)


def assess(
    file: str,
    assessment: Assessment,
    before_roles: Mapping[str, Role],
    after_roles: Mapping[str, Role],
) -> Impact:
    """``assessment`` (read from ``file``) under both ladders. Its role must be in at
    least one of them (the reader refuses a file whose role neither has)."""
    before_role = before_roles.get(assessment.role)
    after_role = after_roles.get(assessment.role)
    if before_role is None and after_role is None:
        raise ValueError(f"role {assessment.role!r} is in neither ladder")
    before = _scored(before_role, assessment) if before_role else None
    after = _scored(after_role, assessment) if after_role else None
    old_level = before.recommended if before else None
    new_level = after.recommended if after else None

    removed: list[RemovedAnswer] = []
    unrated: list[NewExpectation] = []
    if before_role is not None and after_role is not None:
        status: Status = "scored"
        direction = _direction(after_role, old_level, new_level)
        gone = before_role.expectation_index
        for answer_id, answer in assessment.answers.items():
            if answer_id in gone and answer_id not in after_role.expectation_index:
                dimension, level, expectation = gone[answer_id]
                removed.append(
                    RemovedAnswer(answer_id, answer.rating, dimension.id, level, expectation.text)
                )
        upto = _threshold(before_role, after_role, old_level)
        for dimension, level, expectation in after_role.expectations():
            if expectation.id in gone or after_role.level_index(level) > upto:
                continue
            rated = assessment.answers.get(expectation.id)
            if rated is None or rated.rating is None:
                unrated.append(
                    NewExpectation(expectation.id, dimension.id, level, expectation.text)
                )
    else:
        status = "role-removed" if after_role is None else "role-added"
        direction = "other"

    return Impact(
        file=file,
        subject=assessment.subject_name,
        relation=assessment.relation,
        role=assessment.role,
        status=status,
        before=old_level,
        after=new_level,
        direction=direction,
        dimensions=_dimension_shifts(before_role, after_role, before, after),
        removed_answers=tuple(removed),
        unrated_new=tuple(unrated),
    )


def build_report(
    assessments: Sequence[tuple[str, Assessment]],
    before_roles: Mapping[str, Role],
    after_roles: Mapping[str, Role],
    *,
    anonymous: bool = False,
) -> ImpactReport:
    """Every (file, assessment) under both ladders, in the order given; anonymous: see
    :func:`anonymize`."""
    report = ImpactReport(tuple(assess(f, a, before_roles, after_roles) for f, a in assessments))
    if not anonymous:
        return report
    return anonymize(report, [a.subject_key for _, a in assessments])


def anonymize(report: ImpactReport, keys: list[str | None] | None = None) -> ImpactReport:
    """No names and no paths: each subject becomes ``person N``, numbered by first
    appearance in the report's order (stable for the same files), the same label for
    the same person; ``keys`` (one per impact: who it is about, as matched by
    :attr:`Assessment.subject_key`) say who is the same person, else the names as
    shown. A file that names nobody is a person of its own."""
    labels: dict[Any, str] = {}
    out = []
    for index, impact in enumerate(report.impacts):
        key: Any = keys[index] if keys is not None else impact.subject
        if key is None:
            key = ("file", index)
        label = labels.setdefault(key, f"person {len(labels) + 1}")
        out.append(replace(impact, file=None, subject=label))
    return ImpactReport(tuple(out), anonymous=True)
