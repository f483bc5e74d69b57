"""Terminal (Rich) and Markdown views of the browse data in :mod:`sreladder.core.browse`.

Rubric text is untrusted: it enters Rich only as ``Text`` (never markup) after
:func:`clean`, which folds line breaks into spaces and shows control characters (an
ANSI escape, say) as ``\\x1b``; Markdown output goes through :mod:`sreladder.present.escape`.

Every view is built to read at 80 columns: long statements wrap under their bullet
(hanging indent) instead of in narrow table cells. ``show`` prints a real
dimension-by-level matrix of statements only when the terminal is wide enough for a
readable column per level; otherwise (the usual case) a compact matrix of counts and
then each dimension's progression, level by level.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sreladder.core.browse import (
    Diff,
    RoleRow,
    Step,
    level_profiles,
    progression,
    step_at,
)
from sreladder.core.models import Cell, Dimension, LevelScale, Profile, Role
from sreladder.io.diagnostics import printable
from sreladder.present import escape, labels
from sreladder.present.layout import K

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

_SPACES = re.compile(r"[ \t\r\n]+")
TEXT_LIMIT = 20_000
# A full text matrix needs this many columns per level (plus the dimension column).
MATRIX_COLUMN = 30
MATRIX_FIRST = 24


def clean(text: str | None, limit: int = TEXT_LIMIT) -> str:
    """Rubric text as one printable line: whitespace runs folded, controls escaped."""
    if not text:
        return ""
    return printable(_SPACES.sub(" ", text).strip(), limit)


def md(text: str | None) -> str:
    """Rubric text (or nothing) as one line of Markdown, whitespace runs folded."""
    return escape.markdown(_SPACES.sub(" ", text or ""))


def level_label(role: Role, level_id: str) -> str:
    """``P3`` or ``P5 Site Reliability Engineering (SRE) V`` (the title when it has one),
    one printable line."""
    return clean(labels.level_label(role, level_id), len(level_id) + 81)


def span(levels: tuple[str, ...] | list[str]) -> str:
    return levels[0] if len(levels) == 1 else f"{levels[0]}–{levels[-1]}"


def levels_label(levels: list[str]) -> str:
    return ", ".join(levels) if len(levels) <= 3 else f"{levels[0]}–{levels[-1]}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _weight(dimension: Dimension) -> str:
    return f"weight {dimension.weight:g}"


def _bullets(rows: list[tuple[str, Text]], indent: int = 2, label_width: int = 0) -> Table:
    """Rows of (label, text) as bullets whose wrapped lines hang under the text."""
    grid = K.Table.grid(padding=(0, 1, 0, 0))
    if indent:
        grid.add_column(width=indent - 1 if indent > 1 else 0)
    if label_width:
        grid.add_column(style="cyan", no_wrap=True, min_width=label_width)
    grid.add_column(width=1)
    grid.add_column(overflow="fold")
    for label, text in rows:
        cells: list[RenderableType] = [""] if indent else []
        if label_width:
            cells.append(label)
        grid.add_row(*cells, "•", text)
    return grid


def _cell_rows(cell: Cell, label: str = "") -> list[tuple[str, Text]]:
    return [
        (label if i == 0 else "", K.Text(clean(e.text))) for i, e in enumerate(cell.expectations)
    ]


# --- roles / levels ---------------------------------------------------------------------


def roles_view(rows: list[RoleRow]) -> RenderableType:
    table = K.Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Role", no_wrap=True, style="cyan")
    table.add_column("Name", overflow="fold", ratio=1)
    table.add_column("Scale", overflow="fold")
    table.add_column("Levels", no_wrap=True)
    table.add_column("Dims", justify="right")
    table.add_column("Exps", justify="right")
    for r in rows:
        table.add_row(
            r.id,
            K.Text(clean(r.name, 200)),
            r.scale,
            levels_label(r.levels),
            str(r.dimensions),
            str(r.expectations),
        )
    hint = K.Text(
        "Dims: dimensions · Exps: expectations · details: sreladder show ROLE", style="dim"
    )
    return K.Group(table, K.Text(), hint)


def roles_md(rows: list[RoleRow]) -> str:
    table = escape.markdown_table(
        ["Role", "Name", "Scale", "Levels", "Dimensions", "Expectations"],
        [
            [r.id, md(r.name), r.scale, ", ".join(r.levels), str(r.dimensions), str(r.expectations)]
            for r in rows
        ],
        numeric=[4, 5],
    )
    return "\n".join(table) + "\n"


def _attribute_name(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _scale_heading(scale: LevelScale, roles: list[str]) -> list[RenderableType]:
    head = K.Text(clean(scale.name, 200), style="bold")
    head.append(f" ({scale.id}) · {_plural(len(scale.levels), 'level')}", style="bold")
    parts: list[RenderableType] = [head]
    if roles:
        parts.append(K.Text(f"Roles on this scale: {', '.join(roles)}", style="dim"))
    return parts


def scale_view(scale: LevelScale, roles: list[str]) -> RenderableType:
    parts = _scale_heading(scale, roles)
    if scale.description:
        parts.append(K.Text(clean(scale.description)))
    keys = ["Summary"] + [
        _attribute_name(k)
        for level in scale.levels
        if level.attributes
        for k in level.attributes.model_dump(exclude_none=True)
    ]
    key_width = max(len(k) for k in keys)
    for level in scale.levels:
        parts.append(K.Text())
        line = K.Text(level.id, style="bold cyan")
        if level.name:
            line.append("  ")
            line.append(clean(level.name, 200), style="bold")
        parts.append(line)
        grid = K.Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=1)
        grid.add_column(style="dim", no_wrap=True, min_width=key_width)
        grid.add_column(overflow="fold")
        if level.summary:
            grid.add_row("", "Summary", K.Text(clean(level.summary)))
        attributes = level.attributes.model_dump(exclude_none=True) if level.attributes else {}
        for key, value in attributes.items():
            grid.add_row("", _attribute_name(key), K.Text(clean(value)))
        if grid.row_count:
            parts.append(grid)
    return K.Group(*parts)


def _has_details(scale: LevelScale) -> bool:
    return any(level.summary or level.attributes for level in scale.levels)


def _compact_scale(scale: LevelScale, roles: list[str]) -> RenderableType:
    parts = _scale_heading(scale, roles)
    grid = K.Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for level in scale.levels:
        grid.add_row(level.id, K.Text(clean(level.name, 200)))
    return K.Group(*parts, K.Text(), grid)


def scales_view(scales: list[tuple[LevelScale, list[str]]]) -> RenderableType:
    parts: list[RenderableType] = []
    for i, (scale, roles) in enumerate(scales):
        if i:
            parts += [K.Text(), K.Text("─" * 40, style="dim"), K.Text()]
        view = scale_view if _has_details(scale) else _compact_scale
        parts.append(view(scale, roles))
    return K.Group(*parts)


def scale_md(scale: LevelScale, roles: list[str]) -> str:
    out = [f"## {md(scale.name)} ({scale.id})", ""]
    if roles:
        out += [f"Roles on this scale: {', '.join(roles)}", ""]
    if scale.description:
        out += [md(scale.description), ""]
    for level in scale.levels:
        out.append(f"### {level.id}" + (f" {md(level.name)}" if level.name else ""))
        out.append("")
        if level.summary:
            out.append(f"- **Summary:** {md(level.summary)}")
        attributes = level.attributes.model_dump(exclude_none=True) if level.attributes else {}
        for key, value in attributes.items():
            out.append(f"- **{_attribute_name(key)}:** {md(value)}")
        if out[-1]:
            out.append("")
    return "\n".join(out)


# --- show -------------------------------------------------------------------------------


def role_header(role: Role) -> Text:
    count = sum(1 for _ in role.expectations())
    head = K.Text(clean(role.name, 200), style="bold")
    head.append(f" ({role.id})", style="bold")
    head.append(
        f" · {role.ladder} scale · {span(role.level_ids)} · "
        f"{_plural(len(role.dimensions), 'dimension')}, {_plural(count, 'expectation')}"
    )
    return head


def _titles(role: Role) -> Text | None:
    titled = [level_label(role, lv) for lv in role.level_ids if role.title(lv) != lv]
    return K.Text("Titles: " + "; ".join(titled), style="dim") if titled else None


def count_matrix(role: Role) -> Table:
    """Dimensions x levels: how many expectations each cell adds, "·" where the cell
    below still applies, blank where nothing is expected yet."""
    table = K.Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Dimension", overflow="fold", ratio=1)
    table.add_column("Wt", justify="right")
    for level in role.level_ids:
        table.add_column(level, justify="right", no_wrap=True)
    for dimension in role.dimensions:
        row: list[RenderableType] = [K.Text(clean(dimension.name, 200)), f"{dimension.weight:g}"]
        for level in role.level_ids:
            step = step_at(role, dimension, level)
            if step.kind == "new" and step.cell is not None:
                row.append(str(len(step.cell.expectations)))
            else:
                row.append(K.Text("·" if step.kind == "same" else "", style="dim"))
        table.add_row(*row)
    return table


def _step_rows(role: Role, step: Step) -> tuple[str, list[tuple[str, Text]] | Text]:
    label = span(step.levels)
    if step.kind == "not-yet":
        return label, K.Text("not expected yet", style="dim")
    if step.kind == "same":
        return label, K.Text(f"same as {step.cell_level}", style="dim")
    assert step.cell is not None
    return label, _cell_rows(step.cell)


def _heading(name: str, meta: str, width: int) -> Text:
    """A bold name and its dim details, on one line when they fit, else two."""
    head = K.Text(clean(name, 200), style="bold")
    if len(head) + 2 + len(meta) <= width:
        head.append(f"  {meta}", style="dim")
    else:
        head.append(f"\n  {meta}", style="dim")
    return head


def _redundant(cell: Cell) -> bool:
    """A summary that only repeats the start of a statement adds nothing to a list."""
    summary = clean(cell.summary).casefold().rstrip(".")
    return any(clean(e.text).casefold().startswith(summary) for e in cell.expectations)


def label_width(role: Role) -> int:
    return max(len(span(s.levels)) for d in role.dimensions for s in progression(role, d))


def progression_view(
    role: Role, dimension: Dimension, width: int, describe: bool = False, labels: int = 0
) -> RenderableType:
    meta = f"{dimension.id} · {_weight(dimension)}"
    if dimension.group:
        meta += f" · {clean(dimension.group, 80)}"
    parts: list[RenderableType] = [_heading(dimension.name, meta, width)]
    if describe and dimension.description:
        parts.append(K.Text(clean(dimension.description), style="italic"))
    steps = progression(role, dimension)
    labels = labels or max(len(span(s.levels)) for s in steps)
    for step in steps:
        label, body = _step_rows(role, step)
        if isinstance(body, K.Text):
            parts.append(_plain_row(label, body, labels))
            continue
        if step.cell is not None and step.cell.summary and not _redundant(step.cell):
            parts.append(
                _plain_row(label, K.Text(clean(step.cell.summary), style="italic"), labels)
            )
            label = ""
        rows = [(label if i == 0 else "", t) for i, (_, t) in enumerate(body)]
        parts.append(_bullets(rows, label_width=labels))
    return K.Group(*parts)


def _plain_row(label: str, text: Text, width: int) -> Table:
    grid = K.Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=1)
    grid.add_column(style="cyan", no_wrap=True, min_width=width)
    grid.add_column(overflow="fold")
    grid.add_row("", label, text)
    return grid


def _indented(text: Text, indent: int = 2) -> Table:
    grid = K.Table.grid()
    grid.add_column(width=indent)
    grid.add_column(overflow="fold")
    grid.add_row("", text)
    return grid


def text_matrix(role: Role) -> Table:
    """The full matrix, statements in the cells: only for wide terminals."""
    table = K.Table(show_lines=True, header_style="bold", expand=True)
    table.add_column("Dimension", overflow="fold", min_width=MATRIX_FIRST - 4)
    for level in role.level_ids:
        table.add_column(level_label(role, level), overflow="fold", ratio=1)
    for dimension in role.dimensions:
        row: list[RenderableType] = [K.Text(clean(dimension.name, 200), style="bold")]
        for level in role.level_ids:
            step = step_at(role, dimension, level)
            if step.kind == "new" and step.cell is not None:
                row.append(_bullets(_cell_rows(step.cell), indent=0))
            elif step.kind == "same":
                row.append(K.Text(f"same as {step.cell_level}", style="dim"))
            else:
                row.append("")
        table.add_row(*row)
    return table


# --- level profiles: shown, not rated --------------------------------------------------

PROFILE_NOTE = "what the level asks a person to have; shown, not rated"


def _sources(profile: Profile) -> str:
    listed = [profile.source] if isinstance(profile.source, str) else profile.source or []
    return ", ".join(clean(s, 200) for s in listed)


def profile_view(role: Role, level: str, profile: Profile) -> RenderableType:
    head = K.Text(f"Profile at {level_label(role, level)}", style="bold")
    head.append(f"  {PROFILE_NOTE}", style="dim")
    grid = K.Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=1)
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, items in profile.sections():
        grid.add_row("", name.capitalize(), K.Text("; ".join(clean(i, 500) for i in items)))
    if profile.source:
        grid.add_row("", "Source", K.Text(_sources(profile), style="dim"))
    return K.Group(head, grid)


def profiles_view(role: Role, levels: list[str]) -> list[RenderableType]:
    """A blank line and a profile block for each of ``levels`` that has one."""
    parts: list[RenderableType] = []
    for level, profile in level_profiles(role, levels):
        parts += [K.Text(), profile_view(role, level, profile)]
    return parts


def profile_md(role: Role, level: str, profile: Profile) -> list[str]:
    out = [f"### Profile at {md(level_label(role, level))}", "", f"*{PROFILE_NOTE}*", ""]
    for name, items in profile.sections():
        out.append(f"- **{name.capitalize()}:** " + "; ".join(md(i) for i in items))
    if profile.source:
        out.append(f"- **Source:** {md(_sources(profile))}")
    return [*out, ""]


def profiles_md(role: Role, levels: list[str]) -> list[str]:
    out: list[str] = []
    for level, profile in level_profiles(role, levels):
        out += profile_md(role, level, profile)
    return out


def show_role_view(role: Role, width: int) -> RenderableType:
    parts: list[RenderableType] = [role_header(role)]
    titles = _titles(role)
    if titles is not None:
        parts.append(titles)
    parts.append(K.Text())
    if width >= MATRIX_FIRST + MATRIX_COLUMN * len(role.level_ids):
        parts.append(text_matrix(role))
        return K.Group(*parts, *profiles_view(role, role.level_ids))
    parts.append(count_matrix(role))
    parts.append(
        K.Text(
            "number: expectations added at that level; ·: same as below; blank: not yet",
            style="dim",
        )
    )
    labels = label_width(role)
    for dimension in role.dimensions:
        parts += [K.Text(), progression_view(role, dimension, width, labels=labels)]
    return K.Group(*parts, *profiles_view(role, role.level_ids))


def show_dimension_view(role: Role, dimension: Dimension, width: int) -> RenderableType:
    head = K.Text(f"{clean(role.name, 200)} ({role.id})", style="dim")
    return K.Group(head, K.Text(), progression_view(role, dimension, width, describe=True))


def show_level_view(role: Role, level: str) -> RenderableType:
    head = K.Text(f"{clean(role.name, 200)} ({role.id}) at ", style="bold")
    head.append(level_label(role, level), style="bold cyan")
    steps = [(d, step_at(role, d, level)) for d in role.dimensions]
    new = sum(len(s.cell.expectations) for _, s in steps if s.kind == "new" and s.cell)
    parts: list[RenderableType] = [
        head,
        K.Text(
            f"{_plural(new, 'expectation')} new at {level}; a dimension with nothing new "
            "keeps the cell below it",
            style="dim",
        ),
    ]
    later: list[str] = []
    for dimension, step in steps:
        if step.kind == "not-yet":
            later.append(f"{clean(dimension.name, 200)} (from {role.first_level(dimension)})")
            continue
        assert step.cell is not None and step.cell_level is not None
        name = K.Text(clean(dimension.name, 200), style="bold")
        name.append(f"  {_weight(dimension)}", style="dim")
        if step.kind == "same":
            name.append(f" · as at {step.cell_level}, nothing new", style="dim")
        parts += [K.Text(), name]
        if step.cell.summary and not _redundant(step.cell):
            parts.append(_indented(K.Text(clean(step.cell.summary), style="italic")))
        parts.append(_bullets(_cell_rows(step.cell)))
    if later:
        parts += [
            K.Text(),
            K.Text(f"Not expected yet at {level}: " + ", ".join(later), style="dim"),
        ]
    return K.Group(*parts, *profiles_view(role, [level]))


def show_cell_view(role: Role, dimension: Dimension, level: str) -> RenderableType:
    step = step_at(role, dimension, level)
    head = K.Text(clean(dimension.name, 200), style="bold")
    head.append(" at ", style="bold")
    head.append(level_label(role, level), style="bold cyan")
    head.append(f"  ({role.id} · {_weight(dimension)})", style="dim")
    parts: list[RenderableType] = [head]
    if step.kind == "not-yet":
        first = role.first_level(dimension)
        parts.append(K.Text(f"Nothing is expected here yet: this dimension starts at {first}."))
        return K.Group(*parts)
    assert step.cell is not None
    if step.kind == "same":
        parts.append(K.Text(f"Nothing new at {level}: the {step.cell_level} cell still applies."))
    if step.cell.summary:
        parts.append(K.Text(clean(step.cell.summary), style="italic"))
    for expectation in step.cell.expectations:
        parts.append(K.Text())
        parts.append(_bullets([("", K.Text(clean(expectation.text)))]))
        grid = K.Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=3)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("", "id", expectation.id)
        if expectation.weight != 1:
            grid.add_row("", "weight", f"{expectation.weight:g}")
        for example in expectation.examples:
            grid.add_row("", "example", K.Text(clean(example)))
        for example in expectation.evidence_examples:  # what a brag line showing it says
            grid.add_row("", "evidence", K.Text(clean(example)))
        sources = expectation.source
        if sources:
            listed = [sources] if isinstance(sources, str) else sources
            grid.add_row("", "source", K.Text(", ".join(clean(s, 200) for s in listed)))
        parts.append(grid)
    return K.Group(*parts)


def _md_cell(cell: Cell) -> list[str]:
    out = [f"*{md(cell.summary)}*", ""] if cell.summary else []
    return out + [f"- {md(e.text)}" for e in cell.expectations]


def show_md(role: Role, dimension: Dimension | None = None, level: str | None = None) -> str:
    out = [f"# {md(role.name)} ({role.id})", ""]
    dimensions = [dimension] if dimension is not None else role.dimensions
    for d in dimensions:
        out += [f"## {md(d.name)} (weight {d.weight:g})", ""]
        if dimension is not None and d.description:
            out += [md(d.description), ""]
        steps = [step_at(role, d, level)] if level is not None else progression(role, d)
        for step in steps:
            out.append(
                f"### {md(level_label(role, step.levels[0]))}"
                if len(step.levels) == 1
                else f"### {span(step.levels)}"
            )
            out.append("")
            if step.kind == "not-yet":
                out.append("Not expected yet.")
            elif step.kind == "same":
                out.append(f"Same as {step.cell_level}.")
                if level is not None and step.cell is not None:
                    out += ["", *_md_cell(step.cell)]
            elif step.cell is not None:
                out += _md_cell(step.cell)
            out.append("")
    if dimension is None:
        out += profiles_md(role, [level] if level is not None else role.level_ids)
    return "\n".join(out)


# --- diff -------------------------------------------------------------------------------


def diff_headline(result: Diff) -> str:
    role = result.role
    return (
        f"{role.id}: {level_label(role, result.from_level)} → {level_label(role, result.to_level)}"
        f" · {_plural(result.count, 'new expectation')} in "
        f"{_plural(len(result.changed), 'dimension')}"
    )


def _unchanged_line(result: Diff) -> str:
    items = []
    for d in result.unchanged:
        name = clean(d.dimension.name, 200)
        if d.same_as is not None:
            items.append(f"{name} ({d.same_as} still applies)")
        elif d.next_level is not None:
            items.append(f"{name} (starts at {d.next_level})")
        else:
            items.append(name)
    return f"Nothing new in {_plural(len(items), 'dimension')}: " + "; ".join(items) + "."


def diff_view(result: Diff, width: int) -> RenderableType:
    role = result.role
    parts: list[RenderableType] = [K.Text(diff_headline(result), style="bold")]
    if result.from_level == result.to_level:
        parts.append(K.Text(f"{result.from_level} and {result.to_level} are the same level."))
        return K.Group(*parts)
    several = len(result.levels) > 1
    labels = max(len(lv) for lv in result.levels) if several else 0
    for d in result.changed:
        meta = f"{_weight(d.dimension)} · {_plural(d.count, 'new expectation')}"
        parts += [K.Text(), _heading(d.dimension.name, meta, width)]
        for level, cell in d.cells:
            label = level if several else ""
            if cell.summary and not _redundant(cell):
                summary = K.Text(clean(cell.summary), style="italic")
                parts.append(_plain_row(label, summary, labels) if several else _indented(summary))
                label = ""
            rows = [(label if i == 0 else "", t) for i, (_, t) in enumerate(_cell_rows(cell))]
            parts.append(_bullets(rows, label_width=labels))
    if result.unchanged:
        parts += [K.Text(), K.Text(_unchanged_line(result), style="dim")]
    parts += profiles_view(role, result.levels)
    if result.changed:
        parts += [
            K.Text(),
            K.Text(
                f"sreladder show {role.id} --dimension D --level L gives one cell in detail.",
                style="dim",
            ),
        ]
    return K.Group(*parts)


def diff_md(result: Diff) -> str:
    out = [f"# {md(diff_headline(result))}", ""]
    several = len(result.levels) > 1
    for d in result.changed:
        out += [f"## {md(d.dimension.name)} (weight {d.dimension.weight:g})", ""]
        for level, cell in d.cells:
            prefix = f"**{level}** " if several else ""
            if cell.summary:
                out += [f"{prefix}*{md(cell.summary)}*", ""]
            out += [f"- {prefix}{md(e.text)}" for e in cell.expectations]
        out.append("")
    if result.unchanged:
        out += [md(_unchanged_line(result)), ""]
    out += profiles_md(result.role, result.levels)
    return "\n".join(out)
