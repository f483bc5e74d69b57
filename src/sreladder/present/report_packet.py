"""Renderers of the promotion packet (Markdown, HTML, JSON) and of ``compare``
(terminal, Markdown).

Every piece of user or rubric text goes through :mod:`sreladder.present.escape` for its format.
Only ``http://`` and ``https://`` links become clickable; any other link (say
``javascript:``) is shown as text.

Markdown uses only headings, pipe tables, bold/italic and lists (no HTML, no footnotes),
so it pastes into GitHub, Confluence and Google Docs. HTML is one file with inline CSS
and an inline SVG chart, no external resource of any kind (a Content-Security-Policy
``default-src 'none'`` says so to the browser too), and print CSS for A4 / Letter.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from sreladder.present import escape

RATING_WORDS = {
    "not-yet": "not yet",
    "partially": "partially",
    "consistently": "consistently",
    None: "no answer",
}
_WEB_LINK = re.compile(r"^https?://[^\s\x00-\x1f\x7f-\x9f]+$", re.IGNORECASE)


def web_link(link: str | None) -> str | None:
    """``link`` if it is an http(s) URL safe to make clickable, else None."""
    return link if link and _WEB_LINK.match(link) else None


def rating_word(rating: str | None) -> str:
    return RATING_WORDS.get(rating, str(rating))


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _evidence_line(coverage: float | None) -> str:
    if coverage is None:
        return "no credit earned yet, so nothing to back with evidence"
    return f"{coverage:.0%} of the earned credit has evidence"


def _agreement_sentence(agreement: dict[str, Any]) -> str:
    rated = agreement["expectations_rated_by_both"]
    if rated:
        first = (
            f"{_pct(agreement['expectations'])} of the {rated} expectation(s) rated by both "
            f"have the same rating ({agreement['expectations_equal']} of {rated})"
        )
    else:
        first = "no expectation was rated by both"
    return (
        f"{first}; {agreement['dimensions_equal']} of {agreement['dimensions_total']} "
        f"dimensions ({_pct(agreement['dimensions'])}) are at the same level."
    )


# --- JSON --------------------------------------------------------------------------


def packet_json(packet: dict[str, Any]) -> str:
    return json.dumps(packet, indent=2, ensure_ascii=False) + "\n"


# --- Markdown ----------------------------------------------------------------------

md = escape.markdown


def _md_url(url: str) -> str:
    """A link destination no Markdown flavour misreads (parentheses, pipes, brackets,
    angle brackets, backslashes and backticks percent-encoded)."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _md_evidence(item: dict[str, Any]) -> str:
    parts = [md(item["text"])]
    link = item.get("link")
    if link:
        safe = web_link(link)
        parts.append(f"[{md(safe)}]({_md_url(safe)})" if safe else f"link: {md(link)}")
    if item.get("date"):
        parts.append(md(item["date"]))
    return " — ".join(parts)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_level(label: str | None) -> str:
    return md(label) if label else "—"


def packet_markdown(packet: dict[str, Any]) -> str:
    other = packet["compare"]
    target = packet["target"]
    label_a = packet["assessor"]["label"]
    subject = packet["subject"] or "(unnamed)"
    out = [
        f"# Promotion packet: {md(subject)}",
        "",
        _md_row(["Field", "Value"]),
        "|---|---|",
        _md_row(["Subject", md(subject)]),
        _md_row(["Role", f"{md(packet['role']['name'])} ({md(packet['role']['id'])})"]),
        _md_row(["Assessor", md(label_a)]),
        _md_row(["Date", md(packet["date"] or "—")]),
        _md_row(["Current level (recommended)", md(packet["recommended"]["label"])]),
        _md_row(["Target level", md(target["label"])]),
        _md_row(
            [
                "Evidence coverage",
                _evidence_line(packet["evidence_coverage"]),
            ]
        ),
    ]
    if other:
        when = f", {md(other['date'])}" if other["date"] else ""
        out.append(
            _md_row(
                [
                    "Second view",
                    f"{md(other['assessor']['label'])}{when}: recommends "
                    f"{md(other['recommended']['label'])}",
                ]
            )
        )
        out.append(_md_row(["Agreement", md(_agreement_sentence(other["agreement"]))]))
    out += [
        "",
        "## Recommendation",
        "",
        f"**{md(packet['recommended']['label'])}**, target **{md(target['label'])}**. "
        f"{md(packet['explanation'])}",
        "",
        "## Dimensions against the target",
        "",
    ]
    header = ["Dimension", "Weight", f"Level: {md(label_a)}"]
    if other:
        header.append(f"Level: {md(other['assessor']['label'])}")
    header.append(f"Against {md(target['id'])}")
    out.append(_md_row(header))
    out.append("|---|---:|" + "---|" * (len(header) - 2))
    for d in packet["dimensions"]:
        row = [md(d["name"]), f"{d['weight']:g}", _md_level(d["level"])]
        if other:
            row.append(_md_level(d["other_level"]))
        row.append(_status(d))
        out.append(_md_row(row))
    out.append("")

    for d in packet["dimensions"]:
        out += [f"## {md(d['name'])}", ""]
        line = (
            f"Level **{_md_level(d['level'])}** against target **{md(target['id'])}**: "
            f"{_status(d)}."
        )
        if other:
            line += f" {md(other['assessor']['label'])}: **{_md_level(d['other_level'])}**."
        out += [line, ""]
        out += [f"### Met up to {md(target['id'])}", ""]
        if d["met"]:
            for item in d["met"]:
                rating = rating_word(item["rating"])
                out.append(f"- **{md(item['level'])}** {md(item['text'])} _({rating})_")
                if item["evidence"]:
                    out += [f"  - {_md_evidence(e)}" for e in item["evidence"]]
                else:
                    out.append("  - _no evidence given_")
        else:
            out.append(f"_{md(_nothing_met(packet, d))}_")
        out.append("")
        if d["gaps"]:
            out += [f"### Gaps to {md(target['id'])}", ""]
            out += [
                f"- **{md(g['level'])}** {md(g['text'])} _({rating_word(g['rating'])})_"
                for g in d["gaps"]
            ]
            out.append("")
        if other and d["differences"]:
            out += ["### Ratings that differ", ""]
            out += _md_pairs(d["differences"], label_a, other["assessor"]["label"])
            out.append("")

    if packet["unsupported"]:
        out += ["## Claims without evidence", ""]
        names = {d["id"]: d["name"] for d in packet["dimensions"]}
        out += [
            f"- **{md(u['level'])}** {md(u['text'])} _({rating_word(u['rating'])}; "
            f"{md(names[u['dimension']])})_"
            for u in packet["unsupported"]
        ]
        out.append("")
    if other and other["no_answer"]:
        out += ["## Rated by one side only", "", "Not counted as disagreement.", ""]
        names = {d["id"]: d["name"] for d in packet["dimensions"]}
        out += _md_pairs(
            other["no_answer"], label_a, other["assessor"]["label"], steps=False, names=names
        )
        out.append("")
    out += _md_notes(packet)
    return "\n".join(out).rstrip("\n") + "\n"


def _nothing_met(packet: dict[str, Any], d: dict[str, Any]) -> str:
    order = [lv["id"] for lv in packet["levels"]]
    target = packet["target"]["id"]
    if order.index(d["first_level"]) > order.index(target):
        return f"Not expected up to {target}: this dimension starts at {d['first_level']}."
    return "Nothing rated as met up to the target."


def _status(d: dict[str, Any]) -> str:
    if d["meets_target"]:
        return "meets the target"
    below = d["levels_below_target"]
    return f"{below} level{'s' if below != 1 else ''} below"


def _md_pairs(
    pairs: list[dict[str, Any]],
    label_a: str,
    label_b: str,
    steps: bool = True,
    names: dict[str, str] | None = None,
) -> list[str]:
    """A table of rating pairs; with ``names`` (dimension id -> name) a Dimension column
    comes first."""
    header = ["Level", "Expectation", md(label_a), md(label_b)]
    if names:
        header.insert(0, "Dimension")
    if steps:
        header.append("Steps")
    rows = [_md_row(header), "|" + "---|" * len(header)]
    for p in pairs:
        row = [md(names[p["dimension"]])] if names else []
        row += [
            md(p["level"]),
            md(p["text"]),
            rating_word(p["rating"]),
            rating_word(p["other_rating"]),
        ]
        if steps:
            row.append(str(p["steps"]))
        rows.append(_md_row(row))
    return rows


def _md_notes(packet: dict[str, Any]) -> list[str]:
    out = []
    if packet["inconsistencies"]:
        out += ["## Inconsistencies", ""]
        out += [
            f"- {md(i['dimension'])}: {md(i['level'])} is held but "
            f"{md(', '.join(i['unmet']))} below it is not"
            for i in packet["inconsistencies"]
        ]
        out.append("")
    if packet["unknown_answers"]:
        out += [
            "## Answers the rubric no longer has",
            "",
            md(", ".join(packet["unknown_answers"])) + " (kept, not scored)",
            "",
        ]
    return out


# --- HTML --------------------------------------------------------------------------

h = escape.html_text

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --met: #2da44e; --below: #d4a72c; --other: #5a7bd8; --target: #cf222e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.1rem 0 .4rem; }
p { margin: .4rem 0; }
.muted { color: var(--muted); }
.lead { font-size: 1.15rem; }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 .8rem; table-layout: fixed; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: var(--soft); font-weight: 600; overflow-wrap: normal; word-break: normal; }
table.facts th { width: 14rem; }
td.num, th.num { text-align: right; }
.ok { color: #1a7f37; font-weight: 600; }
.below { color: #9a6700; font-weight: 600; }
ul.evidence { margin: 0; padding-left: 1.1rem; }
ul.evidence li + li { margin-top: .2rem; }
a { color: #0969da; }
.chart { margin: .6rem 0 1rem; }
.chart svg { width: 100%; height: auto; display: block; }
.rating { white-space: nowrap; }
section.dimension { margin-top: 1.4rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  th, td { padding: .25rem .4rem; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: underline; }
  h2, h3, .keep { break-after: avoid; page-break-after: avoid; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
  tr, li, .chart, table.facts { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def _h_link(link: str | None) -> str:
    if not link:
        return ""
    safe = web_link(link)
    if safe:
        return f'<a href="{h(safe)}" rel="noopener noreferrer">{h(safe)}</a>'
    return f'<span class="muted">link: {h(link)}</span>'


def _h_evidence(items: list[dict[str, Any]]) -> str:
    if not items:
        return '<span class="muted">no evidence given</span>'
    lis = []
    for e in items:
        parts = [h(e["text"])]
        if e.get("link"):
            parts.append(_h_link(e["link"]))
        if e.get("date"):
            parts.append(f'<span class="muted">{h(e["date"])}</span>')
        lis.append("<li>" + " — ".join(parts) + "</li>")
    return '<ul class="evidence">' + "".join(lis) + "</ul>"


def _h_table(header: list[str], rows: list[list[str]], widths: list[str] | None = None) -> str:
    """header and rows are already-escaped HTML fragments."""
    cols = ""
    if widths:
        cols = "<colgroup>" + "".join(f'<col style="width:{w}">' for w in widths) + "</colgroup>"
    head = "<thead><tr>" + "".join(f"<th>{c}</th>" for c in header) + "</tr></thead>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{cols}{head}<tbody>{body}</tbody></table>"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart_svg(packet: dict[str, Any]) -> str:
    """One row per dimension: a bar to the dimension's level, a red marker at the target;
    with a comparison, a second (blue) bar for the other assessment."""
    levels = [lv["id"] for lv in packet["levels"]]
    other = packet["compare"]
    target = levels.index(packet["target"]["id"]) + 1
    width, label_w, right = 780, 300, 20
    row_h = 34 if other else 24
    top = 16 * (3 if other else 2) + 26
    step = (width - label_w - right) / len(levels)
    height = top + row_h * len(packet["dimensions"]) + 10
    x_target = label_w + step * target
    title = f"Dimension levels against the target {packet['target']['id']}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{h(title)}" font-family="system-ui, sans-serif" '
        f'font-size="12">',
        f"<title>{h(title)}</title>",
    ]
    # legend: one line per series, above the plot
    x = label_w
    ys = iter(range(4, 100, 16))
    y = next(ys)
    out.append(
        f'<rect x="{x}" y="{y}" width="8" height="10" fill="#2da44e"/>'
        f'<rect x="{x + 8}" y="{y}" width="8" height="10" fill="#d4a72c"/>'
        f'<text x="{x + 22}" y="{y + 9}">{h(_short(packet["assessor"]["label"], 40))}'
        f'<tspan fill="#59636e"> (green: at or above the target, amber: below)</tspan></text>'
    )
    if other:
        y = next(ys)
        out.append(
            f'<rect x="{x}" y="{y}" width="16" height="10" fill="#5a7bd8"/>'
            f'<text x="{x + 22}" y="{y + 9}">{h(_short(other["assessor"]["label"], 40))}</text>'
        )
    y = next(ys)
    out.append(
        f'<rect x="{x + 6}" y="{y - 1}" width="3" height="12" fill="#cf222e"/>'
        f'<text x="{x + 22}" y="{y + 9}">target {h(packet["target"]["id"])}</text>'
    )
    # level axis
    for i, lv in enumerate(levels):
        x = label_w + step * (i + 1)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 10}" '
            f'stroke="#d1d9e0" stroke-width="1"/>'
            f'<text x="{x - step / 2:.1f}" y="{top - 8}" text-anchor="middle" '
            f'fill="#59636e">{h(lv)}</text>'
        )
    for n, d in enumerate(packet["dimensions"]):
        y = top + n * row_h
        held = levels.index(d["level"]) + 1 if d["level"] else 0
        colour = "#2da44e" if d["meets_target"] else "#d4a72c"
        bar_h = 11 if other else 14
        tip = f"{d['name']}: {d['level_label']}"
        out.append(f'<g class="dim-row" data-dimension="{h(d["id"])}">')
        out.append(f"<title>{h(tip)}</title>")
        out.append(
            f'<text x="{label_w - 8}" y="{y + (row_h / 2) + 4:.1f}" text-anchor="end">'
            f"{h(_short(d['name'], 46))}</text>"
        )
        out.append(
            f'<rect class="bar" x="{label_w}" y="{y + 5}" width="{step * held:.1f}" '
            f'height="{bar_h}" rx="2" fill="{colour}"/>'
        )
        if other:
            other_held = levels.index(d["other_level"]) + 1 if d["other_level"] else 0
            out.append(
                f'<rect class="bar other" x="{label_w}" y="{y + 5 + bar_h + 3}" '
                f'width="{step * other_held:.1f}" height="{bar_h}" rx="2" fill="#5a7bd8"/>'
            )
        out.append(
            f'<rect class="target" x="{x_target - 1.5:.1f}" y="{y + 2}" width="3" '
            f'height="{row_h - 4}" fill="#cf222e"/>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def packet_html(packet: dict[str, Any]) -> str:
    other = packet["compare"]
    target = packet["target"]
    label_a = packet["assessor"]["label"]
    subject = packet["subject"] or "(unnamed)"
    facts = [
        ("Subject", h(subject)),
        ("Role", f"{h(packet['role']['name'])} ({h(packet['role']['id'])})"),
        ("Assessor", h(label_a)),
        ("Date", h(packet["date"] or "—")),
        ("Current level (recommended)", f"<strong>{h(packet['recommended']['label'])}</strong>"),
        ("Target level", f"<strong>{h(target['label'])}</strong>"),
        (
            "Evidence coverage",
            h(_evidence_line(packet["evidence_coverage"])),
        ),
    ]
    if other:
        when = f", {h(other['date'])}" if other["date"] else ""
        facts.append(
            (
                "Second view",
                f"{h(other['assessor']['label'])}{when}: recommends "
                f"<strong>{h(other['recommended']['label'])}</strong>",
            )
        )
        facts.append(("Agreement", h(_agreement_sentence(other["agreement"]))))
    body = [
        "<header>",
        f"<h1>Promotion packet: {h(subject)}</h1>",
        f'<p class="muted">{h(packet["role"]["name"])} · prepared by {h(label_a)}</p>',
        "</header>",
        '<table class="facts"><tbody>'
        + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
        + "</tbody></table>",
        "<section><h2>Recommendation</h2>",
        f'<p class="lead"><strong>{h(packet["recommended"]["label"])}</strong>, target '
        f"<strong>{h(target['label'])}</strong>.</p>",
        f"<p>{h(packet['explanation'])}</p></section>",
        "<section><h2>Dimensions against the target</h2>",
        f'<div class="chart">{chart_svg(packet)}</div>',
    ]
    header = ["Dimension", "Weight", f"Level: {h(label_a)}"]
    widths = ["38%", "11%", "18%"]
    if other:
        header.append(f"Level: {h(other['assessor']['label'])}")
        widths = ["30%", "11%", "18%", "18%"]
    header.append(f"Against {h(target['id'])}")
    rows = []
    for d in packet["dimensions"]:
        row = [h(d["name"]), f"{d['weight']:g}", h(d["level"] or "—")]
        if other:
            row.append(h(d["other_level"] or "—"))
        row.append(_h_status(d))
        rows.append(row)
    body += [_h_table(header, rows, [*widths, "auto"]), "</section>"]

    for d in packet["dimensions"]:
        body.append(f'<section class="dimension" id="dim-{h(d["id"])}">')
        body.append(f'<div class="keep">\n<h2>{h(d["name"])}</h2>')
        line = (
            f"Level <strong>{h(d['level'] or '—')}</strong> against target "
            f"<strong>{h(target['id'])}</strong>: {_h_status(d)}."
        )
        if other:
            line += (
                f" {h(other['assessor']['label'])}: <strong>{h(d['other_level'] or '—')}</strong>."
            )
        body.append(f"<p>{line}</p>")
        body.append(f"<h3>Met up to {h(target['id'])}</h3>\n</div>")
        if d["met"]:
            rows = [
                [
                    h(m["level"]),
                    h(m["text"]),
                    f'<span class="rating">{h(rating_word(m["rating"]))}</span>',
                    _h_evidence(m["evidence"]),
                ]
                for m in d["met"]
            ]
            body.append(
                _h_table(
                    ["Level", "Expectation", "Rating", "Evidence"],
                    rows,
                    ["10%", "40%", "14%", "36%"],
                )
            )
        else:
            body.append(f'<p class="muted">{h(_nothing_met(packet, d))}</p>')
        if d["gaps"]:
            body.append(f"<h3>Gaps to {h(target['id'])}</h3>")
            rows = [[h(g["level"]), h(g["text"]), h(rating_word(g["rating"]))] for g in d["gaps"]]
            body.append(_h_table(["Level", "Expectation", "Rating"], rows, ["10%", "74%", "16%"]))
        if other and d["differences"]:
            body.append("<h3>Ratings that differ</h3>")
            body.append(_h_pairs(d["differences"], label_a, other["assessor"]["label"]))
        body.append("</section>")

    if packet["unsupported"]:
        names = {d["id"]: d["name"] for d in packet["dimensions"]}
        body.append("<section><h2>Claims without evidence</h2>")
        rows = [
            [h(u["level"]), h(u["text"]), h(names[u["dimension"]]), h(rating_word(u["rating"]))]
            for u in packet["unsupported"]
        ]
        body.append(
            _h_table(
                ["Level", "Expectation", "Dimension", "Rating"], rows, ["10%", "52%", "24%", "14%"]
            )
        )
        body.append("</section>")
    if other and other["no_answer"]:
        body.append("<section><h2>Rated by one side only</h2>")
        body.append('<p class="muted">Not counted as disagreement.</p>')
        names = {d["id"]: d["name"] for d in packet["dimensions"]}
        body.append(_h_pairs(other["no_answer"], label_a, other["assessor"]["label"], False, names))
        body.append("</section>")
    if packet["inconsistencies"]:
        body.append("<section><h2>Inconsistencies</h2><ul>")
        body += [
            f"<li>{h(i['dimension'])}: {h(i['level'])} is held but "
            f"{h(', '.join(i['unmet']))} below it is not</li>"
            for i in packet["inconsistencies"]
        ]
        body.append("</ul></section>")
    if packet["unknown_answers"]:
        body.append(
            "<section><h2>Answers the rubric no longer has</h2>"
            f"<p>{h(', '.join(packet['unknown_answers']))} (kept, not scored)</p></section>"
        )
    title = f"Promotion packet: {subject} — {packet['role']['name']}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _h_status(d: dict[str, Any]) -> str:
    cls = "ok" if d["meets_target"] else "below"
    return f'<span class="{cls}">{h(_status(d))}</span>'


def _h_pairs(
    pairs: list[dict[str, Any]],
    label_a: str,
    label_b: str,
    steps: bool = True,
    names: dict[str, str] | None = None,
) -> str:
    """A table of rating pairs (differences, or one-sided answers with their dimension)."""
    header = ["Level", "Expectation", h(label_a), h(label_b)]
    if steps:
        widths = ["10%", "44%", "18%", "18%", "10%"]
    elif names:
        widths = ["22%", "10%", "38%", "15%", "15%"]
    else:
        widths = ["10%", "50%", "20%", "20%"]
    if names:
        header.insert(0, "Dimension")
    if steps:
        header.append("Steps")
    rows = []
    for p in pairs:
        row = [h(names[p["dimension"]])] if names else []
        row += [
            h(p["level"]),
            h(p["text"]),
            h(rating_word(p["rating"])),
            h(rating_word(p["other_rating"])),
        ]
        if steps:
            row.append(str(p["steps"]))
        rows.append(row)
    return _h_table(header, rows, widths)


# --- compare -----------------------------------------------------------------------


def _pair_dicts(pairs) -> list[dict[str, Any]]:
    return [
        {
            "dimension": p.dimension,
            "level": p.level,
            "text": p.text,
            "rating": p.a,
            "other_rating": p.b,
            "steps": p.steps,
        }
        for p in pairs
    ]


def compare_markdown(comparison, role) -> str:
    from sreladder.core.scoring import level_label

    a, b = comparison.label_a, comparison.label_b
    agreement = comparison.agreement_json()
    names = {d.id: d.name for d in role.dimensions}
    out = [
        f"# {md(a)} vs {md(b)}",
        "",
        f"{md(role.name)} ({md(role.id)}). Recommended: {md(a)} "
        f"**{md(level_label(role, comparison.result_a.recommended))}**, {md(b)} "
        f"**{md(level_label(role, comparison.result_b.recommended))}**.",
        "",
        f"Agreement: {md(_agreement_sentence(agreement))}",
        "",
        "## Levels per dimension",
        "",
        _md_row(["Dimension", md(a), md(b), "Same"]),
        "|---|---|---|---|",
    ]
    for d in comparison.dimensions:
        out.append(
            _md_row(
                [
                    md(d.name),
                    _md_level(d.level_a),
                    _md_level(d.level_b),
                    "yes" if d.same_level else "no",
                ]
            )
        )
    out.append("")
    if comparison.differences:
        out += [f"## Ratings that differ ({len(comparison.differences)})", ""]
        out += _md_pairs(_pair_dicts(comparison.differences), a, b, names=names)
        out.append("")
    else:
        out += ["No rating differs.", ""]
    if comparison.no_answer:
        out += [
            f"## Rated by one side only ({len(comparison.no_answer)})",
            "",
            "Not counted as disagreement.",
            "",
        ]
        out += _md_pairs(_pair_dicts(comparison.no_answer), a, b, steps=False, names=names)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_compare(comparison, role, console) -> None:
    """The terminal view. User and rubric text enter Rich only as ``Text`` made
    printable (no markup, no control characters)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from sreladder.core.scoring import level_label
    from sreladder.present.terminal import user_text

    def t(value: str, style: str = "") -> Text:
        return user_text(value, 4000, style)

    a, b = comparison.label_a, comparison.label_b
    agreement = comparison.agreement_json()
    parts: list = [
        t(f"{role.name} ({role.id}): {a} vs {b}", "bold"),
        t(
            f"Recommended: {a} {level_label(role, comparison.result_a.recommended)}, "
            f"{b} {level_label(role, comparison.result_b.recommended)}"
        ),
        t(f"Agreement: {_agreement_sentence(agreement)}"),
        Text(),
    ]
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column(Text("Dimension"), overflow="fold", ratio=3)
    table.add_column(t(a), no_wrap=True)
    table.add_column(t(b), no_wrap=True)
    table.add_column(Text(""), no_wrap=True)
    for d in comparison.dimensions:
        table.add_row(
            t(d.name),
            t(d.level_a or "—"),
            t(d.level_b or "—"),
            Text("=", style="green") if d.same_level else Text("≠", style="yellow"),
        )
    parts += [table, Text()]

    names = {d.id: d.name for d in role.dimensions}

    def pairs_table(pairs) -> Table:
        """Rows grouped under their dimension's name, in role order."""
        grid = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        grid.add_column(Text("Level"), no_wrap=True, style="cyan")
        grid.add_column(Text("Expectation"), ratio=1, overflow="fold")
        grid.add_column(t(a), no_wrap=True)
        grid.add_column(t(b), no_wrap=True)
        current = None
        for p in pairs:
            if p.dimension != current:
                current = p.dimension
                grid.add_row("", t(names[p.dimension], "bold"), "", "")
            grid.add_row(t(p.level), t(p.text), t(rating_word(p.a)), t(rating_word(p.b)))
        return grid

    if comparison.differences:
        parts.append(t(f"Ratings that differ ({len(comparison.differences)})", "bold"))
        parts += [pairs_table(comparison.differences), Text()]
    else:
        parts += [Text("No rating differs.", style="green"), Text()]
    if comparison.no_answer:
        parts.append(
            t(
                f"Rated by one side only ({len(comparison.no_answer)}; not counted as "
                "disagreement)",
                "bold",
            )
        )
        parts.append(pairs_table(comparison.no_answer))
    console.print(Group(*parts))
