"""The renderers of ``sreladder compare``, by format name: each takes the comparison and
the role and returns a string (the terminal table as the console would print it).

User and rubric text enters Rich only as ``Text`` made printable (no markup, no control
characters), Markdown only through :mod:`sreladder.present.escape`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sreladder.core.compare import Comparison, RatingPair
from sreladder.core.models import Role
from sreladder.present import escape, labels
from sreladder.present.escape import markdown as md


def compare_json(comparison: Comparison, role: Role) -> str:
    content = comparison.to_json()
    results = {d.id: (comparison.result_a, comparison.result_b) for d in comparison.dimensions}
    for d in content["dimensions"]:
        a, b = results[d["id"]]
        d["a_not_expected_yet"] = a.dimension(d["id"]).not_expected_yet
        d["b_not_expected_yet"] = b.dimension(d["id"]).not_expected_yet
    return escape.json_document(content)


def _levels(comparison: Comparison, dimension_id: str) -> tuple[str, str]:
    """Both levels of a dimension as table cells (``P4†`` when not expected yet)."""
    a = comparison.result_a.dimension(dimension_id)
    b = comparison.result_b.dimension(dimension_id)
    return (
        labels.dimension_level(a.level, a.not_expected_yet),
        labels.dimension_level(b.level, b.not_expected_yet),
    )


def _any_not_expected(comparison: Comparison) -> bool:
    return any(
        d.not_expected_yet
        for result in (comparison.result_a, comparison.result_b)
        for d in result.dimensions
    )


def _pairs_table(
    pairs: list[RatingPair], a: str, b: str, names: dict[str, str], steps: bool = True
) -> list[str]:
    header = ["Dimension", "Level", "Expectation", md(a), md(b)] + (["Steps"] if steps else [])
    rows = [
        [
            md(names[p.dimension]),
            md(p.level),
            md(p.text),
            labels.rating_word(p.a),
            labels.rating_word(p.b),
            *([str(p.steps)] if steps else []),
        ]
        for p in pairs
    ]
    return escape.markdown_table(header, rows)


def compare_markdown(comparison: Comparison, role: Role) -> str:
    a, b = comparison.label_a, comparison.label_b
    names = {d.id: d.name for d in role.dimensions}
    recommended_a = labels.level_label(role, comparison.result_a.recommended)
    recommended_b = labels.level_label(role, comparison.result_b.recommended)
    out = [
        f"# {md(a)} vs {md(b)}",
        "",
        f"{md(role.name)} ({md(role.id)}). Recommended: {md(a)} **{md(recommended_a)}**, "
        f"{md(b)} **{md(recommended_b)}**.",
        "",
        f"Agreement: {md(labels.agreement_sentence(comparison.agreement_json()))}",
        "",
        "## Levels per dimension",
        "",
    ]
    out += escape.markdown_table(
        ["Dimension", md(a), md(b), "Same"],
        [
            [md(d.name), *_levels(comparison, d.id), "yes" if d.same_level else "no"]
            for d in comparison.dimensions
        ],
    )
    if _any_not_expected(comparison):
        out += ["", labels.NOT_EXPECTED_LEGEND]
    out.append("")
    if comparison.differences:
        out += [f"## Ratings that differ ({len(comparison.differences)})", ""]
        out += _pairs_table(comparison.differences, a, b, names)
        out.append("")
    else:
        out += ["No rating differs.", ""]
    if comparison.no_answer:
        out += [
            f"## Rated by one side only ({len(comparison.no_answer)})",
            "",
            "Not counted as disagreement.",
            "",
        ]
        out += _pairs_table(comparison.no_answer, a, b, names, steps=False)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def compare_table(comparison: Comparison, role: Role) -> str:
    """The terminal view."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from sreladder.present.terminal import printed, user_text

    def t(value: str, style: str = "") -> Text:
        return user_text(value, 4000, style)

    a, b = comparison.label_a, comparison.label_b
    agreement = comparison.agreement_json()
    parts: list[Any] = [
        t(f"{role.name} ({role.id}): {a} vs {b}", "bold"),
        t(
            f"Recommended: {a} {labels.level_label(role, comparison.result_a.recommended)}, "
            f"{b} {labels.level_label(role, comparison.result_b.recommended)}"
        ),
        t(f"Agreement: {labels.agreement_sentence(agreement)}"),
        Text(),
    ]
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column(Text("Dimension"), overflow="fold", ratio=3)
    table.add_column(t(a), no_wrap=True)
    table.add_column(t(b), no_wrap=True)
    table.add_column(Text(""), no_wrap=True)
    for d in comparison.dimensions:
        level_a, level_b = _levels(comparison, d.id)
        table.add_row(
            t(d.name),
            t(level_a),
            t(level_b),
            Text("=", style="green") if d.same_level else Text("≠", style="yellow"),
        )
    parts.append(table)
    if _any_not_expected(comparison):
        parts.append(Text(labels.NOT_EXPECTED_LEGEND, style="dim"))
    parts.append(Text())

    names = {d.id: d.name for d in role.dimensions}

    def pairs_table(pairs: list[RatingPair]) -> Table:
        """Rows grouped under their dimension's name, in role order."""
        grid = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        grid.add_column(Text("Level"), no_wrap=True, style="cyan")
        grid.add_column(Text("Expectation"), ratio=1, overflow="fold")
        grid.add_column(t(a), no_wrap=True)
        grid.add_column(t(b), no_wrap=True)
        current = None
        for p in pairs:
            if p.dimension != current:
                current = p.dimension
                grid.add_row("", t(names[p.dimension], "bold"), "", "")
            grid.add_row(
                t(p.level), t(p.text), t(labels.rating_word(p.a)), t(labels.rating_word(p.b))
            )
        return grid

    if comparison.differences:
        parts.append(t(f"Ratings that differ ({len(comparison.differences)})", "bold"))
        parts += [pairs_table(comparison.differences), Text()]
    else:
        parts += [Text("No rating differs.", style="green"), Text()]
    if comparison.no_answer:
        parts.append(
            t(
                f"Rated by one side only ({len(comparison.no_answer)}; not counted as "
                "disagreement)",
                "bold",
            )
        )
        parts.append(pairs_table(comparison.no_answer))
    return printed(Group(*parts))


RENDERER_BY_FORMAT: dict[str, Callable[[Comparison, Role], str]] = {
    "table": compare_table,
    "json": compare_json,
    "md": compare_markdown,
}
