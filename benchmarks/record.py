"""Where a benchmark's figures are kept: ``benchmarks/results/*.json``, with the machine
and the command line that produced them.

Timings cannot be measured again in a test, so the documentation's speed tables are
rendered from these files (``benchmarks/docs_figures.py``) and ``tests/test_docs.py``
checks that the two agree. ``run.py --save`` and ``team_10k.py --save`` write them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
DEPENDENCIES = ("typer", "rich", "pydantic", "pyyaml")


def machine() -> dict[str, Any]:
    """What the figures depend on besides sreladder's code."""
    import yaml

    from sreladder import __version__

    versions = {}
    for name in DEPENDENCIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
            versions[name] = None
    return {
        "sreladder": __version__,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "libyaml": hasattr(yaml, "CSafeLoader"),
        "dependencies": versions,
    }


def command(script: str, argv: list[str] | None) -> str:
    args = sys.argv[1:] if argv is None else argv
    return " ".join(["python", f"benchmarks/{script}", *args])


def save(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` with today's date and the machine, as stable, diffable JSON."""
    record = {"measured": dt.date.today().isoformat(), "machine": machine(), **data}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(name: str) -> dict[str, Any]:
    """``benchmarks/results/<name>.json``."""
    return json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
