"""A ladder written as an outline: a heading per level, a sub-heading per dimension,
bullets under it (or the other way round: a heading per dimension, a sub-heading per
level). The heading depth that holds the bullets is the inner one; which of the two
depths names levels is told by the ids in it (``Senior SRE (L3)``), else the outer
one is taken as levels. A heading above both names the role; text under a level
heading, before its first sub-heading, is that level's summary."""

from __future__ import annotations

import re
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
from sreladder.io.importers.markdown_tables import HEADING, cell_text
from sreladder.io.importers.source import page_body, split_front_matter, without_code_and_comments

_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$")


@dataclass
class _Line:
    number: int
    depth: int  # 0 for text, else the heading's depth
    text: str
    item: bool = False


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    for number, raw in enumerate(without_code_and_comments(text).split("\n"), start=1):
        if not raw.strip() or _THEMATIC_BREAK.match(raw):
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
    lines = _lines(split_front_matter(text)[1])
    depths = Counter(line.depth for line in lines if line.depth)
    return sum(depths.values()) >= 3 and any(line.item for line in lines)


@dataclass
class _Depths:
    level: int
    dimension: int
    group: int | None


def _depths(lines: list[_Line], name: str) -> _Depths:
    """Which heading depth names levels, which dimensions, which groups. The bullets
    sit under the dimension (or the level) headings; the level headings are those that
    name ids (`Senior SRE (L3)`), else the ones right above the bullets."""
    inner = _inner_depth(lines, name)
    above = sorted({line.depth for line in lines if 0 < line.depth < inner})
    explicit = Counter(
        line.depth for line in lines if 0 < line.depth <= inner and has_explicit_id(line.text)
    )
    if not above and not explicit.get(inner):
        raise SreladderError(
            f"{name}: bullets under one level of headings only; expected a heading per "
            "level with a sub-heading per dimension"
        )
    level = explicit.most_common(1)[0][0] if explicit else above[-1]
    if level == inner:
        if not above:
            raise SreladderError(f"{name}: no dimension headings above the level headings")
        return _Depths(level, above[-1], None)
    between = [depth for depth in above if depth > level]
    return _Depths(level, inner, between[-1] if between else None)


def read_markdown_outline(text: str, name: str, stem: str) -> ImportedLadder:
    page_title, body = page_body(text, name)
    lines = _lines(body)
    depths = _depths(lines, name)
    used = [d for d in (depths.level, depths.dimension, depths.group) if d is not None]
    title = next((line.text for line in lines if 0 < line.depth < min(used)), None)
    role = ImportedRole(name=title or page_title or stem)
    levels: dict[str, ImportedLevel] = {}
    dimensions: dict[tuple[str | None, str], ImportedDimension] = {}
    notes: list[str] = []
    open_headings: dict[int, str] = {}
    for line in lines:
        if line.depth:
            open_headings = {d: t for d, t in open_headings.items() if d < line.depth}
            open_headings[line.depth] = line.text
            continue
        level_text = open_headings.get(depths.level)
        dimension_name = open_headings.get(depths.dimension)
        group = open_headings.get(depths.group) if depths.group else None
        if level_text and dimension_name:
            level = _level(levels, level_text)
            dimension = dimensions.setdefault(
                (group, dimension_name), ImportedDimension(dimension_name, group=group)
            )
            role.add_item(dimension, level.id, ImportedItem(line.text, f"{name}:{line.number}"))
        elif level_text and depths.level < depths.dimension:
            level = _level(levels, level_text)
            level.summary = f"{level.summary}\n{line.text}" if level.summary else line.text
        else:
            notes.append(line.text)
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
