"""Evidence matching: which of a role's expectations a brag-document item supports.

Offline, deterministic and explainable. An item and every expectation are read
through the domain lexicon (:mod:`sreladder.core.lexicon`) into *concepts* ("paged
twice, escalated per the runbook" -> alerting, escalation, runbook) and plain words.
An expectation's profile is its own text, plus (weaker) its examples, its cell's
summary and its dimension's name and description, so a terse or label-style text still
has a context. A feature's weight is its rarity among the role's expectations (BM25's
idf), so "incident" counts less in an incident-heavy rubric than "postmortem".

An item's score for an expectation is the idf-weighted overlap of their features,
divided by the square root of the expectation's own mass (long texts do not win by
length), then squashed to 0..1. Only *confident* matches are kept:

* the item shares at least one domain concept with the expectation (plain words alone
  or level words alone never make a match);
* the score is above ``MIN_SCORE`` and within ``RELATIVE_CUT`` of the item's best;
* an item that reads as off-topic (hiring, pay, social, admin, plans not done yet)
  has its scores halved, so only strong evidence survives;
* an expectation about working with help or under supervision is matched only by an
  item that shows it ("shadowed", "with help", "helped on ...").

``why`` lists the shared concepts, then the shared words, strongest first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sreladder.core.lexicon import CompiledLexicon, surface_words, words
from sreladder.core.models import Assessment, Evidence, Role

MIN_SCORE = 0.30
RELATIVE_CUT = 0.55
SQUASH = 2.0
WORD_WEIGHT = 0.35
CONTEXT_WEIGHT = 0.35
DIMENSION_WEIGHT = 2
EXAMPLE_WEIGHT = 0.7
OFF_TOPIC_FACTOR = 0.5
WITH_HELP = "with-help"
MAX_MATCH_WORDS = 400  # an item's first words are enough to match it (a long PR body)

STOPWORDS = frozenset(
    words(
        """a an and are as at be been being but by can could did do does doing done
        each e.g eg etc for from had has have having he her here his how i i.e ie if in
        into is it its itself just me more most my no nor not now of off on once only or
        other our ours out over own same she should so some such than that the their
        them then there these they this those through to too under until up very via
        was we were what when where which while who whom why will with would you your
        also about after again against all any because before below between both down
        during few further new per still yet within without across get got make made
        use used using like well way ways within able based related e g ie
        skill skills knowledge competency competencies qualification qualifications
        task tasks ability demonstrate demonstrates consistent consistently one two three
        least
        """
    )
)


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One item of a brag document, CSV row or JSON object.

    ``date`` is as precise as the source: ``2026-03-14``, ``2026-03``, ``2026-Q3`` or
    ``FY2026``. ``context`` is the headings above the item, outermost first.
    ``detail`` is more text read for matching only (a PR's body), never shown."""

    text: str
    file: str
    line: int
    date: str | None = None
    link: str | None = None
    context: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    expectation: str
    dimension: str
    level: str
    score: float
    why: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "expectation": self.expectation,
            "dimension": self.dimension,
            "level": self.level,
            "score": self.score,
            "why": list(self.why),
        }


@dataclass(slots=True)
class Features:
    """A text read through the lexicon: concept weights, word weights."""

    concepts: dict[str, float] = field(default_factory=dict)
    words: dict[str, float] = field(default_factory=dict)
    # a word's stem -> as written, for the words not already part of a concept
    surface: dict[str, str] = field(default_factory=dict)

    def add(self, other: Features, factor: float) -> None:
        for name, weight in other.concepts.items():
            self.concepts[name] = max(self.concepts.get(name, 0.0), weight * factor)
        for name, weight in other.words.items():
            self.words[name] = max(self.words.get(name, 0.0), weight * factor)


@dataclass(frozen=True, slots=True)
class _Profile:
    expectation: str
    dimension: str
    level: str
    own: Features  # the expectation's text and examples
    context: Features  # its dimension and cell: a weaker, shared hint
    mass: float
    needs_help_cue: bool


class Matcher:
    """Matches item texts against one role's expectations with one lexicon."""

    def __init__(self, role: Role, lexicon: CompiledLexicon):
        self.role = role
        self.lexicon = lexicon
        self._domain = {
            cid for cid, c in lexicon.concepts.items() if not c.off_topic and c.weight >= 0.8
        }
        self._off_topic = {cid for cid, c in lexicon.concepts.items() if c.off_topic}
        contexts: dict[tuple[str, str], Features] = {}
        rows = []
        for dimension, level, expectation in role.expectations():
            own = self.features(expectation.text)
            for example in expectation.examples:
                own.add(self.features(example), EXAMPLE_WEIGHT)
            key = (dimension.id, level)
            if key not in contexts:
                parts = (dimension.name, dimension.description, dimension.levels[level].summary)
                contexts[key] = self.features(" ".join(t for t in parts if t))
            rows.append((dimension.id, level, expectation, own, contexts[key]))
        self._idf = _idf([own for *_, own, _ in rows])
        dimension_features: dict[str, Features] = {}
        for dimension_id, _, _, own, context in rows:
            merged = dimension_features.setdefault(dimension_id, Features())
            merged.add(own, 1.0)
            merged.add(context, 1.0)
        self._dimensions = {
            d: (feats, self._mass(feats)) for d, feats in dimension_features.items()
        }
        self._profiles = [
            _Profile(
                expectation=expectation.id,
                dimension=dimension_id,
                level=level,
                own=own,
                context=context,
                mass=self._mass(own),
                needs_help_cue=WITH_HELP in self.features(expectation.text).concepts,
            )
            for dimension_id, level, expectation, own, context in rows
        ]
        index: dict[str, list[int]] = {}
        for position, profile in enumerate(self._profiles):
            for concept in {*profile.own.concepts, *profile.context.concepts}:
                index.setdefault(concept, []).append(position)
        self._by_concept = index

    # -- reading text --------------------------------------------------------------

    def features(self, text: str) -> Features:
        """``text`` read through the lexicon. Words that are part of a lexicon term
        count through their concept only; the others count as plain words (shown in
        ``why`` as written)."""
        pairs = surface_words(text)[:MAX_MATCH_WORDS]
        tokens = [stemmed for _, stemmed in pairs]
        found = Features()
        covered: set[int] = set()
        for hit in self.lexicon.read(tokens):
            covered.update(range(hit.start, hit.end))
            for rank, concept_id in enumerate(hit.concepts):
                weight = self.lexicon.concepts[concept_id].weight * (1.0 if rank == 0 else 0.8)
                found.concepts[concept_id] = max(found.concepts.get(concept_id, 0.0), weight)
        for position, (surface, token) in enumerate(pairs):
            if len(token) >= 3 and not token.isdigit() and token not in STOPWORDS:
                found.words[token] = 1.0
                if position not in covered:
                    found.surface.setdefault(token, surface)
        return found

    def _mass(self, feats: Features) -> float:
        concept_mass = sum(self._weight("c:" + c) * w for c, w in feats.concepts.items())
        word_mass = sum(self._weight("w:" + t) * w for t, w in feats.words.items())
        return concept_mass + WORD_WEIGHT * word_mass

    def _weight(self, feature: str) -> float:
        return self._idf.get(feature, self._idf_unseen)

    @property
    def _idf_unseen(self) -> float:
        total = len(self._profiles) if hasattr(self, "_profiles") else 1
        return math.log(1.0 + (total + 0.5) / 0.5)

    # -- matching ------------------------------------------------------------------

    def match(self, text: str, top: int = 3) -> list[Match]:
        """The expectations ``text`` supports, best first, at most ``top``."""
        item = self.features(text)
        domain = self._domain.intersection(item.concepts)
        if not domain or top <= 0:
            return []
        candidates = sorted({p for c in domain for p in self._by_concept.get(c, ())})
        off_topic = bool(self._off_topic.intersection(item.concepts))
        shows_help = WITH_HELP in item.concepts
        affinity = {
            d: self._overlap(item, feats)[0] / math.sqrt(mass + 1.0)
            for d, (feats, mass) in self._dimensions.items()
        }
        scored: list[tuple[float, int, _Profile, list[str]]] = []
        for position in candidates:
            profile = self._profiles[position]
            if profile.needs_help_cue and not shows_help:
                continue
            own, why = self._overlap(item, profile.own)
            if not self._domain.intersection(why):
                continue
            hint, _ = self._overlap(item, profile.context)
            raw = (
                own / math.sqrt(profile.mass + 1.0)
                + CONTEXT_WEIGHT * hint / 4.0
                + DIMENSION_WEIGHT * affinity[profile.dimension]
            )
            score = _squash(raw)
            if off_topic:
                score *= OFF_TOPIC_FACTOR
            scored.append((score, position, profile, why))
        if not scored:
            return []
        scored.sort(key=lambda s: (-s[0], s[1]))
        best = scored[0][0]
        floor = max(MIN_SCORE, best * RELATIVE_CUT)
        return [
            Match(p.expectation, p.dimension, p.level, round(score, 3), tuple(why[:6]))
            for score, _, p, why in scored[:top]
            if score >= floor
        ]

    def _overlap(self, item: Features, expectation: Features) -> tuple[float, list[str]]:
        parts: list[tuple[float, str]] = []
        for concept, weight in item.concepts.items():
            other = expectation.concepts.get(concept)
            if other:
                parts.append((self._weight("c:" + concept) * weight * other, concept))
        for token in item.words:
            other = expectation.words.get(token)
            if other:
                value = WORD_WEIGHT * self._weight("w:" + token) * other
                parts.append((value, item.surface.get(token, "")))
        parts.sort(key=lambda p: (-p[0], p[1]))
        return sum(v for v, _ in parts), [name for _, name in parts if name]


def _idf(profiles: Sequence[Features]) -> dict[str, float]:
    """BM25's idf of each feature over the role's expectations."""
    counts: Counter[str] = Counter()
    for feats in profiles:  # a weak presence (an example's word) counts as part of one
        counts.update({"c:" + c: w for c, w in feats.concepts.items()})
        counts.update({"w:" + t: w for t, w in feats.words.items()})
    total = len(profiles)
    return {name: math.log(1.0 + (total - df + 0.5) / (df + 0.5)) for name, df in counts.items()}


def _squash(value: float) -> float:
    return value / (value + SQUASH)


# --- the whole result --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatchedItem:
    item: EvidenceItem
    matches: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    role: Role
    items: tuple[MatchedItem, ...]

    @property
    def unmatched(self) -> list[int]:
        return [i for i, m in enumerate(self.items) if not m.matches]

    def supporting(self) -> dict[str, list[int]]:
        """Expectation id -> indexes of the items supporting it, in file order."""
        found: dict[str, list[int]] = {}
        for index, matched in enumerate(self.items):
            for match in matched.matches:
                found.setdefault(match.expectation, []).append(index)
        return found

    @property
    def without_evidence(self) -> list[str]:
        supported = self.supporting()
        return [e.id for _, _, e in self.role.expectations() if e.id not in supported]

    def by_cell(self) -> list[tuple[str, str, list[int]]]:
        """(dimension id, level id, item indexes) for every cell, in rubric order."""
        supported = self.supporting()
        rows = []
        for dimension in self.role.dimensions:
            for level, cell in self.role.cells(dimension):
                indexes = sorted({i for e in cell.expectations for i in supported.get(e.id, ())})
                rows.append((dimension.id, level, indexes))
        return rows

    def to_json(self) -> dict:
        return {
            "role": self.role.id,
            "items": [
                {
                    "text": m.item.text,
                    "file": m.item.file,
                    "line": m.item.line,
                    "date": m.item.date,
                    "link": m.item.link,
                    "context": list(m.item.context),
                    "matches": [match.to_json() for match in m.matches],
                }
                for m in self.items
            ],
            "cells": [
                {"dimension": d, "level": lv, "items": indexes} for d, lv, indexes in self.by_cell()
            ],
            "without_evidence": self.without_evidence,
            "unmatched": self.unmatched,
        }


def match_items(matcher: Matcher, items: Iterable[EvidenceItem], top: int = 3) -> EvidenceReport:
    matched = tuple(
        MatchedItem(item, tuple(matcher.match(_match_text(item), top))) for item in items
    )
    return EvidenceReport(matcher.role, matched)


def _match_text(item: EvidenceItem) -> str:
    return f"{item.text}\n{item.detail}" if item.detail else item.text


# --- an assessment's claims --------------------------------------------------------

CLAIM_RATINGS = ("partially", "consistently")


@dataclass(frozen=True, slots=True)
class Claim:
    """A ``p``/``c`` rating with no evidence, and the items suggested for it (indexes
    into the report's items, best first)."""

    expectation: str
    rating: str
    suggested: tuple[int, ...]


def unsupported_claims(
    report: EvidenceReport, assessment: Assessment, per_claim: int = 3
) -> list[Claim]:
    """The claims of ``assessment`` with no evidence that some item supports, in rubric
    order. An answer to an expectation the role does not have is left out."""
    ranked: dict[str, list[tuple[float, int]]] = {}
    for index, matched in enumerate(report.items):
        for match in matched.matches:
            ranked.setdefault(match.expectation, []).append((-match.score, index))
    claims = []
    for _, _, expectation in report.role.expectations():
        answer = assessment.answers.get(expectation.id)
        if answer is None or answer.rating not in CLAIM_RATINGS or answer.evidence:
            continue
        best = sorted(ranked.get(expectation.id, ()))[:per_claim]
        if best:
            claims.append(Claim(expectation.id, answer.rating, tuple(i for _, i in best)))
    return claims


def as_evidence(item: EvidenceItem) -> Evidence:
    """An item as an assessment's evidence: text, link and date kept. A date less
    precise than a day (``2026-Q3``) stays in the text, where the reader sees it."""
    day = _full_date(item.date)
    text = item.text
    if item.date and day is None and item.date not in text:
        text = f"{text} ({item.date})"
    return Evidence(text=text, link=item.link, date=day)


def attach_claims(
    assessment: Assessment, claims: Iterable[Claim], items: Sequence[EvidenceItem]
) -> Assessment:
    """``assessment`` with each claim's suggested items added as its evidence. Ratings
    are never changed; only answers that exist are touched."""
    answers = dict(assessment.answers)
    for claim in claims:
        answer = answers.get(claim.expectation)
        if answer is None:
            continue
        added = [as_evidence(items[i]) for i in claim.suggested]
        known = {(e.text, e.link) for e in answer.evidence}
        fresh = [e for e in added if (e.text, e.link) not in known]
        answers[claim.expectation] = answer.model_copy(
            update={"evidence": [*answer.evidence, *fresh]}
        )
    return assessment.model_copy(update={"answers": answers})


def _full_date(value: str | None) -> dt.date | None:
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
