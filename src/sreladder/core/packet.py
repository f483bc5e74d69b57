"""The promotion packet as one plain data structure (the JSON of ``packet --format json``;
the Markdown and HTML renderers read the same structure, so all three say the same).

Pure: (role, assessment, score result[, other assessment, comparison]) -> dict. Text is
kept exactly as written (the renderers escape it for their format).

Keys (stable; ``null`` where a value is unknown):

* ``packet``: format version (1).
* ``subject``: the person's name. ``role``: ``{id, name}``.
* ``assessor``: ``{name, relation, label}`` (label e.g. ``"manager (Sam)"``).
* ``date``: the assessment's ``updated`` (else ``created``) date, ``YYYY-MM-DD``.
* ``recommended`` / ``target``: ``{id, label}`` (recommended ``id`` null = no level held).
* ``explanation``: the rule behind the recommendation, one sentence with its numbers.
* ``scoring``: the role's ``{threshold, quorum, max_lag, require_evidence}``.
* ``levels``: the role's levels in order, ``[{id, label}]``.
* ``evidence_coverage``: share of earned credit carrying evidence (0..1) or null.
* ``dimensions``: role order, each ``{id, name, group, weight, first_level (its first
  cell's level), level, level_label,
  meets_target, levels_below_target, coverage {level: share}, met [...], gaps [...],
  other_level, differences [...]}``:

  - ``met``: every expectation of the dimension's cells **at or below the target**
    that earns credit (rated ``consistently`` or ``partially``; with
    ``require_evidence``, only with evidence), lowest level first:
    ``{expectation, level, text, rating, evidence: [{text, link, date}]}``. Levels below
    the target are included because the case for a level rests on the whole
    progression, not only on the target cell.
  - ``gaps``: the scorer's gaps for this dimension: ``{expectation, level, text,
    rating, credit}`` (``rating`` null = unanswered or skipped).
  - ``other_level`` / ``differences``: only with a comparison (else null / ``[]``): the
    other assessor's level and the expectations whose ratings differ by a step or more
    ``{expectation, level, text, rating, other_rating, steps}``.
* ``unsupported``: claims without evidence ``[{expectation, dimension, level, text, rating}]``.
* ``inconsistencies``: ``[{dimension, level, unmet: [levels]}]``.
* ``unknown_answers``: answered expectation ids the role does not have.
* ``compare``: null, or ``{assessor {name, relation, label}, date, recommended {id,
  label}, agreement {expectations, expectations_equal, expectations_rated_by_both,
  dimensions, dimensions_equal, dimensions_total}, no_answer [{expectation, dimension,
  level, text, rating, other_rating}]}``.
"""

from __future__ import annotations

from typing import Any

from sreladder.core.models import Assessment, Role
from sreladder.core.scoring import ScoreResult, credit

PACKET_VERSION = 1


def _level(role: Role, level_id: str | None) -> dict[str, Any]:
    from sreladder.core.scoring import level_label

    return {"id": level_id, "label": level_label(role, level_id)}


def _date(assessment: Assessment) -> str | None:
    when = assessment.updated or assessment.created
    return when.date().isoformat() if when else None


def _assessor(assessment: Assessment, label: str) -> dict[str, Any]:
    return {
        "name": assessment.assessor.name if assessment.assessor else None,
        "relation": assessment.relation,
        "label": label,
    }


def _evidence(assessment: Assessment, expectation_id: str) -> list[dict[str, Any]]:
    answer = assessment.answers.get(expectation_id)
    if answer is None:
        return []
    return [
        {"text": e.text, "link": e.link, "date": e.date.isoformat() if e.date else None}
        for e in answer.evidence
    ]


def build_packet(
    role: Role,
    assessment: Assessment,
    result: ScoreResult,
    other: Assessment | None = None,
    comparison: Any = None,
) -> dict[str, Any]:
    """The packet content. ``comparison`` (a :class:`sreladder.core.compare.Comparison` of
    ``assessment`` as A and ``other`` as B) adds the other view."""
    from sreladder.core.compare import label as assessor_label
    from sreladder.core.scoring import explain, level_label

    order = role.level_ids
    target_index = order.index(result.target)
    require = role.scoring.require_evidence
    answers = assessment.answers
    label_a = comparison.label_a if comparison else assessor_label(assessment)

    gaps_by_dimension: dict[str, list[dict[str, Any]]] = {}
    for gap in result.gaps:
        answer = answers.get(gap.expectation)
        gaps_by_dimension.setdefault(gap.dimension, []).append(
            {
                "expectation": gap.expectation,
                "level": gap.level,
                "text": gap.text,
                "rating": answer.rating if answer else None,
                "credit": gap.credit,
            }
        )
    diffs: dict[str, list[dict[str, Any]]] = {}
    other_levels: dict[str, str | None] = {}
    if comparison is not None:
        for d in comparison.dimensions:
            other_levels[d.id] = d.level_b
            diffs[d.id] = [
                {
                    "expectation": p.expectation,
                    "level": p.level,
                    "text": p.text,
                    "rating": p.a,
                    "other_rating": p.b,
                    "steps": p.steps,
                }
                for p in d.differences
            ]

    dimensions = []
    for dimension, d in zip(role.dimensions, result.dimensions, strict=True):
        met = []
        for level_id, cell in role.cells(dimension):
            if order.index(level_id) > target_index:
                continue
            for expectation in cell.expectations:
                answer = answers.get(expectation.id)
                if credit(answer, require) > 0:
                    met.append(
                        {
                            "expectation": expectation.id,
                            "level": level_id,
                            "text": expectation.text,
                            "rating": answer.rating if answer else None,
                            "evidence": _evidence(assessment, expectation.id),
                        }
                    )
        level_index = order.index(d.level) if d.level is not None else -1
        dimensions.append(
            {
                "id": d.id,
                "name": d.name,
                "group": dimension.group,
                "weight": d.weight,
                "first_level": role.first_level(dimension),
                "level": d.level,
                "level_label": level_label(role, d.level),
                "meets_target": level_index >= target_index,
                "levels_below_target": max(target_index - level_index, 0),
                "coverage": {lv: round(c, 4) for lv, c in d.coverage.items()},
                "met": met,
                "gaps": gaps_by_dimension.get(d.id, []),
                "other_level": other_levels.get(d.id),
                "differences": diffs.get(d.id, []),
            }
        )

    index = role.expectation_index
    unsupported = []
    for expectation_id in result.unsupported:
        dimension, level_id, expectation = index[expectation_id]
        unsupported.append(
            {
                "expectation": expectation_id,
                "dimension": dimension.id,
                "level": level_id,
                "text": expectation.text,
                "rating": answers[expectation_id].rating,
            }
        )

    other_view = None
    if comparison is not None and other is not None:
        other_view = {
            "assessor": _assessor(other, comparison.label_b),
            "date": _date(other),
            "recommended": _level(role, comparison.result_b.recommended),
            "agreement": comparison.agreement_json(),
            "no_answer": [
                {
                    "expectation": p.expectation,
                    "dimension": p.dimension,
                    "level": p.level,
                    "text": p.text,
                    "rating": p.a,
                    "other_rating": p.b,
                }
                for p in comparison.no_answer
            ],
        }

    return {
        "packet": PACKET_VERSION,
        "subject": assessment.subject_name,
        "role": {"id": role.id, "name": role.name},
        "assessor": _assessor(assessment, label_a),
        "date": _date(assessment),
        "recommended": _level(role, result.recommended),
        "target": _level(role, result.target),
        "explanation": explain(role, result),
        "scoring": role.scoring.model_dump(mode="json"),
        "levels": [_level(role, lv) for lv in order],
        "evidence_coverage": None
        if result.evidence_coverage is None
        else round(result.evidence_coverage, 4),
        "dimensions": dimensions,
        "unsupported": unsupported,
        "inconsistencies": [
            {"dimension": i.dimension, "level": i.level, "unmet": list(i.unmet)}
            for i in result.inconsistencies
        ],
        "unknown_answers": list(result.unknown_answers),
        "compare": other_view,
    }
