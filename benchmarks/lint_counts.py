"""Lint findings per rule and role, as the Markdown table in docs/ladders.md.

    python benchmarks/lint_counts.py data tests/fixtures/ladders/*/

Runs ``sreladder lint --format json`` (the repository's config applies, as in CI) and
counts the findings by role file and rule; a role with none still gets a row. Rows are
named by the role file's stem, or by its path when two linted files share a stem.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path


def counts(paths: list[str]) -> dict[str, Counter]:
    run = subprocess.run(
        [sys.executable, "-m", "sreladder", "lint", "--format", "json", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):
        raise SystemExit(run.stderr)
    rows: dict[str, Counter] = {}
    for path in paths:
        folder = Path(path)
        roles = folder / "roles" if (folder / "roles").is_dir() else folder
        for role in sorted(roles.glob("*.y*ml")):
            rows.setdefault(str(role.resolve()), Counter())
    for finding in json.loads(run.stdout)["findings"]:  # paths as shown: relative to cwd
        rows.setdefault(str(Path(finding["path"]).resolve()), Counter())[finding["code"]] += 1
    stems = [Path(p).stem for p in rows]
    return {
        (Path(p).stem if stems.count(Path(p).stem) == 1 else p): found for p, found in rows.items()
    }


def table(rows: dict[str, Counter]) -> str:
    from sreladder.core.lint import RULES

    codes = [rule.code for rule in RULES]
    out = ["| role | " + " | ".join(codes) + " | total |", "|---" * (len(codes) + 2) + "|"]
    for role, found in rows.items():
        cells = [str(found[c]) if found[c] else "·" for c in codes]
        out.append(f"| {role} | " + " | ".join(cells) + f" | {sum(found.values())} |")
    return "\n".join(out)


if __name__ == "__main__":
    print(table(counts(sys.argv[1:])))
