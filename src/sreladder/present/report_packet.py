"""The renderers of ``sreladder packet``, by format name: each takes the typed packet
(and the ``--template`` name or file) and returns the document as a string.

Markdown and HTML come from Jinja2 templates (:mod:`sreladder.present.packet_render`);
JSON is the packet's own serialisation. Markdown uses only headings, pipe tables,
bold/italic and lists; HTML is one file with inline CSS and an inline SVG chart, no
external resource (a Content-Security-Policy ``default-src 'none'`` says so to the
browser too), and print CSS for A4 / Letter.
"""

from __future__ import annotations

from collections.abc import Callable

from sreladder.core.packet import Packet
from sreladder.present import escape


def packet_json(packet: Packet, template: str | None = None) -> str:
    return escape.json_document(packet.to_json())


def packet_markdown(packet: Packet, template: str | None = None) -> str:
    from sreladder.present.packet_render import render

    return render(packet, template, "md").rstrip("\n") + "\n"


def packet_html(packet: Packet, template: str | None = None) -> str:
    from sreladder.present.packet_render import render

    return render(packet, template, "html")


def chosen_format(template: str | None, fmt: str | None) -> str:
    """The format ``--template`` and ``--format`` ask for (a template file's extension
    decides; JSON takes no template)."""
    if fmt == "json":
        if template is not None:
            from sreladder.core.errors import UsageError

            raise UsageError("--template makes Markdown or HTML; --format json takes none")
        return fmt
    from sreladder.present.packet_render import template_for

    return template_for(template, fmt)[1]


RENDERER_BY_FORMAT: dict[str, Callable[[Packet, str | None], str]] = {
    "md": packet_markdown,
    "html": packet_html,
    "json": packet_json,
}
