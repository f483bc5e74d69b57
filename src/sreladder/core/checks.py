"""The rules that relate files to each other (a role to its scale, an assessment to
its role), as pure functions. The rules within one scale or role are the models' own
(:func:`sreladder.core.models.findings`). Each returns ``Finding``s located by a
Pydantic-style path into the file's data (:mod:`sreladder.core.findings`)."""

from __future__ import annotations

from collections.abc import Iterable

from sreladder.core.findings import Finding
from sreladder.core.models import Assessment, LevelScale, Role


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
    positions: list[tuple[str, int]] = []
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
