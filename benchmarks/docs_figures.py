"""Every table and figure in README.md and docs/ that a command or a benchmark produces,
regenerated from its source.

    python benchmarks/docs_figures.py            # rewrite every generated block in place
    python benchmarks/docs_figures.py --check    # print a diff and exit 1 where a file differs
    python benchmarks/docs_figures.py --list     # the blocks, where they are, their sources

A generated block is the Markdown between two markers, each on a line of its own:

    <!-- generated: question-counts -->
    | role | really at | ...
    <!-- /generated -->

The name picks the generator in ``GENERATORS``; everything between the markers is
replaced. Write prose around a block, never inside it. ``tests/test_docs.py`` runs the
same generators and fails with a diff when a file disagrees, so a figure in the docs is
always what the code gives today.

Deterministic figures (question counts, lint counts, evidence accuracy, the command
list, ...) are computed afresh. Timings cannot be: the ``speed`` and ``team-speed``
blocks are rendered from the results files that ``benchmarks/run.py --save`` and
``benchmarks/team_10k.py --save`` write (``benchmarks/results/``), so measuring again
is: run the benchmark with ``--save``, then this script.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))  # the sibling benchmark modules (not a package)

BLOCK = re.compile(
    r"^<!-- generated: (?P<name>[a-z0-9-]+) -->\n(?P<body>.*?)^<!-- /generated -->$",
    re.M | re.S,
)
# Plain, fixed-width output whatever the terminal running this looks like.
PLAIN_ENV = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}


def documents() -> list[Path]:
    """The Markdown files that may hold generated blocks."""
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def plain_env() -> dict[str, str]:
    """This environment for a child sreladder: plain output, the built-in ladders unless
    ``--data`` says otherwise, and ``PYTHONPATH`` absolute (a child may run elsewhere)."""
    env = {**os.environ, **PLAIN_ENV}
    env.pop("SRELADDER_DATA", None)
    if env.get("PYTHONPATH"):
        paths = env["PYTHONPATH"].split(os.pathsep)
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths if p)
    return env


def sreladder(*args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user does (``python -m sreladder``), from the repository root."""
    env = plain_env()
    run = subprocess.run(
        [sys.executable, "-m", "sreladder", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        check=False,
    )
    if run.returncode not in ok:
        raise RuntimeError(f"sreladder {' '.join(args)} exited {run.returncode}: {run.stderr}")
    return run


def percent(value: float) -> str:
    return f"{value:.0%}"


# --- the generators: name -> (source, function) ------------------------------------------


def question_counts() -> str:
    import question_counts

    return question_counts.table()


def live_commands() -> dict[str, str]:
    """``sreladder --help``'s command list: name -> its one-line summary, in order."""
    text = sreladder("--help").stdout
    listing = text.split("\nCommands:\n", 1)[1]
    commands: dict[str, str] = {}
    last = None
    for line in listing.splitlines():
        entry = re.match(r"^  (\S+)(?:\s+(.*))?$", line)
        if entry:
            last = entry.group(1)
            commands[last] = (entry.group(2) or "").strip()
        elif line.startswith("   ") and last is not None:  # a summary wrapped onto more lines
            commands[last] = f"{commands[last]} {line.strip()}".strip()
        elif line.strip():
            break
    return commands


def command_table() -> str:
    rows = ["| command | what it does |", "|---|---|"]
    for name, summary in live_commands().items():
        rows.append(f"| [`{name}`](#sreladder-{name}) | {summary} |")
    return "\n".join(rows)


def lint_counts() -> str:
    """Findings per rule: the built-in ladders as shipped (their acknowledgements in
    data/.sreladder.yaml apply), the same files with no acknowledgements, and the public
    ladders of tests/fixtures/ladders/."""
    from collections import Counter

    import lint_counts

    rows: dict[str, Counter] = {}
    for stem, found in lint_counts.counts([str(REPO / "data")]).items():
        rows[f"`{stem}`"] = found
    with tempfile.TemporaryDirectory(prefix="sreladder-lint-raw-") as tmp:
        raw = Path(tmp) / "data"
        for part in ("levels", "roles"):
            shutil.copytree(REPO / "data" / part, raw / part)
        for stem, found in lint_counts.counts([str(raw)]).items():
            rows[f"`{stem}`, no acknowledgements"] = found
    ladders = sorted(p for p in (REPO / "tests" / "fixtures" / "ladders").iterdir() if p.is_dir())
    owner = {role.stem: folder.name for folder in ladders for role in folder.glob("roles/*.y*ml")}
    for stem, found in lint_counts.counts([str(p) for p in ladders]).items():
        rows[f"public: {owner.get(stem, '?')} `{stem}`"] = found
    raw_total = sum(sum(c.values()) for k, c in rows.items() if k.endswith("acknowledgements"))
    return lint_counts.table(rows) + (
        f"\n\n{raw_total} findings in the built-in ladders without their acknowledgements."
    )


EVIDENCE = "tests/fixtures/evidence"
EVIDENCE_SETS = {
    "own labelled set (tuned on)": f"{EVIDENCE}/labels.json",
    "held-out 1: payments, games, telecom, ML serving": f"{EVIDENCE}/holdout/labels.json",
    "held-out 2: hospital records, warehouse, bank batch": f"{EVIDENCE}/holdout2/labels.json",
    "held-out 3 (measured only): streaming, retail, payments, public sector, ML, games": (
        f"{EVIDENCE}/holdout3/labels.json"
    ),
}


def evidence_accuracy() -> str:
    import evidence_accuracy

    paths = [REPO / p for p in EVIDENCE_SETS.values()]
    results = evidence_accuracy.measure(paths)
    head = (
        "| set | items (distractors) | hit@1 | hit@3 | distractors rejected "
        "| real items rejected | BM25 hit@3 |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    roles: set[str] = set()
    for name, path in zip(EVIDENCE_SETS, paths, strict=True):
        found = results[str(path)]
        ours, bm25 = found["sreladder"], found["bm25"]
        roles |= {k[11:-1] for k in found if k.startswith("sreladder [")}
        lines.append(
            f"| {name} | {ours.items} ({ours.distractors}) | {percent(ours.hit1)} "
            f"| {percent(ours.hit3)} | {percent(ours.distractors_rejected)} "
            f"| {percent(ours.real_rejected)} | {percent(bm25.hit3)} |"
        )
    lines += ["", "hit@3 per role:", ""]
    ordered = sorted(roles)
    lines += ["| set | " + " | ".join(f"`{r}`" for r in ordered) + " |"]
    lines += ["|---|" + "---:|" * len(ordered)]
    for name, path in zip(EVIDENCE_SETS, paths, strict=True):
        found = results[str(path)]
        cells = [
            percent(found[f"sreladder [{r}]"].hit3) if f"sreladder [{r}]" in found else "—"
            for r in ordered
        ]
        lines.append(f"| {name.split(':')[0]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def roles() -> str:
    return sreladder("roles", "--format", "md", "--data", "data").stdout.rstrip("\n")


def validate_data() -> str:
    found = json.loads(sreladder("validate", "data", "--format", "json", ok=(0, 1)).stdout)
    by_code: dict[tuple[str, str], int] = {}
    for finding in found["findings"]:
        key = (finding["code"], Path(finding["path"]).stem)
        by_code[key] = by_code.get(key, 0) + 1
    what = ", ".join(f"{n} `{code}` in `{role}`" for (code, role), n in sorted(by_code.items()))
    return (
        f"`sreladder validate data` checks {found['checked']} files: "
        f"{found['errors']} errors, {found['warnings']} warnings ({what or 'none'})."
    )


def validate_codes() -> str:
    from sreladder.io.diagnostics import CODES

    lines = ["| code | severity | meaning |", "|---|---|---|"]
    for code, meaning in CODES.items():
        severity = "error" if code.startswith("E") else "warning"
        lines.append(f"| `{code}` | {severity} | {meaning} |")
    return "\n".join(lines)


SCORE_EXAMPLE = "tests/fixtures/packet/dana-self.yaml"


def score_json() -> str:
    """``sreladder score FILE --format json`` of a fixture, every list cut to its first
    entry so the shape shows."""
    data = json.loads(sreladder("score", SCORE_EXAMPLE, "--format", "json").stdout)
    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            inner = [f"    {json.dumps(v, ensure_ascii=False)}" for v in value[:1]]
            more = ", ..." if len(value) > 1 else ""
            shown = "[]" if not value else "[\n" + ",\n".join(inner) + f"{more}\n  ]"
        else:
            shown = json.dumps(value, ensure_ascii=False)
        lines.append(f"  {json.dumps(key)}: {shown}")
    body = "{\n" + ",\n".join(lines) + "\n}"
    return (
        f"`sreladder score {SCORE_EXAMPLE} --format json`, each list cut to its first entry:\n\n"
        f"```json\n{body}\n```"
    )


INTERVIEW = (
    "Dana",
    "3",
    "c",
    "Led the checkout outage response",
    "https://example.invalid/pm/123",
    "2026-10-03",
    "n",
    "q",
)


def assess_transcript() -> str:
    """The first questions of ``sreladder assess sre``, answered from ``INTERVIEW``; each
    answer is shown after its prompt, as a terminal echoes it."""
    env = plain_env()
    with tempfile.TemporaryDirectory(prefix="sreladder-assess-") as tmp:
        run = subprocess.run(
            [sys.executable, "-m", "sreladder", "assess", "sre", "--out", "dana.yaml"],
            input="\n".join(INTERVIEW) + "\n",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            cwd=tmp,
            env=env,
            check=False,
        )
    if run.returncode != 0:
        raise RuntimeError(f"sreladder assess exited {run.returncode}: {run.stdout}")
    answers = iter(INTERVIEW)
    lines = []
    for line in run.stdout.splitlines():
        lines.append(line + next(answers) if line.endswith(": ") else line.rstrip())
    if next(answers, None) is not None:
        raise RuntimeError("sreladder assess asked fewer questions than INTERVIEW answers")
    return "```console\n$ sreladder assess sre --out dana.yaml\n" + "\n".join(lines) + "\n```"


def diff_example() -> str:
    """``sreladder diff sre P3 P4``: its header, the first two dimensions, the end."""
    out = sreladder("diff", "sre", "P3", "P4").stdout.rstrip("\n")
    paragraphs = out.split("\n\n")
    shown = paragraphs if len(paragraphs) <= 6 else [*paragraphs[:3], "...", *paragraphs[-2:]]
    return "```console\n$ sreladder diff sre P3 P4\n" + "\n\n".join(shown) + "\n```"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    number = f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return f"{number} {unit}".strip()


def _machine_line(data: dict) -> str:
    machine = data["machine"]
    deps = ", ".join(f"{k} {v}" for k, v in machine.get("dependencies", {}).items() if v)
    libyaml = "with" if machine.get("libyaml") else "without"
    return (
        f"Measured on {data['measured']} with `{data['command']}`: sreladder "
        f"{machine['sreladder']}, Python {machine['python']} ({deps}; PyYAML {libyaml} "
        f"libyaml), {machine['system']}, {machine['usable_cpus']} usable CPUs."
    )


def _medians(runs: int) -> str:
    return " One run each." if runs == 1 else f" Medians of {runs} runs."


def speed() -> str:
    import record

    data = record.load(GENERATORS["speed"].results or "")
    lines = [
        _machine_line(data) + _medians(data["runs"]),
        "",
        "| measure | sreladder | baseline | ratio | goal | met | CPU ratio | note |",
        "|---|---:|---:|---:|---|---|---:|---|",
    ]
    for row in data["rows"]:
        ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}x"
        goal = "—" if row["goal"] is None else f"≤ {row['goal']}x"
        cpu = "—" if row["cpu_ratio"] is None else f"{row['cpu_ratio']:.2f}x"
        lines.append(
            f"| {row['measure'].strip()} | {_fmt(row['ours'], row['unit'])} "
            f"| {_fmt(row['baseline'], row['unit'])} | {ratio} | {goal} | {row['met']} "
            f"| {cpu} | {row['note']} |"
        )
    return "\n".join(lines)


def team_speed() -> str:
    import record

    data = record.load(GENERATORS["team-speed"].results or "")
    lines = [
        _machine_line(data) + _medians(data["repeat"]),
        "",
        "| files | people | default workers: wall s | tree RSS MB | `--jobs 1`: wall s "
        "| CPU s | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in data["results"]:
        p, s = r["parallel"], r["single"]
        lines.append(
            f"| {r['files']:,} | {r['people']:,} | {p['seconds']:.1f} | {p['peak_tree_mb']:.0f} "
            f"| {s['seconds']:.1f} | {s['cpu_seconds']:.1f} | {s['peak_rss_mb']:.1f} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Generator:
    source: str  # what it is computed from, for --list and the test's messages
    make: Callable[[], str]
    results: str | None = None  # rendered from benchmarks/results/<this>.json, not computed


GENERATORS: dict[str, Generator] = {
    "question-counts": Generator("benchmarks/question_counts.py", question_counts),
    "lint-counts": Generator("benchmarks/lint_counts.py (sreladder lint)", lint_counts),
    "evidence-accuracy": Generator("benchmarks/evidence_accuracy.py", evidence_accuracy),
    "commands": Generator("sreladder --help", command_table),
    "assess-transcript": Generator("sreladder assess sre (answers piped in)", assess_transcript),
    "diff-example": Generator("sreladder diff sre P3 P4", diff_example),
    "roles": Generator("sreladder roles --format md --data data", roles),
    "validate-data": Generator("sreladder validate data --format json", validate_data),
    "validate-codes": Generator("sreladder.io.diagnostics.CODES", validate_codes),
    "score-json": Generator(f"sreladder score {SCORE_EXAMPLE} --format json", score_json),
    "speed": Generator("benchmarks/results/speed.json (run.py --save)", speed, "speed"),
    "team-speed": Generator(
        "benchmarks/results/team.json (team_10k.py --save)", team_speed, "team"
    ),
}


# --- blocks in files --------------------------------------------------------------------


def blocks(text: str) -> list[tuple[str, str]]:
    """(name, body) of every generated block in ``text``, in order."""
    return [(m["name"], m["body"]) for m in BLOCK.finditer(text)]


def regenerate(text: str, made: Callable[[str], str]) -> str:
    """``text`` with every block's body replaced by ``made(name)``."""

    def replace(match: re.Match[str]) -> str:
        body = made(match["name"]).rstrip("\n") + "\n"
        return f"<!-- generated: {match['name']} -->\n{body}<!-- /generated -->"

    return BLOCK.sub(replace, text)


def cached_generators() -> Callable[[str], str]:
    """A ``name -> body`` function that runs each generator once."""
    made: dict[str, str] = {}

    def make(name: str) -> str:
        if name not in GENERATORS:
            raise KeyError(f"no generator named {name!r} (known: {', '.join(GENERATORS)})")
        if name not in made:
            made[name] = GENERATORS[name].make()
        return made[name]

    return make


def diff(path: Path, old: str, new: str) -> str:
    name = str(path.relative_to(REPO))
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), name, f"{name} (generated)"
    )
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; diff and exit 1")
    parser.add_argument("--list", action="store_true", help="list the blocks and their sources")
    args = parser.parse_args(argv)
    if args.list:
        for path in documents():
            for name, _ in blocks(path.read_text(encoding="utf-8")):
                source = GENERATORS[name].source if name in GENERATORS else "UNKNOWN"
                print(f"{path.relative_to(REPO)}: {name} <- {source}")
        return 0
    make = cached_generators()
    status = 0
    for path in documents():
        old = path.read_text(encoding="utf-8")
        new = regenerate(old, make)
        if new == old:
            continue
        if args.check:
            sys.stdout.write(diff(path, old, new))
            status = 1
        else:
            path.write_text(new, encoding="utf-8")
            print(f"updated {path.relative_to(REPO)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
