"""What a check finds: a code, a message and where, as a Pydantic-style path into the
file's data, so the loader can turn it into a ``file:line:col`` diagnostic (see
:mod:`sreladder.io.rubric`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    loc: Loc
    code: str
    message: str
    at_key: bool = False  # point at the mapping key of ``loc`` rather than its value


def duplicates(items: Iterable[tuple[str, Loc]], what: str) -> list[Finding]:
    """E105 for every id seen before, pointing at the first one."""
    seen: dict[str, Loc] = {}
    out = []
    for item_id, loc in items:
        if item_id in seen:
            first = ".".join(map(str, seen[item_id]))
            out.append(Finding(loc, "E105", f"duplicate {what} id {item_id!r} (also at {first})"))
        else:
            seen[item_id] = loc
    return out
