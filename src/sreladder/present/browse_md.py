"""Markdown views of the browse data in :mod:`sreladder.core.browse`, and the wording
the terminal views (:mod:`sreladder.present.browse_view`) share with them.

Nothing here imports Rich: ``--format md`` never loads it. Rubric text is untrusted:
it reaches Markdown only through :mod:`sreladder.present.escape`, and the terminal
views only after :func:`clean`, which folds line breaks into spaces and shows control
characters (an ANSI escape, a bidi override) as ``\\x1b``, ``\\u202e``.
"""

from __future__ import annotations

import re

from sreladder.core.browse import Diff, RoleRow, level_profiles, progression, step_at
from sreladder.core.models import Cell, Dimension, LevelScale, Profile, Role
from sreladder.io.diagnostics import printable
from sreladder.present import escape, labels

_SPACES = re.compile(r"[ \t\r\n]+")
TEXT_LIMIT = 20_000


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


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def weight_label(dimension: Dimension) -> str:
    return f"weight {dimension.weight:g}"


# --- roles / levels ---------------------------------------------------------------------


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


def attribute_name(key: str) -> str:
    return key.replace("_", " ").capitalize()


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
            out.append(f"- **{attribute_name(key)}:** {md(value)}")
        if out[-1]:
            out.append("")
    return "\n".join(out)


# --- show -------------------------------------------------------------------------------


def redundant(cell: Cell) -> bool:
    """A summary that only repeats the start of a statement adds nothing to a list."""
    summary = clean(cell.summary).casefold().rstrip(".")
    return any(clean(e.text).casefold().startswith(summary) for e in cell.expectations)


# --- level profiles: shown, not rated --------------------------------------------------

PROFILE_NOTE = "what the level asks a person to have; shown, not rated"


def sources(profile: Profile) -> str:
    listed = [profile.source] if isinstance(profile.source, str) else profile.source or []
    return ", ".join(clean(s, 200) for s in listed)


def profile_md(role: Role, level: str, profile: Profile) -> list[str]:
    out = [f"### Profile at {md(level_label(role, level))}", "", f"*{PROFILE_NOTE}*", ""]
    for name, items in profile.sections():
        out.append(f"- **{name.capitalize()}:** " + "; ".join(md(i) for i in items))
    if profile.source:
        out.append(f"- **Source:** {md(sources(profile))}")
    return [*out, ""]


def profiles_md(role: Role, levels: list[str]) -> list[str]:
    out: list[str] = []
    for level, profile in level_profiles(role, levels):
        out += profile_md(role, level, profile)
    return out


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
        f" · {plural(result.count, 'new expectation')} in "
        f"{plural(len(result.changed), 'dimension')}"
    )


def unchanged_line(result: Diff) -> str:
    items = []
    for d in result.unchanged:
        name = clean(d.dimension.name, 200)
        if d.same_as is not None:
            items.append(f"{name} ({d.same_as} still applies)")
        elif d.next_level is not None:
            items.append(f"{name} (starts at {d.next_level})")
        else:
            items.append(name)
    return f"Nothing new in {plural(len(items), 'dimension')}: " + "; ".join(items) + "."


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
        out += [md(unchanged_line(result)), ""]
    out += profiles_md(result.role, result.levels)
    return "\n".join(out)
