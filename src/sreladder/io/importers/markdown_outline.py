"""A ladder written as an outline: a heading per level, a sub-heading per dimension,
bullets under it (or the other way round: a heading per dimension, a sub-heading per
level). The heading depth that holds the bullets is the inner one; which of the two
depths names levels is told by the ids in it (``Senior SRE (L3)``), else the outer
one is taken as levels. A heading above both names the role; text under a level
heading, before its first sub-heading, is that level's summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sreladder.core.cell_text import has_explicit_id, level_header, list_item
from sreladder.core.errors import SreladderError
from sreladder.core.imported import (
    ImportedDimension,
    ImportedItem,
    ImportedLadder,
    ImportedLevel,
    ImportedRole,
)
from sreladder.io.importers.markdown_tables import FENCE, HEADING, cell_text


@dataclass
class _Line:
    number: int
    depth: int  # 0 for text, else the heading's depth
    text: str
    item: bool = False


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    in_fence = False
    for number, raw in enumerate(text.split("\n"), start=1):
        if FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence or not raw.strip():
            continue
        heading = HEADING.match(raw)
        if heading:
            out.append(_Line(number, len(heading.group(1)), cell_text(heading.group(2))))
            continue
        item = list_item(raw)
        words = " ".join(cell_text(item if item is not None else raw).split())
        if item is None and out and out[-1].item and raw[:1] in (" ", "\t"):
            out[-1].text += " " + words  # a list item's continuation line
        elif words:
            out.append(_Line(number, 0, words, item is not None))
    return out


def looks_like_outline(text: str) -> bool:
    lines = _lines(text)
    depths = Counter(line.depth for line in lines if line.depth)
    return sum(depths.values()) >= 3 and any(line.item for line in lines)


def read_markdown_outline(text: str, name: str, stem: str) -> ImportedLadder:
    lines = _lines(text)
    inner = _inner_depth(lines, name)
    outer = max((line.depth for line in lines if 0 < line.depth < inner), default=None)
    if outer is None:
        raise SreladderError(
            f"{name}: bullets under one level of headings only; expected a "
            "heading per level with a sub-heading per dimension"
        )
    outers = [line.text for line in lines if line.depth == outer]
    inners = [line.text for line in lines if line.depth == inner]
    outer_levels = any(map(has_explicit_id, outers)) or not any(map(has_explicit_id, inners))
    title = next((line.text for line in lines if 0 < line.depth < outer), None)
    role = ImportedRole(name=title or stem)
    levels: dict[str, ImportedLevel] = {}
    dimensions: dict[str, ImportedDimension] = {}
    notes: list[str] = []
    heads: dict[int, str | None] = {outer: None, inner: None}
    for line in lines:
        if line.depth:
            if line.depth <= outer:
                heads = {outer: line.text if line.depth == outer else None, inner: None}
            elif line.depth == inner:
                heads[inner] = line.text
            continue
        if heads[outer] is None:
            notes.append(line.text)
            continue
        if heads[inner] is None:
            if outer_levels:
                level = _level(levels, heads[outer])
                level.summary = f"{level.summary}\n{line.text}" if level.summary else line.text
            continue
        level_text, dimension_name = (
            (heads[outer], heads[inner]) if outer_levels else (heads[inner], heads[outer])
        )
        level = _level(levels, level_text)
        dimension = dimensions.setdefault(dimension_name, ImportedDimension(dimension_name))
        role.add_item(dimension, level.id, ImportedItem(line.text, f"{name}:{line.number}"))
    role.description = "\n".join(notes) or None
    role.levels = list(levels.values())
    role.dimensions = list(dimensions.values())
    return ImportedLadder(kind="outline", source=stem, roles=[role])


def _inner_depth(lines: list[_Line], name: str) -> int:
    depth_of_items: Counter[int] = Counter()
    current = 0
    for line in lines:
        if line.depth:
            current = line.depth
        elif line.item and current:
            depth_of_items[current] += 1
    if not depth_of_items:
        raise SreladderError(f"{name}: no list items under headings")
    return depth_of_items.most_common(1)[0][0]


def _level(levels: dict[str, ImportedLevel], text: str) -> ImportedLevel:
    level_id, title = level_header(text)
    return levels.setdefault(level_id, ImportedLevel(level_id, title, text))
