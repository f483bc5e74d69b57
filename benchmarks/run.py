"""Speed and memory of sreladder against plain baselines, measured side by side.

    python benchmarks/run.py                 # everything, medians of 7 runs (~5 min)
    python benchmarks/run.py --runs 3 --skip team,jsonschema
    python benchmarks/run.py --markdown      # also print the table as Markdown
    python benchmarks/run.py --save          # and keep the figures for the docs

``--save`` writes benchmarks/results/speed.json (the rows, the machine, the command
line); ``python benchmarks/docs_figures.py`` then renders docs/speed.md's table from it.

Uses the sreladder installed in the running interpreter (its ``sreladder`` console
script, found beside ``sys.executable``). Every figure is a median; within one run the
commands of a comparison alternate (ours, baseline, ours, ...), so a machine that gets
busier slows both sides alike and the ratio stays fair. Wall time is the goal; the CPU
time of the child processes (``wait4``) is printed beside it as a check on a noisy
machine. See benchmarks/README.md for what each line measures and why.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # sibling modules, not a package
import record

REPO = Path(__file__).resolve().parents[1]

PARSE_ALL = """
import sys, yaml
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""

SCORE_ALL = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from sreladder.io.assessments import read_assessment
from sreladder.io.rubric import load_rubric
from sreladder.core.scoring import score
role = load_rubric(None).role("sre")
files = sorted(Path(sys.argv[1]).glob("*.yaml"))
loop = time.perf_counter()
levels = {}
for file in files:
    result = score(role, read_assessment(file))
    levels[str(result.recommended)] = levels.get(str(result.recommended), 0) + 1
end = time.perf_counter()
print(json.dumps({"seconds": end - loop, "total": end - start, "files": len(files),
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "recommended": levels}))
"""

PARSE_ASSESSMENTS = """
import json, resource, sys, time
from pathlib import Path
import yaml
files = sorted(Path(sys.argv[1]).glob("*.yaml"))
loop = time.perf_counter()
for file in files:
    yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
end = time.perf_counter()
print(json.dumps({"seconds": end - loop, "files": len(files),
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


@dataclass
class Row:
    measure: str
    ours: float
    baseline: float | None
    unit: str = "s"
    goal: float | None = None  # the ratio ours/baseline must be at most this
    cpu_ratio: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.ours / self.baseline if self.baseline else None

    @property
    def met(self) -> str:
        if self.goal is None or self.ratio is None:
            return "—"
        return "yes" if self.ratio <= self.goal else "NO"


def ratio_row(
    measure: str,
    ours: tuple[float, float],
    baseline: tuple[float, float],
    goal: float | None,
    note: str = "",
) -> Row:
    """A comparison's row from the (wall, cpu) medians of both sides."""
    return Row(measure, ours[0], baseline[0], goal=goal, cpu_ratio=ours[1] / baseline[1], note=note)


def sreladder_command() -> list[str]:
    exe = Path(sys.executable).parent / "sreladder"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "from sreladder.cli.app import app; app()"]


Command = list[str] | tuple[list[str], dict[str, str]]  # argv, or argv and extra env
EMPTY_CACHE = {"SRELADDER_CACHE_DIR": "<empty>"}  # each run gets a new, empty cache folder


def run_once(command: Command, ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one run of ``command``; CPU from wait4."""
    argv, extra = command if isinstance(command, tuple) else (command, {})
    empty = extra.get("SRELADDER_CACHE_DIR") == EMPTY_CACHE["SRELADDER_CACHE_DIR"]
    fresh = tempfile.mkdtemp(prefix="sreladder-cache-") if empty else None
    if fresh:
        extra = {**extra, "SRELADDER_CACHE_DIR": fresh}
    try:
        return _run(argv, extra, ok)
    finally:
        if fresh:
            shutil.rmtree(fresh, ignore_errors=True)


def _run(argv: list[str], extra: dict[str, str], ok: tuple[int, ...]) -> tuple[float, float, str]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, env={**os.environ, **extra})
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        child.returncode = code
        out.seek(0)
        err.seek(0)
        if code not in ok:
            raise SystemExit(f"{' '.join(argv[:3])} ... exited {code}: {err.read().decode()}")
        return wall, usage.ru_utime + usage.ru_stime, out.read().decode()


def compare(
    commands: dict[str, Command], runs: int, ok: tuple[int, ...] = (0,)
) -> dict[str, tuple[float, float]]:
    """Median (wall, cpu) per named command, the commands alternating within each run."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache (and sreladder's), not timed
        run_once(command, ok)
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu, _ = run_once(command, ok)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {n: (statistics.median(walls[n]), statistics.median(cpus[n])) for n in commands}


def prepare_environment(folder: Path) -> None:
    """Measure what an installed sreladder does: its bytecode compiled (pip compiles it
    at install; an editable checkout under PYTHONDONTWRITEBYTECODE would otherwise
    compile every module on every run) and a cache of its own, not the user's."""
    import compileall

    import sreladder

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["SRELADDER_CACHE_DIR"] = str(folder / "cache")
    compileall.compile_dir(Path(sreladder.__file__).parent, quiet=2)


def bench_startup(runs: int) -> list[Row]:
    ours = sreladder_command()
    medians = compare(
        {
            "version": [*ours, "--version"],
            "help": [*ours, "--help"],
            "typer": [sys.executable, "-c", "import typer"],
        },
        runs,
    )
    return [
        ratio_row(
            f"start-up: sreladder {flag} vs python -c 'import typer'",
            medians[name],
            medians["typer"],
            goal=1.3,
        )
        for name, flag in (("version", "--version"), ("help", "--help"))
    ]


def bench_everyday(runs: int) -> list[Row]:
    """The everyday commands against benchmarks/minimal_app.py: the same command lines
    in a minimal Typer app that only reads the same YAML files. sreladder runs twice
    over: as it is used (the rubric's files cache warm; an assessment is never cached,
    so it is read and checked every time) and with an empty cache (every file parsed,
    validated and stored, as on the first run after an upgrade or a change). The goal
    is 1.3x: with Rich printing every view, its import (~20 ms) is most of what is over
    the minimal app."""
    ours = sreladder_command()
    minimal = [sys.executable, str(Path(__file__).resolve().parent / "minimal_app.py")]
    assessment = str(REPO / "tests" / "fixtures" / "packet" / "dana-self.yaml")
    lines = {
        "score FILE": ["score", assessment],
        "score FILE --format json": ["score", assessment, "--format", "json"],
        "validate (built-in data)": ["validate"],
        "show sre": ["show", "sre"],
    }
    rows = []
    for label, args in lines.items():
        medians = compare(
            {
                "ours": [*ours, *args],
                "cold": ([*ours, *args], EMPTY_CACHE),
                "minimal": [*minimal, *args],
            },
            runs,
        )
        for name, how in (("ours", ""), ("cold", ", empty cache")):
            rows.append(
                ratio_row(
                    f"{label}{how} vs a minimal Typer app",
                    medians[name],
                    medians["minimal"],
                    1.3 if name == "ours" else None,
                )
            )
    return rows


def bench_validate(folder: Path, runs: int, jsonschema: bool) -> list[Row]:
    files = corpus.write_rubric_corpus(folder, 150)
    role_files = [str(f) for f in files if f.parent.name == "roles"]
    # a ladder repository's CI: a fresh clone on a new runner (CI=true, an empty cache)
    ours: Command = ([*sreladder_command(), "validate", str(folder)], {**EMPTY_CACHE, "CI": "true"})
    warm = [*sreladder_command(), "validate", str(folder)]
    medians = compare(
        {
            "ours": ours,
            "warm": warm,
            "yaml": [sys.executable, "-c", PARSE_ALL, *map(str, files)],
        },
        runs,
    )
    rows = [
        ratio_row(
            f"validate {len(files)} rubric files (a CI runner: CI=true, empty cache) vs a "
            "CSafeLoader parse, "
            "both in a fresh python",
            medians["ours"],
            medians["yaml"],
            goal=1.6,
        ),
        ratio_row(
            f"validate {len(files)} unchanged rubric files (cache warm), the same",
            medians["warm"],
            medians["yaml"],
            goal=None,
        ),
    ]
    checker = Path(sys.executable).parent / "check-jsonschema"
    if jsonschema and checker.exists():
        schema = REPO / "schemas" / "role.schema.json"
        slow = compare(
            {
                "ours": ours,
                "cjs": [str(checker), "--schemafile", str(schema), *role_files],
            },
            min(runs, 3),
        )
        rows.append(
            ratio_row(
                f"validate vs check-jsonschema on the {len(role_files)} role files (schema only)",
                slow["ours"],
                slow["cjs"],
                goal=0.15,
                note=f"medians of {min(runs, 3)}",
            )
        )
    return rows


def bench_score(folder: Path, n: int, runs: int) -> tuple[list[Row], dict[str, Any]]:
    started = time.perf_counter()
    corpus.write_assessments(folder, n)
    generated = time.perf_counter() - started
    ours_runs, base_runs = [], []
    for _ in range(runs):
        ours_runs.append(json.loads(run_once([sys.executable, "-c", SCORE_ALL, str(folder)])[2]))
        base_runs.append(
            json.loads(run_once([sys.executable, "-c", PARSE_ASSESSMENTS, str(folder)])[2])
        )
    ours = statistics.median(r["seconds"] for r in ours_runs)
    base = statistics.median(r["seconds"] for r in base_runs)
    ours_mb = statistics.median(r["maxrss_kb"] for r in ours_runs) / 1024
    base_mb = statistics.median(r["maxrss_kb"] for r in base_runs) / 1024
    rows = [
        Row(
            f"score {n} assessments in one process (read_assessment + score)",
            ours,
            base,
            note=f"{ours / n * 1000:.2f} ms a file; baseline: CSafeLoader parse only",
        ),
        Row(
            "  peak memory (ru_maxrss) of that process",
            ours_mb,
            base_mb,
            unit="MB",
            note="does not grow with the file count (nothing kept per file)",
        ),
    ]
    return rows, {"generated_seconds": generated, "recommended": ours_runs[0]["recommended"]}


def write_brag(path: Path, items: int, seed: int = 7) -> Path:
    """A brag document of ``items`` bullets under quarter and project headings, built
    from varied fragments (seeded): the shape of a year of someone's notes, repeated."""
    import random

    pick = random.Random(seed)
    verbs = ["Led", "Wrote", "Fixed", "Automated", "Migrated", "Paired on", "Reviewed", "Ran"]
    things = [
        "the Sev2 checkout outage postmortem",
        "burn-rate alerts for the search SLO",
        "a Terraform module for the Redis clusters",
        "the on-call handover runbook",
        "p99 latency of the auth service from 900ms to 180ms",
        "the k8s node pool upgrade with a canary",
        "a Python script that rotates expiring certs (was manual)",
        "the Q3 capacity plan for the ingest pipeline",
        "weekly 1:1s mentoring the new grad",
        "the office party playlist",
    ]
    tails = ["", " with the payments team", " across 12 services", " (INC-4411)", " in 2 weeks"]
    lines = ["# Brag document", ""]
    for index in range(items):
        if index % 50 == 0:
            lines += ["", f"## Q{index // 50 % 4 + 1} {2020 + index // 200}", ""]
        lines.append(f"- {pick.choice(verbs)} {pick.choice(things)}{pick.choice(tails)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bench_evidence(folder: Path, runs: int) -> list[Row]:
    folder.mkdir(parents=True, exist_ok=True)
    brag = write_brag(folder / "brag.md", 1000)
    builtin = REPO / "data"
    medians = compare(
        {
            "ours": [*sreladder_command(), "evidence", str(brag), "--role", "sre", "-f", "json"],
            "validate": [*sreladder_command(), "validate", str(builtin)],
        },
        runs,
    )
    return [
        ratio_row(
            "evidence: 1,000-item brag document vs validate of the built-in data",
            medians["ours"],
            medians["validate"],
            goal=2.0,
        )
    ]


def bench_team(n: int) -> list[Row]:
    """The team figures come from benchmarks/team_10k.py (``run(n) -> dict``)."""
    try:
        import team_10k
    except ImportError:
        return [Row("team: benchmarks/team_10k.py not found (hook: team_10k.run(n))", 0, None)]
    figures = team_10k.run(n)
    rows = []
    for label in ("parallel", "single"):
        part = figures.get(label)
        if not part:
            continue
        rows.append(
            Row(
                f"team {figures.get('files', n)} files ({label}): wall s",
                part["seconds"],
                None,
                note=f"cpu {part.get('cpu_seconds', 0):.1f} s, "
                f"peak RSS {part.get('peak_rss_mb', 0):.0f} MB"
                + (f", tree {part['peak_tree_mb']:.0f} MB" if label == "parallel" else ""),
            )
        )
    return rows


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:.3f}{unit}" if value < 10 else f"{value:.1f}{unit}"


def table(rows: list[Row], markdown: bool = False) -> str:
    head = ["measure", "ours", "baseline", "ratio", "goal", "met?", "cpu ratio", "note"]
    body = [
        [
            r.measure,
            fmt(r.ours, " " + r.unit),
            fmt(r.baseline, " " + r.unit),
            f"{r.ratio:.2f}x" if r.ratio is not None else "—",
            f"≤ {r.goal}x" if r.goal is not None else "—",
            r.met,
            f"{r.cpu_ratio:.2f}x" if r.cpu_ratio is not None else "—",
            r.note,
        ]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(head, widths, strict=True))]
    lines += [
        "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)) for cells in body
    ]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measure (median)")
    parser.add_argument("--assessments", type=int, default=10_000)
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated: startup,everyday,validate,jsonschema,evidence,score,team",
    )
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    parser.add_argument(
        "--save",
        nargs="?",
        const=record.RESULTS / "speed.json",
        type=Path,
        metavar="FILE",
        help="write the figures as JSON [default FILE: benchmarks/results/speed.json]",
    )
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    from sreladder import __version__

    print(
        f"sreladder {__version__} · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable) · "
        f"{platform.system()} {platform.machine()} · medians of {args.runs} runs",
        flush=True,
    )
    rows: list[Row] = []
    tmp = Path(tempfile.mkdtemp(prefix="sreladder-bench-"))
    prepare_environment(tmp)
    try:
        if "startup" not in skip:
            rows += bench_startup(args.runs)
            print(table(rows[-2:]), flush=True)
        if "everyday" not in skip:
            found = bench_everyday(args.runs)
            rows += found
            print(table(found), flush=True)
        if "validate" not in skip:
            found = bench_validate(tmp / "rubric", args.runs, "jsonschema" not in skip)
            rows += found
            print(table(found), flush=True)
        if "evidence" not in skip:
            found = bench_evidence(tmp / "evidence", args.runs)
            rows += found
            print(table(found), flush=True)
        if "score" not in skip:
            found, extra = bench_score(tmp / "assessments", args.assessments, min(args.runs, 3))
            rows += found
            print(table(found), flush=True)
            print(
                f"(generating the files took {extra['generated_seconds']:.0f} s; "
                f"recommended levels: {extra['recommended']})",
                flush=True,
            )
        if "team" not in skip:
            found = bench_team(args.assessments)
            rows += found
            print(table(found), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n" + table(rows))
    if args.markdown:
        print("\n" + table(rows, markdown=True))
    if args.save:
        saved = record.save(
            args.save,
            {"command": record.command("run.py", argv), "runs": args.runs, "rows": as_json(rows)},
        )
        print(f"\nsaved to {saved}")
    return 0


def as_json(rows: list[Row]) -> list[dict[str, Any]]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return [
        {
            "measure": r.measure,
            "ours": rounded(r.ours),
            "baseline": rounded(r.baseline),
            "unit": r.unit,
            "ratio": rounded(r.ratio),
            "goal": r.goal,
            "met": r.met,
            "cpu_ratio": rounded(r.cpu_ratio),
            "note": r.note,
        }
        for r in rows
    ]


if __name__ == "__main__":
    sys.exit(main())
