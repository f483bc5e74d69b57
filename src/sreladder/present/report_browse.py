"""The renderers of ``roles``, ``levels``, ``show`` and ``diff``, by format name: each
returns the whole output as a string. The terminal views live in
:mod:`sreladder.present.browse_view` and are printed by Rich; the Markdown views in
:mod:`sreladder.present.browse_md`. Each is imported only when it is asked for, so
``--format json`` and ``md`` never load Rich.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from sreladder.core import browse
from sreladder.core.models import Dimension, LevelScale, Role
from sreladder.io.rubric import RubricSet
from sreladder.present import escape


def _views() -> ModuleType:
    from sreladder.present import browse_view

    return browse_view


def _md() -> ModuleType:
    from sreladder.present import browse_md

    return browse_md


def _printed(make: Callable[[int], Any]) -> str:
    """The terminal view ``make(width)`` as the console would print it."""
    from sreladder.present.terminal import printed_at_width

    return printed_at_width(make)


# --- roles ------------------------------------------------------------------------------


def roles_table(rows: list[browse.RoleRow]) -> str:
    return _printed(lambda width: _views().roles_view(rows))


def roles_md(rows: list[browse.RoleRow]) -> str:
    return _md().roles_md(rows)


def roles_json(rows: list[browse.RoleRow]) -> str:
    return escape.json_document(browse.roles_json(rows))


ROLES: dict[str, Callable[[list[browse.RoleRow]], str]] = {
    "table": roles_table,
    "json": roles_json,
    "md": roles_md,
}

# --- levels -----------------------------------------------------------------------------

Scales = tuple[RubricSet, list[LevelScale], dict[str, list[str]], bool]


def levels_table(scales: Scales) -> str:
    _, chosen, roles_on, _ = scales
    return _printed(lambda width: _views().scales_view([(s, roles_on[s.id]) for s in chosen]))


def levels_md(scales: Scales) -> str:
    _, chosen, roles_on, _ = scales
    return "\n".join(_md().scale_md(s, roles_on[s.id]) for s in chosen)


def levels_json(scales: Scales) -> str:
    rubric, chosen, roles_on, one = scales
    if one:
        return escape.json_document(
            {**browse.scale_json(chosen[0]), "roles": roles_on[chosen[0].id]}
        )
    return escape.json_document(browse.all_scales_json(rubric))


LEVELS: dict[str, Callable[[Scales], str]] = {
    "table": levels_table,
    "json": levels_json,
    "md": levels_md,
}

# --- show -------------------------------------------------------------------------------

Part = tuple[Role, Dimension | None, str | None]


def show_table(part: Part) -> str:
    role, dim, lv = part
    views = _views()
    if dim is not None and lv is not None:
        return _printed(lambda width: views.show_cell_view(role, dim, lv))
    if dim is not None:
        return _printed(lambda width: views.show_dimension_view(role, dim, width))
    if lv is not None:
        return _printed(lambda width: views.show_level_view(role, lv))
    return _printed(lambda width: views.show_role_view(role, width))


def show_md(part: Part) -> str:
    return _md().show_md(*part)


def show_json(part: Part) -> str:
    role, dim, lv = part
    if dim is not None and lv is not None:
        return escape.json_document(browse.cell_json(role, dim, lv))
    if dim is not None:
        return escape.json_document(browse.dimension_json(role, dim))
    if lv is not None:
        return escape.json_document(browse.level_json(role, lv))
    return escape.json_document(browse.role_json(role))


SHOW: dict[str, Callable[[Part], str]] = {"table": show_table, "json": show_json, "md": show_md}

# --- diff -------------------------------------------------------------------------------


def diff_table(result: browse.Diff) -> str:
    return _printed(lambda width: _views().diff_view(result, width))


def diff_md(result: browse.Diff) -> str:
    return _md().diff_md(result)


def diff_json(result: browse.Diff) -> str:
    return escape.json_document(browse.diff_json(result))


DIFF: dict[str, Callable[[browse.Diff], str]] = {
    "table": diff_table,
    "json": diff_json,
    "md": diff_md,
}
