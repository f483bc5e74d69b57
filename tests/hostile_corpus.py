"""A corpus of hostile assessment and answer files, written byte for byte.

Two kinds:

* ``ACCEPTED``: valid files whose *text* is hostile (ANSI and OSC-8 escapes, Rich
  markup, HTML, Markdown breakers, CSV formulas, bidi overrides, zero-width
  characters, CR-only and CRLF line ends, a UTF-8 BOM). Every command must read them
  and show that text inert in every medium.
* ``REJECTED``: files no command may accept (binary, other encodings, alias bombs,
  deep nesting in several line-break styles, a huge file, YAML 1.1 booleans where text
  or a rating belongs, impossible dates, unknown roles and ids, bad targets). Every
  command must refuse them with ``file:line:col`` (or ``file:`` for the size and
  encoding checks that have no line), exit 1, and leave them byte for byte unchanged.

The role is the built-in ``sre``; its first expectation ids are used for answers.
"""

from __future__ import annotations

from pathlib import Path

ESC = "\x1b"
#: text that must never reach a reader as markup, a control sequence or a formula
HOSTILE_TEXTS = [
    f"{ESC}[31mred{ESC}[0m {ESC}[2J{ESC}]0;title{ESC}\\",
    f"{ESC}]8;;https://evil.invalid{ESC}\\click{ESC}]8;;{ESC}\\",
    "[bold red]MARKUPTEXT[/bold red] [link=https://evil.invalid]x[/link] [/]",
    "<script>alert(1)</script><img src=x onerror=alert(2)> &amp; AT&T",
    "| pipe | # heading\n* list\n> quote\n```code``` [x](javascript:alert(3))",
    '=HYPERLINK("https://evil.invalid","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd",
    "Dana\u202eevil\u202c \u200bzero\u200bwidth\ufeff \u2066isolate\u2069",
    "bell\x07 csi\x9b31m c1 \U000e0041tagged\U000e007f soft\xadhyphen",
]
#: a word of each text above that must still be shown (escaped) wherever the text is
SHOWN_WORDS = ["red", "click", "MARKUPTEXT", "alert", "pipe", "HYPERLINK", "calc", "SUM",
               "evil", "tagged"]  # fmt: skip

#: the characters that must not appear raw in any output made from the texts above
FORBIDDEN_RAW = [ESC, "\x07", "\x9b", "\u202e", "\u200b", "\u2066", "\ufeff", "\U000e0041"]


def _assessment(subject: str, evidence: str, link: str = "https://example.invalid/pm/1") -> str:
    def q(text: str) -> str:  # a YAML double-quoted scalar: every character survives
        return (
            '"'
            + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
            + '"'
        )

    return (
        "sreladder: 1\nrole: sre\n"
        f"subject: {{name: {q(subject)}}}\n"
        f"assessor: {{name: {q(subject)}, relation: manager}}\n"
        "target: P2\n"
        "answers:\n"
        "  ir-p1-a:\n    rating: consistently\n"
        f"    evidence:\n      - text: {q(evidence)}\n        link: {q(link)}\n"
        "        date: 2026-03-14\n"
        "  ir-p1-b: {rating: partially}\n"
        "  ir-p1-d: {rating: not-yet}\n"
    )


def accepted() -> dict[str, bytes]:
    files = {}
    for number, text in enumerate(HOSTILE_TEXTS):
        files[f"ok-text-{number}.yaml"] = _assessment(text, text).encode()
    plain = _assessment("Dana", "Led the checkout outage")
    files["ok-crlf.yaml"] = plain.replace("\n", "\r\n").encode()
    files["ok-cr-only.yaml"] = plain.replace("\n", "\r").encode()
    files["ok-bom.yaml"] = b"\xef\xbb\xbf" + plain.encode()
    files["ok-javascript-link.yaml"] = _assessment("Dana", "x", "javascript:alert(1)").encode()
    files["ok-answers-map.yaml"] = b"ir-p1-a: c\nir-p1-b: partially\nir-p1-d: null\n"
    return files


HEAD = b"sreladder: 1\nrole: sre\nanswers:\n"


def rejected() -> dict[str, bytes]:
    plain = _assessment("Dana", "Led the checkout outage")
    deep = "\n".join(["sreladder: 1", "role: sre", "answers:", "  ir-p1-a:", "    rating: "])
    files: dict[str, bytes] = {
        "bad-binary.yaml": bytes(range(256)) * 4,
        "bad-nul.yaml": plain.encode().replace(b"role: sre", b"role: s\x00re"),
        "bad-latin1.yaml": plain.replace("Dana", "Zoë").encode("latin-1"),
        "bad-utf16.yaml": plain.encode("utf-16"),
        "bad-alias.yaml": (
            b"sreladder: 1\nrole: sre\nanswers:\n  ir-p1-a: &a {rating: consistently}\n"
            b"  ir-p1-b: *a\n"
        ),
        "bad-billion-laughs.yaml": (
            b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nsreladder: 1\nrole: sre\nanswers: *c\n"
        ),
        "bad-deep-flow.yaml": (deep + "[" * 20_000 + "]" * 20_000 + "\n").encode(),
        "bad-deep-block-cr.yaml": (
            "sreladder: 1\rrole: sre\ranswers:\r  " + "- " * 200_000 + "x\r"
        ).encode(),
        "bad-deep-u2028.yaml": ("sreladder: 1\u2028x:\u2028  " + "- " * 5_000 + "x\n").encode(),
        "bad-yes-rating.yaml": b"sreladder: 1\nrole: sre\nanswers:\n  ir-p1-a: {rating: yes}\n",
        "bad-no-role.yaml": b"sreladder: 1\nrole: no\nanswers: {}\n",
        "bad-feb-30.yaml": plain.replace("2026-03-14", "2026-02-30").encode(),
        "bad-zero-date.yaml": plain.replace("2026-03-14", "0000-00-00").encode(),
        "bad-unknown-role.yaml": plain.replace("role: sre", "role: nope").encode(),
        "bad-target.yaml": plain.replace("target: P2", "target: P9").encode(),
        "bad-escape-key.yaml": HEAD + b'  "\\e[31mx": {rating: partially}\n',
        "bad-markup-rating.yaml": HEAD + b"  ir-p1-a: {rating: '[bold]c'}\n",
        "bad-duplicate.yaml": b"sreladder: 1\nrole: sre\nrole: sre\nanswers: {}\n",
        "bad-list.yaml": b"- sreladder: 1\n",
        "bad-version.yaml": b"sreladder: 99\nrole: sre\nanswers: {}\n",
        "bad-huge.yaml": b"sreladder: 1\nrole: sre\nanswers: {}\n# "
        + b"x" * (5 * 1024 * 1024)
        + b"\n",
        "bad-raw-escape.yaml": HEAD + b"  ir-p1-a: {rating: c}  # \x1b[2J\n",
        "bad-raw-c1.yaml": HEAD + b"  ir-p1-a: {rating: c\xc2\x9b}\n",
    }
    return files


#: where each rejected file must be reported (``file:`` alone where there is no line)
EXPECTED = {
    "bad-alias.yaml": "5:12: E006", "bad-billion-laughs.yaml": "2:8: E006",
    "bad-binary.yaml": "1:1: E003", "bad-deep-block-cr.yaml": "4:129: E007",
    "bad-deep-flow.yaml": "5:74: E007", "bad-deep-u2028.yaml": "3:129: E007",
    "bad-duplicate.yaml": "3:1: E005", "bad-escape-key.yaml": "4:3: E104",
    "bad-feb-30.yaml": "12:15: E004", "bad-huge.yaml": " E002",
    "bad-latin1.yaml": "3:20: E003", "bad-list.yaml": "1:1: E008",
    "bad-markup-rating.yaml": "4:21: E104", "bad-no-role.yaml": "2:7: E103",
    "bad-nul.yaml": "2:8: E003", "bad-target.yaml": "5:9: E302",
    "bad-unknown-role.yaml": "2:7: E301", "bad-utf16.yaml": "1:1: E003",
    "bad-version.yaml": "1:12: E104", "bad-yes-rating.yaml": "4:21: E104",
    "bad-zero-date.yaml": "12:15: E004", "bad-raw-escape.yaml": "4:27: E004",
    "bad-raw-c1.yaml": "4:22: E004",
}  # fmt: skip


def write(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths
