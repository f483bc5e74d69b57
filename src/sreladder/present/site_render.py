"""The ladder website rendered: the pages of :func:`sreladder.core.site.plan` through the
Jinja2 templates of ``templates/site/`` (or a company's own, ``--templates DIR``).

* Autoescape is on and every value printed goes through ``html_finalize`` (shared with
  the packets): rubric text is shown as text (``<script>`` prints as ``&lt;script&gt;``)
  with control and invisible characters shown as escapes. Only the filters below make
  markup: ``lines`` (line breaks as ``<br>``), ``source`` (a provenance entry: a link
  when it is an http(s) URL, else text), ``num`` and ``pct`` (figures).
* Templates run in Jinja2's ``SandboxedEnvironment``. A company's folder is reached
  only through :class:`~sreladder.present.template_sandbox.UserFolderLoader` (that
  folder's ``.html.j2`` files, nothing outside it), and with a company's folder every
  page is rendered in one worker process with the operating system's limits of a packet
  template (:func:`~sreladder.present.template_sandbox.run_contained`). A company
  template may extend a shipped one as ``shipped/<name>``.
* :func:`render_pages` is the one call that runs templates: pages (plain data) in,
  texts out; :func:`contained_pages` runs it in the worker when there is a company's
  folder.
* ``style.css`` and ``print.css`` are copied; a company's folder may hold its own.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from sreladder import __version__
from sreladder.core.errors import SreladderError
from sreladder.core.site import Page
from sreladder.present import escape
from sreladder.present.packet_render import html_finalize, template_errors
from sreladder.present.template_sandbox import UserFolderLoader, run_contained

SITE_DIR = Path(__file__).parent / "templates" / "site"
TEMPLATES = ("index.html.j2", "scale.html.j2", "role.html.j2", "level.html.j2")
ASSETS = ("style.css", "print.css")
MAX_ASSET_BYTES = 256 * 1024
GENERATOR = {"name": "sreladder", "version": __version__}


# --- filters ---------------------------------------------------------------------------


def lines(text: Any) -> Markup:
    """Text keeping its line breaks (``<br>``), everything else escaped."""
    return Markup("<br>\n").join(
        Markup.escape(line) for line in escape.document_text(str(text)).split("\n")
    )


def source(text: Any) -> Markup:
    """A provenance entry: a link when it is an http(s) URL (as written in the rubric,
    the only links to another host a page may have), else the text."""
    value = str(text)
    url = escape.web_link(value.strip())
    if url:
        return Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(
            escape.document_text(url)
        )
    return Markup("<cite>{}</cite>").format(escape.document_text(value))


def num(value: Any) -> str:
    """A weight as written: ``2``, ``1.5``."""
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def pct(value: Any) -> str:
    """A share as a percentage: ``80%``."""
    return f"{value:.0%}" if isinstance(value, int | float) else str(value)


FILTERS: dict[str, Callable[..., Any]] = {"lines": lines, "source": source, "num": num, "pct": pct}


# --- the environment ---------------------------------------------------------------------


def environment(user_dir: Path | None = None) -> SandboxedEnvironment:
    """The sandbox the site's templates run in: a company's folder first (its file of
    a name replaces the shipped one), then the shipped templates, also reachable as
    ``shipped/<name>``."""
    shipped = jinja2.FileSystemLoader(str(SITE_DIR))
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(UserFolderLoader(user_dir))
    loaders += [shipped, jinja2.PrefixLoader({"shipped": shipped})]
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        finalize=html_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.globals["generator"] = dict(GENERATOR)
    return env


def render_pages(pages: Sequence[Page], user_dir: Path | None = None) -> list[str]:
    """Each page's HTML, in order: the one call that runs templates. Pages are plain
    data and so are the results. Every failure is one line naming the template."""
    env = environment(user_dir)
    out = []
    for page in pages:
        with template_errors(page.template):
            out.append(env.get_template(page.template).render(page.context))
    return out


def pages_json(pages: Sequence[Page], user_dir: Path | None) -> Iterator[str]:
    """:func:`render_pages` as one JSON list: what the worker process writes back."""
    yield json.dumps(render_pages(pages, user_dir))


def contained_pages(pages: Sequence[Page], user_dir: Path | None = None) -> list[str]:
    """:func:`render_pages`; with a company's folder, in a worker process under the
    operating system's limits (for all the pages together)."""
    if user_dir is None:
        return render_pages(pages)
    texts = run_contained(pages_json, (list(pages), user_dir), f"{user_dir}{os.sep}")
    return [str(text) for text in json.loads(texts)]


#: what renders the pages (:func:`contained_pages`, or :func:`render_pages` in this process)
Renderer = Callable[[Sequence[Page], Path | None], list[str]]


def asset(name: str, user_dir: Path | None) -> bytes:
    """A stylesheet: the company's file of that name when its folder has one."""
    path = user_dir / name if user_dir is not None else None
    if path is None or not path.is_file():
        return (SITE_DIR / name).read_bytes()
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_ASSET_BYTES + 1)
    except OSError as exc:
        raise SreladderError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_ASSET_BYTES:
        raise SreladderError(f"{path}: larger than {MAX_ASSET_BYTES:,} bytes")
    return data


def build(
    pages: Sequence[Page], user_dir: Path | None = None, render: Renderer = contained_pages
) -> tuple[list[tuple[str, bytes]], float]:
    """Every file of the site, (path in the site, bytes), pages first; and the seconds
    the rendering took."""
    if user_dir is not None and not user_dir.is_dir():
        raise SreladderError(f"{user_dir}: no such folder (--templates)")
    started = time.perf_counter()
    texts = render(pages, user_dir)
    took = time.perf_counter() - started
    files = [(page.path, text.encode("utf-8")) for page, text in zip(pages, texts, strict=True)]
    files += [(name, asset(name, user_dir)) for name in ASSETS]
    return files, took


# --- errors ----------------------------------------------------------------------------
