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
import json
from typing import Any, TextIO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from sreladder.core.models import Role
from sreladder.core.rubric_set import RubricSet
from sreladder.core.team import Person, RoleTeam, Team
from sreladder.io.diagnostics import printable
from sreladder.present import escape
from sreladder.present.terminal import user_text


def level_text(role: Role, level: str | None) -> str:
    return level if level is not None else f"not yet {role.level_ids[0]}"


def _day(person_or_date: Any) -> str:
    return person_or_date.date().isoformat()


def progress_line(role: Role, person: Person) -> str:
    """``2026-03-01 P2 → 2026-09-01 P3`` (the name is not included)."""
    return " → ".join(f"{_day(date)} {level_text(role, level)}" for date, level in person.history)


def _dimension_level(levels: tuple[str | None, ...], i: int) -> str:
    return levels[i] or "—"


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
                        "name": p.latest.name,
                        "relation": p.latest.relation,
                        "date": p.latest.date.isoformat().replace("+00:00", "Z"),
                        "date_from": p.latest.date_source,
                        "file": p.latest.path,
                        "assessments": len(p.history),
                        "recommended": p.latest.recommended,
                        "levels": dict(zip(dims, p.latest.levels, strict=True)),
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
                        "name": p.latest.name,
                        "relation": p.latest.relation,
                        "history": [
                            {"date": d.isoformat().replace("+00:00", "Z"), "recommended": lv}
                            for d, lv in p.history
                        ],
                    }
                    for p in group.progress
                ],
            }
        )
    return {
        "files": {"loaded": team.loaded, "broken": team.broken, "skipped": team.skipped},
        "people": sum(len(g.people) for g in team.roles),
        "roles": roles,
    }


def write_json(team: Team, rubric: RubricSet, stream: TextIO) -> None:
    """The JSON document, written piece by piece: ``json.dumps`` with an indent would
    hold every piece of a 10,000-person document in a list before joining them."""
    json.dump(team_json(team, rubric), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


# --- CSV ----------------------------------------------------------------------------


def render_csv(team: Team, rubric: RubricSet) -> str:
    columns: list[str] = []
    for group in team.roles:
        for d in rubric.roles[group.role_id].dimensions:
            if d.id not in columns:
                columns.append(d.id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["role", "name", "relation", "date", "file", "recommended", *columns])
    for group in team.roles:
        role = rubric.roles[group.role_id]
        position = {d.id: i for i, d in enumerate(role.dimensions)}
        for p in group.people:
            r = p.latest
            cells = [r.levels[position[c]] or "" if c in position else "" for c in columns]
            row = [role.id, r.name, r.relation, _day(r.date), r.path, r.recommended or "", *cells]
            writer.writerow([escape.csv_cell(v) for v in row])
    return out.getvalue()


# --- Markdown -----------------------------------------------------------------------


def _md(text: str) -> str:
    return escape.markdown(text)


def _md_role(group: RoleTeam, role: Role) -> list[str]:
    dims = role.dimensions
    count = len(group.people)
    who = "person" if count == 1 else "people"
    out = [f"## {_md(role.name)} ({_md(role.id)}): {count} {who}", ""]
    out.append(
        "| Person | Relation | Date | " + " | ".join(_md(d.name) for d in dims) + " | Recommended |"
    )
    out.append("|---|---|---|" + "---|" * len(dims) + "---|")
    for p in group.people:
        r = p.latest
        levels = " | ".join(_dimension_level(r.levels, i) for i in range(len(dims)))
        out.append(
            f"| {_md(r.name)} | {r.relation} | {_day(r.date)} | {levels} | "
            f"{_md(level_text(role, r.recommended))} |"
        )
    out += ["", "### Spread of recommended levels", "", "| Level | People |", "|---|---:|"]
    out += [f"| {_md(level_text(role, lv))} | {n} |" for lv, n in group.spread]
    out += ["", "### Most common gaps", ""]
    if group.gaps:
        out += ["| Expectation | Level | Gap | People |", "|---|---|---|---:|"]
        out += [
            f"| {_md(g.expectation)} | {_md(g.level)} | {_md(g.text)} | {g.people} |"
            for g in group.gaps
        ]
    else:
        out.append("No gaps.")
    if group.progress:
        out += ["", "### Progress over time", ""]
        out += [
            f"- {_md(p.latest.name)} ({p.latest.relation}): {_md(progress_line(role, p))}"
            for p in group.progress
        ]
    out.append("")
    return out


def render_markdown(team: Team, rubric: RubricSet) -> str:
    out = [
        "# Team",
        "",
        f"{team.loaded} assessments of {sum(len(g.people) for g in team.roles)} people"
        + (f"; {team.broken} files could not be read" if team.broken else "")
        + ".",
        "",
    ]
    for group in team.roles:
        out += _md_role(group, rubric.roles[group.role_id])
    return "\n".join(out)


# --- terminal -----------------------------------------------------------------------


def render_table(team: Team, rubric: RubricSet, console: Console) -> None:
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
        for p in group.people:
            r = p.latest
            table.add_row(
                user_text(r.name, 80),
                r.relation,
                _day(r.date),
                *(Text(_dimension_level(r.levels, i)) for i in range(len(dims))),
                Text(r.recommended or "—"),
            )
        parts.append(table)
        legend = Text("", style="dim")
        for i, d in enumerate(dims, 1):
            legend.append(f"D{i} {printable(d.name, 80)}" + ("  " if i < len(dims) else ""))
        parts += [legend, Text()]

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
                    user_text(f"{p.latest.name} ({p.latest.relation})", 80),
                    user_text(progress_line(role, p), 2000),
                )
            parts += [grid, Text()]
    console.print(Group(*parts))
