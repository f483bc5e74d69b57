"""The same piece of work read from several sources is one item, with every source
kept. Two items from different files are the same work when:

1. they name the same work: the same link, pull request (``org/repo#12``), commit, Jira
   issue key or incident (their ``refs``, and the refs their links name);
2. they mention the same Jira issue key (a commit or pull request titled ``OPS-12: ...``
   and the issue OPS-12 itself), or one is a squash-merged commit ``... (#12)`` and the
   other the one pull request #12 read (when only one repository's #12 was read);
3. their texts are near-identical (at least ``SIMILAR`` of their words shared, words
   compared without endings: "Added alerts" is "Add alert") and their dates are within
   ``DAYS`` days (a day and a month or quarter that holds it agree too; an undated item
   is never merged on its text).

Two entries of one file are never merged: a file lists each piece of work once, and a
repeated bullet is repeated work. The merged item reads as the person's own words when
one source is theirs (a brag document before a ticket, a ticket before a pull request,
a pull request before a commit), keeps the most precise date, the first link, every
detail and ref, and lists every ``(file, line)`` in ``sources``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from sreladder.core.evidence import EvidenceItem
from sreladder.io.sources.base import MAX_TEXT
from sreladder.io.sources.dates import precision, span
from sreladder.io.sources.links import mentions, normal_link, refs_of_link

SIMILAR = 0.75
DAYS = 7
MIN_WORDS = 3
# whose words an item is read in when it is merged: the person's own first
_VOICE = {"markdown": 0, "text": 0, "html": 0, "incident": 1, "jira": 2, "github": 3}
_VOICE_OTHER = 4

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "via",
        "as",
        "is",
        "was",
        "be",
        "it",
        "its",
        "this",
        "that",
        "our",
        "my",
        "we",
        "i",
    }
)


def merge_same_work(items: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    if len({item.file for item in items}) < 2:  # one file lists each piece of work once
        return list(items)
    groups = _Groups(items)
    owners: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for key in _own_keys(item):
            owners.setdefault(key, []).append(index)
    for members in owners.values():
        for other in members[1:]:
            groups.join(members[0], other)
    numbers = _pull_request_numbers(owners)
    for index, item in enumerate(items):
        for key in mentions(item.text):
            if key.startswith("github:#"):
                for other in owners.get(numbers.get(key, ""), ()):
                    groups.join(other, index)
    _similar_texts(items, groups)
    return [_merged([items[i] for i in members]) for members in groups.members()]


def _own_keys(item: EvidenceItem) -> set[str]:
    """What names the item's work: its refs, its link and what the link names, and the
    Jira keys it mentions (a pull request and a commit for OPS-12 are OPS-12's work)."""
    refs = list(item.refs) + [key for key in mentions(item.text) if key.startswith("jira:")]
    link = normal_link(item.link)
    if link:
        refs += ["link:" + link, *refs_of_link(item.link)]
    return {ref[:11] if ref.startswith("git:") else ref for ref in refs}  # git: + 7 digits


def _pull_request_numbers(owners: dict[str, list[int]]) -> dict[str, str]:
    """``github:#12`` -> ``github:org/repo#12`` when one repository's #12 was read."""
    found: dict[str, list[str]] = {}
    for key in owners:
        if key.startswith("github:") and "#" in key:
            found.setdefault("github:#" + key.rsplit("#", 1)[1], []).append(key)
    return {short: full[0] for short, full in found.items() if len(full) == 1}


class _Groups:
    """Union-find over the items, refusing to join two groups that share a file."""

    def __init__(self, items: Sequence[EvidenceItem]) -> None:
        self.parent = list(range(len(items)))
        self.files = [{item.file} for item in items]

    def root(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, a: int, b: int) -> bool:
        a, b = self.root(a), self.root(b)
        if a == b or not self.files[a].isdisjoint(self.files[b]):
            return False
        if b < a:
            a, b = b, a
        self.parent[b] = a
        self.files[a] |= self.files[b]
        return True

    def members(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for index in range(len(self.parent)):
            found.setdefault(self.root(index), []).append(index)
        return list(found.values())  # in order of each group's first item


# --- near-identical text ---------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    """The words of ``text`` as compared: lower case, without the commonest small
    words, and without endings (``-ing``, ``-ed``, ``-es``, ``-s``, a final ``-e``)."""
    found = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        for ending in ("ing", "ed", "es", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        if len(word) > 4 and word.endswith("e"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


def _similar_texts(items: Sequence[EvidenceItem], groups: _Groups) -> None:
    """Join items whose words overlap by ``SIMILAR`` (Jaccard) and whose dates agree.
    Candidates share one of their rarest words (prefix filtering), so a year of items
    is compared in far fewer than n² pairs."""
    sets = [words(item.text) if item.date else frozenset() for item in items]
    frequency = Counter(word for found in sets for word in found)
    index: dict[str, list[int]] = {}
    for position, found in enumerate(sets):
        if len(found) < MIN_WORDS:
            continue
        ordered = sorted(found, key=lambda w: (frequency[w], w))
        prefix = len(ordered) - math.ceil(SIMILAR * len(ordered)) + 1
        candidates: set[int] = set()
        for word in ordered[:prefix]:
            bucket = index.setdefault(word, [])
            candidates.update(bucket)
            bucket.append(position)
        for other in sorted(candidates):
            if items[other].file == items[position].file:
                continue
            shared = len(found & sets[other])
            if shared / (len(found) + len(sets[other]) - shared) < SIMILAR:
                continue
            if _dates_agree(items[other].date, items[position].date):
                groups.join(other, position)


def _dates_agree(a: str | None, b: str | None) -> bool:
    first, second = span(a), span(b)
    if first is None or second is None:
        return False
    slack = DAYS
    return first[0].toordinal() - slack <= second[1].toordinal() and (
        second[0].toordinal() - slack <= first[1].toordinal()
    )


# --- the merged item -------------------------------------------------------------------


def _merged(members: list[EvidenceItem]) -> EvidenceItem:
    if len(members) == 1:
        return members[0]
    lead = min(members, key=lambda m: _VOICE.get(m.kind, _VOICE_OTHER))
    date = max((m.date for m in members), key=lambda d: precision(d), default=lead.date)
    if precision(lead.date) == precision(date):
        date = lead.date
    details = list(dict.fromkeys(m.detail for m in [lead, *members] if m.detail))
    refs = _distinct_refs(r for m in [lead, *members] for r in m.refs)
    return EvidenceItem(
        text=lead.text,
        file=lead.file,
        line=lead.line,
        date=date,
        link=lead.link or next((m.link for m in members if m.link), None),
        context=lead.context,
        parents=lead.parents,
        detail=" · ".join(details)[:MAX_TEXT],
        kind=lead.kind,
        refs=tuple(refs),
        severity=lead.severity or next((m.severity for m in members if m.severity), None),
        role=lead.role if lead.role not in (None, "unknown") else _role(members, lead.role),
        sources=tuple(dict.fromkeys(w for m in [lead, *members] for w in m.where)),
    )


def _distinct_refs(refs: Iterable[str]) -> list[str]:
    """Each ref once; of a commit's hashes (``git:fb1ee2a`` and ``git:fb1ee2af66...``)
    the longest."""
    kept: list[str] = []
    for ref in dict.fromkeys(refs):
        if ref.startswith("git:"):
            same = next((i for i, k in enumerate(kept) if k[:11] == ref[:11]), None)
            if same is not None:
                if len(ref) > len(kept[same]):
                    kept[same] = ref
                continue
        kept.append(ref)
    return kept


def _role(members: list[EvidenceItem], default: str | None) -> str | None:
    return next((m.role for m in members if m.role and m.role != "unknown"), default)
