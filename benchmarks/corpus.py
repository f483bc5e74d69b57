"""Generated inputs for the benchmarks: a large rubric folder and many assessments.

Everything is derived from the shipped ladders in ``data/`` and seeded, so two runs on
two machines time the same bytes.

* ``write_rubric_corpus(folder, n=150)`` writes ``levels/`` (the shipped scales) and
  ``n`` role files varied from ``data/roles/*.yaml``: renamed role, dimension and
  expectation ids, shuffled dimension order, and (on about half) one or two extra
  dimensions copied from others with new ids and reworded text. Each file is about
  the size of a shipped role (10-35 KB). The corpus is valid: ``sreladder validate``
  reports only the warnings the shipped files carry themselves.
* ``write_assessments(folder, n=10_000)`` writes ``n`` assessment files of the built-in
  ``sre`` role with seeded random ratings, skips and evidence, in the format ``assess``
  writes.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
RATINGS = ("not-yet", "partially", "consistently")


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def shipped_roles() -> list[dict[str, Any]]:
    return [
        yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for p in sorted((DATA / "roles").glob("*.yaml"))
    ]


def _rename_dimension(dimension: dict[str, Any], suffix: str, reword: str | None) -> None:
    dimension["id"] = f"{dimension['id']}{suffix}"
    for cell in dimension["levels"].values():
        for expectation in cell["expectations"]:
            expectation["id"] = f"{expectation['id']}{suffix}"
            if reword:
                expectation["text"] = f"{reword}: {expectation['text']}"


def vary_role(base: dict[str, Any], index: int) -> dict[str, Any]:
    """A realistic variant of a shipped role, different for every ``index``."""
    rng = random.Random(index)
    role = copy.deepcopy(base)
    role["id"] = f"{base['id']}-v{index:03d}"
    role["name"] = f"{base['name']} (team {index})"
    suffix = f"-t{index:03d}"
    for dimension in role["dimensions"]:
        _rename_dimension(dimension, suffix, None)
    rng.shuffle(role["dimensions"])
    for extra in range(rng.choice((0, 0, 1, 2))):
        added = copy.deepcopy(rng.choice(base["dimensions"]))
        _rename_dimension(added, f"-x{extra}{suffix}", f"In the team's own systems ({extra})")
        added["name"] = f"{added['name']} (team practice {extra})"
        role["dimensions"].insert(rng.randrange(len(role["dimensions"]) + 1), added)
    return role


def write_rubric_corpus(folder: Path, n: int = 150) -> list[Path]:
    """Write the corpus; returns every file written (scales first)."""
    (folder / "levels").mkdir(parents=True, exist_ok=True)
    (folder / "roles").mkdir(parents=True, exist_ok=True)
    written = []
    for scale in sorted((DATA / "levels").glob("*.yaml")):
        target = folder / "levels" / scale.name
        shutil.copyfile(scale, target)
        written.append(target)
    bases = shipped_roles()
    for index in range(n):
        role = vary_role(bases[index % len(bases)], index)
        target = folder / "roles" / f"{role['id']}.yaml"
        target.write_text(_dump(role), encoding="utf-8")
        written.append(target)
    return written


def sre_expectations() -> list[str]:
    sre = yaml.load((DATA / "roles" / "sre.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    return [
        e["id"]
        for d in sre["dimensions"]
        for cell in d["levels"].values()
        for e in cell["expectations"]
    ]


def make_assessment(index: int, expectation_ids: list[str]) -> dict[str, Any]:
    rng = random.Random(index)
    # Each person is strong up to some point of the rubric and weaker after it.
    strong_until = rng.randrange(len(expectation_ids) + 1)
    answers: dict[str, Any] = {}
    for position, expectation_id in enumerate(expectation_ids):
        roll = rng.random()
        if roll < 0.08:
            continue  # not reached
        if roll < 0.12:
            answers[expectation_id] = {"rating": None}  # skipped
            continue
        weights = (1, 2, 7) if position < strong_until else (6, 3, 1)
        answer: dict[str, Any] = {"rating": rng.choices(RATINGS, weights)[0]}
        if rng.random() < 0.4:
            answer["evidence"] = [
                {
                    "text": f"Change {index}-{position}: led the work and wrote it up",
                    "link": f"https://example.invalid/{index}/{position}",
                    "date": (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))),
                }
            ]
        answers[expectation_id] = answer
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=index)
    return {
        "sreladder": 1,
        "role": "sre",
        "subject": {"name": f"Person {index:05d}"},
        "assessor": {"name": f"Person {index:05d}", "relation": "self"},
        "created": created,
        "updated": created + dt.timedelta(minutes=20),
        "answers": answers,
    }


def write_assessments(folder: Path, n: int = 10_000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ids = sre_expectations()
    written = []
    for index in range(n):
        target = folder / f"assessment-{index:05d}.yaml"
        target.write_text(_dump(make_assessment(index, ids)), encoding="utf-8")
        written.append(target)
    return written
