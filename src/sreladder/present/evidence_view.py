"""How an evidence report reads: JSON, Markdown and the terminal view.

Items are other people's text (and may hold Rich markup, ANSI escapes, HTML or
Markdown breakers): they enter Rich only as ``Text`` and Markdown only through
``escape.markdown``. Rich is imported only by the terminal view: JSON of thousands of
items should not pay for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sreladder.core.evidence import Claim, EvidenceItem, EvidenceReport, MatchedItem
from sreladder.io.diagnostics import printable
from sreladder.present import escape

if TYPE_CHECKING:
    from rich.console import Console

SHOWN_WITHOUT_EVIDENCE = 40
SHOWN_SKIPPED = 200
SHOWN_DETAIL = 300  # characters of an item's detail in the table and Markdown views


def report_json(report: EvidenceReport, claims: Sequence[Claim] | None = None) -> str:
    """One JSON object, one key per line and one list element per line (an item, a
    cell, a claim, a skipped entry): readable, grep-able, and written by the C encoder,
    which matters at thousands of items. Control, direction-override and zero-width
    characters are written as ``\\uXXXX`` escapes, as every JSON sreladder writes."""
    data = report.to_json()
    if claims is not None:
        data["claims"] = [
            {
                "expectation": c.expectation,
                "rating": c.rating,
                "suggested": list(c.suggested),
                "scores": list(c.scores),
            }
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
    return escape.json_line(value)


def skipped_summary(report: EvidenceReport) -> str:
    """``12 skipped, not counted: 5 merge commit, 3 dependency bump, ...`` (most first),
    or "" when nothing was skipped."""
    if not report.skipped:
        return ""
    counts = Counter(entry.kind for entry in report.skipped)
    kinds = ", ".join(
        f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    )
    return f"{len(report.skipped)} skipped, not counted: {kinds}"


def merged_summary(report: EvidenceReport) -> str:
    """``3 items read from several sources (merged)``, or ""."""
    merged = [m for m in report.items if len(m.item.where) > 1]
    if not merged:
        return ""
    extra = sum(len(m.item.where) - 1 for m in merged)
    return (
        f"{len(merged)} item(s) found in several sources ({extra} more source(s) merged into them)"
    )


def _where(matched: MatchedItem) -> str:
    return ", ".join(f"{file}:{line}" for file, line in matched.item.where)


def _about(matched: MatchedItem) -> str:
    """What is known of the item beside its text: its date, incident severity and role,
    refs, and its detail (a body or description: ``why`` may quote it)."""
    item = matched.item
    parts = [item.date or "", item.severity or "", f"role: {item.role}" if item.role else ""]
    parts += [ref.split(":", 1)[-1] for ref in item.refs[:3]]
    head = " · ".join(p for p in parts if p)
    return f"{head} — {item.detail}" if head and item.detail else head or item.detail


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
    """A page to paste into a promotion document: per dimension, each expectation that
    items support (its level and text) with those items, each with its date and link;
    then a short tail: the claims with suggestions (with ``--assessment``), the items
    skipped (when the report has them) and the items that support nothing. Every text
    from a source or a rubric goes through ``escape.markdown``; a link is clickable
    only when it is http(s)."""
    md = escape.markdown
    role = report.role
    out = [f"# Evidence for {md(role.name)} ({md(role.id)})", ""]
    supporting = report.supporting()
    supported = sum(1 for m in report.items if m.matches)
    out += [
        f"{_count(len(report.items), 'item')} from {md(_sources(report))}: "
        f"{supported} support at least one of the role's expectations; "
        f"{len(supporting)} of its {len(role.expectation_index)} expectations have an item.",
        "",
    ]
    if merged_summary(report):
        out += [md(merged_summary(report)) + ".", ""]
    for dimension in role.dimensions:
        shown = [
            (level, expectation)
            for level, cell in role.cells(dimension)
            for expectation in cell.expectations
            if expectation.id in supporting
        ]
        if not shown:
            continue
        out += [f"## {md(dimension.name)}", ""]
        for level, expectation in shown:
            out += [f"**{md(level)}** {md(expectation.text)} ({md(expectation.id)})", ""]
            out += [f"- {_md_item(report.items[i].item)}" for i in supporting[expectation.id]]
            out.append("")
    if not supporting:
        out += ["No item supports any of the role's expectations.", ""]
    if claims:
        out += [f"## Claims without evidence that have suggestions ({len(claims)})", ""]
        index = role.expectation_index
        for claim in claims:
            _, level, expectation = index[claim.expectation]
            out.append(
                f"- **{md(level)}** {md(expectation.text)} "
                f"({md(claim.expectation)}, {md(claim.rating)}):"
            )
            out += [f"  - {_md_item(report.items[i].item)}" for i in claim.suggested]
        out.append("")
    if report.skipped:
        out += [f"## Skipped, not counted ({len(report.skipped)})", ""]
        out += [md(skipped_summary(report)), ""]
        for entry in report.skipped[:SHOWN_SKIPPED]:
            line = f"- {md(entry.text or '—')}"
            where = _where_of(entry)
            line += f" ({md(where)}, {md(entry.reason)})" if where else f" ({md(entry.reason)})"
            out.append(line)
        if len(report.skipped) > SHOWN_SKIPPED:
            out.append(
                f"- … and {len(report.skipped) - SHOWN_SKIPPED} more (every one: --format json)"
            )
        out.append("")
    unmatched = report.unmatched
    if unmatched:
        out += [f"## Items that support no expectation ({len(unmatched)})", ""]
        out += [
            f"- {md(report.items[i].item.text)} ({md(_where(report.items[i]))})" for i in unmatched
        ]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md_item(item: EvidenceItem) -> str:
    """An item on one line: its text, then its date and link when it has them."""
    parts = [escape.markdown(item.text)]
    if item.date:
        parts.append(escape.markdown(item.date))
    if item.link:
        safe = escape.web_link(item.link)
        if safe:
            parts.append(f"[{escape.markdown(safe)}]({escape.markdown_url(safe)})")
        else:
            parts.append(f"link: {escape.markdown(item.link)}")
    return " — ".join(parts)


def _sources(report: EvidenceReport) -> str:
    files = list(dict.fromkeys(m.item.file for m in report.items))
    return ", ".join(files) if files else "the sources"


def _where_of(entry: object) -> str:
    file, line = getattr(entry, "file", None), getattr(entry, "line", None)
    return f"{file}:{line}" if file and line else str(file or "")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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
        about = _about(matched)
        if about:
            item.append("\n")
            item.append_text(user_text(about, SHOWN_DETAIL, style="dim"))
        item.append("\n")
        item.append_text(user_text(_where(matched), 400, style="dim"))
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
    for line in (merged_summary(report), skipped_summary(report)):
        if line:
            console.print(user_text(line, 4000))
    if claims is not None:
        console.print(
            Text(f"Claims without evidence that have suggestions ({len(claims)})", style="bold")
        )
        for claim in claims:
            console.print(
                user_text(f"  {claim.expectation} ({claim.rating}): items {_numbers(claim)}")
            )
