"""How ``sreladder team`` reads: a terminal view, Markdown, CSV and JSON of a :class:`Team`.

Renderers return strings (the terminal one prints Rich renderables to a console).
Names, paths and rubric text reach Rich only as ``Text`` after ``printable`` (no markup,
no control characters), Markdown through :func:`sreladder.present.escape.markdown`, CSV through
:func:`sreladder.present.escape.csv_cell` and the ``csv`` module's quoting. JSON keeps every
value exactly as written.

CSV holds the people x dimensions table only (one row per person, the union of the
roles' dimensions as columns, empty where a role has no such dimension); the spread,
the common gaps and the progress are in the other formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any, TextIO

from sreladder.core.models import Role
from sreladder.core.rubric_set import RubricSet
from sreladder.core.scoring import not_expected_yet
from sreladder.core.team import Person, RoleTeam, Team
from sreladder.io.diagnostics import printable
from sreladder.present import escape, labels
from sreladder.present.escape import markdown as md
from sreladder.present.labels import level_text


def _day(person_or_date: Any) -> str:
    return person_or_date.date().isoformat()


def progress_line(role: Role, person: Person) -> str:
    """``2026-03-01 P2 → 2026-09-01 P3`` (the name is not included); each step says
    whose view it is when the person has views of several kinds."""
    mixed = len(person.views) > 1
    return " → ".join(
        f"{_day(date)} {level_text(role, level)}" + (f" ({relation})" if mixed else "")
        for date, level, relation in person.history
    )


def other_views(role: Role, person: Person) -> str:
    """``self P3 (2026-09-01)``: the latest view of each other kind, beside the one
    that counts; empty when there is none."""
    return "; ".join(
        f"{r.relation} {level_text(role, r.recommended)} ({_day(r.date)})"
        for r in person.other_views
    )


def people_line(team: Team) -> str:
    """``6 assessments of 4 people``."""
    people = "1 person" if team.people == 1 else f"{team.people} people"
    return f"{labels.plural(team.loaded, 'assessment')} of {people}"


def _not_expected(role: Role, levels: tuple[str | None, ...]) -> list[bool]:
    """Per dimension: held only because nothing is expected of it yet."""
    return [not_expected_yet(role, d, lv) for d, lv in zip(role.dimensions, levels, strict=True)]


def _level_cells(role: Role, levels: tuple[str | None, ...]) -> list[str]:
    """Each dimension's level as a table cell (``P4†`` when not expected yet)."""
    flags = _not_expected(role, levels)
    return [labels.dimension_level(lv, f) for lv, f in zip(levels, flags, strict=True)]


def _any_not_expected(role: Role, group: RoleTeam) -> bool:
    return any(any(_not_expected(role, p.latest.levels)) for p in group.people)


# --- JSON ---------------------------------------------------------------------------


def team_json(team: Team, rubric: RubricSet) -> dict[str, Any]:
    roles = []
    for group in team.roles:
        role = rubric.roles[group.role_id]
        dims = [d.id for d in role.dimensions]
        roles.append(
            {
                "role": role.id,
                "name": role.name,
                "levels": role.level_ids,
                "dimensions": [{"id": d.id, "name": d.name} for d in role.dimensions],
                "people": [
                    {
                        "name": p.name,
                        "relation": p.latest.relation,
                        "date": p.latest.date.isoformat().replace("+00:00", "Z"),
                        "date_from": p.latest.date_source,
                        "file": p.latest.path,
                        "assessments": len(p.history),
                        "other_views": [
                            {
                                "relation": r.relation,
                                "date": r.date.isoformat().replace("+00:00", "Z"),
                                "file": r.path,
                                "recommended": r.recommended,
                                "levels": dict(zip(dims, r.levels, strict=True)),
                            }
                            for r in p.other_views
                        ],
                        "recommended": p.latest.recommended,
                        "levels": dict(zip(dims, p.latest.levels, strict=True)),
                        "not_expected_yet": [
                            d
                            for d, flag in zip(
                                dims, _not_expected(role, p.latest.levels), strict=True
                            )
                            if flag
                        ],
                    }
                    for p in group.people
                ],
                "spread": [{"level": lv, "people": n} for lv, n in group.spread],
                "common_gaps": [
                    {
                        "expectation": g.expectation,
                        "dimension": g.dimension,
                        "level": g.level,
                        "text": g.text,
                        "people": g.people,
                    }
                    for g in group.gaps
                ],
                "progress": [
                    {
                        "name": p.name,
                        "relation": p.latest.relation,
                        "history": [
                            {
                                "date": d.isoformat().replace("+00:00", "Z"),
                                "recommended": lv,
                                "relation": relation,
                            }
                            for d, lv, relation in p.history
                        ],
                    }
                    for p in group.progress
                ],
            }
        )
    return {
        "files": {"loaded": team.loaded, "broken": team.broken, "skipped": team.skipped},
        "people": team.people,
        "roles": roles,
    }


def write_json(team: Team, rubric: RubricSet, stream: TextIO) -> None:
    """The JSON document, written piece by piece: ``json.dumps`` with an indent would
    hold every piece of a 10,000-person document in a list before joining them."""
    escape.json_write(team_json(team, rubric), stream)


def render_json(team: Team, rubric: RubricSet) -> str:
    out = io.StringIO()
    write_json(team, rubric, out)
    return out.getvalue()


# --- CSV ----------------------------------------------------------------------------


def render_csv(team: Team, rubric: RubricSet) -> str:
    columns: list[str] = []
    for group in team.roles:
        for d in rubric.roles[group.role_id].dimensions:
            if d.id not in columns:
                columns.append(d.id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["role", "name", "relation", "date", "file", "recommended", *columns, "other_views"]
    )
    for group in team.roles:
        role = rubric.roles[group.role_id]
        position = {d.id: i for i, d in enumerate(role.dimensions)}
        for p in group.people:
            r = p.latest
            flags = _not_expected(role, r.levels)
            words = [
                labels.dimension_level_words(lv, f) for lv, f in zip(r.levels, flags, strict=True)
            ]
            cells = [words[position[c]] if c in position else "" for c in columns]
            row = [
                role.id,
                p.name,
                r.relation,
                _day(r.date),
                r.path,
                r.recommended or "",
                *cells,
                other_views(role, p),
            ]
            writer.writerow([escape.csv_cell(v) for v in row])
    return out.getvalue()


# --- Markdown -----------------------------------------------------------------------


def _md_role(group: RoleTeam, role: Role) -> list[str]:
    dims = role.dimensions
    count = len(group.people)
    who = "person" if count == 1 else "people"
    out = [f"## {md(role.name)} ({md(role.id)}): {count} {who}", ""]
    out += escape.markdown_table(
        ["Person", "Relation", "Date", *(md(d.name) for d in dims), "Recommended", "Other views"],
        [
            [
                md(p.name),
                p.latest.relation,
                _day(p.latest.date),
                *_level_cells(role, p.latest.levels),
                md(level_text(role, p.latest.recommended)),
                md(other_views(role, p)),
            ]
            for p in group.people
        ],
    )
    if _any_not_expected(role, group):
        out += ["", labels.NOT_EXPECTED_LEGEND]
    out += ["", "### Spread of recommended levels", ""]
    out += escape.markdown_table(
        ["Level", "People"], [[md(level_text(role, lv)), str(n)] for lv, n in group.spread], [1]
    )
    out += ["", "### Most common gaps", ""]
    if group.gaps:
        out += escape.markdown_table(
            ["Expectation", "Level", "Gap", "People"],
            [[md(g.expectation), md(g.level), md(g.text), str(g.people)] for g in group.gaps],
            [3],
        )
    else:
        out.append("No gaps.")
    if group.progress:
        out += ["", "### Progress over time", ""]
        out += [
            f"- {md(p.name)} ({p.latest.relation}): {md(progress_line(role, p))}"
            for p in group.progress
        ]
    out.append("")
    return out


def render_markdown(team: Team, rubric: RubricSet) -> str:
    out = [
        "# Team",
        "",
        people_line(team)
        + (f"; {team.broken} files could not be read" if team.broken else "")
        + ".",
        "",
    ]
    for group in team.roles:
        out += _md_role(group, rubric.roles[group.role_id])
    return "\n".join(out)


# --- terminal -----------------------------------------------------------------------


def render_table(team: Team, rubric: RubricSet) -> str:
    """The terminal view."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from sreladder.present.terminal import printed, user_text

    parts: list[Any] = []
    for group in team.roles:
        role = rubric.roles[group.role_id]
        dims = role.dimensions
        parts.append(
            Text.assemble(
                (printable(f"{role.name} ({role.id})", 200), "bold"),
                f" · {len(group.people)} {'person' if len(group.people) == 1 else 'people'}",
            )
        )
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("Person", overflow="fold", ratio=3)
        table.add_column("As", no_wrap=True)
        table.add_column("Date", no_wrap=True)
        for i, _ in enumerate(dims, 1):
            table.add_column(f"D{i}", no_wrap=True)
        table.add_column("Rec.", no_wrap=True, style="bold")
        if any(p.other_views for p in group.people):
            table.add_column("Other views", overflow="fold", ratio=2)
        for p in group.people:
            r = p.latest
            table.add_row(
                user_text(p.name, 80),
                r.relation,
                _day(r.date),
                *(Text(cell) for cell in _level_cells(role, r.levels)),
                Text(r.recommended or "—"),
                *(
                    [Text(other_views(role, p), style="dim")]
                    if len(table.columns) > 4 + len(dims)
                    else []
                ),
            )
        parts.append(table)
        legend = Text("", style="dim")
        for i, d in enumerate(dims, 1):
            legend.append(f"D{i} {printable(d.name, 80)}" + ("  " if i < len(dims) else ""))
        parts.append(legend)
        if _any_not_expected(role, group):
            parts.append(Text(labels.NOT_EXPECTED_LEGEND, style="dim"))
        parts.append(Text())

        parts.append(Text("Spread of recommended levels", style="bold"))
        spread = Table(box=None, pad_edge=False, show_edge=False, show_header=False)
        spread.add_column(no_wrap=True)
        spread.add_column(justify="right")
        spread.add_column()
        most = max((n for _, n in group.spread), default=0) or 1
        for level, n in group.spread:
            bar = "█" * round(20 * n / most) if n else ""
            spread.add_row(Text("  " + level_text(role, level)), str(n), Text(bar, style="cyan"))
        parts += [spread, Text()]

        if group.gaps:
            parts.append(Text(f"Most common gaps (top {len(group.gaps)})", style="bold"))
            gaps = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
            gaps.add_column("People", justify="right")
            gaps.add_column("Level", no_wrap=True)
            gaps.add_column("Expectation", no_wrap=True)
            gaps.add_column("Text", overflow="fold", ratio=1)
            for g in group.gaps:
                gaps.add_row(
                    str(g.people), g.level, user_text(g.expectation), user_text(g.text, 300)
                )
            parts += [gaps, Text()]
        if group.progress:
            parts.append(Text("Progress over time", style="bold"))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(overflow="fold", ratio=1)
            grid.add_column(overflow="fold", ratio=3)
            for p in group.progress:
                grid.add_row(
                    user_text(f"{p.name} ({p.latest.relation})", 80),
                    user_text(progress_line(role, p), 2000),
                )
            parts += [grid, Text()]
    return printed(Group(*parts))


RENDERER_BY_FORMAT: dict[str, Callable[[Team, RubricSet], str]] = {
    "table": render_table,
    "json": render_json,
    "md": render_markdown,
    "csv": render_csv,
}
