"""What the browse commands show, as plain data (no printing).

``roles`` and ``levels`` list what a rubric set holds; ``show`` walks a role's
dimensions level by level; ``diff`` answers "what does TO ask of me that FROM did not?".
The level rules follow the scoring rules (docs/scoring.md): at a level where a dimension has a
cell, that cell is what the level asks; between two cells, or above the last one, the
nearest cell below still applies ("same as"); below the first cell nothing is expected
yet. So the difference between FROM and TO in a dimension is the cells above FROM up to
TO, the same expectations ``score`` lists as gaps.

Renderers live in :mod:`sreladder.present.browse_view`; the ``*_json`` functions here give the
JSON-able dicts every ``--format json`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sreladder.core.errors import SreladderError
from sreladder.core.models import Cell, Dimension, LevelScale, Profile, Role, pick_name
from sreladder.core.rubric_set import RubricSet

# --- finding what the user named --------------------------------------------------


def find_level(role: Role, name: str) -> str:
    """The role's level id for ``name``; an unknown one is a one-line error."""
    found = role.level_named(name)
    if found is None:
        known = ", ".join(role.level_ids)
        raise SreladderError(f"unknown level {name!r} for role {role.id!r} (known: {known})")
    return found


def find_dimension(role: Role, name: str) -> Dimension:
    found = pick_name(name, [d.id for d in role.dimensions])
    if found is None:
        known = ", ".join(d.id for d in role.dimensions)
        raise SreladderError(f"unknown dimension {name!r} for role {role.id!r} (known: {known})")
    return role.dimension(found)  # type: ignore[return-value]


def find_scale(rubric: RubricSet, name: str) -> LevelScale:
    found = pick_name(name, list(rubric.scales))
    if found is not None:
        return rubric.scales[found]
    known = ", ".join(sorted(rubric.scales)) or "none"
    hint = ""
    if name in rubric.roles:
        hint = f"; {name!r} is a role, on scale {rubric.roles[name].ladder!r}"
    raise SreladderError(f"unknown level scale {name!r} (known: {known}){hint}")


# --- roles and scales ---------------------------------------------------------------


@dataclass(frozen=True)
class RoleRow:
    id: str
    name: str
    scale: str
    levels: list[str]
    titles: dict[str, str]
    dimensions: int
    expectations: int


def role_rows(rubric: RubricSet) -> list[RoleRow]:
    """One row per role, by id."""
    return [
        RoleRow(
            id=role.id,
            name=role.name,
            scale=role.ladder,
            levels=role.level_ids,
            titles={lv: role.title(lv) for lv in role.level_ids},
            dimensions=len(role.dimensions),
            expectations=sum(1 for _ in role.expectations()),
        )
        for _, role in sorted(rubric.roles.items())
    ]


@dataclass(frozen=True)
class ScaleRow:
    id: str
    name: str
    levels: list[str]
    roles: list[str]  # the roles built on this scale


def scale_rows(rubric: RubricSet) -> list[ScaleRow]:
    return [
        ScaleRow(
            id=scale.id,
            name=scale.name,
            levels=scale.level_ids,
            roles=sorted(r.id for r in rubric.roles.values() if r.ladder == scale.id),
        )
        for _, scale in sorted(rubric.scales.items())
    ]


# --- one dimension, level by level ---------------------------------------------------

StepKind = Literal["new", "same", "not-yet"]


@dataclass(frozen=True)
class Step:
    """What a dimension asks at one or more consecutive role levels.

    ``new``: a cell at ``levels[0]``. ``same``: no cell at these levels; the cell at
    ``cell_level`` (the nearest below) still applies. ``not-yet``: below the first cell.
    """

    kind: StepKind
    levels: tuple[str, ...]
    cell_level: str | None = None
    cell: Cell | None = None


def step_at(role: Role, dimension: Dimension, level: str) -> Step:
    """What ``dimension`` asks at ``level`` (a role level id)."""
    index = role.level_index(level)
    below = [(lv, c) for lv, c in role.cells(dimension) if role.level_index(lv) <= index]
    if not below:
        return Step("not-yet", (level,))
    cell_level, cell = below[-1]
    return Step("new" if cell_level == level else "same", (level,), cell_level, cell)


def progression(role: Role, dimension: Dimension) -> list[Step]:
    """The dimension over all the role's levels, runs of "same"/"not yet" merged."""
    steps: list[Step] = []
    for level in role.level_ids:
        step = step_at(role, dimension, level)
        last = steps[-1] if steps else None
        if (
            last is not None
            and step.kind != "new"
            and last.kind == step.kind
            and last.cell_level == step.cell_level
        ):
            steps[-1] = Step(last.kind, (*last.levels, level), last.cell_level, last.cell)
        else:
            steps.append(step)
    return steps


# --- level profiles --------------------------------------------------------------------


def level_profiles(role: Role, levels: list[str]) -> list[tuple[str, Profile]]:
    """The profiles (skills, knowledge, competencies, qualifications) of ``levels``, in
    order, for the levels that have one: what a level asks a person to have. Shown
    beside the expectations, never rated."""
    out = []
    for level_id in levels:
        level = role.levels.get(level_id)
        if level is not None and level.profile is not None:
            out.append((level_id, level.profile))
    return out


def profile_json(role: Role, level: str, profile: Profile) -> dict[str, Any]:
    return {"level": level, "title": role.title(level), **profile.model_dump(mode="json")}


# --- diff ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionDiff:
    dimension: Dimension
    cells: list[tuple[str, Cell]]  # the new cells above FROM up to TO, lowest first
    same_as: str | None = None  # the cell that applies at FROM (None: not expected yet)
    next_level: str | None = None  # the first cell above TO, if any

    @property
    def count(self) -> int:
        return sum(len(cell.expectations) for _, cell in self.cells)


@dataclass(frozen=True)
class Diff:
    role: Role
    from_level: str
    to_level: str
    levels: list[str]  # the role levels above FROM up to TO
    changed: list[DimensionDiff] = field(default_factory=list)
    unchanged: list[DimensionDiff] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(d.count for d in self.changed)

    @property
    def profiles(self) -> list[tuple[str, Profile]]:
        """The profiles of the levels above FROM up to TO."""
        return level_profiles(self.role, self.levels)


def diff(role: Role, from_name: str, to_name: str) -> Diff:
    """What ``to`` asks that ``from`` did not, per dimension: the dimensions with
    something new heaviest first (rubric order among equals), then those with nothing
    new in rubric order. FROM equal to TO gives an empty diff.

    TO below FROM is an error (the message gives the command the other way round):
    reading a diff downwards ("what would I no longer need") is rarely what people mean,
    and a silent swap would answer a question nobody asked.
    """
    low, high = find_level(role, from_name), find_level(role, to_name)
    lo, hi = role.level_index(low), role.level_index(high)
    if hi < lo:
        raise SreladderError(
            f"{high} is below {low}: diff lists what a higher level adds; for what {low} asks "
            f"beyond {high}, run `sreladder diff {role.id} {high} {low}`"
        )
    result = Diff(role, low, high, role.level_ids[lo + 1 : hi + 1])
    for dimension in role.dimensions:
        cells = role.cells(dimension)
        new = [(lv, c) for lv, c in cells if lo < role.level_index(lv) <= hi]
        if new:
            result.changed.append(DimensionDiff(dimension, new))
            continue
        at_from = [lv for lv, _ in cells if role.level_index(lv) <= lo]
        later = [lv for lv, _ in cells if role.level_index(lv) > hi]
        result.unchanged.append(
            DimensionDiff(
                dimension,
                [],
                same_as=at_from[-1] if at_from else None,
                next_level=later[0] if later else None,
            )
        )
    result.changed.sort(key=lambda d: -d.dimension.weight)
    return result


# --- JSON -------------------------------------------------------------------------------


def _level_ref(role: Role, level: str | None) -> dict[str, Any] | None:
    if level is None:
        return None
    return {"id": level, "title": role.title(level)}


def roles_json(rows: list[RoleRow]) -> dict[str, Any]:
    return {
        "roles": [
            {
                "id": r.id,
                "name": r.name,
                "scale": r.scale,
                "levels": [{"id": lv, "title": r.titles[lv]} for lv in r.levels],
                "dimensions": r.dimensions,
                "expectations": r.expectations,
            }
            for r in rows
        ]
    }


def scale_json(scale: LevelScale) -> dict[str, Any]:
    return scale.model_dump(mode="json")


def role_json(role: Role) -> dict[str, Any]:
    return role.model_dump(mode="json")


def dimension_json(role: Role, dimension: Dimension) -> dict[str, Any]:
    return {"role": role.id, "dimension": dimension.model_dump(mode="json")}


def _step_json(role: Role, dimension: Dimension, step: Step) -> dict[str, Any]:
    return {
        "id": dimension.id,
        "name": dimension.name,
        "status": step.kind,
        "cell_level": step.cell_level,
        "starts": role.first_level(dimension),
        "cell": step.cell.model_dump(mode="json") if step.cell else None,
    }


def level_json(role: Role, level: str) -> dict[str, Any]:
    """Every dimension at ``level``: status new / same (``cell_level`` below) / not-yet."""
    profiles = level_profiles(role, [level])
    return {
        "role": role.id,
        "level": _level_ref(role, level),
        "profile": profile_json(role, *profiles[0]) if profiles else None,
        "dimensions": [_step_json(role, d, step_at(role, d, level)) for d in role.dimensions],
    }


def cell_json(role: Role, dimension: Dimension, level: str) -> dict[str, Any]:
    return {
        "role": role.id,
        "level": _level_ref(role, level),
        "dimension": _step_json(role, dimension, step_at(role, dimension, level)),
    }


def diff_json(result: Diff) -> dict[str, Any]:
    role = result.role
    return {
        "role": role.id,
        "from": _level_ref(role, result.from_level),
        "to": _level_ref(role, result.to_level),
        "levels": result.levels,
        "new_expectations": result.count,
        "changed_dimensions": len(result.changed),
        "dimensions": [
            {
                "id": d.dimension.id,
                "name": d.dimension.name,
                "weight": d.dimension.weight,
                "new": [
                    {
                        "level": lv,
                        "title": role.title(lv),
                        "summary": cell.summary,
                        "expectations": [e.model_dump(mode="json") for e in cell.expectations],
                    }
                    for lv, cell in d.cells
                ],
            }
            for d in result.changed
        ],
        "profiles": [profile_json(role, lv, p) for lv, p in result.profiles],
        "unchanged": [
            {
                "id": d.dimension.id,
                "name": d.dimension.name,
                "same_as": d.same_as,
                "next": d.next_level,
            }
            for d in result.unchanged
        ],
    }


def all_scales_json(rubric: RubricSet) -> dict[str, Any]:
    """Every scale as loaded, each with the roles built on it."""
    rows = {row.id: row for row in scale_rows(rubric)}
    return {
        "scales": [
            {**scale_json(rubric.scales[scale_id]), "roles": rows[scale_id].roles}
            for scale_id in sorted(rubric.scales)
        ]
    }
