"""Speed and memory of ``sreladder team DIR`` on 1,000 / 5,000 / 10,000 assessment files.

    python benchmarks/team_10k.py              # 1k, 5k and 10k files, median of 3 runs
    python benchmarks/team_10k.py --sizes 1000 --repeat 1
    python benchmarks/team_10k.py --save        # and keep the figures for the docs

The files are generated, seeded, into a temporary folder: people of the built-in
``sre`` role, four assessments each over 2026 (so 10,000 files = 2,500 people), every
expectation answered (the size of a ``--thorough`` interview; the adaptive interview
writes fewer), evidence on about a third of the answers. Each person has a level that
grows over the year; answers are mostly ``consistently`` at or below it, mixed one
above, mostly ``not-yet`` higher up. One person in ten also has a manager assessment
in place of one self-assessment.

For each size, ``sreladder team DIR --format json`` runs in a subprocess, twice: with
``--jobs 0`` (one worker process per CPU, the default) and ``--jobs 1`` (one process).
Reported: the median wall time, the CPU time, the peak RSS of the largest single
process (``wait4``'s ``ru_maxrss``) and, for the parallel run, the peak of the sum
over the process tree (sampled from /proc every 20 ms). Memory that does not grow
with the file count is the point: the command keeps a few numbers per person, never a
parsed file.

``run(n)`` returns the figures for one size (used by ``benchmarks/run.py``). ``--save``
writes benchmarks/results/team.json, from which ``benchmarks/docs_figures.py`` renders
docs/speed.md's team table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SEED = 20261122
RATINGS = ("not-yet", "partially", "consistently")
ASSESSMENTS_PER_PERSON = 4
FIRST_NAMES = [
    "Dana",
    "Lee",
    "Kim",
    "Sam",
    "Alex",
    "Robin",
    "Jo",
    "Ash",
    "Noor",
    "Ravi",
    "Mei",
    "Ana",
    "Tom",
    "Ines",
    "Yuki",
    "Omar",
]


def _sre() -> tuple[list[str], list[tuple[str, str]], str]:
    """(level ids, [(expectation id, level id)], rubric digest) of the built-in role."""
    from sreladder.io.rubric import load_rubric

    role = load_rubric(None).role("sre")
    return role.level_ids, [(e.id, lv) for _, lv, e in role.expectations()], role.digest


def _answer(rng: random.Random, distance: int, index: int, n: int) -> dict[str, Any]:
    if distance <= 0:
        weights = (1, 2, 12)
    elif distance == 1:
        weights = (4, 4, 3)
    else:
        weights = (12, 2, 1)
    answer: dict[str, Any] = {"rating": rng.choices(RATINGS, weights)[0]}
    if answer["rating"] != "not-yet" and rng.random() < 0.35:
        answer["evidence"] = [
            {
                "text": f"Led change {index}-{n}: design doc, rollout and the write-up",
                "link": f"https://example.invalid/changes/{index}/{n}",
                "date": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330)),
            }
        ]
    return answer


def make_assessment(
    index: int, levels: list[str], expectations: list[tuple[str, str]], digest: str
) -> dict[str, Any]:
    """File ``index``: person ``index // 4``, assessment ``index % 4`` of the year."""
    person, nth = divmod(index, ASSESSMENTS_PER_PERSON)
    base = random.Random(SEED * 1_000_003 + person)
    name = f"{base.choice(FIRST_NAMES)} {person:05d}"
    start = base.randrange(len(levels) - 2)
    growth = base.random() * 1.5  # levels gained over the year
    manager = base.random() < 0.1 and nth == ASSESSMENTS_PER_PERSON - 1
    rng = random.Random(SEED + index)
    level = start + round(growth * nth / (ASSESSMENTS_PER_PERSON - 1))
    order = {lv: i for i, lv in enumerate(levels)}
    answers = {
        eid: _answer(rng, order[lv] - level, index, n) for n, (eid, lv) in enumerate(expectations)
    }
    created = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC) + dt.timedelta(
        days=90 * nth + base.randrange(20), minutes=person % 600
    )
    return {
        "sreladder": 1,
        "role": "sre",
        "rubric_digest": digest,
        "subject": {"name": name},
        "assessor": {
            "name": "Their manager" if manager else name,
            "relation": "manager" if manager else "self",
        },
        "created": created,
        "updated": created + dt.timedelta(minutes=25),
        "answers": answers,
    }


def generate(folder: Path, n: int) -> None:
    """Write ``n`` files, 100 per sub-folder (as a team's repository might hold them)."""
    levels, expectations, digest = _sre()
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for index in range(n):
        sub = folder / f"batch-{index // 100:03d}"
        if index % 100 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = make_assessment(index, levels, expectations, digest)
        text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
        (sub / f"assessment-{index:05d}.yaml").write_text(text, encoding="utf-8")


def _tree_rss_kb(pid: int) -> int:
    total = 0
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            pids += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def _sreladder() -> list[str]:
    exe = Path(sys.executable).parent / "sreladder"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sreladder.cli.app"]


def measure(folder: Path, jobs: int | None) -> dict[str, float]:
    """One run of ``sreladder team folder --format json``: wall s, CPU s, peak RSS MB."""
    command = [*_sreladder(), "team", str(folder), "--format", "json"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    peak_tree = 0
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, _tree_rss_kb(child.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    stderr = child.stderr.read().decode() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"sreladder team failed ({child.returncode}): {stderr}")
    return {
        "seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # the largest single process (Linux: KiB)
        "peak_tree_mb": max(peak_tree, usage.ru_maxrss) / 1024,
    }


def run(n: int, repeat: int = 3, folder: Path | None = None) -> dict[str, Any]:
    """Figures for ``n`` files: parallel (default workers) and one process, medians of
    ``repeat`` runs. Generates the files into a temporary folder unless given one."""
    tmp = None
    if folder is None:
        tmp = Path(tempfile.mkdtemp(prefix="sreladder-team-"))
        folder = tmp / "assessments"
        generate(folder, n)
    try:
        figures: dict[str, Any] = {"files": n, "people": -(-n // ASSESSMENTS_PER_PERSON)}
        for label, jobs in (("parallel", 0), ("single", 1)):
            runs = [measure(folder, jobs) for _ in range(repeat)]
            figures[label] = {
                key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]
            }
        figures["cpus"] = len(os.sched_getaffinity(0))
        return figures
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def table(results: list[dict[str, Any]]) -> str:
    head = (
        f"{'files':>6}  {'people':>6}  {'parallel s':>10}  {'tree MB':>7}  "
        f"{'single s':>8}  {'CPU s':>6}  {'RSS MB':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        p, s = r["parallel"], r["single"]
        lines.append(
            f"{r['files']:>6}  {r['people']:>6}  {p['seconds']:>10.2f}  {p['peak_tree_mb']:>7.1f}  "
            f"{s['seconds']:>8.2f}  {s['cpu_seconds']:>6.2f}  {s['peak_rss_mb']:>6.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--save",
        nargs="?",
        const=Path(__file__).resolve().parent / "results" / "team.json",
        type=Path,
        metavar="FILE",
        help="write the figures as JSON [default FILE: benchmarks/results/team.json]",
    )
    args = parser.parse_args(argv)
    results = []
    for n in args.sizes:
        print(f"{n} files …", file=sys.stderr, flush=True)
        results.append(run(n, args.repeat))
    print(f"sreladder team DIR --format json ({results[0]['cpus']} CPUs; medians of {args.repeat})")
    print(table(results))
    if args.save:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import record

        data = {"command": record.command("team_10k.py", argv), "repeat": args.repeat}
        print(f"saved to {record.save(args.save, {**data, 'results': results})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
