"""From (role, assessment, target) to a recommendation: the rules of docs/scoring.md.

Pure functions: no I/O, no printing, no clock. The same pair always gives the same
result, whoever runs it and in whatever order the file lists its dimensions' answers.

Choices the rules state explicitly (docs/scoring.md says each):

* Comparisons against ``threshold`` and ``quorum`` allow 1e-9 of float error, so a
  cell with 4 of 5 equal weights met holds a 0.8 threshold.
* ``coverage`` is reported for the levels where a dimension has a cell.
* At the role's top level there is no level above: the target is the top level and
  there are no gaps.
* ``evidence_coverage`` is the share of earned credit (after ``require_evidence``)
  whose answer has evidence; ``None`` when nothing is earned (a share of nothing).
* ``unsupported`` lists expectations rated ``partially`` or ``consistently`` with no
  evidence (a ``not-yet`` claims nothing); role order.
* An inconsistency is a held cell with an unheld cell below it, one entry per held cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sreladder.core.models import CREDIT, Answer, Assessment, Cell, Dimension, Role

EPSILON = 1e-9


def credit(answer: Answer | None, require_evidence: bool) -> float:
    """What one answer earns: not-yet 0, partially 0.5, consistently 1; unanswered or
    skipped 0; with ``require_evidence``, nothing without evidence."""
    if answer is None or answer.rating is None:
        return 0.0
    if require_evidence and not answer.evidence:
        return 0.0
    return CREDIT[answer.rating]


def cell_coverage(cell: Cell, answers: dict[str, Answer], require_evidence: bool) -> float:
    total = sum(e.weight for e in cell.expectations)
    earned = sum(e.weight * credit(answers.get(e.id), require_evidence) for e in cell.expectations)
    return earned / total


def cell_held(role: Role, cell: Cell, answers: dict[str, Answer]) -> bool:
    """Whether the answers hold ``cell`` by the role's threshold and evidence rule."""
    coverage = cell_coverage(cell, answers, role.scoring.require_evidence)
    return _meets_threshold(role, coverage)


def _meets_threshold(role: Role, coverage: float) -> bool:
    return coverage >= role.scoring.threshold - EPSILON


@dataclass(frozen=True)
class DimensionResult:
    id: str
    name: str
    weight: float
    level: str | None
    coverage: dict[str, float]
    held: dict[str, bool]  # per cell level
    # held only because the dimension's first cell is above it: nothing is expected of it
    # yet, so the level is not a rating (a view must not show it as one)
    not_expected_yet: bool = False

    @property
    def top_cell(self) -> str:
        """The level of the dimension's last cell (``coverage`` has one entry per cell, in
        level order): a level above it is held with this cell's expectations."""
        return list(self.coverage)[-1]


@dataclass(frozen=True)
class Gap:
    dimension: str
    level: str
    expectation: str
    text: str
    credit: float
    weight: float
    rating: str | None = None  # the rating given; None when unanswered or skipped


@dataclass(frozen=True)
class Inconsistency:
    dimension: str
    level: str
    unmet: tuple[str, ...]


@dataclass(frozen=True)
class ScoreResult:
    role: str
    recommended: str | None
    target: str
    dimensions: list[DimensionResult]
    gaps: list[Gap]
    evidence_coverage: float | None
    unsupported: list[str]
    inconsistencies: list[Inconsistency]
    unknown_answers: list[str]
    quorum_share: dict[str, float] = field(default_factory=dict)  # per level: weighted share held

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def to_json(self) -> dict[str, Any]:
        """The object of ``sreladder score --format json`` (docs/scoring.md, "The result")."""
        return {
            "role": self.role,
            "recommended": self.recommended,
            "target": self.target,
            "dimensions": [
                {
                    "id": d.id,
                    "name": d.name,
                    "level": d.level,
                    "coverage": {lv: round(c, 4) for lv, c in d.coverage.items()},
                    "not_expected_yet": d.not_expected_yet,
                    "top_cell": d.top_cell,
                }
                for d in self.dimensions
            ],
            "gaps": [
                {
                    "dimension": g.dimension,
                    "level": g.level,
                    "expectation": g.expectation,
                    "text": g.text,
                    "credit": g.credit,
                }
                for g in self.gaps
            ],
            "evidence_coverage": None
            if self.evidence_coverage is None
            else round(self.evidence_coverage, 4),
            "unsupported": list(self.unsupported),
            "inconsistencies": [
                {"dimension": i.dimension, "level": i.level, "unmet": list(i.unmet)}
                for i in self.inconsistencies
            ],
            "unknown_answers": list(self.unknown_answers),
        }


def _dimension_levels(role: Role, answers: dict[str, Answer]) -> list[DimensionResult]:
    order = role.level_ids
    require = role.scoring.require_evidence
    results = []
    for dimension in role.dimensions:
        cells = role.cells(dimension)
        coverage = {lv: cell_coverage(cell, answers, require) for lv, cell in cells}
        held = {lv: _meets_threshold(role, c) for lv, c in coverage.items()}
        first_cell = order.index(cells[0][0])
        level = None
        for index, level_id in enumerate(order):
            if index < first_cell:
                meets = True
            else:
                nearest = max(i for i in range(first_cell, index + 1) if order[i] in held)
                meets = held[order[nearest]]
            if meets:
                level = level_id
        results.append(
            DimensionResult(
                dimension.id,
                dimension.name,
                dimension.weight,
                level,
                coverage,
                held,
                not_expected_yet(role, dimension, level),
            )
        )
    return results


def not_expected_yet(role: Role, dimension: Dimension, level: str | None) -> bool:
    """Whether ``level`` is "held" in ``dimension`` only because the dimension starts
    later (Strategy from P5 shows P4 when nothing about it was rated): true under the
    rule, but no rating, so views mark it apart."""
    if level is None:
        return False
    return role.level_index(level) < role.level_index(role.first_level(dimension))


def carried_over(role: Role, result: DimensionResult) -> list[str]:
    """The levels ``result`` holds only because they are above its last cell (a
    dimension whose last cell is P4 holds P5-P7 when P4 is met): true under the rule,
    but nothing there was assessed, so views say where the rubric stops. Lowest first;
    empty when the level is at or below the last cell."""
    if result.level is None:
        return []
    order = role.level_ids
    return order[order.index(result.top_cell) + 1 : order.index(result.level) + 1]


def _recommend(
    role: Role, dimensions: list[DimensionResult]
) -> tuple[str | None, dict[str, float]]:
    order = role.level_ids
    total = sum(d.weight for d in dimensions)
    index = {d.id: (order.index(d.level) if d.level is not None else -1) for d in dimensions}
    lowest = min(index.values())
    recommended = None
    shares = {}
    for i, level_id in enumerate(order):
        share = sum(d.weight for d in dimensions if index[d.id] >= i) / total
        shares[level_id] = share
        if share >= role.scoring.quorum - EPSILON and lowest >= i - role.scoring.max_lag:
            recommended = level_id
    return recommended, shares


def resolve_target(role: Role, recommended: str | None, requested: str | None) -> str:
    order = role.level_ids
    if requested is not None:
        found = role.level_named(requested)
        if found is None:
            from sreladder.core.errors import SreladderError

            raise SreladderError(
                f"target {requested!r} is not a level of role {role.id!r} ({', '.join(order)})"
            )
        return found
    if recommended is None:
        return order[0]
    return order[min(order.index(recommended) + 1, len(order) - 1)]


def _rated_cells(role: Role, dimension: Dimension, answers: dict[str, Answer]) -> set[str]:
    """The cells with at least one rated answer. Only these can be "unmet" in an
    inconsistency: the adaptive interview never asks the cells below a held claimed
    level, and a cell nobody was asked about is not evidence against the one above."""
    return {
        level_id
        for level_id, cell in role.cells(dimension)
        if any(
            (a := answers.get(e.id)) is not None and a.rating is not None for e in cell.expectations
        )
    }


def score(role: Role, assessment: Assessment, target: str | None = None) -> ScoreResult:
    """Score ``assessment`` against ``role``. ``target``: the ``--target`` option, which
    wins over the assessment's own target."""
    answers = assessment.answers
    require = role.scoring.require_evidence
    dimensions = _dimension_levels(role, answers)
    recommended, shares = _recommend(role, dimensions)
    chosen = resolve_target(role, recommended, target or assessment.target)
    order = role.level_ids
    target_index = order.index(chosen)

    gaps: list[Gap] = []
    by_weight = sorted(zip(role.dimensions, dimensions, strict=True), key=lambda p: -p[0].weight)
    for dimension, result in by_weight:
        level_index = order.index(result.level) if result.level is not None else -1
        if level_index >= target_index:
            continue
        for level_id, cell in role.cells(dimension):
            if not level_index < order.index(level_id) <= target_index:
                continue
            for expectation in cell.expectations:
                answer = answers.get(expectation.id)
                earned = credit(answer, require)
                if earned < 1:
                    gaps.append(
                        Gap(
                            dimension.id,
                            level_id,
                            expectation.id,
                            expectation.text,
                            earned,
                            expectation.weight,
                            answer.rating if answer else None,
                        )
                    )

    earned_total = with_evidence = 0.0
    unsupported = []
    for _, _, expectation in role.expectations():
        answer = answers.get(expectation.id)
        earned = credit(answer, require)
        earned_total += earned
        if answer is not None and answer.evidence:
            with_evidence += earned
        elif answer is not None and answer.rating in ("partially", "consistently"):
            unsupported.append(expectation.id)

    inconsistencies = []
    for dimension, result in zip(role.dimensions, dimensions, strict=True):
        rated = _rated_cells(role, dimension, answers)
        cell_levels = list(result.held)
        for i, level_id in enumerate(cell_levels):
            unmet = tuple(lv for lv in cell_levels[:i] if not result.held[lv] and lv in rated)
            if result.held[level_id] and unmet:
                inconsistencies.append(Inconsistency(result.id, level_id, unmet))

    return ScoreResult(
        role=role.id,
        recommended=recommended,
        target=chosen,
        dimensions=dimensions,
        gaps=gaps,
        evidence_coverage=with_evidence / earned_total if earned_total > 0 else None,
        unsupported=unsupported,
        inconsistencies=inconsistencies,
        unknown_answers=sorted(a for a in answers if a not in role.expectation_index),
        quorum_share=shares,
    )
