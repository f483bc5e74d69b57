"""Reading a source file's bytes and text: size limits, encodings, one clear error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sreladder.core.cell_text import unwrap
from sreladder.core.errors import SreladderError
from sreladder.io import yamlio

MAX_BYTES = 32 * 1024 * 1024
FENCE = re.compile(r"^ {0,3}(```|~~~)")  # a fenced code block starts or ends
KEPT_COMMENT = re.compile(r"^\s*<!--\s*sreladder\s")  # what an export keeps: read


def read_bytes(path: Path, name: str) -> bytes:
    try:
        return yamlio.read_bytes(path, MAX_BYTES)
    except yamlio.YamlError as exc:
        raise SreladderError(f"{name}: {exc.message}") from None


def decode_text(data: bytes, name: str) -> str:
    """Text in UTF-8 (with or without a BOM), UTF-16 with a BOM, else cp1252 (what
    spreadsheets on Windows save as "CSV"); NUL bytes mean it is not text at all."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SreladderError(f"{name}: damaged UTF-16 text") from None
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise SreladderError(f"{name}:{line}: binary data (a NUL byte), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def load_yaml(text: str, name: str, first_line: int = 1) -> tuple[Any, Any]:
    """(data, node tree) with the strict loader; errors name the file and line."""
    try:
        return yamlio.load_document(text)
    except yamlio.YamlError as exc:
        where = f"{name}:{exc.line + first_line - 1}" if exc.line else name
        raise SreladderError(f"{where}: {exc.message}") from None


def line_of(root: Any, loc: tuple, first_line: int = 1) -> int:
    position = yamlio.locate(root, loc)
    return (position.line if position else 1) + first_line - 1


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(the YAML between the opening and closing ``---`` lines, the rest of the page
    with the front matter's lines left blank so line numbers hold, the line the YAML
    starts on). No front matter: (None, text, 1)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            block = "\n".join(lines[1:end])
            return block, "\n" * end + "\n".join(lines[end:]).removeprefix(lines[end]), 2
    return None, text, 1


def page_body(text: str, name: str) -> tuple[str | None, str]:
    """(the front matter's ``title``, the page below it, line numbers kept) for a page
    whose front matter is not the ladder itself: a front matter that does not parse
    is skipped, not an error."""
    block, body, first = split_front_matter(text)
    if block is None:
        return None, text
    try:
        data, _ = load_yaml(block, name, first)
    except SreladderError:
        return None, body
    title = data.get("title") if isinstance(data, dict) else None
    return (title.strip() if isinstance(title, str) and title.strip() else None), body


def front_matter(text: str, name: str) -> tuple[Any, Any, str, int]:
    """(data, node tree, page body, first line of the YAML); data None without one."""
    block, body, first = split_front_matter(text)
    if block is None:
        return None, None, text, 1
    data, root = load_yaml(block, name, first)
    return data, root, body, first


class Located:
    """Positions and errors for data read from YAML: ``where`` a location is in the
    file, ``fail`` one clear error naming it."""

    def __init__(self, root: Any, name: str, first: int):
        self.root, self.name, self.first = root, name, first

    def where(self, loc: tuple) -> str:
        return f"{self.name}:{line_of(self.root, loc, self.first)}"

    def fail(self, loc: tuple, message: str) -> SreladderError:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        return SreladderError(f"{self.where(loc)}: {path}: {message}")

    def texts(self, value: Any, loc: tuple) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(loc, "expected a list")
        out = []
        for n, item in enumerate(value):
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                raise self.fail((*loc, n), "expected text")
            if str(item).strip():
                out.append(unwrap(str(item)))
        return out


def without_code_and_comments(text: str) -> str:
    """``text`` with fenced code blocks and HTML comments blanked (line numbers kept):
    a table shown as an example or commented out is no part of the ladder. A whole-line
    ``<!-- sreladder ... -->`` comment, which an export writes, is kept."""
    out: list[str] = []
    fence: str | None = None
    in_comment = False
    for line in text.split("\n"):
        if in_comment:
            end = line.find("-->")
            if end == -1:
                out.append("")
                continue
            line, in_comment = line[end + 3 :], False
        elif fence is not None:
            if line.lstrip().startswith(fence):
                fence = None
            out.append("")
            continue
        elif (opening := FENCE.match(line)) is not None:
            fence = opening.group(1)
            out.append("")
            continue
        if KEPT_COMMENT.match(line):
            out.append(line)
            continue
        line, in_comment = _uncommented(line)
        out.append(line)
    return "\n".join(out)


def _uncommented(line: str) -> tuple[str, bool]:
    """(the line without its comments, whether a comment stays open past its end)."""
    kept = []
    while (start := line.find("<!--")) != -1:
        kept.append(line[:start])
        end = line.find("-->", start + 4)
        if end == -1:
            return "".join(kept), True
        line = line[end + 3 :]
    kept.append(line)
    return "".join(kept), False
