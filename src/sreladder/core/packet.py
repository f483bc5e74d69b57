"""The promotion packet as typed, frozen data: the single content of every packet format.

Pure: (role, assessment, score result[, other assessment, comparison], wording) ->
:class:`Packet`. ``packet --format json`` is :meth:`Packet.to_json`; the Markdown and HTML
templates read the same objects, so every format says the same. Text is kept exactly as
written (each medium escapes it).

Every field carries its documentation (``doc(...)``): ``docs/templates.md`` is generated
from these classes (:mod:`sreladder.present.template_docs`), and a test keeps it in sync.
A field marked ``json=False`` is for templates only and is not part of the JSON.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard

from sreladder.core.compare import Comparison, rating_of
from sreladder.core.compare import label as assessor_label
from sreladder.core.models import Answer, Assessment, Evidence, Role
from sreladder.core.scoring import ScoreResult, carried_over, credit

PACKET_VERSION = 1
MILESTONE_DAYS = (30, 60, 90)
SUSTAINED_DAYS = 60
CLAIMS = ("partially", "consistently")
BOTH = "both"


class Wording(Protocol):
    """The words a packet carries (labels and the one-sentence reason): they belong to
    the presentation layer, which passes them in (``sreladder.present.labels``)."""

    def level_label(self, role: Role, level_id: str | None) -> str: ...

    def explain(self, role: Role, result: ScoreResult) -> str: ...


def doc(
    text: str, json: bool = True, default: Any = dataclasses.MISSING, compare: bool = True
) -> Any:
    """A dataclass field with its documentation (and whether it is in the JSON). The
    fields added after version 1 have a ``default``, so a packet built by hand with the
    first fields stays valid. ``compare=False``: not part of what makes two values the
    same."""
    return field(default=default, compare=compare, metadata={"doc": text, "json": json})


@dataclass(frozen=True)
class Level:
    """A level of the role."""

    id: str | None = doc('the level id (e.g. `P3`); null for "no level held"')
    label: str = doc("the id with the role's title for it, e.g. `P4 Senior SRE`; `not yet P1`")


@dataclass(frozen=True)
class RoleRef:
    """The role assessed against."""

    id: str = doc("the role id, e.g. `sre`")
    name: str = doc("its name, e.g. `Site Reliability Engineer`")


@dataclass(frozen=True)
class Assessor:
    """Who made an assessment."""

    name: str | None = doc("the assessor's name, or null")
    relation: str = doc("`self`, `manager` or `peer`")
    label: str = doc("how columns are headed, e.g. `manager (Sam Reyes)`")


@dataclass(frozen=True)
class Scoring:
    """The role's scoring rules."""

    threshold: float = doc("share of a cell's expectation weight needed to hold a level")
    quorum: float = doc("weighted share of dimensions needed for the recommendation")
    max_lag: int = doc("how many levels a dimension may sit below the recommendation")
    require_evidence: bool = doc("whether a claim without evidence earns nothing")


@dataclass(frozen=True)
class Source:
    """Where a suggested evidence item was found."""

    file: str = doc("the source file's name, without its folders, e.g. `brag.md`")
    line: int = doc("its 1-based line")


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence, as written (text may hold line breaks). An item that
    `sreladder evidence --attach` or the interview suggested says so (`suggested`,
    `source`); one a person typed has both null. Two items with the same text, link
    and date are the same item, whoever attached them."""

    text: str = doc("what was done, as written (may span several lines)")
    link: str | None = doc("a link as written, or null (only http(s) links are made clickable)")
    date: str | None = doc("`YYYY-MM-DD`, or null")
    source: Source | None = doc(
        "where a suggested item was found, or null", default=None, compare=False
    )
    suggested: str | None = doc(
        "null when a person typed the item; `confirmed` when sreladder suggested it and a "
        "person accepted it; `unreviewed` when it was attached without being shown "
        "(`evidence --attach --yes`, or `all` in its review)",
        default=None,
        compare=False,
    )


@dataclass(frozen=True)
class Given:
    """An evidence item with whose it is: a packet with `--compare` shows the evidence
    either assessor gave."""

    item: EvidenceItem = doc("the evidence item")
    by: str = doc(
        "who gave it: an assessor's `label`, or `both` when both gave the same item "
        "(same text, link and date)"
    )


@dataclass(frozen=True)
class MetItem:
    """An expectation at or below the target that earns credit."""

    expectation: str = doc("the expectation id")
    level: str = doc("the level of its cell")
    text: str = doc("the rubric's wording")
    rating: str | None = doc("`consistently` or `partially`")
    evidence: tuple[EvidenceItem, ...] = doc("the evidence given for it, in file order")
    other_rating: str | None = doc(
        "with a comparison, the other assessment's rating (null when it gave none)", default=None
    )
    other_evidence: tuple[EvidenceItem, ...] = doc(
        "with a comparison, the other assessment's evidence for it, in file order", default=()
    )
    given: tuple[Given, ...] = doc(
        "the evidence either assessment gave, each with whose it is: this one's in file "
        "order (`both` when the other gave the same item), then the other's",
        json=False,
        default=(),
    )


@dataclass(frozen=True)
class GapItem:
    """An expectation between the dimension's level and the target not fully met."""

    expectation: str = doc("the expectation id")
    level: str = doc("the level of its cell")
    text: str = doc("the rubric's wording")
    rating: str | None = doc("the rating given, null when unanswered or skipped")
    credit: float = doc("what the answer earns: 0, 0.5")
    examples: tuple[str, ...] = doc(
        "the rubric's examples of meeting it (what evidence to collect)", json=False
    )


@dataclass(frozen=True)
class Difference:
    """An expectation both assessors rated a step or more apart."""

    expectation: str = doc("the expectation id")
    level: str = doc("the level of its cell")
    text: str = doc("the rubric's wording")
    rating: str | None = doc("this assessment's rating")
    other_rating: str | None = doc("the other assessment's rating")
    steps: int | None = doc("how far apart (not-yet / partially / consistently = 0 / 1 / 2)")
    evidence: tuple[EvidenceItem, ...] = doc(
        "this assessment's evidence for it (on a `not-yet`, the assessor's reasons)", default=()
    )
    other_evidence: tuple[EvidenceItem, ...] = doc(
        "the other assessment's evidence for it", default=()
    )


@dataclass(frozen=True)
class DimensionView:
    """A dimension against the target, in role order."""

    id: str = doc("the dimension id")
    name: str = doc("its name")
    group: str | None = doc("the source's category (Skill, Engagement...), or null")
    weight: float = doc("its weight in the recommendation")
    first_level: str = doc("the level of its first cell: nothing is expected below it")
    top_cell: str = doc(
        "the level of its last cell: the rubric stops there, and a level above it is held "
        "with this cell's expectations"
    )
    level: str | None = doc("the level held, null for none")
    level_label: str = doc("the level held with its title, or `not yet P1`")
    meets_target: bool = doc("whether the level held is at or above the target")
    levels_below_target: int = doc("how many levels below the target (0 when it meets it)")
    coverage: dict[str, float] = doc("per cell level, the share of its expectation weight met")
    met: tuple[MetItem, ...] = doc(
        "every expectation at or below the target that earns credit, lowest level first"
    )
    gaps: tuple[GapItem, ...] = doc("the expectations up to the target not fully met")
    other_level: str | None = doc("with a comparison, the other assessor's level (else null)")
    differences: tuple[Difference, ...] = doc("with a comparison, the ratings that differ")
    not_expected_yet: bool = doc(
        "the level is held only because the dimension starts later: not a rating"
    )
    other_not_expected_yet: bool = doc("the same for `other_level`")
    carried: tuple[str, ...] = doc(
        "the levels held only because they are above `top_cell` (nothing there was "
        "assessed), lowest first; empty when the level is at or below it",
        default=(),
    )
    other_carried: tuple[str, ...] = doc("the same for `other_level`", default=())
    claims: int = doc(
        "how many of its expectations (any level) this assessment rates partially or consistently",
        default=0,
    )
    artifacts: int = doc(
        "evidence items of those claims that point at an artifact: they have a link (a "
        "PR, postmortem, dashboard, doc)",
        default=0,
    )
    testimony: int = doc("evidence items of those claims with no link: testimony only", default=0)

    @property
    def strongest(self) -> MetItem | None:
        """The strongest evidence of the dimension: the highest met expectation that has
        evidence (rated `consistently` before `partially`), else null. With a comparison,
        evidence either assessor gave counts (see `given`)."""
        backed = [m for m in self.met if m.given]
        if not backed:
            return None
        return max(
            enumerate(backed), key=lambda p: (p[1].rating == "consistently", p[1].level, p[0])
        )[1]


@dataclass(frozen=True)
class Unsupported:
    """A claim (rated partially or consistently) without evidence."""

    expectation: str = doc("the expectation id")
    dimension: str = doc("its dimension id")
    level: str = doc("the level of its cell")
    text: str = doc("the rubric's wording")
    rating: str | None = doc("the rating claimed")


@dataclass(frozen=True)
class Inconsistency:
    """A held cell with an unheld, rated cell below it."""

    dimension: str = doc("the dimension id")
    level: str = doc("the level held")
    unmet: tuple[str, ...] = doc("the rated levels below it that are not held")


@dataclass(frozen=True)
class Agreement:
    """How far two assessments agree."""

    expectations: float | None = doc("share of expectations rated by both rated the same")
    expectations_equal: int = doc("how many are rated the same")
    expectations_rated_by_both: int = doc("how many both rated")
    dimensions: float = doc("share of dimensions at the same level")
    dimensions_equal: int = doc("how many dimensions are at the same level")
    dimensions_total: int = doc("how many dimensions")


@dataclass(frozen=True)
class OneSided:
    """An expectation only one assessor rated (not a disagreement)."""

    expectation: str = doc("the expectation id")
    dimension: str = doc("its dimension id")
    level: str = doc("the level of its cell")
    text: str = doc("the rubric's wording")
    rating: str | None = doc("this assessment's rating, null for none")
    other_rating: str | None = doc("the other assessment's rating, null for none")
    evidence: tuple[EvidenceItem, ...] = doc("this assessment's evidence for it", default=())
    other_evidence: tuple[EvidenceItem, ...] = doc(
        "the other assessment's evidence for it", default=()
    )


@dataclass(frozen=True)
class OneOff:
    """A claim (rated partially or consistently) not shown to be sustained: its evidence
    has fewer than two dated items at least 60 days apart."""

    expectation: str = doc("the expectation id")
    dimension: str = doc("its dimension id")
    level: str = doc("the level of its cell")
    text: str = doc("the rubric's wording")
    rating: str | None = doc("the rating claimed")
    evidence: int = doc("how many evidence items it has")
    dated: int = doc("how many of them are dated")
    span_days: int | None = doc(
        "days from its first to its last dated item (under 60); null with fewer than two"
    )


@dataclass(frozen=True)
class OtherView:
    """The second assessment (`packet --compare`)."""

    assessor: Assessor = doc("who made it")
    date: str | None = doc("its date, `YYYY-MM-DD`")
    recommended: Level = doc("the level it recommends")
    agreement: Agreement = doc("how far the two agree")
    no_answer: tuple[OneSided, ...] = doc("expectations only one side rated")


@dataclass(frozen=True)
class PlanStep:
    """A gap to close, in the growth plan."""

    dimension: str = doc("the dimension id")
    dimension_name: str = doc("the dimension's name")
    weight: float = doc("the dimension's weight")
    gap: GapItem = doc("the expectation to meet")


@dataclass(frozen=True)
class Milestone:
    """A step of the growth plan."""

    days: int = doc("30, 60 or 90")
    steps: tuple[PlanStep, ...] = doc("the gaps to close by then")


@dataclass(frozen=True)
class Packet:
    """The promotion packet. Its fields are the variables of a template's context."""

    packet: int = doc("the packet format version (1)")
    subject: str | None = doc("the person's name, or null")
    role: RoleRef = doc("the role")
    assessor: Assessor = doc("who made the assessment")
    date: str | None = doc("the assessment's date (updated, else created), `YYYY-MM-DD`")
    recommended: Level = doc("the recommended level (`id` null: no level held)")
    target: Level = doc("the level argued for")
    explanation: str = doc("the rule behind the recommendation, one sentence with its numbers")
    scoring: Scoring = doc("the role's scoring rules")
    levels: tuple[Level, ...] = doc("the role's levels, lowest first")
    evidence_coverage: float | None = doc(
        "share of earned credit carrying evidence (0..1), null when nothing is earned"
    )
    dimensions: tuple[DimensionView, ...] = doc("each dimension against the target")
    unsupported: tuple[Unsupported, ...] = doc("claims without evidence")
    inconsistencies: tuple[Inconsistency, ...] = doc("held cells above unheld ones")
    unknown_answers: tuple[str, ...] = doc("answered expectation ids the role does not have")
    compare: OtherView | None = doc("the second view (`--compare`), else null")
    one_off: tuple[OneOff, ...] = doc(
        "claims whose evidence does not show them sustained (fewer than two dated items "
        "at least 60 days apart; no evidence at all included), role order",
        default=(),
    )

    @property
    def milestones(self) -> tuple[Milestone, ...]:
        """The gaps to the target as a 30/60/90-day plan: lowest level first, then the
        heaviest dimension, in near-equal thirds (an empty plan when there is no gap)."""
        order = [lv.id for lv in self.levels]
        steps = [
            (order.index(g.level), -d.weight, n, PlanStep(d.id, d.name, d.weight, g))
            for n, d in enumerate(self.dimensions)
            for g in d.gaps
        ]
        ordered = [s[-1] for s in sorted(steps, key=lambda s: s[:3])]
        count = len(ordered)
        out, start = [], 0
        for i, days in enumerate(MILESTONE_DAYS):
            size = count // 3 + (i < count % 3)
            out.append(Milestone(days, tuple(ordered[start : start + size])))
            start += size
        return tuple(out)

    def to_json(self) -> dict[str, Any]:
        """The object of ``packet --format json``."""
        return _json(self)


def _json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("json", True)
        }
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _date(assessment: Assessment) -> str | None:
    when = assessment.updated or assessment.created
    return when.date().isoformat() if when else None


def _assessor(assessment: Assessment, label: str) -> Assessor:
    name = assessment.assessor.name if assessment.assessor else None
    return Assessor(name, assessment.relation, label)


def _evidence(assessment: Assessment | None, expectation_id: str) -> tuple[EvidenceItem, ...]:
    answer = assessment.answers.get(expectation_id) if assessment is not None else None
    if answer is None:
        return ()
    return tuple(
        EvidenceItem(
            e.text,
            e.link,
            e.date.isoformat() if e.date else None,
            Source(_file_name(e.source.file), e.source.line) if e.source else None,
            e.suggested,
        )
        for e in answer.evidence
    )


def _file_name(path: str) -> str:
    """A source's name without its folders (``/home/dana/notes/brag.md`` is
    ``brag.md``, written on Windows too): a packet is shared, the folders are not."""
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1] or path


def given(
    mine: tuple[EvidenceItem, ...], theirs: tuple[EvidenceItem, ...], label: str, other: str
) -> tuple[Given, ...]:
    """Both assessments' evidence for one expectation, each item with whose it is: this
    assessment's first, in file order (``both`` when the other gave the same item), then
    the other's items this one does not have."""
    out = [Given(e, BOTH if e in theirs else label) for e in mine]
    return tuple(out + [Given(e, other) for e in theirs if e not in mine])


# --- sustained and verifiable --------------------------------------------------------


def sustained(evidence: Iterable[Evidence]) -> bool:
    """Whether the evidence shows the work sustained: at least two dated items at least
    :data:`SUSTAINED_DAYS` apart (undated items show nothing about time)."""
    dates = [e.date for e in evidence if e.date is not None]
    return len(dates) >= 2 and (max(dates) - min(dates)).days >= SUSTAINED_DAYS


def is_claim(answer: Answer | None) -> TypeGuard[Answer]:
    """Whether an answer claims the expectation: rated partially or consistently."""
    return answer is not None and answer.rating in CLAIMS


def one_off(role: Role, assessment: Assessment) -> list[str]:
    """The claims whose evidence does not show them sustained (:func:`sustained`), in
    role order."""
    answers = assessment.answers
    return [
        e.id
        for _, _, e in role.expectations()
        if is_claim(a := answers.get(e.id)) and not sustained(a.evidence)
    ]


def artifacts_and_testimony(evidence: Iterable[Evidence]) -> tuple[int, int]:
    """How many items point at an artifact (they have a link: a PR, a postmortem, a
    dashboard, a doc) and how many are testimony only (no link)."""
    linked = unlinked = 0
    for item in evidence:
        if item.link:  # never blank: the model refuses a blank link
            linked += 1
        else:
            unlinked += 1
    return linked, unlinked


def _one_off_item(role: Role, assessment: Assessment, expectation_id: str) -> OneOff:
    dimension, level_id, expectation = role.expectation_index[expectation_id]
    answer = assessment.answers[expectation_id]
    dates = sorted(e.date for e in answer.evidence if e.date is not None)
    return OneOff(
        expectation_id,
        dimension.id,
        level_id,
        expectation.text,
        answer.rating,
        len(answer.evidence),
        len(dates),
        (dates[-1] - dates[0]).days if len(dates) >= 2 else None,
    )


def build_packet(
    role: Role,
    assessment: Assessment,
    result: ScoreResult,
    words: Wording,
    other: Assessment | None = None,
    comparison: Comparison | None = None,
) -> Packet:
    """The packet content. ``comparison`` (a :class:`sreladder.core.compare.Comparison` of
    ``assessment`` as A and ``other`` as B) adds the other view."""

    def level(level_id: str | None) -> Level:
        return Level(level_id, words.level_label(role, level_id))

    order = role.level_ids
    target_index = order.index(result.target)
    require = role.scoring.require_evidence
    answers = assessment.answers
    index = role.expectation_index
    label_a = comparison.label_a if comparison else assessor_label(assessment)
    label_b = comparison.label_b if comparison else ""
    other = other if comparison is not None else None  # the second view needs both

    gaps_by_dimension: dict[str, list[GapItem]] = {}
    for gap in result.gaps:
        answer = answers.get(gap.expectation)
        gaps_by_dimension.setdefault(gap.dimension, []).append(
            GapItem(
                gap.expectation,
                gap.level,
                gap.text,
                answer.rating if answer else None,
                gap.credit,
                tuple(index[gap.expectation][2].examples),
            )
        )
    diffs: dict[str, tuple[Difference, ...]] = {}
    if comparison is not None:
        for pair in comparison.dimensions:
            diffs[pair.id] = tuple(
                Difference(
                    p.expectation,
                    p.level,
                    p.text,
                    p.a,
                    p.b,
                    p.steps,
                    _evidence(assessment, p.expectation),
                    _evidence(other, p.expectation),
                )
                for p in pair.differences
            )

    dimensions = []
    for dimension, d in zip(role.dimensions, result.dimensions, strict=True):
        met = []
        for level_id, cell in role.cells(dimension):
            if order.index(level_id) > target_index:
                continue
            for expectation in cell.expectations:
                answer = answers.get(expectation.id)
                if credit(answer, require) > 0:
                    mine = _evidence(assessment, expectation.id)
                    theirs = _evidence(other, expectation.id)
                    met.append(
                        MetItem(
                            expectation.id,
                            level_id,
                            expectation.text,
                            answer.rating if answer else None,
                            mine,
                            rating_of(other, expectation.id),
                            theirs,
                            given(mine, theirs, label_a, label_b),
                        )
                    )
        level_index = order.index(d.level) if d.level is not None else -1
        b = comparison.result_b.dimension(d.id) if comparison is not None else None
        claimed = [
            a
            for _, cell in role.cells(dimension)
            for e in cell.expectations
            if is_claim(a := answers.get(e.id))
        ]
        linked, unlinked = artifacts_and_testimony(item for a in claimed for item in a.evidence)
        dimensions.append(
            DimensionView(
                id=d.id,
                name=d.name,
                group=dimension.group,
                weight=d.weight,
                first_level=role.first_level(dimension),
                top_cell=d.top_cell,
                level=d.level,
                level_label=words.level_label(role, d.level),
                meets_target=level_index >= target_index,
                levels_below_target=max(target_index - level_index, 0),
                coverage={lv: round(c, 4) for lv, c in d.coverage.items()},
                met=tuple(met),
                gaps=tuple(gaps_by_dimension.get(d.id, [])),
                other_level=b.level if b else None,
                differences=diffs.get(d.id, ()),
                not_expected_yet=d.not_expected_yet,
                other_not_expected_yet=b.not_expected_yet if b else False,
                carried=tuple(carried_over(role, d)),
                other_carried=tuple(carried_over(role, b)) if b else (),
                claims=len(claimed),
                artifacts=linked,
                testimony=unlinked,
            )
        )

    unsupported = []
    for expectation_id in result.unsupported:
        dimension, level_id, expectation = index[expectation_id]
        unsupported.append(
            Unsupported(
                expectation_id,
                dimension.id,
                level_id,
                expectation.text,
                answers[expectation_id].rating,
            )
        )

    other_view = None
    if comparison is not None and other is not None:
        agreement = comparison.agreement_json()
        other_view = OtherView(
            assessor=_assessor(other, comparison.label_b),
            date=_date(other),
            recommended=level(comparison.result_b.recommended),
            agreement=Agreement(**agreement),
            no_answer=tuple(
                OneSided(
                    p.expectation,
                    p.dimension,
                    p.level,
                    p.text,
                    p.a,
                    p.b,
                    _evidence(assessment, p.expectation),
                    _evidence(other, p.expectation),
                )
                for p in comparison.no_answer
            ),
        )

    rules = role.scoring
    return Packet(
        packet=PACKET_VERSION,
        subject=assessment.subject_name,
        role=RoleRef(role.id, role.name),
        assessor=_assessor(assessment, label_a),
        date=_date(assessment),
        recommended=level(result.recommended),
        target=level(result.target),
        explanation=words.explain(role, result),
        scoring=Scoring(rules.threshold, rules.quorum, rules.max_lag, rules.require_evidence),
        levels=tuple(level(lv) for lv in order),
        evidence_coverage=None
        if result.evidence_coverage is None
        else round(result.evidence_coverage, 4),
        dimensions=tuple(dimensions),
        unsupported=tuple(unsupported),
        inconsistencies=tuple(
            Inconsistency(i.dimension, i.level, tuple(i.unmet)) for i in result.inconsistencies
        ),
        unknown_answers=tuple(result.unknown_answers),
        compare=other_view,
        one_off=tuple(_one_off_item(role, assessment, e) for e in one_off(role, assessment)),
    )
