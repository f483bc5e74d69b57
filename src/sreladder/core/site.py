"""The static website of a ladder, as plain data: which pages, and what each one says.

Pure: :func:`plan` turns a rubric set into :class:`Page` values (a path in the site, a
template name, a context of plain dicts, lists and strings); rendering is
:mod:`sreladder.present.site_render`, writing :mod:`sreladder.io.site_writer`. The
contexts hold no model object, so a company's template depends only on the keys
documented in ``docs/site.md``, and a page can be handed to another process as it is.

Pages (every link between them relative, so the site works from ``file://`` and from
any folder of any static host):

* ``index.html``: the roles and the level scales.
* ``scales/<scale>.html``: a scale's levels with their summaries and attributes.
* ``roles/<role>.html``: the role's matrix (dimensions x levels) and each dimension
  level by level (:func:`sreladder.core.browse.progression`).
* ``roles/<role>/<level>.html``: what the level adds to the level below it
  (:func:`sreladder.core.browse.diff`), its profile and its scale attributes.

File names are the ids in lower case (two ids that differ only in case, or a name a
file system reserves, get a suffix), so the site unpacks on any file system.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sreladder.core.browse import Step, diff, level_profiles, progression, step_at
from sreladder.core.models import Cell, Dimension, Expectation, Level, LevelScale, Role
from sreladder.core.rubric_set import RubricSet

#: the scale attributes, in reading order, with their labels
ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("scope", "Scope"),
    ("autonomy", "Autonomy"),
    ("complexity", "Complexity"),
    ("impact", "Impact"),
    ("decision_rights", "Decision rights"),
    ("leadership", "Leadership"),
    ("typical_experience", "Typical experience"),
    ("degree_and_years", "Degree and years"),
)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
_RESERVED |= {f"lpt{i}" for i in range(10)}


@dataclass(frozen=True)
class Page:
    """One page: where it goes in the site, the template that renders it, and what the
    template is given (``root``, ``crumbs`` and ``site`` on every page)."""

    path: str
    template: str
    context: dict[str, Any]


# --- names and links -------------------------------------------------------------------


def slugs(ids: Iterable[str]) -> dict[str, str]:
    """A file name stem per id: lower case, unique ignoring case, never a name Windows
    reserves (``aux``, ``com1``) nor one ending in a dot."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for item in ids:
        base = item.lower()
        if base.split(".")[0] in _RESERVED or base.endswith("."):
            base += "_"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out[item] = slug
    return out


def link(source: str, target: str) -> str:
    """``target`` (a path in the site, maybe with ``#anchor``) relative to the page at
    ``source``."""
    path, _, anchor = target.partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(source) or ".")
    return relative + (f"#{anchor}" if anchor else "")


def sources(value: str | list[str] | None) -> list[str]:
    """A ``source`` field as a list (it may be one text or several)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def span(levels: Iterable[str]) -> str:
    """``P3`` or ``P3–P5``."""
    items = list(levels)
    return items[0] if len(items) == 1 else f"{items[0]}–{items[-1]}"


class _Paths:
    """Where every page of a rubric set goes."""

    def __init__(self, rubric: RubricSet) -> None:
        self.role = slugs(sorted(rubric.roles))
        self.scale = slugs(sorted(rubric.scales))
        self.level = {r.id: slugs(r.level_ids) for r in rubric.roles.values()}

    def role_page(self, role_id: str) -> str:
        return f"roles/{self.role[role_id]}.html"

    def level_page(self, role_id: str, level_id: str) -> str:
        return f"roles/{self.role[role_id]}/{self.level[role_id][level_id]}.html"

    def scale_page(self, scale_id: str) -> str:
        return f"scales/{self.scale[scale_id]}.html"


def dimension_anchor(dimension_id: str) -> str:
    return f"dim-{dimension_id}"


def level_anchor(level_id: str) -> str:
    return f"level-{level_id}"


# --- pieces every page uses --------------------------------------------------------------


def _expectation(expectation: Expectation) -> dict[str, Any]:
    return {
        "id": expectation.id,
        "text": expectation.text,
        "weight": expectation.weight,
        "examples": list(expectation.examples),
        "sources": sources(expectation.source),
    }


def _cell(role: Role, level_id: str, cell: Cell) -> dict[str, Any]:
    return {
        "level": level_id,
        "title": role.title(level_id),
        "summary": cell.summary,
        "expectations": [_expectation(e) for e in cell.expectations],
    }


def _level_ref(role: Role, level_id: str, href: str) -> dict[str, Any]:
    return {"id": level_id, "title": role.title(level_id), "href": href}


def _scale_level(level: Level) -> dict[str, Any]:
    values = level.attributes
    attributes = [
        {"key": key, "label": label, "value": getattr(values, key)}
        for key, label in ATTRIBUTES
        if values is not None and getattr(values, key)
    ]
    return {
        "id": level.id,
        "anchor": level_anchor(level.id),
        "name": level.name,
        "summary": level.summary,
        "attributes": attributes,
        "sources": sources(level.source),
    }


def _profile(role: Role, level_id: str) -> dict[str, Any] | None:
    found = level_profiles(role, [level_id])
    if not found:
        return None
    profile = found[0][1]
    return {
        "sections": [{"name": name, "entries": list(items)} for name, items in profile.sections()],
        "sources": sources(profile.source),
    }


def _common(
    path: str, crumbs: list[tuple[str, str | None]], site: dict[str, Any]
) -> dict[str, Any]:
    return {
        "root": link(path, "index.html").removesuffix("index.html"),
        "path": path,
        "site": site,
        "crumbs": [
            {"label": label, "href": link(path, to) if to else None} for label, to in crumbs
        ],
        "stylesheets": {
            "screen": link(path, "style.css"),
            "print": link(path, "print.css"),
        },
    }


# --- the pages -----------------------------------------------------------------------------


def _index(rubric: RubricSet, paths: _Paths, site: dict[str, Any]) -> Page:
    path = "index.html"
    roles: list[dict[str, Any]] = []
    for role_id in sorted(rubric.roles):
        role = rubric.roles[role_id]
        scale = rubric.scales.get(role.ladder)
        roles.append(
            {
                "id": role.id,
                "name": role.name,
                "description": role.description,
                "href": link(path, paths.role_page(role.id)),
                "scale": {
                    "id": role.ladder,
                    "name": scale.name if scale else role.ladder,
                    "href": link(path, paths.scale_page(role.ladder)) if scale else None,
                },
                "levels": [
                    _level_ref(role, lv, link(path, paths.level_page(role.id, lv)))
                    for lv in role.level_ids
                ],
                "dimensions": len(role.dimensions),
                "expectations": sum(1 for _ in role.expectations()),
            }
        )
    scales = [
        {
            "id": s.id,
            "name": s.name,
            "description": s.description,
            "href": link(path, paths.scale_page(s.id)),
            "levels": [{"id": lv.id, "name": lv.name} for lv in s.levels],
            "roles": [
                {"id": r["id"], "name": r["name"], "href": r["href"]}
                for r in roles
                if r["scale"]["id"] == s.id
            ],
        }
        for s in (rubric.scales[scale_id] for scale_id in sorted(rubric.scales))
    ]
    context = {**_common(path, [(site["title"], None)], site), "roles": roles, "scales": scales}
    return Page(path, "index.html.j2", context)


def _scale(rubric: RubricSet, scale: LevelScale, paths: _Paths, site: dict[str, Any]) -> Page:
    path = paths.scale_page(scale.id)
    levels = [_scale_level(lv) for lv in scale.levels]
    roles = [r for _, r in sorted(rubric.roles.items()) if r.ladder == scale.id]
    matrix = []
    for key, label in ATTRIBUTES:
        values = [getattr(lv.attributes, key) if lv.attributes else None for lv in scale.levels]
        if any(values):
            matrix.append({"key": key, "label": label, "cells": values})
    context = {
        **_common(path, [(site["title"], "index.html"), (scale.name, None)], site),
        "scale": {
            "id": scale.id,
            "name": scale.name,
            "description": scale.description,
            "levels": levels,
        },
        "attribute_rows": matrix,
        "roles": [
            {
                "id": role.id,
                "name": role.name,
                "href": link(path, paths.role_page(role.id)),
                "levels": {lv: link(path, paths.level_page(role.id, lv)) for lv in role.level_ids},
            }
            for role in roles
        ],
    }
    return Page(path, "scale.html.j2", context)


def _step(role: Role, step: Step, path: str, paths: _Paths) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "levels": list(step.levels),
        "span": span(step.levels),
        "href": link(path, paths.level_page(role.id, step.levels[0])),
        "cell_level": step.cell_level,
        "cell": _cell(role, step.levels[0], step.cell)
        if step.kind == "new" and step.cell
        else None,
    }


def _role(rubric: RubricSet, role: Role, paths: _Paths, site: dict[str, Any]) -> Page:
    path = paths.role_page(role.id)
    scale = rubric.scales.get(role.ladder)
    level_links = {lv: link(path, paths.level_page(role.id, lv)) for lv in role.level_ids}
    matrix = []
    dimensions = []
    for dimension in role.dimensions:
        cells = []
        for lv in role.level_ids:
            step = step_at(role, dimension, lv)
            cell = step.cell if step.kind == "new" else None
            cells.append(
                {
                    "level": lv,
                    "kind": step.kind,
                    "cell_level": step.cell_level,
                    "count": len(cell.expectations) if cell else 0,
                    "summary": cell.summary if cell else None,
                    "href": f"{level_links[lv]}#{dimension_anchor(dimension.id)}",
                }
            )
        matrix.append(
            {
                "id": dimension.id,
                "name": dimension.name,
                "anchor": dimension_anchor(dimension.id),
                "cells": cells,
            }
        )
        dimensions.append(
            {
                **_dimension(role, dimension),
                "steps": [_step(role, s, path, paths) for s in progression(role, dimension)],
            }
        )
    context = {
        **_common(path, [(site["title"], "index.html"), (role.name, None)], site),
        "role": {
            "id": role.id,
            "name": role.name,
            "description": role.description,
            "levels": [_level_ref(role, lv, level_links[lv]) for lv in role.level_ids],
            "scale": {
                "id": role.ladder,
                "name": scale.name if scale else role.ladder,
                "href": link(path, paths.scale_page(role.ladder)) if scale else None,
            },
            "scoring": {
                "threshold": role.scoring.threshold,
                "quorum": role.scoring.quorum,
                "max_lag": role.scoring.max_lag,
                "require_evidence": role.scoring.require_evidence,
            },
            "expectations": sum(1 for _ in role.expectations()),
        },
        "matrix": matrix,
        "dimensions": dimensions,
    }
    return Page(path, "role.html.j2", context)


def _dimension(role: Role, dimension: Dimension) -> dict[str, Any]:
    return {
        "id": dimension.id,
        "name": dimension.name,
        "anchor": dimension_anchor(dimension.id),
        "group": dimension.group,
        "weight": dimension.weight,
        "description": dimension.description,
        "starts": role.first_level(dimension),
    }


def _level(
    rubric: RubricSet, role: Role, level_id: str, paths: _Paths, site: dict[str, Any]
) -> Page:
    path = paths.level_page(role.id, level_id)
    order = role.level_ids
    index = order.index(level_id)
    below = order[index - 1] if index > 0 else None
    above = order[index + 1] if index + 1 < len(order) else None
    role_href = link(path, paths.role_page(role.id))
    scale = rubric.scales.get(role.ladder)
    added = []
    unchanged = []
    if below is not None:
        result = diff(role, below, level_id)
        for d in result.changed:
            added.append(
                {
                    **_dimension(role, d.dimension),
                    "role_href": f"{role_href}#{dimension_anchor(d.dimension.id)}",
                    "cells": [_cell(role, lv, cell) for lv, cell in d.cells],
                }
            )
        for d in result.unchanged:
            unchanged.append(
                {
                    **_dimension(role, d.dimension),
                    "role_href": f"{role_href}#{dimension_anchor(d.dimension.id)}",
                    "same_as": d.same_as,
                    "next_level": d.next_level,
                }
            )
    else:  # the first level: what it asks, against nothing
        for dimension in sorted(role.dimensions, key=lambda d: -d.weight):
            step = step_at(role, dimension, level_id)
            entry = {
                **_dimension(role, dimension),
                "role_href": f"{role_href}#{dimension_anchor(dimension.id)}",
            }
            if step.kind == "new" and step.cell is not None:
                added.append({**entry, "cells": [_cell(role, level_id, step.cell)]})
        unchanged = [
            {
                **_dimension(role, d),
                "role_href": f"{role_href}#{dimension_anchor(d.id)}",
                "same_as": None,
                "next_level": role.first_level(d),
            }
            for d in role.dimensions
            if role.first_level(d) != level_id
        ]
    found = scale.level(level_id) if scale is not None else None
    scale_level = _scale_level(found) if found is not None else None
    title = role.title(level_id)
    context = {
        **_common(
            path,
            [
                (site["title"], "index.html"),
                (role.name, paths.role_page(role.id)),
                (level_id if title == level_id else f"{level_id} {title}", None),
            ],
            site,
        ),
        "role": {
            "id": role.id,
            "name": role.name,
            "href": role_href,
            "levels": [
                _level_ref(role, lv, link(path, paths.level_page(role.id, lv)))
                for lv in role.level_ids
            ],
        },
        "level": {"id": level_id, "title": title},
        "below": _level_ref(role, below, link(path, paths.level_page(role.id, below)))
        if below
        else None,
        "above": _level_ref(role, above, link(path, paths.level_page(role.id, above)))
        if above
        else None,
        "scale": {
            "id": role.ladder,
            "name": scale.name if scale else role.ladder,
            "href": link(path, f"{paths.scale_page(role.ladder)}#{level_anchor(level_id)}")
            if scale
            else None,
        },
        "scale_level": scale_level,
        "profile": _profile(role, level_id),
        "added": added,
        "unchanged": unchanged,
        "new_expectations": sum(len(c["expectations"]) for d in added for c in d["cells"]),
    }
    return Page(path, "level.html.j2", context)


def plan(rubric: RubricSet, title: str = "Career ladders") -> list[Page]:
    """Every page of the site, the index first."""
    paths = _Paths(rubric)
    site = {"title": title}
    pages = [_index(rubric, paths, site)]
    pages += [_scale(rubric, rubric.scales[s], paths, site) for s in sorted(rubric.scales)]
    for role_id in sorted(rubric.roles):
        role = rubric.roles[role_id]
        pages.append(_role(rubric, role, paths, site))
        pages += [_level(rubric, role, lv, paths, site) for lv in role.level_ids]
    return pages
