"""How ``sreladder impact`` reads: a terminal table, Markdown for a pull-request comment,
and JSON, of an :class:`~sreladder.core.impact.ImpactReport`.

Names, paths and rubric text reach Rich only as ``Text`` after ``printable``, Markdown
through :func:`sreladder.present.escape.markdown`, JSON as written (control characters
escaped). An anonymous report has no file and ``person N`` for every subject already
(:func:`sreladder.core.impact.anonymize`): nothing here can show a name it was not given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sreladder.core.impact import DimensionShift, Impact, ImpactReport
from sreladder.io.diagnostics import printable
from sreladder.present import escape, labels
from sreladder.present.escape import markdown as md

ARROWS = {"down": "↓", "up": "↑", "same": "", "other": "≠"}
#: rows of the Markdown table and entries of its details: a pull-request comment has a
#: size limit (65,536 characters on GitHub); the JSON has everything
MD_MAX_ROWS = 100
MD_MAX_ITEMS = 30


def summary_line(report: ImpactReport) -> str:
    """``4 of 12 assessments change; 3 recommendations drop.`` (the second part names
    each direction when they differ: ``5 recommendations change: 3 drop, 2 rise``)."""
    changed, total = len(report.changes), report.total
    head = f"{changed} of {total} {'assessment changes' if total == 1 else 'assessments change'}"
    moved = report.recommendation_changes
    if not moved:
        return f"{head}; no recommendation changes." if changed else f"{head}."
    words = {"down": ("drops", "drop"), "up": ("rises", "rise"), "other": ("changes", "change")}
    counts = [(d, report.count(d)) for d in ("down", "up", "other")]
    present = [(d, n) for d, n in counts if n]
    noun = "recommendation" if len(moved) == 1 else "recommendations"
    if len(present) == 1:
        direction, n = present[0]
        return f"{head}; {n} {noun} {words[direction][0 if n == 1 else 1]}."
    parts = ", ".join(
        f"{n} {words[d][1] if d != 'other' else 'cannot be compared'}" for d, n in present
    )
    return f"{head}; {len(moved)} {noun} change: {parts}."


def who(impact: Impact) -> str:
    """The person as a reader sees them: name (or ``person N``), else the file."""
    name = impact.subject or impact.file or "?"
    return name if impact.relation == "self" else f"{name} ({impact.relation})"


def level(value: str | None, not_expected: bool = False) -> str:
    return labels.dimension_level(value, not_expected)


def recommendation(impact: Impact, side: str) -> str:
    """A recommendation for a table cell: the level, ``none`` when none is held, ``no
    role`` when that ladder does not have the role."""
    if (side == "before" and impact.status == "role-added") or (
        side == "after" and impact.status == "role-removed"
    ):
        return "no role"
    value = impact.before if side == "before" else impact.after
    return value if value is not None else "none"


def shift_text(shift: DimensionShift) -> str:
    """``incident-response P3→P2``, ``strategy (new) —→P2``."""
    if shift.only_in == "after":
        return f"{shift.id} (new dimension) {level(shift.after, shift.after_not_expected)}"
    if shift.only_in == "before":
        return f"{shift.id} (removed dimension)"
    old = level(shift.before, shift.before_not_expected)
    new = level(shift.after, shift.after_not_expected)
    return f"{shift.id} {old}→{new}"


def changed_shifts(impact: Impact) -> list[DimensionShift]:
    return [d for d in impact.dimensions if d.changed]


def _status_note(impact: Impact) -> str | None:
    if impact.status == "role-removed":
        return f"the new ladder has no role {impact.role!r}"
    if impact.status == "role-added":
        return f"the old ladder had no role {impact.role!r}"
    return None


# --- JSON ----------------------------------------------------------------------------


def impact_json(impact: Impact) -> dict[str, Any]:
    return {
        "file": impact.file,
        "subject": impact.subject,
        "relation": impact.relation,
        "role": impact.role,
        "status": impact.status,
        "before": impact.before,
        "after": impact.after,
        "direction": impact.direction,
        "recommendation_changed": impact.recommendation_changed,
        "dimensions": [
            {"id": d.id, "name": d.name, "before": d.before, "after": d.after, "only_in": d.only_in}
            for d in impact.dimensions
        ],
        "removed_answers": [
            {
                "id": a.id,
                "rating": a.rating,
                "dimension": a.dimension,
                "level": a.level,
                "text": a.text,
            }
            for a in impact.removed_answers
        ],
        "unrated_new": [
            {"id": e.id, "dimension": e.dimension, "level": e.level, "text": e.text}
            for e in impact.unrated_new
        ],
    }


def report_json(report: ImpactReport) -> dict[str, Any]:
    return {
        "assessments": report.total,
        "anonymous": report.anonymous,
        "recommendations_changed": len(report.recommendation_changes),
        "changes": [impact_json(i) for i in report.changes],
        "unchanged": report.unchanged,
    }


def render_json(report: ImpactReport) -> str:
    return escape.json_document(report_json(report))


# --- Markdown ------------------------------------------------------------------------


def _md_capped(items: list[str]) -> list[str]:
    shown = items[:MD_MAX_ITEMS]
    if len(items) > MD_MAX_ITEMS:
        shown.append(f"- … and {len(items) - MD_MAX_ITEMS} more (`--format json` lists all)")
    return shown


def _code(text: str) -> str:
    """An id as a code span (ids hold no backtick; anything else is escaped text)."""
    return f"`{text}`" if re.fullmatch(r"[\w.-]+", text) else md(text)


def _md_ids(ids: list[str]) -> str:
    shown = ", ".join(_code(i) for i in ids[:MD_MAX_ITEMS])
    more = len(ids) - MD_MAX_ITEMS
    return shown + (f" and {more} more" if more > 0 else "")


def _md_person(impact: Impact, all_new: set[str], all_gone: set[str]) -> str:
    where = f" · {md(impact.file)}" if impact.file else ""
    parts = [f"- **{md(who(impact))}** · {md(impact.role)}{where}"]
    note = _status_note(impact)
    shifts = changed_shifts(impact)
    if note:
        parts.append(md(note))
    elif shifts:
        parts.append(md(", ".join(shift_text(d) for d in shifts)))
    for label, ids, every in (
        ("new, unrated", [e.id for e in impact.unrated_new], all_new),
        ("answers gone", [a.id for a in impact.removed_answers], all_gone),
    ):
        if ids and len(ids) > 1 and set(ids) == every:
            parts.append(f"{label}: all {len(ids)} above")
        elif ids:
            parts.append(f"{label}: {_md_ids(ids)}")
    return " · ".join(parts)


def _md_texts(report: ImpactReport) -> list[str]:
    """Each new expectation and each expectation that is gone once, with its text and
    how many of the assessments it concerns."""
    out: list[str] = []
    changes = report.changes
    new: dict[str, tuple[Any, int]] = {}
    for impact in changes:
        for e in impact.unrated_new:
            new[e.id] = (e, new.get(e.id, (e, 0))[1] + 1)
    gone: dict[str, tuple[Any, int]] = {}
    for impact in changes:
        for a in impact.removed_answers:
            gone[a.id] = (a, gone.get(a.id, (a, 0))[1] + 1)
    for title, found in (
        ("New expectations without a rating", new),
        ("Expectations that are gone, with answers to them", gone),
    ):
        if not found:
            continue
        out += [f"**{title}:**", ""]
        out += _md_capped(
            [
                f"- {_code(item.id)} ({md(item.dimension)} {md(item.level)}; "
                f"{n} {'assessment' if n == 1 else 'assessments'}): {md(item.text)}"
                for item, n in found.values()
            ]
        )
        out.append("")
    return out


def _shifts_cell(impact: Impact) -> str:
    return _status_note(impact) or ", ".join(shift_text(d) for d in changed_shifts(impact)) or "—"


def render_markdown(report: ImpactReport) -> str:
    """Short, for a pull-request comment: the summary, a table of the changes, the
    details folded away."""
    out = ["### Ladder change impact", "", f"**{md(summary_line(report))}**", ""]
    changes = report.changes
    if not changes:
        return "\n".join(out)
    header = ["Person", "Role", "Before", "After", "Dimensions", "New, unrated", "Answers gone"]
    if not report.anonymous:
        header.insert(1, "File")
    rows = []
    for impact in changes[:MD_MAX_ROWS]:
        arrow = ARROWS[impact.direction]
        row = [
            md(who(impact)),
            md(impact.role),
            md(recommendation(impact, "before")),
            md(recommendation(impact, "after")) + (f" {arrow}" if arrow else ""),
            md(_shifts_cell(impact)),
            str(len(impact.unrated_new)),
            str(len(impact.removed_answers)),
        ]
        if not report.anonymous:
            row.insert(1, md(impact.file or ""))
        rows.append(row)
    out += escape.markdown_table(header, rows, [len(header) - 2, len(header) - 1])
    if len(changes) > MD_MAX_ROWS:
        out += ["", f"… and {len(changes) - MD_MAX_ROWS} more (`--format json` lists all)."]
    out += ["", "<details><summary>Details</summary>", ""]
    out += _md_texts(report)
    out += ["**Per assessment:**", ""]
    all_new = {e.id for i in changes for e in i.unrated_new}
    all_gone = {a.id for i in changes for a in i.removed_answers}
    out += [_md_person(impact, all_new, all_gone) for impact in changes[:MD_MAX_ROWS]]
    out += ["", "</details>", ""]
    return "\n".join(out)


# --- terminal ------------------------------------------------------------------------


def _union(pairs: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """(id, level, how many assessments) in first-seen order."""
    counts: dict[tuple[str, str], int] = {}
    for pair in pairs:
        counts[pair] = counts.get(pair, 0) + 1
    return [(i, lv, n) for (i, lv), n in counts.items()]


def impact_view(report: ImpactReport) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [Text(summary_line(report), style="bold")]
    changes = report.changes
    if not changes:
        return Group(*parts)
    parts.append(Text())
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Person", overflow="fold", ratio=2)
    if not report.anonymous:
        table.add_column("File", overflow="fold", ratio=2)
    table.add_column("Role", no_wrap=True)
    table.add_column("Before", no_wrap=True)
    table.add_column("After", no_wrap=True, style="bold")
    table.add_column("Dimensions", overflow="fold", ratio=4)
    table.add_column("New", justify="right", no_wrap=True)
    table.add_column("Gone", justify="right", no_wrap=True)
    for impact in changes:
        arrow = ARROWS[impact.direction]
        cells = [Text(printable(who(impact), 120))]
        if not report.anonymous:
            cells.append(Text(printable(impact.file or "", 300)))
        cells += [
            Text(printable(impact.role, 64)),
            Text(recommendation(impact, "before")),
            Text(recommendation(impact, "after") + (f" {arrow}" if arrow else "")),
            Text(printable(_shifts_cell(impact).replace("→", " → "), 2000)),
            Text(str(len(impact.unrated_new))),
            Text(str(len(impact.removed_answers))),
        ]
        table.add_row(*cells)
    parts += [table, Text("New: new expectations at or below the old level with no rating. "
                          "Gone: answers to expectations the new ladder no longer has.",
                          style="dim")]  # fmt: skip
    for title, pairs in (
        (
            "New expectations without a rating (assessments)",
            [(e.id, e.level) for i in changes for e in i.unrated_new],
        ),
        (
            "Answers to expectations that are gone (assessments)",
            [(a.id, a.level) for i in changes for a in i.removed_answers],
        ),
    ):
        if not pairs:
            continue
        parts += [Text(), Text(title, style="bold")]
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold", ratio=1)
        grid.add_column(justify="right", no_wrap=True)
        for expectation, lv, n in _union(pairs):
            grid.add_row(Text(printable(lv, 64)), Text(printable(expectation, 64)), Text(str(n)))
        parts.append(grid)
    return Group(*parts)


def render_table(report: ImpactReport) -> str:
    from sreladder.present.terminal import printed

    return printed(impact_view(report))


RENDERER_BY_FORMAT: dict[str, Callable[[ImpactReport], str]] = {
    "table": render_table,
    "json": render_json,
    "md": render_markdown,
}
