"""The baseline of the everyday-commands benchmark: the least a Typer CLI can do for
the same command lines. It parses the same arguments and options as sreladder's
``score``, ``validate`` and ``show``, reads the same YAML files with libyaml's loader,
and prints one line; no models, no checks, no scoring, no tables.

    python benchmarks/minimal_app.py score FILE [--format json]
    python benchmarks/minimal_app.py validate [PATH]
    python benchmarks/minimal_app.py show ROLE
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def _load(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@app.command()
def score(
    file: Path,
    format: Annotated[str, typer.Option("--format", "-f")] = "table",
    target: Annotated[str | None, typer.Option("--target")] = None,
    data: Annotated[Path | None, typer.Option("--data")] = None,
) -> None:
    loaded = _load(file)
    print(json.dumps({"keys": len(loaded)}) if format == "json" else f"{len(loaded)} keys")


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument()] = None,
    format: Annotated[str, typer.Option("--format")] = "text",
    strict: Annotated[bool, typer.Option("--strict")] = False,
) -> None:
    files = sorted(p for folder in paths or [DATA] for p in Path(folder).rglob("*.yaml"))
    for path in files:
        _load(path)
    print(f"checked {len(files)} files")


@app.command()
def show(
    role: str,
    level: Annotated[str | None, typer.Option("--level")] = None,
    dimension: Annotated[str | None, typer.Option("--dimension")] = None,
    format: Annotated[str, typer.Option("--format", "-f")] = "table",
    data: Annotated[Path | None, typer.Option("--data")] = None,
) -> None:
    loaded = _load((data or DATA) / "roles" / f"{role}.yaml")
    print(f"{len(loaded['dimensions'])} dimensions")


if __name__ == "__main__":
    app()
