"""Packets rendered from Jinja2 templates, in Jinja2's sandbox: the shipped ones
(``packet``, ``summary``, ``growth-plan``) in this process, a company's own ``.md.j2`` /
``.html.j2`` file in a worker process the operating system bounds
(:mod:`sreladder.present.template_sandbox`).

Escaping is on by default in both media: in HTML, Jinja2's autoescape; in Markdown,
every ``{{ value }}`` goes through :func:`sreladder.present.escape.markdown` unless a
filter already made it Markdown (``md_lines``, ``md_link``) or a macro's output is
passed with ``|safe``. In both, control and invisible characters of user text are shown
as escapes (``finalize``). Every failure is one line naming the file and line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from sreladder.core.errors import SreladderError, UsageError
from sreladder.core.packet import SUSTAINED_DAYS, Packet
from sreladder.present import escape, labels
from sreladder.present.template_sandbox import (
    TemplateRefused,
    UserFolderLoader,
    read_template,
    refuse_internals,
    run_contained,
)

SHIPPED = ("packet", "summary", "growth-plan")
SUFFIXES = {"md": ".md.j2", "html": ".html.j2"}
TEMPLATE_DIR = Path(__file__).parent / "templates"


class Markdown(str):
    """Text that is already Markdown: not escaped again."""

    __slots__ = ()


# --- filters and globals ------------------------------------------------------------


def _md_finalize(value: Any) -> Any:
    if isinstance(value, Markdown | Markup):  # a filter's Markdown, a macro marked |safe
        return value
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value  # a figure as written (`1.5`, not `1\.5`)
    return escape.markdown(str(value))


def html_finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return escape.document_text(str(value))


def md_lines(text: str, indent: int = 0) -> Markdown:
    """Markdown keeping the text's line breaks; continuation lines indented."""
    return Markdown(escape.markdown_lines(str(text), " " * indent))


def md_link(link: str) -> Markdown:
    """A clickable link when it is http(s), else the link as text."""
    safe = escape.web_link(link)
    if safe:
        return Markdown(f"[{escape.markdown(safe)}]({escape.markdown_url(safe)})")
    return Markdown(f"link: {escape.markdown(link)}")


def html_lines(text: str) -> Markup:
    """HTML keeping the text's line breaks (``<br>``)."""
    return Markup("<br>\n").join(
        Markup.escape(line) for line in escape.document_text(str(text)).split("\n")
    )


def html_link(link: str) -> Markup:
    """A clickable link when it is http(s), else the link as text."""
    safe = escape.web_link(link)
    if safe:
        return Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(
            escape.document_text(safe)
        )
    return Markup('<span class="muted">link: {}</span>').format(escape.document_text(link))


def short(text: str, limit: int) -> str:
    """Text cut to ``limit`` with a visible ellipsis (chart labels; the whole text is
    in the tables)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _level_cell(
    level: str | None, not_expected_yet: bool = False, carried: Sequence[str] = ()
) -> str:
    """``level|level_cell(flag, carried)``: a dimension's level for a table cell: ``P3``,
    ``—`` for none, ``P4†`` when only not expected yet (see ``not_expected_legend``),
    ``P7‡`` when above the dimension's last cell (``carried`` not empty; see
    ``carried_legend``)."""
    return labels.dimension_level(level, not_expected_yet, bool(carried))


def _gap_rating(gap: Any) -> str:
    """``gap|gap_rating``: how a gap stands: the rating given, ``no answer`` when nobody
    rated it, ``consistently, no evidence`` when the role requires evidence."""
    return labels.gap_word(gap.rating, gap.credit)


def _one_off_reason(item: Any) -> str:
    """``one_off_item|one_off_reason``: why a claim is not shown sustained: ``no
    evidence``, ``one dated item``, ``dated items 12 days apart``."""
    return labels.one_off_reason(item.evidence, item.dated, item.span_days)


def _provenance(item: Any) -> str:
    """``evidence_item|provenance``: where a suggested item was found and how it was
    accepted, ``from brag.md:12, suggested and confirmed`` (or ``..., suggested, not
    reviewed``); empty for an item a person typed."""
    source = getattr(item, "source", None)
    return labels.provenance(
        getattr(item, "suggested", None),
        source.file if source else None,
        source.line if source else None,
    )


def _last_cell_note(d: Any, other: bool = False) -> str:
    """``last_cell_note(dimension[, other])``: where the rubric stops for a level above
    the dimension's last cell, ``P4, the last cell; counts for P5–P7`` (``other``: for
    ``other_level``; empty when the level is not above it)."""
    carried = d.other_carried if other else d.carried
    return labels.last_cell_note(d.top_cell, carried) if carried else ""


def _status(d: Any) -> str:
    """``dimension|status``: ``meets the target`` or ``2 levels below``."""
    return labels.status(d.meets_target, d.levels_below_target)


def _nothing_met(d: Any, target: Any, levels: Any) -> str:
    """``nothing_met(dimension, target, levels)``: why a dimension lists nothing met."""
    return labels.nothing_met(d.first_level, target.id, [lv.id for lv in levels])


def _sustained_line(dimensions: Any, one_off: Any) -> str:
    """``sustained_line(dimensions, one_off)``: how sustained and verifiable the claims
    are, in one sentence (``3 of 29 claims sustained ...; 11 of 16 evidence items link to
    an artifact, 5 are testimony only``)."""
    return labels.sustained_line(
        sum(d.claims for d in dimensions),
        len(one_off),
        sum(d.artifacts for d in dimensions),
        sum(d.testimony for d in dimensions),
        SUSTAINED_DAYS,
    )


def _agreement_sentence(agreement: Any) -> str:
    """``agreement_sentence(compare.agreement)``: both agreement figures in a sentence."""
    return labels.agreement_sentence(dataclasses.asdict(agreement))


FILTERS: dict[str, Callable[..., Any]] = {
    "rating": labels.rating_word,
    "credit": labels.credit_word,
    "pct": labels.percent,
    "level_cell": _level_cell,
    "gap_rating": _gap_rating,
    "one_off_reason": _one_off_reason,
    "provenance": _provenance,
    "status": _status,
    "short": short,
    "weight": lambda w: Markdown(f"{w:g}"),
}
MD_FILTERS: dict[str, Callable[..., Any]] = {
    "md": lambda text: Markdown(escape.markdown(str(text))),
    "md_lines": md_lines,
    "md_link": md_link,
}
HTML_FILTERS: dict[str, Callable[..., Any]] = {"lines": html_lines, "link": html_link}
GLOBALS: dict[str, Any] = {
    "evidence_line": labels.evidence_line,
    "agreement_sentence": _agreement_sentence,
    "nothing_met": _nothing_met,
    "last_cell_note": _last_cell_note,
    "sustained_line": _sustained_line,
    "not_expected_legend": labels.NOT_EXPECTED_LEGEND,
    "carried_legend": labels.CARRIED_LEGEND,
    "sustained_rule": labels.sustained_rule(SUSTAINED_DAYS),
}


def environment(fmt: str, user_dir: Path | None = None) -> SandboxedEnvironment:
    """The environment for ``fmt`` (``md`` or ``html``). Names resolve to the shipped
    templates first (so a company template named ``packet.html.j2`` may still
    ``{% extends "packet.html.j2" %}``), then to ``user_dir``, the user's folder."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(TEMPLATE_DIR))]
    if user_dir is not None:
        loaders.append(UserFolderLoader(user_dir))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=fmt == "html",
        finalize=html_finalize if fmt == "html" else _md_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update({**FILTERS, **(MD_FILTERS if fmt == "md" else HTML_FILTERS)})
    env.globals.update(GLOBALS)
    return env


# --- rendering ----------------------------------------------------------------------


def template_for(template: str | None, fmt: str | None) -> tuple[str, str, Path | None]:
    """(template name, format, the user's folder or None) for ``--template`` and
    ``--format``. A shipped name takes the format (default md); a file's format is its
    extension, and a ``--format`` that says otherwise is a usage error."""
    name = template or "packet"
    if name in SHIPPED:
        chosen = fmt or "md"
        return name + SUFFIXES[chosen], chosen, None
    path = Path(name)
    found = next((f for f, suffix in SUFFIXES.items() if path.name.endswith(suffix)), None)
    if found is None:
        raise UsageError(
            f"--template {name!r}: not a shipped template ({', '.join(SHIPPED)}) nor a "
            "file ending in .md.j2 or .html.j2"
        )
    if fmt is not None and fmt != found:
        raise UsageError(f"--template {name!r} makes {found}, not --format {fmt}")
    if not path.is_file():
        raise SreladderError(f"{name}: no such template file")
    return path.name, found, path.resolve().parent


def _where(exc: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame of ``exc``'s traceback (a template's
    code carries its file's name, which ends in ``.j2``)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def context(packet: Packet) -> dict[str, Any]:
    """A template's variables: the packet's fields and its ``milestones``."""
    found = {f.name: getattr(packet, f.name) for f in dataclasses.fields(packet)}
    return {**found, "milestones": packet.milestones}


def render(packet: Packet, template: str | None = None, fmt: str | None = None) -> str:
    """The packet through a template (see :func:`template_for`): a shipped one here, a
    company's file in a bounded worker process."""
    name, chosen, user_dir = template_for(template, fmt)
    if user_dir is not None and template is not None:
        return run_contained(render_file, (packet, template, chosen), template)
    with template_errors(name):
        return environment(chosen).get_template(name).render(context(packet))


def render_file(packet: Packet, template: str, fmt: str) -> Iterator[str]:
    """The packet through a company's template file, chunk by chunk (run in the worker
    process of :func:`~sreladder.present.template_sandbox.run_contained`); every failure
    of the template one line."""
    path = Path(template)
    env = environment(fmt, path.resolve().parent)
    with template_errors(template):
        source = read_template(path)
        refuse_internals(env, source, template)
        code = env.compile(source, path.name, str(path.resolve()))
        compiled = env.template_class.from_code(env, code, env.make_globals(None))
        yield from compiled.generate(context(packet))


@contextmanager
def template_errors(shown: str) -> Iterator[None]:
    """Every failure of a template as one line naming the file (and line, where the
    template has one)."""

    def where(exc: BaseException) -> str:
        found = _where(exc)
        if found is None:
            return shown
        file, line = found
        return f"{shown if file == str(Path(shown).resolve()) else file}:{line}"

    try:
        yield
    except TemplateRefused as exc:
        place = f"{exc.file}:{exc.line}" if exc.file and exc.line else where(exc)
        raise TemplateRefused(f"{place}: template refused: {exc}") from None
    except jinja2.TemplateSyntaxError as exc:
        file = shown if exc.name == Path(shown).name else exc.filename or shown
        raise SreladderError(f"{file}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise SreladderError(f"{where(exc)}: template {exc.name!r} not found") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateRefused(f"{where(exc)}: template refused: {exc}") from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise SreladderError(f"{where(exc)}: template error: {exc}") from None
    except RecursionError:
        raise TemplateRefused(f"{shown}: template refused: recursion too deep") from None
    except (SreladderError, MemoryError):
        raise  # out of memory: the worker of a company template says so
    except Exception as exc:  # anything else the template's own code raised
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise SreladderError(f"{where(exc)}: template error: {detail}") from None
