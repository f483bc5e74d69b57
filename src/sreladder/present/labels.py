"""Labels and wording: the one place the words people read are made.

Plain text, no escaping and no terminal code: every medium (terminal, Markdown, HTML,
CSV, JSON) escapes what it takes from here in its own way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sreladder.core.models import CREDIT, Role

if TYPE_CHECKING:
    from sreladder.core.scoring import ScoreResult

RATING_WORDS: dict[str | None, str] = {
    "not-yet": "not yet",
    "partially": "partially",
    "consistently": "consistently",
    None: "no answer",
}

NOT_EXPECTED_MARK = "†"
NOT_EXPECTED_LEGEND = (
    f"{NOT_EXPECTED_MARK} not expected yet: the dimension starts at a later level, so this "
    "level is held by the rule, not rated."
)
NOT_EXPECTED_WORDS = "not expected yet"
CARRIED_MARK = "‡"
CARRIED_LEGEND = (
    f"{CARRIED_MARK} above the dimension's last cell: the rubric stops there, and by the "
    "rule the levels above it count as held when it is met; nothing above it was assessed."
)


def level_text(role: Role, level_id: str | None) -> str:
    """A level's id, ``not yet P1`` when nothing is held."""
    return level_id if level_id is not None else f"not yet {role.level_ids[0]}"


def level_label(role: Role, level_id: str | None) -> str:
    """``P3``, ``P4 Senior SRE`` (with the role's title for it), ``not yet P1``."""
    if level_id is None:
        return level_text(role, None)
    title = role.title(level_id)
    return level_id if title == level_id else f"{level_id} {title}"


def dimension_level(
    level_id: str | None, not_expected_yet: bool = False, carried: bool = False
) -> str:
    """A dimension's level in a table cell: ``P3``, ``—`` for none, ``P4†`` when the
    level is held only because nothing is expected yet (see :data:`NOT_EXPECTED_LEGEND`),
    ``P7‡`` when it is above the dimension's last cell (see :data:`CARRIED_LEGEND`)."""
    if level_id is None:
        return "—"
    if not_expected_yet:
        return level_id + NOT_EXPECTED_MARK
    return level_id + CARRIED_MARK if carried else level_id


def last_cell_note(top_cell: str, carried: Sequence[str]) -> str:
    """Where a dimension's rubric stops, for a level above its last cell: ``P4, the
    last cell; counts for P5–P7`` (``carried``: the levels held above it, lowest first)."""
    span = carried[0] if len(carried) == 1 else f"{carried[0]}–{carried[-1]}"
    return f"{top_cell}, the last cell; counts for {span}"


def dimension_level_words(level_id: str | None, not_expected_yet: bool = False) -> str:
    """The same in words, for a medium with no room for a legend (a CSV cell)."""
    if level_id is not None and not_expected_yet:
        return f"{level_id} ({NOT_EXPECTED_WORDS})"
    return level_id or ""


def rating_word(rating: str | None) -> str:
    """A rating in words: ``not yet``, ``partially``, ``consistently``, ``no answer``."""
    return RATING_WORDS.get(rating, str(rating))


def credit_word(credit: float) -> str:
    """The rating a gap's credit stands for (a gap earns less than full credit). A
    credit of 0 is also what no answer earns: where the rating is known, say
    :func:`gap_word`."""
    return {0.0: "not yet", 0.5: "partially"}.get(credit, f"{credit:g}")


def gap_word(rating: str | None, credit: float) -> str:
    """How a gap stands: the rating given (``not yet``, ``partially``), ``no answer``
    when nobody rated it, and ``consistently, no evidence`` for a rating that earns
    less than it says (the role requires evidence and there is none)."""
    if rating is None:
        return rating_word(None)
    if credit < CREDIT.get(rating, 0.0):
        return f"{rating_word(rating)}, no evidence"
    return rating_word(rating)


def sustained_rule(days: int) -> str:
    """What "sustained" and "artifact" mean in a packet, in one sentence."""
    return (
        f"A claim is sustained when two of its dated evidence items are at least {days} days "
        "apart; an item with a link points at an artifact (a PR, postmortem, dashboard, doc), "
        "one without is testimony only."
    )


def sustained_line(claims: int, one_off: int, artifacts: int, testimony: int, days: int) -> str:
    """How sustained and verifiable a case is, in one sentence: ``3 of 29 claims
    sustained (...); 11 of 16 evidence items link to an artifact, 5 are testimony only``."""
    if claims == 0:
        return "no claims yet"
    items = artifacts + testimony
    link = (
        f"{artifacts} of {plural(items, 'evidence item')} link to an artifact, "
        f"{testimony} {'is' if testimony == 1 else 'are'} testimony only"
        if items
        else "no evidence items"
    )
    return (
        f"{claims - one_off} of {plural(claims, 'claim')} sustained (dated evidence at least "
        f"{days} days apart); {link}"
    )


def one_off_reason(evidence: int, dated: int, span_days: int | None) -> str:
    """Why a claim is not shown sustained: ``no evidence``, ``2 items, none dated``,
    ``one dated item``, ``3 items, one dated``, ``dated items 12 days apart``."""
    if evidence == 0:
        return "no evidence"
    if dated == 0:
        return f"{plural(evidence, 'item')}, none dated"
    if dated == 1:
        return "one dated item" if evidence == 1 else f"{evidence} items, one dated"
    return f"dated items {span_days} days apart"


def percent(value: float | None) -> str:
    """A share as a whole percentage (``81%``), ``n/a`` for none."""
    return "n/a" if value is None else f"{value:.0%}"


def percent_against(value: float, limit: float) -> str:
    """``value`` as a percentage to print beside the ``limit`` it was compared with,
    rounded so the two figures never contradict the decision: a share of 0.795 against
    a quorum of 0.8 fails, so it reads ``79.5%``, not ``80%``. Whole percentages when
    they already agree; one more decimal at a time when they do not."""
    from sreladder.core.scoring import EPSILON  # imported by the commands that score

    passes = value >= limit - EPSILON
    for decimals in range(4):
        shown, bar = (float(f"{x * 100:.{decimals}f}") for x in (value, limit))
        if (shown >= bar) == passes:
            return f"{value:.{decimals}%}"
    cut = math.floor(value * 100_000) / 1000  # closer than 0.001%: cut, never round up
    return f"{cut:.3f}%" if not passes else f"{value:.3%}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def explain(role: Role, result: ScoreResult) -> str:
    """The rule behind the recommendation, in one sentence with its numbers."""
    rules = role.scoring
    lag = (
        "no dimension below it"
        if rules.max_lag == 0
        else f"no dimension more than {rules.max_lag} level{'s' * (rules.max_lag != 1)} below it"
    )
    if result.recommended is None:
        first = role.level_ids[0]
        share = result.quorum_share.get(first, 0.0)
        return (
            f"No level qualifies: {first} needs at least {rules.quorum:.0%} of the dimensions "
            f"by weight at {first} or above (here {percent_against(share, rules.quorum)}) "
            f"and {lag}."
        )
    share = result.quorum_share[result.recommended]
    return (
        f"{result.recommended} is the highest level held in at least {rules.quorum:.0%} of the "
        f"dimensions by weight (here {percent_against(share, rules.quorum)}, a dimension "
        "holding a level when "
        f"{rules.threshold:.0%} of its expectation weight there is met) with {lag}."
    )


def provenance(suggested: str | None, file: str | None = None, line: int | None = None) -> str:
    """Where a suggested evidence item came from and how it was accepted: ``from
    brag.md:12, suggested and confirmed``; ``from brag.md:12, suggested, not
    reviewed``; empty for an item a person typed."""
    if not suggested:
        return ""
    how = "suggested and confirmed" if suggested == "confirmed" else "suggested, not reviewed"
    return f"from {file}:{line}, {how}" if file else how


def evidence_line(coverage: float | None) -> str:
    """``evidence_coverage`` in words: ``32% of the earned credit has evidence``."""
    if coverage is None:
        return "no credit earned yet, so nothing to back with evidence"
    return f"{coverage:.0%} of the earned credit has evidence"


def status(meets_target: bool, levels_below: int) -> str:
    """A dimension against the target: ``meets the target`` or ``2 levels below``."""
    if meets_target:
        return "meets the target"
    return f"{plural(levels_below, 'level')} below"


def agreement_sentence(agreement: Mapping[str, Any]) -> str:
    """Both agreement figures of a comparison in one sentence."""
    rated = agreement["expectations_rated_by_both"]
    if rated:
        first = (
            f"{percent(agreement['expectations'])} of the {rated} expectation(s) rated by both "
            f"have the same rating ({agreement['expectations_equal']} of {rated})"
        )
    else:
        first = "no expectation was rated by both"
    return (
        f"{first}; {agreement['dimensions_equal']} of {agreement['dimensions_total']} "
        f"dimensions ({percent(agreement['dimensions'])}) are at the same level."
    )


def nothing_met(first_level: str, target: str, levels: list[str]) -> str:
    """Why a dimension lists nothing met up to the target."""
    if levels.index(first_level) > levels.index(target):
        return f"Not expected up to {target}: this dimension starts at {first_level}."
    return "Nothing rated as met up to the target."


def target_warning(role: Role, result: ScoreResult) -> str | None:
    """Why a packet's target is odd: it is not above the level already recommended."""
    if result.recommended is None:
        return None
    if role.level_index(result.target) > role.level_index(result.recommended):
        return None
    return (
        f"the target {result.target} is not above the current level {result.recommended}: "
        "the packet argues for a level already held (use --target to aim higher)"
    )
