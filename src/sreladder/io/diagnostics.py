"""One record per problem found in a file, and the ways to print a list of them.

A ``Diagnostic`` is what every check in sreladder produces: where (path, 1-based line
and column when there is one), what (a stable code from ``CODES``), how bad (error or
warning) and a one-line message. Renderers return strings and never print.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: Stable finding codes. The first letter is the severity (E error, W warning).
#: The README's table is checked against this one by a test.
CODES: dict[str, str] = {
    "E001": "file cannot be read (missing, a folder, no permission)",
    "E002": "file too large",
    "E003": "not UTF-8 text (binary, NUL bytes, bad encoding)",
    "E004": "YAML syntax error (including tabs used for indentation)",
    "E005": "duplicate key in a mapping",
    "E006": "YAML anchors and aliases are not allowed",
    "E007": "nesting too deep",
    "E008": "not a single YAML mapping (empty file, list, several documents)",
    "E009": "reading the file crashed a worker process (`team` reports it and goes on)",
    "E101": "required key missing",
    "E102": "unknown key",
    "E103": "wrong type (includes YAML 1.1 surprises: `no` read as false, dates)",
    "E104": "value out of range or empty (weights, scoring values, blank text, ids)",
    "E105": "duplicate id",
    "E201": "unknown level scale (the role's `ladder`)",
    "E202": "unknown level (not in the role or its scale)",
    "E203": "levels out of the scale's order",
    "E204": "duplicate scale or role id across files",
    "E301": "assessment refers to an unknown role",
    "E302": "assessment target is not a level of its role",
    "W401": "identical text at two adjacent levels of a dimension",
    "W402": "a dimension skips a level between two of its cells",
    "W403": "assessment answers an expectation the role no longer has",
    "W404": "assessment was answered against a different version of the rubric",
    "W405": "file name does not match the id inside it",
}

# Every character that is not shown as itself: Unicode's control (Cc), format (Cf),
# line and paragraph separator (Zl, Zp) and surrogate (Cs) categories: C0/C1 controls,
# bidi overrides and isolates, zero-width space, word joiner, BOM, soft hyphen, the
# U+E0000 tag characters that can hide text. Kept: TAB and LF (handled above) and
# ZWNJ/ZWJ (U+200C/D), which scripts and emoji need. tests/test_terminal.py checks the
# class against unicodedata, so a new Unicode version cannot drift from it unseen.
HIDDEN = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891"
    "\u08e2\u180e\u200b\u200e-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_CONTROL = re.compile(HIDDEN)


def printable(text: str, limit: int = 200) -> str:
    """Make ``text`` safe for one line of terminal output: control characters shown
    as escapes (so an ANSI sequence in a key name cannot move the cursor), newlines
    as ``\\n``, and long text cut with an ellipsis."""
    text = text.replace("\n", "\\n").replace("\t", "\\t")
    text = _CONTROL.sub(shown_escaped, text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_escaped(match: re.Match[str]) -> str:
    """A matched hidden character as Python writes it: ``\\x1b``, ``\\u202e``, ``\\U000e0041``."""
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int | None
    col: int | None
    code: str
    severity: Severity
    message: str

    @classmethod
    def make(
        cls,
        path: str,
        code: str,
        message: str,
        line: int | None = None,
        col: int | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """``severity`` None: from the code's first letter (W warning, else error)."""
        severity = severity or ("warning" if code.startswith("W") else "error")
        return cls(printable(path, 500), line, col, code, severity, printable(message, 500))

    @property
    def location(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


def sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line or 0, d.col or 0, d.code)


def count(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings)"""
    errors = warnings = 0
    for d in diagnostics:
        if d.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def render_text(diagnostics: list[Diagnostic]) -> str:
    return "".join(f"{d}\n" for d in diagnostics)


def render_json(diagnostics: list[Diagnostic], *, failed: bool, checked: int) -> str:
    errors, warnings = count(diagnostics)
    return (
        json.dumps(
            {
                "status": "fail" if failed else "ok",
                "checked": checked,
                "errors": errors,
                "warnings": warnings,
                "findings": [asdict(d) for d in diagnostics],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub workflow commands, followed by the plain lines: a step shows only ten
    annotations of each kind, so the log must carry every finding as text too."""
    out = []
    for d in diagnostics:
        props = [f"file={_escape_property(d.path)}"]
        if d.line is not None:
            props += [f"line={d.line}", f"col={d.col or 1}"]
        props.append(f"title={d.code}")
        out.append(f"::{d.severity} {','.join(props)}::{_escape_data(d.message)}\n")
    # a plain line starting with "::" (a file named so) would be a workflow command
    plain = "".join(
        f" {line}" if line.startswith("::") else line
        for line in render_text(diagnostics).splitlines(keepends=True)
    )
    return "".join(out) + plain


RENDERERS = {"text": render_text, "github": render_github}
