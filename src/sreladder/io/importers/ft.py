"""Financial Times engineering-progression job families: ``levels[{id, name}]``,
``themes[{id, name, summary}]``, ``competencies[{id, summary, examples, level,
theme}]``. Themes are dimensions; each competency is an expectation keeping its id,
its summary as text and its examples."""

from __future__ import annotations

from typing import Any

from sreladder.core.cell_text import as_id, slug, unwrap
from sreladder.core.errors import SreladderError
from sreladder.core.imported import (
    ImportedDimension,
    ImportedItem,
    ImportedLadder,
    ImportedLevel,
    ImportedRole,
)
from sreladder.io.importers.source import Located, load_yaml


def looks_like_ft(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("competencies"), list)


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return unwrap(value)
    return None


def _entries(reader: Located, data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    if not isinstance(value, list):
        raise reader.fail((key,), "expected a list")
    out = []
    for n, entry in enumerate(value):
        if not isinstance(entry, dict) or not _text(entry.get("id")):
            raise reader.fail((key, n), "expected a mapping with an id")
        out.append((n, entry))
    return out


def read_ft(text: str, name: str, stem: str) -> ImportedLadder:
    data, root = load_yaml(text, name)
    if not looks_like_ft(data):
        raise SreladderError(f"{name}: no `competencies:` list (an FT job family)")
    reader = Located(root, name, 1)
    levels = [
        ImportedLevel(as_id(str(entry["id"])), _text(entry.get("name")))
        for _, entry in _entries(reader, data, "levels")
    ]
    themes: dict[str, ImportedDimension] = {}
    for _, entry in _entries(reader, data, "themes"):
        theme = str(entry["id"])
        themes[theme] = ImportedDimension(
            name=_text(entry.get("name")) or theme,
            id=as_id(theme),
            description=_text(entry.get("summary")) or _text(entry.get("description")),
        )
    level_ids = {
        str(entry["id"]): level.id
        for (_, entry), level in zip(_entries(reader, data, "levels"), levels, strict=True)
    }
    for n, entry in _entries(reader, data, "competencies"):
        loc = ("competencies", n)
        level = level_ids.get(str(entry.get("level")))
        dimension = themes.get(str(entry.get("theme")))
        if level is None:
            raise reader.fail((*loc, "level"), f"unknown level {entry.get('level')!r}")
        if dimension is None:
            raise reader.fail((*loc, "theme"), f"unknown theme {entry.get('theme')!r}")
        summary = _text(entry.get("summary"))
        examples = reader.texts(entry.get("examples"), (*loc, "examples"))
        if summary is None:
            raise reader.fail((*loc, "summary"), "a competency needs a summary")
        item = ImportedItem(summary, reader.where(loc), id=str(entry["id"]), examples=examples)
        dimension.cells.setdefault(level, []).append(item)
        proficiency = _text(entry.get("proficiency"))
        if proficiency:  # the cell's summary: the proficiency its competencies ask for
            kept = dimension.summaries.get(level)
            if kept is None or proficiency not in kept.split("; "):
                dimension.summaries[level] = f"{kept}; {proficiency}" if kept else proficiency
    family = _text(data.get("name")) or stem
    role = ImportedRole(
        name=family,
        id=slug(family),
        description=_text(data.get("summary")) or _text(data.get("description")),
        levels=levels,
        dimensions=list(themes.values()),
    )
    return ImportedLadder(kind="ft", source=stem, roles=[role], scale_name=f"{family} levels")
