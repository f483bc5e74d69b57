"""How a score reads: the terminal view, Markdown and JSON.

The terminal view is built of Rich renderables and printed by Rich, on a terminal and
off one; Rich is imported only when that view is made, so ``--format json`` and ``md``
never load it. Rubric and user text always enters Rich as ``Text`` made printable
(never markup), so a ``[bold]`` or ``[link=...]`` in a rubric, or an ANSI escape in a
name, prints as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sreladder.core.models import Assessment, Role
from sreladder.core.scoring import Gap, ScoreResult, carried_over
from sreladder.io.diagnostics import printable
from sreladder.present import escape, labels
from sreladder.present.escape import markdown as md
from sreladder.present.labels import explain, level_label

if TYPE_CHECKING:  # Rich is imported where a terminal view is made, not for md or json
    from rich.console import Console, Group
    from rich.text import Text

UNSUPPORTED_SHOWN = 10


def _hanging(rows: list[tuple[str, Text]]) -> Group:
    """Rows of (level, text) whose wrapped lines stay indented under the text."""
    from rich.console import Group

    from sreladder.present.terminal import hanging_row

    width = max((len(level_id) for level_id, _ in rows), default=0)
    return Group(*(hanging_row(text, level_id, indent=4, width=width) for level_id, text in rows))


def _bar(
    role: Role, level: str | None, target: str, not_expected_yet: bool = False, carried: int = 0
) -> Text:
    """Full blocks to the level held, light shade for the levels held by the rule only
    (nothing expected yet, or ``carried`` levels above the dimension's last cell), shade
    up to the target."""
    from rich.text import Text

    order = role.level_ids
    held = order.index(level) + 1 if level is not None else 0
    width = order.index(target) + 1
    rated = min(0 if not_expected_yet else held - carried, width)
    style = "green" if held >= width else "yellow"
    bar = Text()
    bar.append("█" * rated, style=style)
    bar.append("▒" * (min(held, width) - rated), style=style)
    bar.append("░" * max(width - held, 0), style="dim")
    if held >= width:
        bar.append(" ✓", style="green")
    return bar


def _carried_notes(role: Role, result: ScoreResult) -> list[str]:
    """Where the rubric stops, one line per dimension held above its last cell, after
    the legend; empty when there is none."""
    notes = [
        f"{printable(d.name, 200)}: {labels.last_cell_note(d.top_cell, carried)}."
        for d in result.dimensions
        if (carried := carried_over(role, d))
    ]
    return [labels.CARRIED_LEGEND, *notes] if notes else []


def group_gaps(gaps: Iterable[Gap]) -> list[tuple[str, list[Gap]]]:
    """Gaps grouped by dimension, keeping the scorer's order (heaviest first)."""
    groups: dict[str, list[Gap]] = {}
    for gap in gaps:
        groups.setdefault(gap.dimension, []).append(gap)
    return list(groups.items())


def subject_line(role: Role, assessment: Assessment | None) -> str:
    who = assessment.subject_name if assessment else None
    relation = assessment.relation if assessment else "self"
    kind = {"self": "self-assessment", "manager": "manager assessment", "peer": "peer assessment"}
    parts = [f"{role.name} ({role.id})"]
    if who:
        parts.append(printable(who, 80))
    parts.append(kind[relation])
    return " · ".join(parts)


def render_score(
    result: ScoreResult, role: Role, console: Console, assessment: Assessment | None = None
) -> None:
    console.print(score_view(result, role, assessment))


def score_view(result: ScoreResult, role: Role, assessment: Assessment | None = None) -> Group:
    """The terminal view of a score."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    header = Text(printable(subject_line(role, assessment), 400), style="bold")
    recommended = Text("Recommended: ", style="bold")
    recommended.append(printable(level_label(role, result.recommended), 200), style="bold green")
    recommended.append("   Target: ", style="bold")
    recommended.append(printable(level_label(role, result.target), 200), style="bold cyan")
    reason = Text(printable(explain(role, result), 4000), style="dim")
    parts: list[Any] = [header, recommended, reason, Text()]

    # Weight, level and bar never wrap: one cell of fixed-width slots per row, not a
    # column each (every cell is a layout for Rich)
    weights = {d.id: f"{d.weight:g}" for d in role.dimensions}
    carried = {d.id: len(carried_over(role, d)) for d in result.dimensions}
    held = {
        d.id: labels.dimension_level(d.level, d.not_expected_yet, carried[d.id] > 0)
        for d in result.dimensions
    }
    weight_width = max(len("Weight"), *map(len, weights.values()))
    level_width = max(len("Level"), *map(len, held.values()))
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Dimension", overflow="fold")
    heading = f"{'Weight':>{weight_width}}  {'Level':<{level_width}}  to {result.target}"
    table.add_column(Text(heading), no_wrap=True)
    for d in result.dimensions:
        slots = Text(f"{weights[d.id]:>{weight_width}}  {held[d.id]:<{level_width}}  ")
        slots.append_text(_bar(role, d.level, result.target, d.not_expected_yet, carried[d.id]))
        table.add_row(Text(printable(d.name, 200)), slots)
    parts.append(table)
    if any(d.not_expected_yet for d in result.dimensions):
        parts.append(Text(labels.NOT_EXPECTED_LEGEND, style="dim"))
    notes = _carried_notes(role, result)
    parts += [Text(line, style="dim") for line in notes]
    parts.append(Text())

    if result.gaps:
        parts.append(Text(f"Gaps to {result.target} ({len(result.gaps)})", style="bold"))
        names = {d.id: d.name for d in role.dimensions}
        for dimension_id, gaps in group_gaps(result.gaps):
            parts.append(Text(f"  {printable(names[dimension_id], 200)}", style="bold"))
            rows = [
                (
                    g.level,
                    Text(printable(g.text, 2000)).append(
                        f"  [{labels.gap_word(g.rating, g.credit)}]", style="dim"
                    ),
                )
                for g in gaps
            ]
            parts.append(_hanging(rows))
    else:
        parts.append(Text(f"No gaps to {result.target}.", style="green"))

    if result.unsupported:
        shown = result.unsupported[:UNSUPPORTED_SHOWN]
        parts += [
            Text(),
            Text(f"Claims without evidence ({len(result.unsupported)})", style="bold"),
        ]
        index = role.expectation_index
        parts.append(
            _hanging([(index[e][1], Text(printable(index[e][2].text, 2000))) for e in shown])
        )
        if len(result.unsupported) > len(shown):
            more = len(result.unsupported) - len(shown)
            parts.append(Text(f"    … and {more} more (--format json lists them all)", style="dim"))
    if result.evidence_coverage is not None:
        parts.append(
            Text(
                f"Evidence covers {result.evidence_coverage:.0%} of the earned credit.", style="dim"
            )
        )
    if result.inconsistencies:
        parts += [Text(), Text("Inconsistencies", style="bold yellow")]
        for item in result.inconsistencies:
            parts.append(
                Text(
                    f"  {printable(item.dimension, 200)}: {item.level} is held but "
                    f"{', '.join(item.unmet)} below it is not"
                )
            )
    if result.unknown_answers:
        parts += [
            Text(),
            Text(
                f"{len(result.unknown_answers)} answer(s) refer to expectations this role "
                f"no longer has (kept, not scored): {', '.join(result.unknown_answers)}",
                style="yellow",
            ),
        ]
    return Group(*parts)


def score_markdown(result: ScoreResult, role: Role, assessment: Assessment | None = None) -> str:
    out = [
        f"# {md(subject_line(role, assessment))}",
        "",
        f"**Recommended:** {md(level_label(role, result.recommended))}  ",
        f"**Target:** {md(level_label(role, result.target))}",
        "",
        md(explain(role, result)),
        "",
    ]
    out += escape.markdown_table(
        ["Dimension", "Weight", "Level", "Coverage"],
        [
            [
                md(d.name),
                f"{d.weight:g}",
                labels.dimension_level(d.level, d.not_expected_yet, bool(carried_over(role, d))),
                ", ".join(
                    f"{lv} {labels.percent_against(c, role.scoring.threshold)}"
                    for lv, c in d.coverage.items()
                ),
            ]
            for d in result.dimensions
        ],
        numeric=[1],
    )
    if any(d.not_expected_yet for d in result.dimensions):
        out += ["", labels.NOT_EXPECTED_LEGEND]
    notes = _carried_notes(role, result)
    if notes:
        out += ["", md(notes[0]), "", *(f"- {md(note)}" for note in notes[1:])]
    out.append("")
    if result.gaps:
        names = {d.id: d.name for d in role.dimensions}
        out.append(f"## Gaps to {result.target}")
        for dimension_id, gaps in group_gaps(result.gaps):
            out += ["", f"### {md(names[dimension_id])}", ""]
            out += [
                f"- **{g.level}** {md(g.text)} _({labels.gap_word(g.rating, g.credit)})_"
                for g in gaps
            ]
        out.append("")
    if result.unsupported:
        out += ["## Claims without evidence", ""]
        out += [f"- {md(role.expectation_index[e][2].text)}" for e in result.unsupported]
        out.append("")
    return "\n".join(out)


def score_json(result: ScoreResult, role: Role, assessment: Assessment | None = None) -> str:
    return escape.json_document(result.to_json())


def score_table(result: ScoreResult, role: Role, assessment: Assessment | None = None) -> str:
    from sreladder.present.terminal import printed

    return printed(score_view(result, role, assessment))


RENDERER_BY_FORMAT: dict[str, Callable[[ScoreResult, Role, Assessment | None], str]] = {
    "table": score_table,
    "json": score_json,
    "md": score_markdown,
}
