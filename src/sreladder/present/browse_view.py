"""Terminal views of the browse data in :mod:`sreladder.core.browse`, built of Rich
renderables and printed by Rich, on a terminal and off one.

Rubric text is untrusted: it enters Rich only as ``Text`` (never markup, so ``[/]`` or
``[link=...]`` in a title prints as written) after :func:`~sreladder.present.browse_md.clean`,
which folds line breaks into spaces and shows control characters (an ANSI escape, say)
as ``\\x1b``.

Every view is built to read at 80 columns: long statements wrap under their bullet
(hanging indent) instead of in narrow table cells. ``show`` prints a real
dimension-by-level matrix of statements only when the terminal is wide enough for a
readable column per level; otherwise (the usual case) a compact matrix of counts and
then each dimension's progression, level by level.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sreladder.core.browse import Diff, RoleRow, Step, level_profiles, progression, step_at
from sreladder.core.models import Cell, Dimension, LevelScale, Profile, Role
from sreladder.present.browse_md import (
    PROFILE_NOTE,
    attribute_name,
    clean,
    diff_headline,
    level_label,
    levels_label,
    plural,
    redundant,
    sources,
    span,
    unchanged_line,
    weight_label,
)
from sreladder.present.terminal import Hanging, hanging_row

# A full text matrix needs this many columns per level (plus the dimension column).
MATRIX_COLUMN = 30
MATRIX_FIRST = 24


def _bullets(rows: list[tuple[str, Text]], indent: int = 2, label_width: int = 0) -> Group:
    """Rows of (label, text) as bullets whose wrapped lines hang under the text; the
    labels (with a ``label_width``) in a column of their own before the bullets."""
    width = label_width or None
    return Group(
        *(hanging_row(text, label, indent=indent, width=width, bullet=True) for label, text in rows)
    )


def _cell_rows(cell: Cell, label: str = "") -> list[tuple[str, Text]]:
    return [(label if i == 0 else "", Text(clean(e.text))) for i, e in enumerate(cell.expectations)]


# --- roles / levels ---------------------------------------------------------------------


def roles_view(rows: list[RoleRow]) -> RenderableType:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Role", no_wrap=True, style="cyan")
    table.add_column("Name", overflow="fold", ratio=1)
    table.add_column("Scale", overflow="fold")
    table.add_column("Levels", no_wrap=True)
    table.add_column("Dims", justify="right")
    table.add_column("Exps", justify="right")
    for r in rows:
        table.add_row(
            r.id,
            Text(clean(r.name, 200)),
            r.scale,
            levels_label(r.levels),
            str(r.dimensions),
            str(r.expectations),
        )
    hint = Text("Dims: dimensions · Exps: expectations · details: sreladder show ROLE", style="dim")
    return Group(table, Text(), hint)


def _scale_heading(scale: LevelScale, roles: list[str]) -> list[RenderableType]:
    head = Text(clean(scale.name, 200), style="bold")
    head.append(f" ({scale.id}) · {plural(len(scale.levels), 'level')}", style="bold")
    parts: list[RenderableType] = [head]
    if roles:
        parts.append(Text(f"Roles on this scale: {', '.join(roles)}", style="dim"))
    return parts


def scale_view(scale: LevelScale, roles: list[str]) -> RenderableType:
    parts = _scale_heading(scale, roles)
    if scale.description:
        parts.append(Text(clean(scale.description)))
    keys = ["Summary"] + [
        attribute_name(k)
        for level in scale.levels
        if level.attributes
        for k in level.attributes.model_dump(exclude_none=True)
    ]
    key_width = max(len(k) for k in keys)
    for level in scale.levels:
        parts.append(Text())
        line = Text(level.id, style="bold cyan")
        if level.name:
            line.append("  ")
            line.append(clean(level.name, 200), style="bold")
        parts.append(line)
        rows = [("Summary", level.summary)] if level.summary else []
        attributes = level.attributes.model_dump(exclude_none=True) if level.attributes else {}
        rows += [(attribute_name(key), value) for key, value in attributes.items()]
        parts += [
            hanging_row(Text(clean(value)), key, indent=2, width=key_width, style="dim")
            for key, value in rows
        ]
    return Group(*parts)


def _has_details(scale: LevelScale) -> bool:
    return any(level.summary or level.attributes for level in scale.levels)


def _compact_scale(scale: LevelScale, roles: list[str]) -> RenderableType:
    parts = _scale_heading(scale, roles)
    width = max(len(level.id) for level in scale.levels)
    rows = [
        hanging_row(Text(clean(level.name, 200)), level.id, width=width, style="bold cyan", gap=2)
        for level in scale.levels
    ]
    return Group(*parts, Text(), *rows)


def scales_view(scales: list[tuple[LevelScale, list[str]]]) -> RenderableType:
    parts: list[RenderableType] = []
    for i, (scale, roles) in enumerate(scales):
        if i:
            parts += [Text(), Text("─" * 40, style="dim"), Text()]
        view = scale_view if _has_details(scale) else _compact_scale
        parts.append(view(scale, roles))
    return Group(*parts)


# --- show -------------------------------------------------------------------------------


def role_header(role: Role) -> Text:
    count = sum(1 for _ in role.expectations())
    head = Text(clean(role.name, 200), style="bold")
    head.append(f" ({role.id})", style="bold")
    head.append(
        f" · {role.ladder} scale · {span(role.level_ids)} · "
        f"{plural(len(role.dimensions), 'dimension')}, {plural(count, 'expectation')}"
    )
    return head


def _titles(role: Role) -> Text | None:
    titled = [level_label(role, lv) for lv in role.level_ids if role.title(lv) != lv]
    return Text("Titles: " + "; ".join(titled), style="dim") if titled else None


def count_matrix(role: Role) -> Table:
    """Dimensions x levels: how many expectations each cell adds, "·" where the cell
    below still applies, blank where nothing is expected yet. The counts of a row are
    one line of fixed-width slots (a number never wraps): one cell, not a column per
    level, which is most of what a table costs Rich to lay out."""
    counts = {
        (dimension.id, level): _count(step_at(role, dimension, level))
        for dimension in role.dimensions
        for level in role.level_ids
    }
    widths = {
        level: max(len(level), *(len(counts[d.id, level]) for d in role.dimensions))
        for level in role.level_ids
    }
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Dimension", overflow="fold", ratio=1)
    table.add_column("Wt", justify="right")
    table.add_column(
        Text("  ".join(level.rjust(widths[level]) for level in role.level_ids)), no_wrap=True
    )
    for dimension in role.dimensions:
        line = Text()
        for number, level in enumerate(role.level_ids):
            shown = counts[dimension.id, level]
            line.append(
                ("  " if number else "") + shown.rjust(widths[level]), "dim" if shown == "·" else ""
            )
        table.add_row(Text(clean(dimension.name, 200)), f"{dimension.weight:g}", line)
    return table


def _count(step: Step) -> str:
    if step.kind == "new" and step.cell is not None:
        return str(len(step.cell.expectations))
    return "·" if step.kind == "same" else ""


def _step_rows(role: Role, step: Step) -> tuple[str, list[tuple[str, Text]] | Text]:
    label = span(step.levels)
    if step.kind == "not-yet":
        return label, Text("not expected yet", style="dim")
    if step.kind == "same":
        return label, Text(f"same as {step.cell_level}", style="dim")
    assert step.cell is not None
    return label, _cell_rows(step.cell)


def _heading(name: str, meta: str, width: int) -> Text:
    """A bold name and its dim details, on one line when they fit, else two."""
    head = Text(clean(name, 200), style="bold")
    if len(head) + 2 + len(meta) <= width:
        head.append(f"  {meta}", style="dim")
    else:
        head.append(f"\n  {meta}", style="dim")
    return head


def label_width(role: Role) -> int:
    return max(len(span(s.levels)) for d in role.dimensions for s in progression(role, d))


def progression_view(
    role: Role, dimension: Dimension, width: int, describe: bool = False, labels: int = 0
) -> RenderableType:
    meta = f"{dimension.id} · {weight_label(dimension)}"
    if dimension.group:
        meta += f" · {clean(dimension.group, 80)}"
    parts: list[RenderableType] = [_heading(dimension.name, meta, width)]
    if describe and dimension.description:
        parts.append(Text(clean(dimension.description), style="italic"))
    steps = progression(role, dimension)
    labels = labels or max(len(span(s.levels)) for s in steps)
    for step in steps:
        label, body = _step_rows(role, step)
        if isinstance(body, Text):
            parts.append(_plain_row(label, body, labels))
            continue
        if step.cell is not None and step.cell.summary and not redundant(step.cell):
            parts.append(_plain_row(label, Text(clean(step.cell.summary), style="italic"), labels))
            label = ""
        rows = [(label if i == 0 else "", t) for i, (_, t) in enumerate(body)]
        parts.append(_bullets(rows, label_width=labels))
    return Group(*parts)


def _plain_row(label: str, text: Text, width: int) -> Hanging:
    return hanging_row(text, label, indent=2, width=width)


def _indented(text: Text, indent: int = 2) -> Hanging:
    return hanging_row(text, indent=indent)


def text_matrix(role: Role) -> Table:
    """The full matrix, statements in the cells: only for wide terminals."""
    table = Table(show_lines=True, header_style="bold", expand=True)
    table.add_column("Dimension", overflow="fold", min_width=MATRIX_FIRST - 4)
    for level in role.level_ids:
        table.add_column(Text(level_label(role, level)), overflow="fold", ratio=1)
    for dimension in role.dimensions:
        row: list[RenderableType] = [Text(clean(dimension.name, 200), style="bold")]
        for level in role.level_ids:
            step = step_at(role, dimension, level)
            if step.kind == "new" and step.cell is not None:
                row.append(_bullets(_cell_rows(step.cell), indent=0))
            elif step.kind == "same":
                row.append(Text(f"same as {step.cell_level}", style="dim"))
            else:
                row.append("")
        table.add_row(*row)
    return table


# --- level profiles: shown, not rated --------------------------------------------------


def profile_view(role: Role, level: str, profile: Profile) -> RenderableType:
    head = Text(f"Profile at {level_label(role, level)}", style="bold")
    head.append(f"  {PROFILE_NOTE}", style="dim")
    rows = [
        (name.capitalize(), Text("; ".join(clean(i, 500) for i in items)))
        for name, items in profile.sections()
    ]
    if profile.source:
        rows.append(("Source", Text(sources(profile), style="dim")))
    width = max((len(name) for name, _ in rows), default=0)
    return Group(head, *(hanging_row(text, name, indent=2, width=width) for name, text in rows))


def profiles_view(role: Role, levels: list[str]) -> list[RenderableType]:
    """A blank line and a profile block for each of ``levels`` that has one."""
    parts: list[RenderableType] = []
    for level, profile in level_profiles(role, levels):
        parts += [Text(), profile_view(role, level, profile)]
    return parts


def show_role_view(role: Role, width: int) -> RenderableType:
    parts: list[RenderableType] = [role_header(role)]
    titles = _titles(role)
    if titles is not None:
        parts.append(titles)
    parts.append(Text())
    if width >= MATRIX_FIRST + MATRIX_COLUMN * len(role.level_ids):
        parts.append(text_matrix(role))
        return Group(*parts, *profiles_view(role, role.level_ids))
    parts.append(count_matrix(role))
    parts.append(
        Text(
            "number: expectations added at that level; ·: same as below; blank: not yet",
            style="dim",
        )
    )
    labels = label_width(role)
    for dimension in role.dimensions:
        parts += [Text(), progression_view(role, dimension, width, labels=labels)]
    return Group(*parts, *profiles_view(role, role.level_ids))


def show_dimension_view(role: Role, dimension: Dimension, width: int) -> RenderableType:
    head = Text(f"{clean(role.name, 200)} ({role.id})", style="dim")
    return Group(head, Text(), progression_view(role, dimension, width, describe=True))


def show_level_view(role: Role, level: str) -> RenderableType:
    head = Text(f"{clean(role.name, 200)} ({role.id}) at ", style="bold")
    head.append(level_label(role, level), style="bold cyan")
    steps = [(d, step_at(role, d, level)) for d in role.dimensions]
    new = sum(len(s.cell.expectations) for _, s in steps if s.kind == "new" and s.cell)
    parts: list[RenderableType] = [
        head,
        Text(
            f"{plural(new, 'expectation')} new at {level}; a dimension with nothing new "
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
        name = Text(clean(dimension.name, 200), style="bold")
        name.append(f"  {weight_label(dimension)}", style="dim")
        if step.kind == "same":
            name.append(f" · as at {step.cell_level}, nothing new", style="dim")
        parts += [Text(), name]
        if step.cell.summary and not redundant(step.cell):
            parts.append(_indented(Text(clean(step.cell.summary), style="italic")))
        parts.append(_bullets(_cell_rows(step.cell)))
    if later:
        parts += [
            Text(),
            Text(f"Not expected yet at {level}: " + ", ".join(later), style="dim"),
        ]
    return Group(*parts, *profiles_view(role, [level]))


def show_cell_view(role: Role, dimension: Dimension, level: str) -> RenderableType:
    step = step_at(role, dimension, level)
    head = Text(clean(dimension.name, 200), style="bold")
    head.append(" at ", style="bold")
    head.append(level_label(role, level), style="bold cyan")
    head.append(f"  ({role.id} · {weight_label(dimension)})", style="dim")
    parts: list[RenderableType] = [head]
    if step.kind == "not-yet":
        first = role.first_level(dimension)
        parts.append(Text(f"Nothing is expected here yet: this dimension starts at {first}."))
        return Group(*parts)
    assert step.cell is not None
    if step.kind == "same":
        parts.append(Text(f"Nothing new at {level}: the {step.cell_level} cell still applies."))
    if step.cell.summary:
        parts.append(Text(clean(step.cell.summary), style="italic"))
    for expectation in step.cell.expectations:
        parts.append(Text())
        parts.append(_bullets([("", Text(clean(expectation.text)))]))
        rows = [("id", Text(expectation.id))]
        if expectation.weight != 1:
            rows.append(("weight", Text(f"{expectation.weight:g}")))
        rows += [("example", Text(clean(example))) for example in expectation.examples]
        # what a brag line showing it says
        rows += [("evidence", Text(clean(e))) for e in expectation.evidence_examples]
        source = expectation.source
        if source:
            listed = [source] if isinstance(source, str) else source
            rows.append(("source", Text(", ".join(clean(s, 200) for s in listed))))
        width = max(len(key) for key, _ in rows)
        parts += [hanging_row(text, key, indent=4, width=width, style="dim") for key, text in rows]
    return Group(*parts)


# --- diff -------------------------------------------------------------------------------


def diff_view(result: Diff, width: int) -> RenderableType:
    role = result.role
    parts: list[RenderableType] = [Text(diff_headline(result), style="bold")]
    if result.from_level == result.to_level:
        parts.append(Text(f"{result.from_level} and {result.to_level} are the same level."))
        return Group(*parts)
    several = len(result.levels) > 1
    labels = max(len(lv) for lv in result.levels) if several else 0
    for d in result.changed:
        meta = f"{weight_label(d.dimension)} · {plural(d.count, 'new expectation')}"
        parts += [Text(), _heading(d.dimension.name, meta, width)]
        for level, cell in d.cells:
            label = level if several else ""
            if cell.summary and not redundant(cell):
                summary = Text(clean(cell.summary), style="italic")
                parts.append(_plain_row(label, summary, labels) if several else _indented(summary))
                label = ""
            rows = [(label if i == 0 else "", t) for i, (_, t) in enumerate(_cell_rows(cell))]
            parts.append(_bullets(rows, label_width=labels))
    if result.unchanged:
        parts += [Text(), Text(unchanged_line(result), style="dim")]
    parts += profiles_view(role, result.levels)
    if result.changed:
        parts += [
            Text(),
            Text(
                f"sreladder show {role.id} --dimension D --level L gives one cell in detail.",
                style="dim",
            ),
        ]
    return Group(*parts)
