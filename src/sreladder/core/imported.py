"""A ladder as read from another format, before it becomes sreladder YAML.

Every reader (spreadsheet, Markdown table, HTML tables, Monzo, FT) fills these plain
dataclasses; ``documents`` turns them into the level-scale and role mappings that the
writer saves. Ids a source does not give are made from its words, made unique where
two rows share a name (``mastery``, ``mastery-2``). ``meta`` carries what an sreladder
export keeps beside the visible matrix (ids, weights, scoring, any other field), so
that importing an export gives back the same role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sreladder.core.cell_text import as_id, header_text, same_words, slug, unique, word_id


@dataclass
class ImportedItem:
    """One expectation: its words, where they were found, and what else the source gave."""

    text: str
    source: str
    id: str | None = None
    examples: list[str] = field(default_factory=list)


@dataclass
class ImportedLevel:
    id: str
    title: str | None = None
    header: str | None = None  # the header as written, when it came from a table
    summary: str | None = None  # what the source says of the level as a whole


@dataclass
class ImportedDimension:
    name: str
    id: str | None = None
    group: str | None = None
    description: str | None = None
    cells: dict[str, list[ImportedItem]] = field(default_factory=dict)
    summaries: dict[str, str] = field(default_factory=dict)  # level id -> cell summary
    meta: dict[str, Any] | None = None


@dataclass
class ImportedRole:
    name: str
    id: str | None = None
    description: str | None = None
    levels: list[ImportedLevel] = field(default_factory=list)
    dimensions: list[ImportedDimension] = field(default_factory=list)
    meta: dict[str, Any] | None = None

    def add_item(self, dimension: ImportedDimension, level_id: str, item: ImportedItem) -> None:
        dimension.cells.setdefault(level_id, []).append(item)


@dataclass
class ImportedLadder:
    """What one source file holds: one or more roles on one level scale."""

    kind: str
    source: str
    roles: list[ImportedRole] = field(default_factory=list)
    scale_id: str | None = None
    scale_name: str | None = None
    scale_levels: list[ImportedLevel] = field(default_factory=list)
    description: str | None = None  # text of the source that belongs to no role
    notes: list[str] = field(default_factory=list)  # what the user should hear of


def scale_levels(ladder: ImportedLadder) -> list[ImportedLevel]:
    """The scale's levels: the source's own list, else every role's levels in order."""
    if ladder.scale_levels:
        return ladder.scale_levels
    seen: dict[str, ImportedLevel] = {}
    for role in ladder.roles:
        for level in role.levels:
            seen.setdefault(level.id, level)
    return list(seen.values())


def documents(
    ladder: ImportedLadder, role_id: str | None = None, scale_id: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the level-scale mapping, one role mapping per role) as they will be saved."""
    roles = [role for role in ladder.roles if any(d.cells for d in role.dimensions)]
    exported_ladder = next((r.meta.get("ladder") for r in roles if r.meta), None)
    scale = as_id(
        scale_id or exported_ladder or ladder.scale_id or word_id(ladder.source, "ladder")
    )
    scale_doc = _kept_scale(roles, scale) or _scale_doc(ladder, scale)
    taken: set[str] = set()
    role_docs = []
    for role in roles:
        wanted = _role_id(role, role_id, len(roles))
        role_docs.append(_role_doc(role, unique(wanted, taken), scale, ladder.notes))
    return scale_doc, role_docs


def _scale_doc(ladder: ImportedLadder, scale: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": scale, "name": ladder.scale_name or f"Levels of {ladder.source}"}
    if ladder.description:
        doc["description"] = ladder.description
    doc["levels"] = [_level_doc(level) for level in scale_levels(ladder)]
    return doc


def _kept_scale(roles: list[ImportedRole], scale: str) -> dict[str, Any] | None:
    """The scale an export kept, when it is the one being written and still holds
    every level the roles use."""
    for role in roles:
        kept = (role.meta or {}).get("scale")
        if not isinstance(kept, dict) or kept.get("id") != scale:
            continue
        listed = kept.get("levels")
        if not isinstance(listed, list) or not all(isinstance(lv, dict) for lv in listed):
            return None
        ids = [lv.get("id") for lv in listed]
        if all(level.id in ids for r in roles for level in r.levels):
            return dict(kept)
    return None


def _role_id(role: ImportedRole, given: str | None, count: int) -> str:
    own = (role.meta or {}).get("id") or role.id or word_id(role.name, "role")
    if given is None:
        return as_id(own)
    return as_id(given) if count == 1 else as_id(f"{given}-{slug(role.name)}")


def _level_doc(level: ImportedLevel) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": level.id}
    if level.title:
        doc["name"] = level.title
    if level.summary:
        doc["summary"] = level.summary
    return doc


def _role_doc(role: ImportedRole, role_id: str, scale: str, notes: list[str]) -> dict[str, Any]:
    meta = dict(role.meta or {})
    meta_levels = meta.pop("levels", None) or {}
    doc: dict[str, Any] = {
        "id": role_id,
        "name": _agree(role.name, meta.get("name")),
        "ladder": scale,
    }
    description = _agree(role.description, meta.get("description"))
    if description:
        doc["description"] = description
    doc["levels"] = {
        level.id: _role_level(level, meta_levels.get(level.id)) for level in role.levels
    }
    for key, value in meta.items():  # scoring and any field a later version adds
        if key not in ("id", "name", "ladder", "description", "dimensions", "scale"):
            doc[key] = value
    ids = _Ids(reserved=_given_ids(role))
    taken_dimensions: set[str] = set()
    doc["dimensions"] = [
        _dimension_doc(role, dimension, f"dimension-{n}", taken_dimensions, ids)
        for n, dimension in enumerate((d for d in role.dimensions if d.cells), start=1)
    ]
    if ids.new:
        shown = ", ".join(ids.new[:3]) + (", ..." if len(ids.new) > 3 else "")
        notes.append(
            f"{role_id}: {len(ids.new)} expectation(s) not in the export (new or reworded) "
            f"got new ids ({shown}); unchanged ones kept theirs"
        )
    return doc


@dataclass
class _Ids:
    """Expectation ids of one role: those the source gives are reserved, so an id made
    up for another item never takes one of them."""

    reserved: set[str]
    used: set[str] = field(default_factory=set)
    new: list[str] = field(default_factory=list)  # ids made for texts an export did not keep

    def given(self, wanted: str) -> str | None:
        if wanted in self.used:
            return None
        self.used.add(wanted)
        return wanted

    def made(self, wanted: str) -> str:
        return unique(wanted, self.used, self.reserved)


def _given_ids(role: ImportedRole) -> set[str]:
    out: set[str] = set()
    for dimension in role.dimensions:
        for items in dimension.cells.values():
            out.update(item.id for item in items if item.id)
        for cell in ((dimension.meta or {}).get("levels") or {}).values():
            out.update(e["id"] for e in cell.get("expectations", []) if e.get("id"))
    return out


def _agree(visible: str | None, exact: Any) -> Any:
    """What an export kept (``exact``) when the matrix still says the same, spaces
    aside; else what the matrix says now. Nothing visible: what was kept."""
    if visible is None or not visible.strip():
        return exact
    if isinstance(exact, str) and same_words(visible, exact):
        return exact
    return visible


def _role_level(level: ImportedLevel, meta: dict[str, Any] | None) -> dict[str, Any]:
    if meta is not None and same_words(
        header_text(level.id, level.title), header_text(level.id, meta.get("title"))
    ):
        return dict(meta)
    return {"title": level.title} if level.title else {}


def _dimension_doc(
    role: ImportedRole,
    dimension: ImportedDimension,
    fallback_id: str,
    taken_dimensions: set[str],
    ids: _Ids,
) -> dict[str, Any]:
    meta = dict(dimension.meta or {})
    meta_cells = meta.pop("levels", None) or {}
    wanted = meta.get("id") or dimension.id or word_id(dimension.name, fallback_id, 40)
    dimension_id = unique(as_id(wanted), taken_dimensions)
    doc: dict[str, Any] = {"id": dimension_id, "name": _agree(dimension.name, meta.get("name"))}
    group = None if meta.get("group", "") is None else _agree(dimension.group, meta.get("group"))
    if group:
        doc["group"] = group
    for key, value in meta.items():
        if key not in ("id", "name", "group", "description"):
            doc[key] = value
    description = _agree(dimension.description, meta.get("description"))
    if description:
        doc["description"] = description
    cells: dict[str, Any] = {}
    for level in role.levels:
        items = dimension.cells.get(level.id)
        if items:
            cells[level.id] = _cell_doc(
                dimension_id, level.id, items, meta_cells.get(level.id), ids
            )
            if dimension.summaries.get(level.id):
                cells[level.id] = {"summary": dimension.summaries[level.id], **cells[level.id]}
    doc["levels"] = cells
    return doc


def _cell_doc(
    dimension_id: str,
    level_id: str,
    items: list[ImportedItem],
    meta: dict[str, Any] | None,
    ids: _Ids,
) -> dict[str, Any]:
    meta = dict(meta or {})
    kept = meta.pop("expectations", None) or []
    doc: dict[str, Any] = dict(meta)  # summary and any other cell field
    expectations = []
    prefix = f"{dimension_id[:40]}-{slug(level_id, 12)}"
    for n, (item, extra) in enumerate(zip(items, _kept_by_text(items, kept), strict=True), 1):
        text = extra.get("text", item.text)
        wanted = item.id or extra.get("id")
        expectation_id = (ids.given(as_id(wanted)) if wanted else None) or ids.made(f"{prefix}-{n}")
        if kept and not extra:
            ids.new.append(expectation_id)
        expectation: dict[str, Any] = {"id": expectation_id, "text": text}
        for key, value in extra.items():
            if key not in ("id", "text", "source", "examples"):
                expectation[key] = value
        examples = item.examples or extra.get("examples")
        if examples:
            expectation["examples"] = examples
        source = extra.get("source", item.source)
        if source is not None:
            expectation["source"] = source
        expectations.append(expectation)
    doc["expectations"] = expectations
    return doc


def _kept_by_text(items: list[ImportedItem], kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an export kept for each item of the cell. A cell as exported gets it back
    item by item; an edited one item by matching text: an item whose words are
    unchanged gets its own id and fields back, a new or reworded item nothing (a new
    id), so an added bullet never renames the others."""
    if len(kept) == len(items) and all(
        not isinstance(k.get("text"), str) or same_words(item.text, k["text"])
        for item, k in zip(items, kept, strict=True)
    ):
        return kept
    unused = [k for k in kept if isinstance(k.get("text"), str)]
    out = []
    for item in items:
        match = next((k for k in unused if same_words(item.text, k["text"])), None)
        if match is not None:
            unused.remove(match)
        out.append(match or {})
    return out
