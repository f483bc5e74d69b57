"""How ``sreladder progress`` reads: a terminal table, Markdown, JSON and an HTML page
with an SVG chart of one person's levels over time.

The table's columns are the assessments in date order, its rows the dimensions and the
recommendation. Names and rubric text reach Rich only as ``Text`` (no markup, no control
characters), Markdown through :func:`sreladder.present.escape.markdown`, HTML through
Jinja2's autoescape; JSON keeps every value as written, hidden characters escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sreladder.core.progress import Point, Progress
from sreladder.core.scoring import not_expected_yet
from sreladder.present import escape, labels
from sreladder.present.escape import markdown as md


def _day(point: Point) -> str:
    return point.date.date().isoformat()


def _stamp(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _column(point: Point, mixed: bool, sep: str = " ") -> str:
    return f"{_day(point)}{sep}{point.relation}" if mixed else _day(point)


def _cells(progress: Progress, index: int) -> list[str]:
    """One dimension's level at each point (``P4†`` when only not expected yet)."""
    role = progress.role
    dimension = role.dimensions[index]
    return [
        labels.dimension_level(p.levels[index], not_expected_yet(role, dimension, p.levels[index]))
        for p in progress.points
    ]


def _any_not_expected(progress: Progress) -> bool:
    return any(
        labels.NOT_EXPECTED_MARK in c
        for i in range(len(progress.role.dimensions))
        for c in _cells(progress, i)
    )


def _mixed(progress: Progress) -> bool:
    return len({p.relation for p in progress.points}) > 1


def summary(progress: Progress) -> str:
    """``P2 (2026-01-10) → P3 (2026-09-01); latest 2026-11-20``: the recommendation
    where it changed, and the date of the latest assessment if it changed nothing."""
    role, points = progress.role, progress.points
    steps = [points[0]] + [b for _, b in progress.changes()]
    line = " → ".join(f"{labels.level_label(role, p.recommended)} ({_day(p)})" for p in steps)
    return line if points[-1] is steps[-1] else f"{line}; latest {_day(points[-1])}"


# --- JSON ---------------------------------------------------------------------------


def progress_json(progress: Progress) -> dict[str, Any]:
    dims = [d.id for d in progress.role.dimensions]
    return {
        "subject": progress.subject,
        "role": progress.role.id,
        "levels": progress.role.level_ids,
        "points": [
            {
                "file": p.file,
                "date": _stamp(p.date),
                "date_from": p.date_from,
                "relation": p.relation,
                "recommended": p.recommended,
                "dimensions": dict(zip(dims, p.levels, strict=True)),
            }
            for p in progress.points
        ],
    }


def render_json(progress: Progress) -> str:
    return escape.json_document(progress_json(progress))


# --- Markdown -----------------------------------------------------------------------


def render_markdown(progress: Progress) -> str:
    role, points, mixed = progress.role, progress.points, _mixed(progress)
    out = [
        f"# Progress: {md(progress.subject)}",
        "",
        f"{md(role.name)} ({md(role.id)}) · {labels.plural(len(points), 'assessment')}"
        f" · {md(summary(progress))}",
        "",
    ]
    header = ["Dimension", *(_column(p, mixed) for p in points)]
    rows = [[md(d.name), *_cells(progress, i)] for i, d in enumerate(role.dimensions)]
    rows.append(["**Recommended**", *(f"**{md(p.recommended or '—')}**" for p in points)])
    out += escape.markdown_table(header, rows)
    if _any_not_expected(progress):
        out += ["", labels.NOT_EXPECTED_LEGEND]
    out += ["", "Files: " + ", ".join(f"`{md(p.file)}`" for p in points), ""]
    return "\n".join(out)


# --- terminal -----------------------------------------------------------------------


def render_table(progress: Progress) -> str:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from sreladder.present.terminal import printed, user_text

    role, points, mixed = progress.role, progress.points, _mixed(progress)
    head = Text.assemble(
        user_text(progress.subject, 200, "bold"),
        " · ",
        user_text(f"{role.name} ({role.id})", 200),
        f" · {labels.plural(len(points), 'assessment')}",
    )
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Dimension", overflow="fold", ratio=1, min_width=12)
    for p in points:
        table.add_column(_column(p, mixed, "\n"), no_wrap=True)
    for i, d in enumerate(role.dimensions):
        table.add_row(user_text(d.name, 120), *(Text(c) for c in _cells(progress, i)))
    table.add_row(
        Text("Recommended", style="bold"),
        *(Text(p.recommended or "—", style="bold") for p in points),
    )
    parts: list[Any] = [head, Text(), table, Text(), user_text(summary(progress), 2000)]
    if _any_not_expected(progress):
        parts.append(Text(labels.NOT_EXPECTED_LEGEND, style="dim"))
    return printed(Group(*parts))


# --- HTML ---------------------------------------------------------------------------

CHART_WIDTH, CHART_LEFT, CHART_RIGHT, CHART_TOP, ROW = 760, 150, 70, 16, 26
RELATION_WORDS = {"self": "self-assessment", "manager": "manager's view", "peer": "peer's view"}
RELATION_COLOURS = {"self": "#1a7f37", "manager": "#5a7bd8", "peer": "#8c959f"}


def chart(progress: Progress) -> dict[str, Any]:
    """The geometry of the SVG chart: the recommendation (a line through the points,
    x by date) on a y axis of the role's levels, lowest at the bottom and "none" below it."""
    levels: list[str | None] = [None, *progress.role.level_ids]
    height = CHART_TOP + ROW * len(levels) + 40
    bottom = CHART_TOP + ROW * (len(levels) - 1)
    span = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    first, last = progress.points[0].date, progress.points[-1].date
    seconds = (last - first).total_seconds()

    def x(point: Point) -> float:
        if seconds <= 0:
            return CHART_LEFT + span / 2
        return CHART_LEFT + span * (point.date - first).total_seconds() / seconds

    def y(level: str | None) -> float:
        return bottom - ROW * levels.index(level)

    dots = [
        {
            "x": round(x(p), 1),
            "y": y(p.recommended),
            "day": _day(p),
            "level": labels.level_label(progress.role, p.recommended),
            "relation": p.relation,
            "colour": RELATION_COLOURS[p.relation],
        }
        for p in progress.points
    ]
    shown = sorted({p.relation for p in progress.points}, key=list(RELATION_COLOURS).index)
    return {
        "width": CHART_WIDTH,
        "height": height,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "bottom": bottom,
        "rows": [
            {"y": y(lv), "label": labels.level_text(progress.role, lv) if lv else "none held"}
            for lv in levels
        ],
        "dots": dots,
        "path": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "legend": [{"label": RELATION_WORDS[r], "colour": RELATION_COLOURS[r]} for r in shown]
        if len(shown) > 1
        else [],
    }


def _shade(role_levels: list[str], level: str | None) -> str:
    """A cell's background: greener the higher the level."""
    if level is None:
        return "transparent"
    alpha = 0.12 + 0.5 * (role_levels.index(level) + 1) / len(role_levels)
    return f"rgba(45, 164, 78, {alpha:.2f})"


def render_html(progress: Progress) -> str:
    from sreladder.present.packet_render import environment

    env = environment("html")  # the shipped templates, escaped as every HTML page is
    role, mixed = progress.role, _mixed(progress)
    rows = [
        {
            "name": d.name,
            "cells": [
                {"text": text, "shade": _shade(role.level_ids, p.levels[i])}
                for text, p in zip(_cells(progress, i), progress.points, strict=True)
            ],
        }
        for i, d in enumerate(role.dimensions)
    ]
    return env.get_template("progress.html.j2").render(
        subject=progress.subject,
        role=role,
        points=progress.points,
        columns=[_column(p, mixed) for p in progress.points],
        summary=summary(progress),
        rows=rows,
        recommended=[labels.level_text(role, p.recommended) for p in progress.points],
        chart=chart(progress),
        count=labels.plural(len(progress.points), "assessment"),
        legend=labels.NOT_EXPECTED_LEGEND if _any_not_expected(progress) else None,
    )


RENDERER_BY_FORMAT: dict[str, Callable[[Progress], str]] = {
    "table": render_table,
    "json": render_json,
    "md": render_markdown,
    "html": render_html,
}
