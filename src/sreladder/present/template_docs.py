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
What the packet's parts mean (both assessors' evidence, the marks `†` and `‡`,
sustained and one-off claims) is in [packet.md](packet.md).

Your own template is a file whose name ends in `.md.j2` (Markdown) or `.html.j2` (HTML);
its extension sets the format. It may `{% extends "packet.md.j2" %}` (or any shipped
template of its format) and override one of the blocks listed below, or
`{% import "macros.md.j2" as m %}` (see the shipped templates in
`src/sreladder/present/templates/`). For example, a Markdown packet with the company's
own recommendation section and everything else as shipped:

```jinja
{% extends "packet.md.j2" %}
{% block summary %}
## Our recommendation

{{ recommended.label }}, reviewed against {{ target.label }}.
{% endblock %}
```

`{% include %}`, `{% extends %}` and `{% import %}` load a shipped template by its name
(`packet.md.j2`, `macros.html.j2`) or a `.md.j2` / `.html.j2` file of your template's
own folder or its subfolders (`parts/header.md.j2`). Anything else is refused: other
extensions, hidden files and folders (`.ssh/...`), `..`, absolute paths, and links
that lead out of the folder or to a file that is not a template.

## Escaping and the sandbox

- HTML templates are autoescaped; Markdown templates escape every `{{ value }}` for
  Markdown (a filter that makes Markdown, `md_lines` or `md_link`, is not escaped twice;
  a macro's output is passed with `|safe`). In both, control, direction-override and
  zero-width characters of user text are shown as escapes (`\\u202e`).
- Templates run in Jinja2's `SandboxedEnvironment`. Your own template also runs in a
  process of its own, which the operating system stops when it passes its limits: 1 GiB
  of memory (its address space), 10 s of CPU (compiling included) and 15 s in all; more
  than 20,000,000 bytes of output is refused too. Nothing is guessed from what the
  template says: whatever it builds, repeats or loops over, these limits end it. The
  shipped templates run in the `sreladder` process itself. Refused, each with one line
  `sreladder: FILE[:LINE]: ...` on stderr, exit 1:
  - an attribute starting with `_` (`''.__class__`, `cycler.__init__.__globals__`,
    `x|attr('__dict__')`), before the template runs;
  - a `range()` past 100,000 items (Jinja2's sandbox);
  - a template file past 256 KiB (an included one too);
  - a template that runs out of memory, uses up its CPU time, is still running after
    its time in all, writes too much, or recurses too deep (the line names the limit).

  Syntax errors, undefined variables and any other error of a template are one line
  naming the file and line too. On Linux all four limits hold; on macOS the memory limit
  is not enforced by the system, so a template there is stopped by the CPU and wall-clock
  limits (and the output limit) only.
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


#: what each block of the shipped templates holds
BLOCKS = {
    "title": "the HTML page's `<title>`",
    "main": "the HTML page's whole body (inside `<main>`)",
    "header": "the heading and the facts (subject, role, assessor, date)",
    "summary": "the recommendation, the case or the plan's opening paragraph",
    "dimensions": "the table of dimensions against the target, with its legend",
    "details": "one section per dimension (holds `evidence` and `gaps`)",
    "evidence": "the expectations met with their evidence (`packet`: per dimension, "
    "`d` is the dimension; `summary`: the strongest evidence per dimension)",
    "sustained": "how many claims are sustained and how much evidence links an artifact, "
    "per dimension, with the one-off claims at the target and above",
    "differences": "the expectations the two assessors rate differently, each side's "
    "rating and evidence (with `--compare`)",
    "gaps": "the gaps to the target (`packet`: per dimension, `d` is the dimension)",
    "milestones": "the 30/60/90-day goals",
    "footer": "the closing sections (claims without evidence, ratings given by one side "
    "only, inconsistencies, answers the rubric no longer has; in `summary`, the count "
    "of claims without evidence)",
}


def _blocks() -> list[str]:
    """The blocks of every shipped template, read from the templates themselves."""
    import jinja2
    from jinja2 import nodes

    from sreladder.present import packet_render

    env = jinja2.Environment()
    out = ["## Blocks", "", "A template that extends a shipped one may override these blocks:", ""]
    out += ["| Block | In | What it holds |", "|---|---|---|"]
    found: dict[str, list[str]] = {}
    for name in packet_render.SHIPPED:
        for suffix in packet_render.SUFFIXES.values():
            source = (packet_render.TEMPLATE_DIR / f"{name}{suffix}").read_text("utf-8")
            for block in env.parse(source).find_all(nodes.Block):
                found.setdefault(block.name, []).append(f"`{name}{suffix}`")
    for block_name, where in sorted(found.items(), key=lambda item: list(BLOCKS).index(item[0])):
        out.append(f"| `{block_name}` | {', '.join(where)} | {BLOCKS[block_name]} |")
    out.append("")
    return out


def template_docs() -> str:
    sandbox_part, context_part = INTRO.split("## The context", 1)
    out = [sandbox_part.rstrip("\n") + "\n", *_blocks(), "## The context" + context_part]
    out += _section(Packet, "Top level (`Packet`)")
    for cls in _classes()[1:]:
        out += _section(cls, f"`{cls.__name__}`")
    out += _callables()
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(template_docs())
