"""The package's layers, as the README states them, checked on the source.

``core`` (pure logic) imports nothing of the package above it; ``io`` imports ``core``;
``present`` imports ``core`` and ``io``; ``tty`` all three; ``cli`` anything. Imports
inside functions and under ``TYPE_CHECKING`` count too: a lazy import is still a
dependency. And no module imports another that imports it back, however far round.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sreladder"
#: each layer and the layers it may import (itself always)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "io": {"core"},
    "present": {"core", "io"},
    "tty": {"core", "io", "present"},
    "cli": {"core", "io", "present", "tty"},
}
TOP_LEVEL = {"__init__", "__main__"}  # sreladder/__init__.py holds the version only


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The package's modules that ``name`` imports, wherever the import stands."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), name, package)


def imports_in(source: str, name: str, package: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def layer_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def test_every_module_is_in_a_layer() -> None:
    loose = [n for n in MODULES if layer_of(n) is None and n.split(".")[-1] not in TOP_LEVEL]
    assert loose == [n for n in loose if n == "sreladder"], loose


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer_of(n)))
def test_imports_only_point_down(name: str) -> None:
    layer = layer_of(name)
    assert layer is not None
    allowed = ALLOWED[layer] | {layer}
    wrong = sorted(
        target
        for target in imports_of(name)
        if layer_of(target) is not None and layer_of(target) not in allowed
    )
    assert wrong == [], f"{name} ({layer}) imports {wrong}"


def test_no_import_cycles() -> None:
    graph = {name: imports_of(name) for name in MODULES}
    cycles = []
    for start in sorted(graph):
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                if nxt == start:
                    cycles.append(start)
                seen.add(nxt)
                todo.append(nxt)
    assert cycles == [], f"modules on an import cycle: {sorted(set(cycles))}"


def test_the_checker_sees_every_kind_of_import() -> None:
    """The tests above cannot pass by missing an import inside a function, under
    TYPE_CHECKING, relative, or of a module rather than a name."""
    source = (
        "import sreladder.present.escape\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from sreladder.tty import session\n"
        "def f():\n    from ..io.rubric import load_rubric\n"
        "    from . import models\n"
    )
    found = imports_in(source, "sreladder.core.scoring", "sreladder.core")
    assert found == {
        "sreladder.present.escape",
        "sreladder.tty.session",
        "sreladder.tty",
        "sreladder.io.rubric",
        "sreladder.core",
        "sreladder.core.models",
    }


IO_MODULES = {"os", "sys", "io", "subprocess", "shutil", "tempfile", "socket", "urllib", "http"}
IO_MODULES |= {"yaml", "rich", "typer", "click", "jinja2", "openpyxl", "csv", "glob"}
IO_CALLS = {"open", "print", "input"}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer_of(n) == "core"))
def test_the_core_does_no_io(name: str) -> None:
    """core is pure: no file, terminal or process modules, no open/print/input calls
    (``pathlib.Path`` may appear as a type; reading and writing are io's)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            imported.add(node.module.split(".")[0])
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert (imported & IO_MODULES, calls & IO_CALLS) == (set(), set())
