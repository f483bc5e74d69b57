"""Monzo progression-framework pages: YAML front matter with ``levels: N`` and
``topics[{name, title, content[{level, criteria[], exampleCriteria[{criteria,
examples[]}]}]}]``. Each topic is a dimension, each ``level`` a cell; an example
criterion keeps its examples as the expectation's ``examples``."""

from __future__ import annotations

from typing import Any

from sreladder.core.cell_text import as_id, slug
from sreladder.core.errors import SreladderError
from sreladder.core.imported import (
    ImportedDimension,
    ImportedItem,
    ImportedLadder,
    ImportedLevel,
    ImportedRole,
)
from sreladder.io.importers.source import Located, front_matter


def looks_like_monzo(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("topics"), list)


def read_monzo(text: str, name: str, stem: str) -> ImportedLadder:
    data, root, body, first = front_matter(text, name)
    if not looks_like_monzo(data):
        raise SreladderError(
            f"{name}: no front matter with a `topics:` list (a Monzo framework page)"
        )
    reader = Located(root, name, first)
    title = data.get("title") if isinstance(data.get("title"), str) else None
    path = data.get("path") if isinstance(data.get("path"), str) else None
    role = ImportedRole(
        name=(title or stem).strip(),
        id=as_id(path.strip("/")) if path and path.strip("/") else None,
        description=_description(body),
    )
    levels: set[int] = set()
    count = data.get("levels")
    if not (isinstance(count, int) and not isinstance(count, bool) and 0 < count <= 100):
        count = None
    for t, topic in enumerate(data["topics"]):
        if not isinstance(topic, dict):
            raise reader.fail(("topics", t), "expected a mapping with name, title and content")
        role.dimensions.append(_topic(reader, topic, t, levels, count))
    if count is not None:
        levels.update(range(1, count + 1))
    role.levels = [ImportedLevel(f"L{n}") for n in sorted(levels)]
    return ImportedLadder(kind="monzo", source=stem, roles=[role], scale_name=role.name)


def _description(body: str) -> str | None:
    """The page below the front matter, blank lines dropped; at most what a rubric's
    text may hold (20,000 characters), cut at a line."""
    lines = [line.rstrip() for line in body.strip().split("\n") if line.strip()]
    text = "\n".join(lines)
    while len(text) > 20_000 and "\n" in text:
        text = text[: text.rfind("\n")]
    return text[:20_000] or None


def _topic(
    reader: Located, topic: dict, t: int, levels: set[int], count: int | None
) -> ImportedDimension:
    loc = ("topics", t)
    raw_name = topic.get("name")
    label = topic.get("title") if isinstance(topic.get("title"), str) else raw_name
    if not isinstance(label, str) or not label.strip():
        raise reader.fail(loc, "a topic needs a name or a title")
    dimension = ImportedDimension(
        name=" ".join(label.split()),
        id=as_id(raw_name) if isinstance(raw_name, str) and raw_name.strip() else slug(label),
    )
    content = topic.get("content") or []
    if not isinstance(content, list):
        raise reader.fail((*loc, "content"), "expected a list")
    for c, entry in enumerate(content):
        here = (*loc, "content", c)
        if not isinstance(entry, dict):
            raise reader.fail(here, "expected a mapping with level and criteria")
        level = entry.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 100:
            raise reader.fail((*here, "level"), "expected a level number")
        if count is not None and level > count:
            raise reader.fail(
                (*here, "level"), f"level {level} is past the page's `levels: {count}`"
            )
        levels.add(level)
        level_id = f"L{level}"
        for k, criterion in enumerate(reader.texts(entry.get("criteria"), (*here, "criteria"))):
            where = reader.where((*here, "criteria", k))
            dimension.cells.setdefault(level_id, []).append(ImportedItem(criterion, where))
        _examples(
            reader, entry.get("exampleCriteria"), (*here, "exampleCriteria"), dimension, level_id
        )
    return dimension


def _examples(
    reader: Located, value: Any, loc: tuple, dimension: ImportedDimension, level_id: str
) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise reader.fail(loc, "expected a list")
    for e, entry in enumerate(value):
        here = (*loc, e)
        if isinstance(entry, str):
            entry = {"criteria": entry}
        if not isinstance(entry, dict):
            raise reader.fail(here, "expected a mapping with criteria and examples")
        criteria = reader.texts([entry.get("criteria") or ""], (*here, "criteria"))
        examples = reader.texts(entry.get("examples"), (*here, "examples"))
        if not criteria:
            if examples:
                raise reader.fail(here, "examples without a criterion")
            continue
        item = ImportedItem(criteria[0], reader.where(here), examples=examples)
        dimension.cells.setdefault(level_id, []).append(item)
