"""How well `sreladder evidence` maps brag-document items onto expectations.

    python benchmarks/evidence_accuracy.py                 # our sets, and the dev set if here
    python benchmarks/evidence_accuracy.py LABELS.json ... # any labelled sets (yours too)
    python benchmarks/evidence_accuracy.py --json          # the figures as JSON
    python benchmarks/evidence_accuracy.py --calibrate     # the score calibration table

A labelled set is a JSON list of ``{"role", "file", "line", "text", "gold": [ids]}``
(the format of ``tests/fixtures/evidence/labels.json``); ``file`` is relative to the
labels file. Items are read with sreladder's own reader, so the reader is measured too:
a labelled line the reader does not return counts as a miss.

For each set, side by side in one run:

* hit@1 / hit@3: a gold expectation is the first / among the first three matches
  (over the items that have gold expectations);
* distractors rejected: items with ``gold: []`` that get no match at all;
* real items rejected: items with gold expectations that get no match (lower is better).

``bm25`` is plain Okapi BM25 (k1 1.2, b 0.75) over the expectation texts, the same
words (lowercased, no stemming, no stopword list: idf does that job) and no threshold: it always
answers, so it rejects nothing. Goals, for every role: hit@3 >= 80 %, distractors
rejected >= 85 %, real items rejected <= 10 %.

The development set (kept outside the repository: set ``SRELADDER_DEVSET`` to its
folder) is measured too when it is named; the docs show only the repository's sets.
``--calibrate`` prints the table
``sreladder.core.evidence.CALIBRATION`` is read from: over the project's own labelled
sets (never the dev set), the share of matches at each score that name a gold
expectation, made monotone (pool-adjacent-violators).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OURS = REPO / "tests" / "fixtures" / "evidence" / "labels.json"
HOLDOUT = REPO / "tests" / "fixtures" / "evidence" / "holdout" / "labels.json"
HOLDOUT2 = REPO / "tests" / "fixtures" / "evidence" / "holdout2" / "labels.json"
CALIBRATION_SETS = (OURS, HOLDOUT, HOLDOUT2)  # the project's own labelled sets
# six documents written by someone who never saw the matcher, measured only: never used
# to calibrate or tune (see its README)
HOLDOUT3 = REPO / "tests" / "fixtures" / "evidence" / "holdout3" / "labels.json"


def dev_set() -> Path | None:
    """The development set's labels: the folder ``SRELADDER_DEVSET`` names (it is kept
    outside the repository, so the repository never points at it)."""
    named = os.environ.get("SRELADDER_DEVSET")
    found = Path(named) / "labels.json" if named else None
    return found if found is not None and found.is_file() else None


def default_sets() -> list[Path]:
    """What is measured when no set is named: ours, the held-out ones, the dev set."""
    found = dev_set()
    return [*SETS, *([found] if found else [])]


SETS = (*CALIBRATION_SETS, HOLDOUT3)  # the in-repository sets (the docs and tests measure these)


@dataclass
class Figures:
    items: int
    distractors: int
    hit1: float
    hit3: float
    distractors_rejected: float
    real_rejected: float

    def row(self, name: str) -> str:
        return (
            f"{name:<32} {self.items:>5} {self.distractors:>5}  {self.hit1:>6.0%} "
            f"{self.hit3:>6.0%}  {self.distractors_rejected:>10.0%} {self.real_rejected:>10.0%}"
        )


def load_labels(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_items(labels_path: Path, labels: list[dict]) -> dict[tuple[str, int], tuple]:
    """(file, line) -> (item text, its headings) as sreladder's reader returns them."""
    from sreladder.io.sources import read_source

    texts: dict[tuple[str, int], tuple] = {}
    for name in sorted({lab["file"] for lab in labels}):
        for item in read_source(labels_path.parent / name):
            text = f"{item.text}\n{item.detail}" if item.detail else item.text
            texts[(name, item.line)] = (text, item.context)
    return texts


def evaluate(
    labels: list[dict], texts: dict[tuple[str, int], tuple], rank: Callable, show: bool = False
) -> Figures:
    hit1 = hit3 = real = rejected_real = distractors = rejected = 0
    for lab in labels:
        found = texts.get((lab["file"], lab["line"]))
        ranked = rank(lab["role"], *found)[:3] if found is not None else []
        gold = set(lab["gold"])
        if show and (bool(gold) != bool(gold.intersection(ranked)) or (not gold and ranked)):
            print(f"  {lab['file']}:{lab['line']} {lab['text'][:70]!r}\n    got {ranked}")
        if not gold:
            distractors += 1
            rejected += not ranked
            continue
        real += 1
        rejected_real += not ranked
        hit1 += bool(ranked) and ranked[0] in gold
        hit3 += bool(gold.intersection(ranked))
    return Figures(
        items=len(labels),
        distractors=distractors,
        hit1=hit1 / max(real, 1),
        hit3=hit3 / max(real, 1),
        distractors_rejected=rejected / max(distractors, 1),
        real_rejected=rejected_real / max(real, 1),
    )


def sreladder_ranker(top: int = 3) -> Callable[[str, str], list[str]]:
    from sreladder.core.evidence import Matcher
    from sreladder.io.lexicon_file import load_lexicon
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(None)
    lexicon = load_lexicon(None)
    matchers: dict[str, Matcher] = {}

    def rank(role: str, text: str, headings: tuple = ()) -> list[str]:
        if role not in matchers:
            matchers[role] = Matcher(rubric.role(role), lexicon)
        return [m.expectation for m in matchers[role].match(text, top, headings)]

    return rank


def plain_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


class BM25:
    """Okapi BM25 over one role's expectation texts."""

    def __init__(self, docs: list[tuple[str, str]], k1: float = 1.2, b: float = 0.75):
        self.words = plain_words
        self.ids = [i for i, _ in docs]
        self.docs = [Counter(plain_words(text)) for _, text in docs]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.average = sum(self.lengths) / len(self.lengths)
        df: Counter[str] = Counter(w for d in self.docs for w in d)
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in df.items()}
        self.k1, self.b = k1, b

    def rank(self, text: str) -> list[str]:
        query = set(self.words(text))
        scores = []
        for index, doc in enumerate(self.docs):
            norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average)
            score = sum(
                self.idf[w] * doc[w] * (self.k1 + 1) / (doc[w] + norm) for w in query if w in doc
            )
            if score > 0:
                scores.append((-score, index))
        return [self.ids[i] for _, i in sorted(scores)]


def bm25_ranker() -> Callable[[str, str], list[str]]:
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(None)
    indexes: dict[str, BM25] = {}

    def rank(role: str, text: str, headings: tuple = ()) -> list[str]:
        if role not in indexes:
            docs = [(e.id, e.text) for _, _, e in rubric.role(role).expectations()]
            indexes[role] = BM25(docs)
        return indexes[role].rank(text)

    return rank


def live_labels(labels: list[dict]) -> list[dict]:
    """The labels with gold limited to the ids the shipped roles still have: a set
    labelled against an older rubric names ids it has since removed (the sre rework
    dropped 23 'Skill: ... Knowledge: ...' labels). An item left with no gold is
    dropped, not counted as a distractor."""
    from sreladder.io.rubric import load_rubric

    roles = load_rubric(None).roles
    out = []
    for lab in labels:
        known = roles[lab["role"]].expectation_index
        alive = [g for g in lab["gold"] if g in known]
        if alive or not lab["gold"]:
            out.append({**lab, "gold": alive})
    return out


def measure(paths: list[Path], show: bool = False) -> dict[str, dict[str, Figures]]:
    ours, bm25 = sreladder_ranker(), bm25_ranker()
    results = {}
    for path in paths:
        labels = load_labels(path)
        texts = read_items(path, labels)
        results[str(path)] = {
            "sreladder": evaluate(labels, texts, ours, show),
            "bm25": evaluate(labels, texts, bm25),
        }
        roles = sorted({lab["role"] for lab in labels})
        for role in roles if len(roles) > 1 else ():
            subset = [lab for lab in labels if lab["role"] == role]
            results[str(path)][f"sreladder [{role}]"] = evaluate(subset, texts, ours)
        live = live_labels(labels)
        if len(live) != len(labels) or live != labels:
            results[str(path)]["sreladder, live ids"] = evaluate(live, texts, ours)
            results[str(path)]["bm25, live ids"] = evaluate(live, texts, bm25)
    return results


def calibration_table(paths: list[Path]) -> list[tuple[float, float, float, int]]:
    """(lowest score, highest score, share right, matches) per monotone block of the
    matches sreladder gives on ``paths``, read on the uncalibrated score."""
    from sreladder.core import evidence
    from sreladder.core.evidence import Matcher
    from sreladder.io.lexicon_file import load_lexicon
    from sreladder.io.rubric import load_rubric

    saved = evidence.CALIBRATION
    evidence.CALIBRATION = ((0.0, 0.0), (1.0, 1.0))  # the raw score
    try:
        rubric, lexicon = load_rubric(None), load_lexicon(None)
        matchers: dict[str, Matcher] = {}
        pairs = []
        for path in paths:
            labels = load_labels(path)
            texts = read_items(path, labels)
            for lab in labels:
                if lab["role"] not in matchers:
                    matchers[lab["role"]] = Matcher(rubric.role(lab["role"]), lexicon)
                text, headings = texts[(lab["file"], lab["line"])]
                for match in matchers[lab["role"]].match(text, 3, headings):
                    pairs.append((match.score, match.expectation in lab["gold"]))
    finally:
        evidence.CALIBRATION = saved
    blocks: list[list[float]] = []  # [low, high, right, count]
    for score, right in sorted(pairs):
        blocks.append([score, score, float(right), 1])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][3] > blocks[-1][2] / blocks[-1][3]:
            last = blocks.pop()
            blocks[-1] = [blocks[-1][0], last[1], blocks[-1][2] + last[2], blocks[-1][3] + last[3]]
    return [(low, high, right / count, int(count)) for low, high, right, count in blocks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labels", nargs="*", type=Path, help="labelled sets (JSON)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--misses", action="store_true", help="list the items sreladder gets wrong")
    parser.add_argument(
        "--calibrate", action="store_true", help="print the score -> share right table"
    )
    args = parser.parse_args(argv)
    if args.calibrate:
        for low, high, share, count in calibration_table(args.labels or list(CALIBRATION_SETS)):
            print(f"{low:.3f}..{high:.3f}  {count:>4} matches  {share:.0%} right")
        return 0
    paths = args.labels or default_sets()
    results = measure(paths, args.misses)
    if args.json:
        data = {p: {k: vars(f) for k, f in r.items()} for p, r in results.items()}
        print(json.dumps(data, indent=2))
        return 0
    head = (
        f"{'':<32} {'items':>5} {'distr':>5}  {'hit@1':>6} {'hit@3':>6}  "
        f"{'distr rej':>10} {'real rej':>10}"
    )
    for path, figures in results.items():
        print(f"\n{path}")
        print(head)
        for name, found in figures.items():
            print(found.row(name))
    print(
        "\ngoals, for every role: hit@3 >= 80%, distractors rejected >= 85%, "
        "real items rejected <= 10%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
