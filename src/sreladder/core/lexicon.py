"""The evidence matcher's domain lexicon: words and phrases mapped to concepts.

The data lives in ``data/lexicon.yaml`` (shipped with the built-in ladders) and may be
extended by a company's own file. This module holds its model, the merge of several
files, and the compiled form the matcher reads text with (``CompiledLexicon.read``).
Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from sreladder.core.models import FileModel, Id, StrictBool

# StringConstraints, not Field: a term is stripped before it is measured, which Field
# cannot say.
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Sense(FileModel):
    """Terms that stand for their concept only in company: when a concept of ``needs``
    is found elsewhere in the same text (any one; none listed: no condition), and no
    concept of ``unless`` is. "rotation" is on-call beside a page or a shift, not beside
    a certificate; "sat in on" is shadowing beside a page, not beside a sales demo."""

    terms: list[Term] = Field(min_length=1, max_length=500)
    needs: list[Id] = Field(default_factory=list, max_length=50)
    unless: list[Id] = Field(default_factory=list, max_length=50)


class Concept(FileModel):
    """A concept is found by one of its ``terms``, or (``all_of``) when every listed
    concept is in the same text: ``[authoring, alerting]`` tells "added alerts for the
    certs" (monitoring work) from "answered the alerts" (on-call work). ``negated`` is
    what a term stands for after "no", "without", "zero" or "never" a few words before
    it: "without a single customer-facing incident" is uptime, not an incident.
    ``kind`` says what a concept names: an ``action`` (what a person does: led,
    debugged, mentored, planned, automated) or a ``topic`` (what it was done on: SLOs,
    Kafka, Terraform, latency). The matcher counts a shared action more than a shared
    topic; a concept with no kind counts as written."""

    id: Id
    terms: list[Term] = Field(default_factory=list, max_length=5000)
    all_of: list[Id] = Field(default_factory=list, max_length=10)
    implies: list[Id] = Field(default_factory=list)
    negated: Id | None = None
    weight: float = Field(1.0, strict=True, gt=0, le=5)
    off_topic: StrictBool = False
    kind: Literal["action", "topic"] | None = None
    senses: list[Sense] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _found_somehow(self) -> Self:
        if not self.terms and not self.senses and len(self.all_of) < 2:
            raise ValueError("a concept needs terms, or at least two concepts in all_of")
        return self


class Lexicon(FileModel):
    lexicon: Literal[1] = Field(description="lexicon format version")
    concepts: list[Concept] = Field(default_factory=list, max_length=10_000)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for concept in self.concepts:
            if concept.id in seen:
                raise ValueError(f"duplicate concept id {concept.id!r}")
            seen.add(concept.id)
        return self


def merge(base: Lexicon, extra: Lexicon) -> Lexicon:
    """``base`` with ``extra``'s concepts added; an id both have gets both term lists
    (and the extra file's weight, implications and off-topic flag)."""
    by_id = {c.id: c for c in base.concepts}
    for concept in extra.concepts:
        known = by_id.get(concept.id)
        if known is None:
            by_id[concept.id] = concept
            continue
        by_id[concept.id] = concept.model_copy(
            update={
                "terms": [*known.terms, *concept.terms],
                "implies": list(dict.fromkeys([*known.implies, *concept.implies])),
                "all_of": concept.all_of or known.all_of,
                "negated": concept.negated or known.negated,
                "kind": concept.kind or known.kind,
                "senses": [*known.senses, *concept.senses],
            }
        )
    return Lexicon(lexicon=1, concepts=list(by_id.values()))


def unknown_implications(lexicon: Lexicon) -> list[tuple[str, str, str]]:
    """(concept, field, id) for every ``implies``, ``all_of`` or ``negated`` naming a
    concept the lexicon does not have."""
    ids = {c.id for c in lexicon.concepts}
    out = []
    for concept in lexicon.concepts:
        named = [("implies", i) for i in concept.implies] + [("all_of", i) for i in concept.all_of]
        if concept.negated is not None:
            named.append(("negated", concept.negated))
        for sense in concept.senses:
            named += [("senses.needs", i) for i in sense.needs]
            named += [("senses.unless", i) for i in sense.unless]
        out += [(concept.id, field, i) for field, i in named if i not in ids]
    return out


# --- words -------------------------------------------------------------------------

_WORD = re.compile(r"\d+:\d+|[a-z0-9]+(?:'[a-z]+)?")  # 1:1 is one word
_DOUBLED = re.compile(r"([bdfgklmnprt])\1$")


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A light suffix stripper: enough that page/pages/paged/paging, mentor/mentoring
    and automate/automated meet, without a stemmer's surprises on jargon."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or word[0].isdigit():
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif word.endswith("ing") and len(word) > 5:
        word = _DOUBLED.sub(r"\1", word[:-3])
    elif word.endswith("ed") and len(word) > 4:
        word = _DOUBLED.sub(r"\1", word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """``text`` as lowercased, stemmed words (``on-call`` is two words: on, call)."""
    return [stem(w) for w in _WORD.findall(text.lower().replace("’", "'"))]


def surface_words(text: str) -> list[tuple[str, str]]:
    """``words(text)`` with each word as written (lowercased): (written, stemmed)."""
    return [(w, stem(w)) for w in _WORD.findall(text.lower().replace("’", "'"))]


SENSE_MARK = "~"  # a sense placeholder's id starts with it (no concept id can)
NEGATIONS = frozenset({"no", "without", "zero", "never", "0", "w/o", "nor"})
DENIALS = frozenset(
    {"no", "without", "never", "nor", "w/o", stem("declined")}
)  # not numbers: "0 pages" is a result
ENDINGS = frozenset(stem(w) for w in ("more", "longer"))  # "no more manual restarts": toil gone
NEGATION_REACH = 5  # words before a term that a negation may stand in
TYPO_MIN = 7  # shorter words are too close to other real words to guess at


def _deletions(word: str) -> set[str]:
    """``word`` with one letter left out, every way (symmetric-delete spelling match)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_slip(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one missing or extra letter, or two neighbouring
    letters swapped (a changed letter is too often another real word)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    return a[start : start + 2] == b[start : start + 2][::-1] and a[start + 2 :] == b[start + 2 :]


# --- compiled -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon term found in a text: where (word positions) and what it stands for."""

    start: int
    end: int
    concepts: tuple[str, ...]


class CompiledLexicon:
    """A lexicon ready to read text: phrases indexed by their first word, longest
    first, so "lunch and learn" is teaching, not lunch."""

    def __init__(self, lexicon: Lexicon):
        self.concepts = {c.id: c for c in lexicon.concepts}
        phrases: dict[tuple[str, ...], list[str]] = {}
        prefixes: dict[str, list[str]] = {}
        for concept in lexicon.concepts:
            for term in concept.terms:
                if term.endswith("*") and len(term) > 1:
                    prefix = "".join(words(term[:-1]))
                    if prefix:
                        prefixes.setdefault(prefix, []).append(concept.id)
                    continue
                key = tuple(words(term))
                if key:
                    phrases.setdefault(key, []).append(concept.id)
        # a sense's terms stand for a placeholder id, resolved once the whole text is read
        self._senses: dict[str, tuple[frozenset[str], frozenset[str], str]] = {}
        for concept in lexicon.concepts:
            for number, sense in enumerate(concept.senses):
                placeholder = f"{SENSE_MARK}{concept.id}:{number}"
                self._senses[placeholder] = (
                    frozenset(sense.needs),
                    frozenset(sense.unless),
                    concept.id,
                )
                for term in sense.terms:
                    sense_key = tuple(words(term))
                    if sense_key:
                        phrases.setdefault(sense_key, []).append(placeholder)
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        self._typos: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for key, ids in phrases.items():
            expanded = self._with_implied(ids)
            self._by_first.setdefault(key[0], []).append((key, expanded))
            if len(key) == 1 and len(key[0]) >= TYPO_MIN:
                for variant in {key[0], *_deletions(key[0])}:
                    self._typos.setdefault(variant, []).append((key[0], expanded))
        for options in self._by_first.values():
            options.sort(key=lambda option: -len(option[0]))
        self._prefixes = {k: self._with_implied(v) for k, v in prefixes.items()}
        self._typo_hits: dict[str, tuple[str, ...] | None] = {}  # words repeat: look once
        self._negated = {
            c.id: self._with_implied([c.negated]) for c in lexicon.concepts if c.negated
        }
        self.combinations = [
            (frozenset(c.all_of), self._with_implied([c.id])) for c in lexicon.concepts if c.all_of
        ]
        self._prefix_lengths = sorted({len(k) for k in self._prefixes}, reverse=True)

    def _with_implied(self, ids: Iterable[str]) -> tuple[str, ...]:
        found: list[str] = []
        todo = list(ids)
        while todo:
            concept_id = todo.pop(0)
            if concept_id in self._senses and concept_id not in found:
                found.append(concept_id)  # a placeholder: what it implies waits for its sense
                continue
            if concept_id in found or concept_id not in self.concepts:
                continue
            found.append(concept_id)
            todo.extend(self.concepts[concept_id].implies)
        return tuple(found)

    def combined(self, found: set[str]) -> list[str]:
        """The concepts (with what they imply) that ``found`` makes together."""
        return [cid for needed, ids in self.combinations if needed <= found for cid in ids]

    def read(self, tokens: Sequence[str]) -> list[Hit]:
        """The terms in ``tokens``, left to right, longest match first, not overlapping."""
        hits: list[Hit] = []
        i, n = 0, len(tokens)
        while i < n:
            hit = (
                self._phrase_at(tokens, i)
                or self._prefix_at(tokens[i], i)
                or self._typo_at(tokens[i], i)
            )
            if hit is None:
                i += 1
                continue
            i = hit.end
            if (
                hit.concepts
                and hit.concepts[0] not in self._negated
                and self._denied(tokens, hit, hits)
            ):
                continue  # "no input from leadership", "never paged": not what it names
            hits.append(self._negation(tokens, hit))
        return self._resolve(hits) if self._senses else hits

    def _resolve(self, hits: list[Hit]) -> list[Hit]:
        """Each sense placeholder as its concept where the rest of the text has a concept
        it needs and none it must not have, else as nothing (its words stay read)."""
        if not any(c.startswith(SENSE_MARK) for hit in hits for c in hit.concepts):
            return hits
        plain = [{c for c in hit.concepts if not c.startswith(SENSE_MARK)} for hit in hits]
        out = []
        for index, hit in enumerate(hits):
            if not any(c.startswith(SENSE_MARK) for c in hit.concepts):
                out.append(hit)
                continue
            around = set().union(*(p for i, p in enumerate(plain) if i != index))
            around |= set(self.combined(around))
            kept: list[str] = []
            for concept_id in hit.concepts:
                sense = self._senses.get(concept_id)
                if sense is None:
                    kept.append(concept_id)
                    continue
                needs, unless, meant = sense
                if (not needs or needs & around) and not unless & around:
                    kept += [c for c in self._with_implied([meant]) if c not in kept]
            out.append(Hit(hit.start, hit.end, tuple(kept)))
        return out

    @staticmethod
    def _denied(tokens: Sequence[str], hit: Hit, before: Sequence[Hit]) -> bool:
        """Whether a negation word shortly before ``hit`` denies it: the nearest one, with
        no other term between them ("no customer impact, 3 pages": only the impact)."""
        start = max(0, hit.start - NEGATION_REACH, before[-1].end if before else 0)
        return any(
            tokens[i] in DENIALS and tokens[i + 1] not in ENDINGS for i in range(start, hit.start)
        )

    def _negation(self, tokens: Sequence[str], hit: Hit) -> Hit:
        """``hit`` as what it stands for after a negation word shortly before it."""
        instead = self._negated.get(hit.concepts[0]) if hit.concepts else None
        if instead and NEGATIONS.intersection(
            tokens[max(0, hit.start - NEGATION_REACH) : hit.start]
        ):
            return Hit(hit.start, hit.end, instead)
        return hit

    def _phrase_at(self, tokens: Sequence[str], i: int) -> Hit | None:
        for key, concepts in self._by_first.get(tokens[i], ()):
            end = i + len(key)
            if tuple(tokens[i:end]) == key:
                return Hit(i, end, concepts)
        return None

    def _typo_at(self, token: str, i: int) -> Hit | None:
        """A long word one slip (a missing, extra or swapped letter) from a term's."""
        if len(token) < TYPO_MIN - 1 or not token.isalpha():
            return None
        if token not in self._typo_hits:
            self._typo_hits[token] = self._typo_concepts(token)
        concepts = self._typo_hits[token]
        return Hit(i, i + 1, concepts) if concepts else None

    def _typo_concepts(self, token: str) -> tuple[str, ...] | None:
        for variant in sorted({token, *_deletions(token)}):
            for term, concepts in self._typos.get(variant, ()):
                if _one_slip(token, term):
                    return concepts
        return None

    def _prefix_at(self, token: str, i: int) -> Hit | None:
        for length in self._prefix_lengths:
            concepts = self._prefixes.get(token[:length]) if len(token) >= length else None
            if concepts:
                return Hit(i, i + 1, concepts)
        return None
