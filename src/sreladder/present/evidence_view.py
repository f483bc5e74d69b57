"""How an evidence report reads: JSON, Markdown and the terminal view.

Items are other people's text (and may hold Rich markup, ANSI escapes, HTML or
Markdown breakers): they enter Rich only as ``Text`` and Markdown only through
``escape.markdown``. Rich is imported only by the terminal view: JSON of thousands of
items should not pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sreladder.core.evidence import Claim, EvidenceReport, MatchedItem
from sreladder.io.diagnostics import printable
from sreladder.present import escape

if TYPE_CHECKING:
    from rich.console import Console

SHOWN_WITHOUT_EVIDENCE = 40


def report_json(report: EvidenceReport, claims: Sequence[Claim] | None = None) -> str:
    """One JSON object, one key per line and one list element per line (an item, a
    cell, a claim): readable, grep-able, and written by the C encoder, which matters
    at thousands of items."""
    data = report.to_json()
    if claims is not None:
        data["claims"] = [
            {"expectation": c.expectation, "rating": c.rating, "suggested": list(c.suggested)}
            for c in claims
        ]
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join("    " + _compact(v) for v in value)
            parts.append(f"  {_compact(key)}: [\n{rows}\n  ]")
        else:
            parts.append(f"  {_compact(key)}: {_compact(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _where(matched: MatchedItem) -> str:
    return f"{matched.item.file}:{matched.item.line}"


def _match_line(matched: MatchedItem) -> list[str]:
    return [
        f"{m.expectation} ({m.level}, {m.score:.2f}): {', '.join(m.why)}" for m in matched.matches
    ]


SHOWN_ITEM_NUMBERS = 30


def _cell_rows(report: EvidenceReport) -> list[tuple[str, str, str]]:
    """(dimension name, level, the supporting items' numbers) for each cell with any."""
    names = {d.id: d.name for d in report.role.dimensions}
    return [
        (names[d], level, _item_numbers(items)) for d, level, items in report.by_cell() if items
    ]


def _item_numbers(items: list[int]) -> str:
    shown = ", ".join(map(str, items[:SHOWN_ITEM_NUMBERS]))
    more = f" … ({len(items)} in all)" if len(items) > SHOWN_ITEM_NUMBERS else ""
    return shown + more


# --- Markdown --------------------------------------------------------------------------


def report_markdown(report: EvidenceReport, claims: Sequence[Claim] | None = None) -> str:
    md = escape.markdown
    role = report.role
    out = [f"# Evidence for {md(role.name)} ({md(role.id)})", ""]
    out += ["| # | Item | Where | Supports |", "|---|---|---|---|"]
    for index, matched in enumerate(report.items):
        supports = "<br>".join(md(line) for line in _match_line(matched)) or "—"
        out.append(f"| {index} | {md(matched.item.text)} | {md(_where(matched))} | {supports} |")
    out += ["", "## Items per cell", ""]
    rows = _cell_rows(report)
    if rows:
        out += ["| Dimension | Level | Items (#) |", "|---|---|---|"]
        out += [f"| {md(name)} | {md(level)} | {numbers} |" for name, level, numbers in rows]
    else:
        out.append("No item supports any expectation.")
    missing = report.without_evidence
    out += ["", f"## Expectations without evidence ({len(missing)})", ""]
    out += [f"- {md(e)}" for e in missing]
    unmatched = report.unmatched
    out += ["", f"## Items that support nothing ({len(unmatched)})", ""]
    out += [f"- {i}: {md(report.items[i].item.text)}" for i in unmatched]
    if claims is not None:
        out += ["", f"## Claims without evidence that have suggestions ({len(claims)})", ""]
        for claim in claims:
            out.append(f"- {md(claim.expectation)} ({md(claim.rating)}): items {_numbers(claim)}")
    return "\n".join(out) + "\n"


def _numbers(claim: Claim) -> str:
    return ", ".join(str(i) for i in claim.suggested)


# --- terminal --------------------------------------------------------------------------


def render_report(
    report: EvidenceReport, console: Console, claims: Sequence[Claim] | None = None
) -> None:
    from rich.table import Table
    from rich.text import Text

    from sreladder.present.terminal import user_text

    role = report.role
    console.print(Text(f"Evidence for {printable(role.name, 200)} ({role.id})", style="bold"))
    table = Table(show_lines=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Item", ratio=3, overflow="fold")
    table.add_column("Supports (score: why)", ratio=3, overflow="fold")
    for index, matched in enumerate(report.items):
        item = Text()
        item.append_text(user_text(matched.item.text, 300))
        item.append("\n")
        item.append_text(user_text(_where(matched), 200, style="dim"))
        lines = [user_text(line, 400) for line in _match_line(matched)]
        supports = Text("\n").join(lines) if lines else Text("—", style="dim")
        table.add_row(str(index), item, supports)
    console.print(table)
    rows = _cell_rows(report)
    if rows:
        cells = Table(title="Items per cell", title_justify="left")
        cells.add_column("Dimension")
        cells.add_column("Level")
        cells.add_column("Items (#)", overflow="fold")
        for name, level, numbers in rows:
            cells.add_row(user_text(name), user_text(level), numbers)
        console.print(cells)
    missing = report.without_evidence
    shown = ", ".join(missing[:SHOWN_WITHOUT_EVIDENCE])
    more = f" … and {len(missing) - SHOWN_WITHOUT_EVIDENCE} more" if len(missing) > 40 else ""
    console.print(user_text(f"Without evidence ({len(missing)}): {shown or '—'}{more}", 4000))
    unmatched = report.unmatched
    console.print(
        user_text(
            f"Support nothing ({len(unmatched)}): {', '.join(map(str, unmatched)) or '—'}", 4000
        )
    )
    if claims is not None:
        console.print(
            Text(f"Claims without evidence that have suggestions ({len(claims)})", style="bold")
        )
        for claim in claims:
            console.print(
                user_text(f"  {claim.expectation} ({claim.rating}): items {_numbers(claim)}")
            )
