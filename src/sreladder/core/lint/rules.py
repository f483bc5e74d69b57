"""The lint rules: one function per rule, each taking a role and the settings.

A rule yields :class:`~sreladder.core.findings.Finding` values located by a path into the
role's data, as the validity checks do; the registry in :mod:`sreladder.core.lint`
gives each its code, name and severity. The docstrings carry a bad and a good line;
``docs/lint.md`` holds the full examples, run through the rules by a test.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import sreladder.core.lint.text as tx
from sreladder.core.findings import Finding
from sreladder.core.models import Dimension, Expectation, Role


@dataclass(frozen=True)
class Settings:
    """The thresholds a repository can change (``[tool.sreladder.lint]``)."""

    min_words: int = 3
    max_words: int = 40
    max_verbs: int = 2
    similarity: float = 0.85
    level_growth: float = 2.0
    dimension_share: float = 0.4
    extra_verbs: frozenset[str] = field(default_factory=frozenset)


ExpectationAt = tuple[tuple[str | int, ...], Dimension, str, Expectation]


def located(role: Role) -> Iterator[ExpectationAt]:
    """Every expectation with the path to it, in file order."""
    for i, dimension in enumerate(role.dimensions):
        for level_id, cell in dimension.levels.items():
            for k, expectation in enumerate(cell.expectations):
                loc = ("dimensions", i, "levels", level_id, "expectations", k)
                yield loc, dimension, level_id, expectation


# --- one expectation at a time -----------------------------------------------------

TextCheck = Callable[[Expectation, Settings], str | None]


def per_expectation(code: str) -> Callable[[TextCheck], Callable[..., Iterator[Finding]]]:
    """Turn a check of one expectation (its message, or None) into a rule over the role
    that reports at each expectation's text. The rule keeps the check's docstring."""

    def wrap(check: TextCheck) -> Callable[..., Iterator[Finding]]:
        @functools.wraps(check)
        def rule(role: Role, settings: Settings) -> Iterator[Finding]:
            for loc, _, _, expectation in located(role):
                message = check(expectation, settings)
                if message is not None:
                    yield Finding((*loc, "text"), code, f"{expectation.id!r} {message}")

        return rule

    return wrap


@per_expectation("L501")
def label_instead_of_behaviour(expectation: Expectation, settings: Settings) -> str | None:
    """A category label where a behaviour belongs.

    Bad: ``Skill: Incident management. Knowledge: Incident response protocols.``
    Good: ``Leads the response to a Sev2 incident and writes the timeline.``
    """
    found = tx.labels(expectation.text)
    if not found:
        return None
    names = ", ".join(dict.fromkeys(f"{label}:" for label in found))
    return (
        f"is a label ({names}), not a behaviour someone can be rated on; move it to the "
        "level's profile or rewrite it as what the person does"
    )


@per_expectation("L502")
def noun_phrase(expectation: Expectation, settings: Settings) -> str | None:
    """A noun or adjective phrase with no verb: a topic, not something a person does.

    Bad: ``Advanced monitoring.``
    Good: ``Builds the dashboards and alerts the team uses on call.``
    """
    rest = tx.without_labels(expectation.text)
    if not rest.strip() or tx.has_verb(rest, settings.extra_verbs):
        return None
    start = (tx.words(rest) or [rest.strip()])[0][:40]
    return f"has no verb: {start!r}… names a topic, not something a person does"


@per_expectation("L503")
def several_behaviours(expectation: Expectation, settings: Settings) -> str | None:
    """Several behaviours in one expectation: a rating cannot say which one is met.

    Bad: ``Participate in on-call rotations; Respond to alerts; Respond to incidents.``
    Good: ``Responds to alerts on call within the agreed time.``
    """
    advice = "one expectation per behaviour lets each be rated"
    parts = tx.behaviour_clauses(expectation.text, settings.extra_verbs)
    if len(parts) > 1:
        return f"joins {len(parts)} behaviours; {advice}"
    verbs = tx.coordinated_verbs(parts[0], settings.extra_verbs) if parts else []
    if len(verbs) > settings.max_verbs:
        return f"joins {len(verbs)} behaviours ({', '.join(verbs)}); {advice}"
    return None


@per_expectation("L504")
def length(expectation: Expectation, settings: Settings) -> str | None:
    """Too short to assess, or too long to read in one go (``min-words``, ``max-words``).

    Bad: ``Maintain uptime.``
    Good: ``Keeps the services they own within their monthly availability SLO.``
    """
    count = len(tx.words(expectation.text))
    if count < settings.min_words:
        return (
            f"has {count} word(s), fewer than {settings.min_words}: "
            "say what is done, to what, how well"
        )
    if count > settings.max_words:
        return (
            f"has {count} words, more than {settings.max_words}: "
            "split it or move the detail to examples"
        )
    return None


@per_expectation("L505")
def vague_qualifier(expectation: Expectation, settings: Settings) -> str | None:
    """A vague qualifier ("good", "effectively", "as needed") with nothing observable:
    no number and no example to tell what counts.

    Bad: ``Communicates effectively with stakeholders as needed.``
    Good: ``Posts an incident update to stakeholders every 30 minutes.``
    """
    found = tx.vague_words(expectation.text)
    if not found or expectation.examples or tx.is_observable(expectation.text):
        return None
    shown = ", ".join(f"{w!r}" for w in dict.fromkeys(w.casefold() for w in found))
    return (
        f"says {shown} with nothing observable: add a number, "
        "a frequency or examples of what counts"
    )


# --- across cells and levels -------------------------------------------------------


#: Above this many pairs of lines in one dimension, L506 compares identical (normalised)
#: text only: a fuzzy comparison of every pair would take minutes on a huge file.
MAX_SIMILARITY_PAIRS = 200_000


def near_identical_levels(role: Role, settings: Settings) -> Iterator[Finding]:
    """Near-identical text at two levels of one dimension: the higher level does not say
    what it adds (``similarity``, 0..1, share of words in common).

    Bad: ``Solves ambiguous problems with broad business consequences`` at P6 and
    ``Solves ambiguous problems with broad business and industry consequences`` at P7.
    Good: P7 says what grows: ``Sets the multi-year roadmap the whole company follows``.
    """
    for i, dimension in enumerate(role.dimensions):
        items = [
            (lv, k, e, tx.normalise(e.text).split())
            for lv, cell in role.cells(dimension)
            for k, e in enumerate(cell.expectations)
        ]
        for a, b, ratio in _similar_pairs(items, settings.similarity):
            level_a, _, first, _ = items[a]
            level_b, k, second, _ = items[b]
            yield Finding(
                ("dimensions", i, "levels", level_b, "expectations", k, "text"),
                "L506",
                f"{second.id!r} at {level_b} is {ratio:.0%} the same as {first.id!r} "
                f"at {level_a} in dimension {dimension.id!r}: say what {level_b} adds",
            )


def _similar_pairs(items: list, threshold: float) -> Iterator[tuple[int, int, float]]:
    """(earlier, later, similarity) for lines of different levels at least ``threshold``
    alike, in file order."""
    if len(items) * (len(items) - 1) // 2 > MAX_SIMILARITY_PAIRS:
        first_seen: dict[tuple[str, ...], int] = {}
        for b, (level, _, _, words) in enumerate(items):
            a = first_seen.setdefault(tuple(words), b)
            if a != b and items[a][0] != level:
                yield a, b, 1.0
        return
    for a in range(len(items)):
        level_a, words_a = items[a][0], items[a][3]
        for b in range(a + 1, len(items)):
            if items[b][0] == level_a:
                continue
            matcher = SequenceMatcher(None, words_a, items[b][3])
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                yield a, b, ratio


def same_text_across_dimensions(role: Role, settings: Settings) -> Iterator[Finding]:
    """The same text in two dimensions: one behaviour counted twice.

    Bad: ``Mentors junior engineers.`` under both leadership and collaboration.
    Good: the line in one dimension; the other says what is particular to it.
    """
    seen: dict[str, tuple[str, str]] = {}
    for loc, dimension, _, expectation in located(role):
        key = tx.normalise(expectation.text)
        first = seen.setdefault(key, (dimension.id, expectation.id))
        if first[0] != dimension.id:
            yield Finding(
                (*loc, "text"),
                "L507",
                f"{expectation.id!r} in {dimension.id!r} has the same text as {first[1]!r} in "
                f"{first[0]!r}: the behaviour counts twice",
            )


def level_growth(role: Role, settings: Settings) -> Iterator[Finding]:
    """A level that adds more than ``level-growth`` times the median number of new
    expectations: much harder to reach than its neighbours.

    Bad: P1 to P4 add 8 expectations each and P5 adds 28.
    Good: every level adds about as many as its neighbours.
    """
    added = {lv: 0 for lv in role.level_ids}
    for dimension in role.dimensions:
        for level_id, cell in dimension.levels.items():
            if level_id in added:
                added[level_id] += len(cell.expectations)
    if len(added) < 3:
        return
    median = statistics.median(added.values())
    limit = settings.level_growth * max(median, 1)
    for level_id, count in added.items():
        if count > limit:
            yield Finding(
                ("levels", level_id),
                "L508",
                f"level {level_id} adds {count} expectations, more than "
                f"{settings.level_growth:g}× the median of {median:g} per level",
                at_key=True,
            )


def heavy_dimension(role: Role, settings: Settings) -> Iterator[Finding]:
    """A dimension weighing more than ``dimension-share`` of the role: it alone decides
    the level.

    Bad: one dimension of weight 5 among three of weight 1.
    Good: weights within a factor of two of each other across four or more dimensions.
    """
    total = sum(d.weight for d in role.dimensions)
    for i, dimension in enumerate(role.dimensions):
        share = dimension.weight / total
        if share > settings.dimension_share:
            yield Finding(
                ("dimensions", i, "weight"),  # where it is written, else the dimension
                "L509",
                f"dimension {dimension.id!r} weighs {share:.0%} of the role, more than "
                f"{settings.dimension_share:.0%}",
            )


def single_cell(role: Role, settings: Settings) -> Iterator[Finding]:
    """A dimension with a single cell: it never grows, so it cannot tell levels apart.

    Bad: ``on-call`` with a cell at P2 only.
    Good: a cell at each level where the dimension asks something new.
    """
    if len(role.level_ids) < 2:
        return
    for i, dimension in enumerate(role.dimensions):
        if len(dimension.levels) == 1:
            (only,) = dimension.levels
            yield Finding(
                ("dimensions", i, "levels"),
                "L510",
                f"dimension {dimension.id!r} has a single cell ({only}): it does not tell "
                "levels apart",
                at_key=True,
            )


def evidence_example_repeats(role: Role, settings: Settings) -> Iterator[Finding]:
    """An evidence example that repeats its expectation's text, or another example:
    it tells the evidence matcher nothing new about what evidence looks like.

    Bad: ``Respond to alerts.`` with the evidence example ``Responds to alerts``.
    Good: ``Respond to alerts.`` with ``Acked 23 PagerDuty pages in my on-call week``.
    """
    for loc, _, _, expectation in located(role):
        seen = {_plain(expectation.text): "its text"}
        for j, example in enumerate(expectation.evidence_examples):
            key = _plain(example)
            if key in seen:
                yield Finding(
                    (*loc, "evidence_examples", j),
                    "L511",
                    f"{expectation.id!r} has an evidence example that repeats {seen[key]}: "
                    "write what a brag-document line showing it says instead",
                )
            seen.setdefault(key, "another example")


def _plain(text: str) -> tuple[str, ...]:
    """``text``'s words, lowercased, without a final -s: "Responds" repeats "Respond"."""
    return tuple(w.casefold().removesuffix("s") for w in tx.words(text))
