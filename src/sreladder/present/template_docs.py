"""``docs/templates.md``, generated from the typed packet: every variable of a template's
context, every field of the objects they hold, and the filters and functions the
templates may use. Run ``python -m sreladder.present.template_docs > docs/templates.md``
after changing :mod:`sreladder.core.packet`; a test keeps the file in sync.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from typing import Any

from sreladder.core import packet as packet_module
from sreladder.core.packet import Packet

INTRO = """\
# Packet templates

`sreladder packet FILE --template NAME|FILE` renders the promotion packet with a shipped
template or with your own. Shipped: `packet` (the full packet, the default), `summary`
(one page for a promotion committee: the case, the strongest evidence per dimension, the
gaps) and `growth-plan` (the gaps to the target as 30/60/90-day milestones, each with the
evidence to collect). Each comes as Markdown and HTML: `--format md|html` picks one.

Your own template is a file whose name ends in `.md.j2` (Markdown) or `.html.j2` (HTML);
its extension sets the format. It may `{% extends "packet.html.j2" %}` and override the
blocks `title` and `main`, or `{% import "macros.md.j2" as m %}` (see the shipped
templates in `src/sreladder/present/templates/`).

## Escaping and the sandbox

- HTML templates are autoescaped; Markdown templates escape every `{{ value }}` for
  Markdown (a filter that makes Markdown, `md_lines` or `md_link`, is not escaped twice;
  a macro's output is passed with `|safe`). In both, control, direction-override and
  zero-width characters of user text are shown as escapes (`\\u202e`).
- Templates run in Jinja2's `SandboxedEnvironment`. A template that names an attribute
  starting with `_` (`''.__class__`, `cycler.__init__.__globals__`, `x|attr('__dict__')`)
  is refused before it runs; numbers above 100,000 passed to a call or filter
  (`range(10**9)`), text grown past 20,000,000 characters, output past 20,000,000
  characters and more than 10 s of work are refused too. Each refusal, syntax error or
  undefined variable is one line `sreladder: FILE:LINE: ...` on stderr, exit 1.
- A variable that does not exist is an error, not an empty string (`StrictUndefined`).

## The context

The top-level variables are the fields of the packet (the same content as
`packet --format json`; fields marked *template only* are not in the JSON), plus
`milestones`.
"""


def _type_name(annotation: Any) -> str:
    text = annotation.__name__ if isinstance(annotation, type) else str(annotation)
    text = re.sub(r"\b(?:sreladder\.core\.packet\.|typing\.)", "", text)
    text = text.replace("NoneType", "None").replace("Ellipsis", "...")
    return text.replace("|", "\\|")  # inside a table cell


def _objects_in(annotation: Any) -> list[type]:
    """The packet classes an annotation refers to."""
    found = []
    for name in re.findall(r"\b[A-Z][A-Za-z]+\b", str(annotation)):
        candidate = getattr(packet_module, name, None)
        if dataclasses.is_dataclass(candidate) and isinstance(candidate, type):
            found.append(candidate)
    return found


def _section(cls: type, heading: str) -> list[str]:
    hints = typing.get_type_hints(cls)
    out = [f"### {heading}", "", inspect.getdoc(cls) or "", ""]
    out += ["| Name | Type | Meaning |", "|---|---|---|"]
    for f in dataclasses.fields(cls):
        meaning = f.metadata["doc"]
        if not f.metadata.get("json", True):
            meaning += " *(template only)*"
        out.append(f"| `{f.name}` | `{_type_name(hints[f.name])}` | {meaning} |")
    for name, member in inspect.getmembers(cls, lambda m: isinstance(m, property)):
        hint = typing.get_type_hints(member.fget).get("return")
        doc = " ".join((inspect.getdoc(member) or "").split())
        out.append(f"| `{name}` | `{_type_name(hint)}` | {doc} *(template only)* |")
    out.append("")
    return out


def _classes() -> list[type]:
    """Packet first, then every class reachable from it, in order of first mention."""
    order: list[type] = [Packet]
    for cls in order:
        hints = typing.get_type_hints(cls)
        annotations = [hints[f.name] for f in dataclasses.fields(cls)]
        annotations += [
            typing.get_type_hints(m.fget).get("return")
            for _, m in inspect.getmembers(cls, lambda m: isinstance(m, property))
        ]
        for annotation in annotations:
            for found in _objects_in(annotation):
                if found not in order:
                    order.append(found)
    return order


def _callables() -> list[str]:
    from sreladder.present import packet_render as r

    out = ["## Filters and functions", "", "| Name | In | What it does |", "|---|---|---|"]
    groups = [("both", r.FILTERS), ("md", r.MD_FILTERS), ("html", r.HTML_FILTERS)]
    for where, table in groups:
        for name, func in table.items():
            out.append(f"| `{name}` (filter) | {where} | {_summary(func, name)} |")
    for name, value in r.GLOBALS.items():
        kind = "function" if callable(value) else "text"
        out.append(f"| `{name}` ({kind}) | both | {_summary(value, name)} |")
    out.append("")
    return out


def _summary(value: Any, name: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, types.LambdaType) and value.__name__ == "<lambda>":
        return {"weight": "a weight as written (`1`, `1.5`)", "md": "Markdown-escape text"}.get(
            name, name
        )
    doc = inspect.getdoc(value) or ""
    return " ".join(doc.split("\n\n")[0].split()).replace("|", "\\|")


def template_docs() -> str:
    out = [INTRO]
    out += _section(Packet, "Top level (`Packet`)")
    for cls in _classes()[1:]:
        out += _section(cls, f"`{cls.__name__}`")
    out += _callables()
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(template_docs())
