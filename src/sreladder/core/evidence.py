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
length), plus a weaker overlap with its cell's context and with its whole dimension
(an item about paging belongs to the on-call dimension before it belongs to any one
line of it), squashed to 0..1. Level cues then lean the score: by default towards the
lower levels (showing a behaviour at a higher level shows the lower ones too), towards
the higher ones for an item that leads ("led", "owned", "IC") or reaches across the
organisation ("org-wide", "across teams").

What a person *did* weighs more than what it was done *on*. The lexicon marks each
concept as an ``action`` (debugged, mentored, planned, automated, reviewed) or a
``topic`` (SLOs, Kafka, Terraform, latency): a shared topic counts ``TOPIC_WEIGHT`` of
a shared action, so a cell whose text lists many technologies does not pull every item
naming one of them. And a brag bullet leads with its verb: the action term among an
item's first ``LEAD_REACH`` words is its *lead action*, and an expectation whose own
text names that action scores ``LEAD_BOOST`` more ("Disagreed with the plan ..., then
helped plan the cutover" is disagree-and-commit before it is planning), while the
dimension context of a dimension whose texts never name it counts ``LEAD_OUTSIDE``
("Mentored Sam on Terraform" belongs with mentoring before the Terraform cells).

The short list is varied: at most ``PER_DIMENSION`` of the first three matches share a
dimension.

Only *confident* matches are kept:

* the item shares at least one domain concept with the expectation (plain words alone
  or level words alone never make a match);
* the score is above ``MIN_SCORE`` and within ``RELATIVE_CUT`` of the item's best;
* an item that reads as off-topic (hiring, pay, social, admin, plans not done yet)
  has its scores halved, so only strong evidence survives;
* an expectation about working with help or under supervision is matched only by an
  item that shows it ("shadowed", "with help", "helped on ...").

``why`` lists the shared concepts and words (as the item wrote them), strongest first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sreladder.core.lexicon import CompiledLexicon, surface_words, words
from sreladder.core.models import Assessment, Evidence, EvidenceSource, Role, Suggested

MIN_SCORE = 0.30
RELATIVE_CUT = 0.55
SQUASH = 2.0
WORD_WEIGHT = 0.35
CONTEXT_WEIGHT = 0.35
DIMENSION_WEIGHT = 2
EXAMPLE_WEIGHT = 0.7
EVIDENCE_EXAMPLE_WEIGHT = 0.4  # an evidence example's features in the expectation's profile
NEAREST_WEIGHT = 0.4  # the share of the score that is the nearest text or evidence example
OFF_TOPIC_FACTOR = 0.45
WITH_HELP = "with-help"
MAX_WHY = 6
LEVEL_BIAS = 0.05  # a tie-breaker: generic low-level texts must not outrank specific ones
PER_DIMENSION = 2  # at most this many of the first three matches share a dimension
LEAD_CUE = 0.6
ORG_CUE = 0.4
TOPIC_WEIGHT = 0.7  # a shared topic (SLOs, Kafka, Terraform) counts less than an action
LEAD_REACH = 3  # an action term among a text's first words is what the text is about
LEAD_BOOST = 0.3  # an expectation sharing the item's lead action counts this much more
LEAD_OUTSIDE = 0.6  # the dimension context of a dimension not about the lead action
OFF_TOPIC_DOMAIN = 3  # domain concepts that outweigh a side clause
OPENING_REACH = 4  # words at a text's start that say what it is about
INTENT = "not-done"  # the lexicon's concept of plans and wishes
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


#: matches kept per item by default (`sreladder evidence --top`), and in the interview's
#: suggestions, so its per-level counts are those of `sreladder evidence`
TOP_MATCHES = 3


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One piece of work: a brag document's bullet, a pull request, a commit, a ticket,
    an incident.

    ``date`` is as precise as the source: ``2026-03-14``, ``2026-03``, ``2026-Q3``,
    ``2026-H2`` or ``FY2026``. ``context`` is the headings (and label lines) above the
    item, outermost first: what the matcher reads to tell an off-topic section;
    ``parents`` the bullets a nested bullet sits under, outermost first (shown after the
    headings, never read as a heading). ``detail`` is more text read for matching
    and shown beside the item (a PR's body, a commit's message body, a ticket's
    description), so a ``why`` word that is not in ``text`` can be traced.

    ``kind`` is the format it was read as (``markdown``, ``git``, ``github``, ...);
    ``refs`` name the work the same way whichever source names it (``github:org/repo#12``,
    ``git:a1b2c3d``, ``jira:OPS-7``); ``severity`` and ``role`` are an incident's
    (``role``: the person's part in it, ``unknown`` when no ``--author`` says who);
    ``sources`` is every ``(file, line)`` the same work was read at, when sources were
    merged (empty: only ``file:line``)."""

    text: str
    file: str
    line: int
    date: str | None = None
    link: str | None = None
    context: tuple[str, ...] = ()
    detail: str = ""
    kind: str = ""
    parents: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    severity: str | None = None
    role: str | None = None
    sources: tuple[tuple[str, int], ...] = ()

    @property
    def where(self) -> tuple[tuple[str, int], ...]:
        """Every place the item was read, its own first."""
        return self.sources or ((self.file, self.line),)


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry of a source that was read but is not counted as evidence: a merge
    commit, a dependency bump, a ticket not done, a test page. ``reason`` starts with
    a short kind (counted per kind), perhaps followed by a detail in parentheses;
    ``line`` is None for a whole file (in a folder, a file of no known format)."""

    file: str
    line: int | None
    text: str
    reason: str

    @property
    def kind(self) -> str:
        return self.reason.split(" (", 1)[0]

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "text": self.text, "reason": self.reason}


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
    # a concept -> the words of the text that stand for it, as written ("paged")
    written: dict[str, str] = field(default_factory=dict)
    # the action concepts of the text's first action term, when it opens the text: a
    # brag bullet leads with what was done ("Disagreed with ..., helped plan ...")
    lead: tuple[str, ...] = ()
    # the concepts found among the text's first words (what the text is about)
    opening: frozenset[str] = frozenset()
    # a verb in the past tense comes before any word of intent: the work is done
    # ("Wrote the capacity plan", "Defined SLOs and set the quarter's goals")
    done: bool = False

    def add(self, other: Features, factor: float) -> None:
        for name, weight in other.concepts.items():
            self.concepts[name] = max(self.concepts.get(name, 0.0), weight * factor)
        for name, weight in other.words.items():
            self.words[name] = max(self.words.get(name, 0.0), weight * factor)

    def keyed(self) -> Iterator[tuple[str, float]]:
        """Every feature as ("c:concept" or "w:word", weight)."""
        for name, weight in self.concepts.items():
            yield "c:" + name, weight
        for name, weight in self.words.items():
            yield "w:" + name, weight


@dataclass(frozen=True, slots=True)
class _Profile:
    expectation: str
    dimension: int  # index into the role's dimensions
    level: str
    own: Features  # the expectation's text and examples
    norm: float  # the square root of the own features' mass
    needs_help_cue: bool
    actions: frozenset[str]  # the action concepts of the expectation's own text


Postings = dict[str, list[tuple[int, float]]]


class Matcher:
    """Matches item texts against one role's expectations with one lexicon."""

    def __init__(self, role: Role, lexicon: CompiledLexicon):
        self.role = role
        self.lexicon = lexicon
        self._domain = {
            cid for cid, c in lexicon.concepts.items() if not c.off_topic and c.weight >= 0.8
        }
        self._off_topic = {cid for cid, c in lexicon.concepts.items() if c.off_topic}
        self._topics = {"c:" + cid for cid, c in lexicon.concepts.items() if c.kind == "topic"}
        self._actions = {cid for cid, c in lexicon.concepts.items() if c.kind == "action"}
        dimension_index = {d.id: i for i, d in enumerate(role.dimensions)}
        cell_features: dict[tuple[str, str], Features] = {}
        rows = []
        for dimension, level, expectation in role.expectations():
            own = self.features(expectation.text)
            for example in expectation.examples:
                own.add(self.features(example), EXAMPLE_WEIGHT)
            for example in expectation.evidence_examples:
                own.add(self.features(example), EVIDENCE_EXAMPLE_WEIGHT)
            for concept in self._off_topic.intersection(own.concepts):
                del own.concepts[concept]  # "business goals" is not a plan not yet done
            key = (dimension.id, level)
            if key not in cell_features:
                parts = (dimension.name, dimension.description, dimension.levels[level].summary)
                cell_features[key] = self.features(" ".join(t for t in parts if t))
            rows.append((dimension, level, expectation, own, cell_features[key]))
        self._idf = _idf([own for *_, own, _ in rows])
        self._unseen = math.log(1.0 + (len(rows) + 0.5) / 0.5)
        by_dimension = [Features() for _ in role.dimensions]
        for dimension, _, _, own, context in rows:
            merged = by_dimension[dimension_index[dimension.id]]
            merged.add(own, 1.0)
            merged.add(context, 1.0)
        self._profiles = [
            _Profile(
                expectation=expectation.id,
                dimension=dimension_index[dimension.id],
                level=level,
                own=own,
                norm=math.sqrt(self._mass(own) + 1.0),
                needs_help_cue=WITH_HELP in text.concepts,
                actions=frozenset(self._actions.intersection(text.concepts)),
            )
            for dimension, level, expectation, own, text in (
                (d, lv, e, own, self.features(e.text)) for d, lv, e, own, _ in rows
            )
        ]
        self._own = self._postings([own for *_, own, _ in rows])
        self._context = self._postings([context for *_, context in rows])
        self._dimension = self._postings(by_dimension)
        levels = role.level_ids
        self._level_rank = {lv: i / max(len(levels) - 1, 1) for i, lv in enumerate(levels)}
        self._headings: dict[str, Features] = {}  # read once: many items share a heading
        self._dimension_norm = [math.sqrt(self._mass(f) + 1.0) for f in by_dimension]
        self._dimension_actions = [self._actions.intersection(f.concepts) for f in by_dimension]
        # nearest example: every expectation's text and evidence examples as documents
        self._near: Postings = {}
        self._near_owner: list[int] = []
        for position, (_, _, expectation, _, _) in enumerate(rows):
            for doc in (expectation.text, *expectation.evidence_examples):
                index = len(self._near_owner)
                self._near_owner.append(position)
                for feature, value in self._vector(self.features(doc)).items():
                    self._near.setdefault(feature, []).append((index, value))

    def _vector(self, feats: Features) -> dict[str, float]:
        vector = {key: self._weight(key) * weight for key, weight in feats.keyed()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {key: v / norm for key, v in vector.items()}

    def nearest(self, item: Features) -> dict[int, float]:
        """expectation position -> the best cosine of the item with one of its docs"""
        per_doc = _accumulate(self._near, self._vector(item))
        best: dict[int, float] = {}
        for index, value in per_doc.items():
            position = self._near_owner[index]
            if value > best.get(position, 0.0):
                best[position] = value
        return best

    # -- reading text --------------------------------------------------------------

    def features(self, text: str) -> Features:
        """``text`` read through the lexicon: the concepts of its terms, and its plain
        words (shown in ``why`` as written when no concept already covers them)."""
        pairs = surface_words(_URL.sub(" ", text))[:MAX_MATCH_WORDS]
        tokens = [stemmed for _, stemmed in pairs]
        found = Features()
        covered: set[int] = set()
        hits = self.lexicon.read(tokens)
        intent = next((h.start for h in hits if INTENT in h.concepts), len(pairs))
        # "wanted to ship it in the freeze" is told after the fact: the intent word counts
        found.done = any(_past(written) for written, _ in pairs[: intent + 1])
        found.opening = frozenset(c for h in hits if h.start < OPENING_REACH for c in h.concepts)
        for hit in hits:
            if not found.lead and hit.start < LEAD_REACH:
                found.lead = tuple(c for c in hit.concepts if c in self._actions)
            covered.update(range(hit.start, hit.end))
            phrase = " ".join(w for w, _ in pairs[hit.start : hit.end])
            for rank, concept_id in enumerate(hit.concepts):
                found.written.setdefault(concept_id, phrase)
                weight = self.lexicon.concepts[concept_id].weight * (1.0 if rank == 0 else 0.8)
                found.concepts[concept_id] = max(found.concepts.get(concept_id, 0.0), weight)
        for needed, made in self.lexicon.combinations:
            if not needed <= found.concepts.keys():
                continue
            phrase = " + ".join(dict.fromkeys(found.written[c] for c in sorted(needed)))
            for concept_id in made:
                weight = self.lexicon.concepts[concept_id].weight
                found.concepts[concept_id] = max(found.concepts.get(concept_id, 0.0), weight)
                found.written.setdefault(concept_id, phrase)
        for position, (surface, token) in enumerate(pairs):
            if len(token) >= 3 and not token.isdigit() and token not in STOPWORDS:
                found.words[token] = 1.0
                if position not in covered:
                    found.surface.setdefault(token, surface)
        return found

    def _weight(self, key: str) -> float:
        """A feature's idf, times WORD_WEIGHT for a plain word, TOPIC_WEIGHT for a topic."""
        if key.startswith("w:"):
            return self._idf.get(key, self._unseen) * WORD_WEIGHT
        return self._idf.get(key, self._unseen) * (TOPIC_WEIGHT if key in self._topics else 1.0)

    def _mass(self, feats: Features) -> float:
        return sum(self._weight(key) * weight for key, weight in feats.keyed())

    def _postings(self, feature_sets: Sequence[Features]) -> Postings:
        postings: Postings = {}
        for position, feats in enumerate(feature_sets):
            for key, weight in feats.keyed():
                postings.setdefault(key, []).append((position, self._weight(key) * weight))
        return postings

    # -- matching ------------------------------------------------------------------

    def match(self, text: str, top: int = 3, headings: Sequence[str] = ()) -> list[Match]:
        """The expectations ``text`` supports, best first, at most ``top``. ``headings``
        (the item's context) only tell whether it sits under an off-topic heading
        ("Goals for next year", "Hiring", "Personal")."""
        item = self.features(text)
        if top <= 0 or not self._domain.intersection(item.concepts):
            return []
        keyed = dict(item.keyed())
        own = _accumulate(self._own, keyed)
        context = _accumulate(self._context, keyed)
        dimension = _accumulate(self._dimension, keyed)
        eligible = {
            position
            for concept in self._domain.intersection(item.concepts)
            for position, _ in self._own.get("c:" + concept, ())
        }
        factor = OFF_TOPIC_FACTOR if self._off_topic_in(item, headings) else 1.0
        shows_help = WITH_HELP in item.concepts
        cue = self._level_cue(item)
        near = self.nearest(item)
        scored: list[tuple[float, int]] = []
        confidence = 0.0  # the best score before the lead action has its say
        for position in eligible:
            profile = self._profiles[position]
            if profile.needs_help_cue and not shows_help:
                continue
            in_dimension = (
                DIMENSION_WEIGHT
                * dimension.get(profile.dimension, 0.0)
                / self._dimension_norm[profile.dimension]
            )
            raw = own[position] / profile.norm + CONTEXT_WEIGHT * context.get(position, 0.0) / 4.0
            rank = self._level_rank[profile.level]
            bias = 1.0 - LEVEL_BIAS * (rank - cue if rank > cue else cue - rank)
            confidence = max(confidence, _squash(raw + in_dimension) * factor * bias)
            # what the person did leads, not only what it was done on
            if item.lead and self._dimension_actions[profile.dimension].isdisjoint(item.lead):
                in_dimension *= LEAD_OUTSIDE
            raw += in_dimension
            if profile.actions.intersection(item.lead):
                raw *= 1.0 + LEAD_BOOST
            nearest = near.get(position, 0.0)  # led by what was done, as the rest is
            if item.lead and self._dimension_actions[profile.dimension].isdisjoint(item.lead):
                nearest *= LEAD_OUTSIDE
            elif profile.actions.intersection(item.lead):
                nearest *= 1.0 + LEAD_BOOST
            final = (1 - NEAREST_WEIGHT) * _squash(raw) + NEAREST_WEIGHT * min(nearest, 1.0)
            scored.append((final * factor * bias, position))
        if not scored or confidence < MIN_SCORE:
            return []  # the lead action orders the matches; it neither makes nor unmakes one
        scored.sort(key=lambda s: (-s[0], s[1]))
        floor = max(MIN_SCORE, scored[0][0] * RELATIVE_CUT)
        found: list[Match] = []
        per_dimension: dict[int, int] = {}
        cap = max(PER_DIMENSION, top - 1)
        for score, position in scored:
            if score < floor or len(found) >= top:
                break
            profile = self._profiles[position]
            if per_dimension.get(profile.dimension, 0) >= cap:
                continue  # a varied short list: one wrong dimension does not fill it
            per_dimension[profile.dimension] = per_dimension.get(profile.dimension, 0) + 1
            found.append(
                Match(
                    expectation=profile.expectation,
                    dimension=self.role.dimensions[profile.dimension].id,
                    level=profile.level,
                    score=round(calibrated(score), 3),
                    why=tuple(self._why(item, profile.own)),
                )
            )
        return found

    def _off_topic_in(self, item: Features, headings: Sequence[str]) -> bool:
        """Whether the item reads as off-topic: under an off-topic heading (the innermost
        one), or about hiring,
        pay, social life, admin or a plan not yet done. A plan is not done unless a verb in
        the past tense comes before the words of intent ("Wrote the plan; next quarter we
        roll it out" is done work)."""
        found = self._off_topic.intersection(item.concepts)
        if item.done:
            found.discard(INTENT)
        # what the item is about: an off-topic word in a side clause ("until the manager
        # hire lands") does not make a tech lead's item off-topic
        if found.intersection(item.opening) or (
            found and len(self._domain.intersection(item.concepts)) < OFF_TOPIC_DOMAIN
        ):
            return True
        # the section the item sits in says what it is about, not the document's title
        # ("Promotion packet: Sam" over "## Production work")
        return bool(headings) and bool(
            self._off_topic.intersection(self._heading(headings[-1]).concepts)
        )

    def _heading(self, text: str) -> Features:
        found = self._headings.get(text)
        if found is None:
            found = self._headings[text] = self.features(text)
        return found

    def _level_cue(self, item: Features) -> float:
        """Where on the role's levels (0 lowest, 1 highest) the item's own words put it:
        low by default (lower levels of a behaviour are shown by a higher one too),
        higher for leading, higher still for org-wide scope."""
        cue = 0.0
        if "leadership" in item.concepts or "incident-command" in item.concepts:
            cue += LEAD_CUE
        if "org-scope" in item.concepts or "cross-team" in item.concepts:
            cue += ORG_CUE
        return min(cue, 1.0)

    def _why(self, item: Features, expectation: Features) -> list[str]:
        """What of the item matched, strongest first (at most MAX_WHY): its words as
        written and the concept they stand for (``"paged" → alerting``), or a word the
        expectation also has (``"kafka"``). Words standing for several shared concepts
        are shown once, with the strongest."""
        parts: list[tuple[float, str, str]] = []
        for concept, weight in item.concepts.items():
            other = expectation.concepts.get(concept)
            if other:
                lead = 1.0 + LEAD_BOOST if concept in item.lead else 1.0  # what was done first
                strength = self._weight("c:" + concept) * weight * other * lead
                parts.append((strength, item.written.get(concept, concept), concept))
        for token, surface in item.surface.items():
            other = expectation.words.get(token)
            if other:
                parts.append((self._weight("w:" + token) * other, surface, ""))
        parts.sort(key=lambda p: (-p[0], p[1], p[2]))
        shown: list[str] = []
        seen: set[str] = set()
        for _, written, concept in parts:
            if written in seen:
                continue
            seen.add(written)
            shown.append(f'"{written}" → {concept}' if concept else f'"{written}"')
            if len(shown) == MAX_WHY:
                break
        return shown


def _accumulate(postings: Postings, item: dict[str, float]) -> dict[int, float]:
    totals: dict[int, float] = {}
    for key, weight in item.items():
        for position, value in postings.get(key, ()):
            totals[position] = totals.get(position, 0.0) + weight * value
    return totals


def _idf(profiles: Sequence[Features]) -> dict[str, float]:
    """BM25's idf of each feature over the role's expectations."""
    counts: Counter[str] = Counter()
    for feats in profiles:  # a weak presence (an example's word) counts as part of one
        counts.update({"c:" + c: w for c, w in feats.concepts.items()})
        counts.update({"w:" + t: w for t, w in feats.words.items()})
    total = len(profiles)
    return {name: math.log(1.0 + (total - df + 0.5) / (df + 0.5)) for name, df in counts.items()}


#: (score, share of matches at that score that were right) on the project's labelled
#: sets (``tests/fixtures/evidence``: its own and the two held-out ones, never the dev
#: set), isotonic: ``python benchmarks/evidence_accuracy.py --calibrate`` recomputes it.
#: A match's score is read off it, so 0.7 means about 7 in 10 such matches were right.
CALIBRATION: tuple[tuple[float, float], ...] = (
    (0.0, 0.0),
    (0.30, 0.05),
    (0.34, 0.15),
    (0.38, 0.20),
    (0.42, 0.26),
    (0.445, 0.42),
    (0.48, 0.46),
    (0.51, 0.52),
    (0.53, 0.62),
    (0.57, 0.70),
    (0.61, 0.79),
    (0.65, 0.90),
    (0.69, 0.95),
    (0.80, 0.99),
    (1.0, 0.99),
)


def calibrated(raw: float) -> float:
    """``raw`` (the matcher's internal score) as the share of matches scoring the same
    that were right: linear between the points of ``CALIBRATION``."""
    points = CALIBRATION
    if raw <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if raw <= x1:
            return y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1
    return points[-1][1]


def _squash(value: float) -> float:
    return value / (value + SQUASH)


_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)  # a link's words are not the work
# past tenses that do not end in -ed: what a brag line that reports done work opens with
_IRREGULAR_PAST = frozenset(
    [
        "wrote",
        "ran",
        "led",
        "built",
        "set",
        "made",
        "took",
        "gave",
        "got",
        "drove",
        "did",
        "won",
        "began",
        "found",
        "held",
        "kept",
        "brought",
        "sent",
        "spoke",
        "taught",
        "chose",
        "broke",
        "caught",
        "bought",
        "told",
        "put",
        "cut",
        "read",
        "became",
        "came",
        "went",
        "saw",
        "stood",
        "understood",
        "left",
        "lost",
        "met",
        "paid",
        "said",
        "hit",
        "let",
        "drew",
        "grew",
        "threw",
        "knew",
        "flew",
        "shook",
        "froze",
        "fed",
        "dealt",
        "felt",
        "meant",
        "spent",
        "lent",
        "dug",
        "stuck",
        "struck",
        "spun",
        "sat",
        "split",
        "shut",
        "spread",
        "rewrote",
        "rebuilt",
        "overtook",
        "undertook",
        "oversaw",
        "withdrew",
    ]
)


_NOT_PAST = frozenset(
    [
        "need",
        "speed",
        "proceed",
        "exceed",
        "succeed",
        "indeed",
        "bleed",
        "breed",
        "greed",
        "embed",
        "hundred",
        "shred",
        "sled",
        "tweed",
    ]
)


def _past(word: str) -> bool:
    """Whether ``word`` (lowercased, as written) is a verb in the past tense."""
    if word in _IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST


# --- the whole result --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatchedItem:
    item: EvidenceItem
    matches: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    role: Role
    items: tuple[MatchedItem, ...]
    skipped: tuple[SkippedEntry, ...] = ()

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
                    "context": [*m.item.context, *m.item.parents],
                    "detail": m.item.detail,
                    "format": m.item.kind,
                    "refs": list(m.item.refs),
                    "severity": m.item.severity,
                    "role": m.item.role,
                    "sources": [{"file": f, "line": n} for f, n in m.item.where],
                    "matches": [match.to_json() for match in m.matches],
                }
                for m in self.items
            ],
            "cells": [
                {"dimension": d, "level": lv, "items": indexes} for d, lv, indexes in self.by_cell()
            ],
            "without_evidence": self.without_evidence,
            "unmatched": self.unmatched,
            "skipped": [entry.to_json() for entry in self.skipped],
        }


def match_items(
    matcher: Matcher,
    items: Iterable[EvidenceItem],
    top: int = TOP_MATCHES,
    skipped: Iterable[SkippedEntry] = (),
) -> EvidenceReport:
    matched = tuple(
        MatchedItem(item, tuple(matcher.match(_match_text(item), top, item.context)))
        for item in items
    )
    return EvidenceReport(matcher.role, matched, tuple(skipped))


def _match_text(item: EvidenceItem) -> str:
    return f"{item.text}\n{item.detail}" if item.detail else item.text


# --- an assessment's claims --------------------------------------------------------

CLAIM_RATINGS = ("partially", "consistently")


@dataclass(frozen=True, slots=True)
class Claim:
    """A ``p``/``c`` rating with no evidence, and the items suggested for it (indexes
    into the report's items, best first) with their match scores."""

    expectation: str
    rating: str
    suggested: tuple[int, ...]
    scores: tuple[float, ...] = ()


def unsupported_claims(
    report: EvidenceReport, assessment: Assessment, per_claim: int = 3, min_score: float = 0.0
) -> list[Claim]:
    """The claims of ``assessment`` with no evidence that some item supports (with a
    score of at least ``min_score``), in rubric order. An answer to an expectation the
    role does not have is left out."""
    ranked: dict[str, list[tuple[float, int]]] = {}
    for index, matched in enumerate(report.items):
        for match in matched.matches:
            if match.score >= min_score:
                ranked.setdefault(match.expectation, []).append((-match.score, index))
    claims = []
    for _, _, expectation in report.role.expectations():
        answer = assessment.answers.get(expectation.id)
        if answer is None or answer.rating not in CLAIM_RATINGS or answer.evidence:
            continue
        best = sorted(ranked.get(expectation.id, ()))[:per_claim]
        if best:
            claims.append(
                Claim(
                    expectation.id,
                    answer.rating,
                    tuple(i for _, i in best),
                    tuple(-score for score, _ in best),
                )
            )
    return claims


@dataclass(frozen=True, slots=True)
class Proposal:
    """One item proposed as evidence of one claim: what the review of
    ``evidence --attach`` shows and asks about."""

    expectation: str
    level: str
    expectation_text: str
    rating: str
    item: int  # index into the report's items
    score: float


def proposals(report: EvidenceReport, claims: Iterable[Claim]) -> list[Proposal]:
    """Every (claim, suggested item) pair, claims in rubric order, items best first."""
    index = report.role.expectation_index
    out = []
    for claim in claims:
        _, level, expectation = index[claim.expectation]
        scores = claim.scores or (0.0,) * len(claim.suggested)
        for item, score in zip(claim.suggested, scores, strict=True):
            out.append(
                Proposal(claim.expectation, level, expectation.text, claim.rating, item, score)
            )
    return out


def evidence_text(item: EvidenceItem) -> str:
    """The text an item is attached with: its own, and a date less precise than a day
    (``2026-Q3``), which stays in the text, where the reader sees it."""
    if item.date and _full_date(item.date) is None and item.date not in item.text:
        return f"{item.text} ({item.date})"
    return item.text


def as_evidence(item: EvidenceItem, suggested: Suggested | None = None) -> Evidence:
    """An item as an assessment's evidence: text (:func:`evidence_text`), link and date
    kept. ``suggested`` (how a suggestion came to be attached) also records where the
    item was found, so a packet can tell it from evidence a person typed. A
    ``pydantic.ValidationError`` if an assessment file could not hold it (a link of
    more than 20,000 characters)."""
    source = EvidenceSource(file=item.file, line=max(item.line, 1)) if suggested else None
    return Evidence(
        text=evidence_text(item),
        link=item.link,
        date=_full_date(item.date),
        source=source,
        suggested=suggested,
    )


def attach_items(
    assessment: Assessment,
    chosen: Iterable[tuple[str, EvidenceItem, Suggested]],
) -> Assessment:
    """``assessment`` with each (expectation id, item, how it was accepted) added as
    evidence of that expectation, with where the item was found. Ratings are never
    changed; only answers that exist and still claim the expectation (``p``/``c``) are
    touched; an item already there (same text and link) is not added twice."""
    answers = dict(assessment.answers)
    for expectation, item, suggested in chosen:
        answer = answers.get(expectation)
        if answer is None or answer.rating not in CLAIM_RATINGS:
            continue
        evidence = as_evidence(item, suggested)
        if (evidence.text, evidence.link) in {(e.text, e.link) for e in answer.evidence}:
            continue
        answers[expectation] = answer.model_copy(update={"evidence": [*answer.evidence, evidence]})
    return assessment.model_copy(update={"answers": answers})


def _full_date(value: str | None) -> dt.date | None:
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
