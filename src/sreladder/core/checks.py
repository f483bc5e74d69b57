"""The rules that relate several fields or files, as pure functions.

Each returns ``Finding``s located by a Pydantic-style path into the file's data, so the
loader can turn them into ``file:line:col`` diagnostics (see :mod:`sreladder.io.rubric`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

    from sreladder.core.models import Assessment, LevelScale, Role

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    loc: Loc
    code: str
    message: str
    at_key: bool = False  # point at the mapping key of ``loc`` rather than its value


def findings(model: BaseModel) -> list[Finding]:
    """The within-file findings for a scale or a role."""
    from sreladder.core.models import LevelScale, Role

    if isinstance(model, LevelScale):
        return scale_findings(model)
    if isinstance(model, Role):
        return role_findings(model)
    return []


def _duplicates(items: Iterable[tuple[str, Loc]], what: str) -> list[Finding]:
    seen: dict[str, Loc] = {}
    out = []
    for item_id, loc in items:
        if item_id in seen:
            first = ".".join(map(str, seen[item_id]))
            out.append(Finding(loc, "E105", f"duplicate {what} id {item_id!r} (also at {first})"))
        else:
            seen[item_id] = loc
    return out


def scale_findings(scale: LevelScale) -> list[Finding]:
    return _duplicates(
        ((level.id, ("levels", i, "id")) for i, level in enumerate(scale.levels)), "level"
    )


def role_findings(role: Role) -> list[Finding]:
    out = _duplicates(
        ((d.id, ("dimensions", i, "id")) for i, d in enumerate(role.dimensions)), "dimension"
    )
    out += _duplicates(
        (
            (e.id, ("dimensions", i, "levels", level_id, "expectations", k, "id"))
            for i, d in enumerate(role.dimensions)
            for level_id, cell in d.levels.items()
            for k, e in enumerate(cell.expectations)
        ),
        "expectation",
    )
    order = role.level_ids
    for i, dimension in enumerate(role.dimensions):
        for level_id in dimension.levels:
            if level_id not in role.levels:
                out.append(
                    Finding(
                        ("dimensions", i, "levels", level_id),
                        "E202",
                        f"dimension {dimension.id!r} has a cell at {level_id!r}, which is not "
                        f"one of the role's levels ({', '.join(order)})",
                        at_key=True,
                    )
                )
        out += _adjacent_cell_findings(role, i)
    return out


def _adjacent_cell_findings(role: Role, i: int) -> list[Finding]:
    dimension = role.dimensions[i]
    cells = role.cells(dimension)
    out = []
    for (low_id, low), (high_id, high) in pairwise(cells):
        gap = role.level_index(high_id) - role.level_index(low_id)
        if gap > 1:
            skipped = role.level_ids[role.level_index(low_id) + 1 : role.level_index(high_id)]
            out.append(
                Finding(
                    ("dimensions", i, "levels", high_id),
                    "W402",
                    f"dimension {dimension.id!r} has no cell at {', '.join(skipped)} between "
                    f"{low_id} and {high_id}: those levels are held with {low_id}'s expectations",
                    at_key=True,
                )
            )
        below = {" ".join(e.text.split()) for e in low.expectations}
        for k, expectation in enumerate(high.expectations):
            if " ".join(expectation.text.split()) in below:
                out.append(
                    Finding(
                        ("dimensions", i, "levels", high_id, "expectations", k, "text"),
                        "W401",
                        f"same text at {low_id} and {high_id} in dimension {dimension.id!r}: "
                        f"{expectation.id!r} does not say what {high_id} adds",
                    )
                )
    return out


def role_scale_findings(
    role: Role, scale: LevelScale | None, known: Iterable[str]
) -> list[Finding]:
    """The role against its level scale (``None`` when no scale has its id)."""
    if scale is None:
        return [
            Finding(
                ("ladder",),
                "E201",
                f"unknown level scale {role.ladder!r} "
                f"(known: {', '.join(sorted(known)) or 'none'})",
            )
        ]
    out = []
    scale_order = scale.level_ids
    positions = []
    for level_id in role.levels:
        if level_id not in scale_order:
            out.append(
                Finding(
                    ("levels", level_id),
                    "E202",
                    f"level {level_id!r} is not in scale {scale.id!r} ({', '.join(scale_order)})",
                    at_key=True,
                )
            )
            continue
        index = scale_order.index(level_id)
        if positions and index < positions[-1][1]:
            out.append(
                Finding(
                    ("levels", level_id),
                    "E203",
                    f"level {level_id!r} comes after {positions[-1][0]!r} here but before it "
                    f"in scale {scale.id!r}",
                    at_key=True,
                )
            )
        positions.append((level_id, index))
    return out


def assessment_findings(
    assessment: Assessment, role: Role | None, known: Iterable[str]
) -> list[Finding]:
    if role is None:
        return [
            Finding(
                ("role",),
                "E301",
                f"unknown role {assessment.role!r} (known: {', '.join(sorted(known)) or 'none'})",
            )
        ]
    out = []
    if assessment.target is not None and assessment.target not in role.levels:
        out.append(
            Finding(
                ("target",),
                "E302",
                f"target {assessment.target!r} is not a level of role {role.id!r} "
                f"({', '.join(role.level_ids)})",
            )
        )
    for dimension_id, level_id in assessment.claimed.items():
        if role.dimension(dimension_id) is None:
            out.append(
                Finding(
                    ("claimed", dimension_id),
                    "W403",
                    f"role {role.id!r} has no dimension {dimension_id!r}",
                    at_key=True,
                )
            )
        elif level_id not in role.levels:
            out.append(
                Finding(
                    ("claimed", dimension_id),
                    "E202",
                    f"{level_id!r} is not a level of role {role.id!r}",
                )
            )
    index = role.expectation_index
    for expectation_id in assessment.answers:
        if expectation_id not in index:
            out.append(
                Finding(
                    ("answers", expectation_id),
                    "W403",
                    f"role {role.id!r} has no expectation {expectation_id!r}: the answer is "
                    "kept but scores nothing",
                    at_key=True,
                )
            )
    if assessment.rubric_digest and assessment.rubric_digest != role.digest:
        out.append(
            Finding(
                ("rubric_digest",),
                "W404",
                f"answered against another version of role {role.id!r}; scores use the current one",
            )
        )
    return out
