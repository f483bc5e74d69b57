"""Strict YAML loading with source positions.

The rules, and why:

* safe loading only, with libyaml's C parser when PyYAML has it (``CSafeLoader``);
* a size limit per file (``MAX_BYTES``) and UTF-8 only: NUL bytes and bad encodings
  are refused before the parser sees them;
* duplicate keys are errors at any depth (PyYAML keeps the last one silently);
* anchors and aliases are refused: an alias bomb loads instantly as shared references
  and only explodes when something walks the tree;
* a nesting-depth limit (``MAX_DEPTH``): libyaml's composer recurses in C and a few
  tens of thousands of ``[`` crash the interpreter, so depth is bounded *before*
  composing. A cheap upper bound from the text clears ordinary files; only a file
  whose bound is over the limit pays for an exact, iterative event scan. The scan does
  not depend on the installed libyaml: some builds stop deep flow nesting with an error
  of their own before any event, and then the pure-Python parser finds the position.
* every YAML line break counts (``\r\n``, ``\r``, ``\n``, NEL, U+2028, U+2029: PyYAML
  reads YAML 1.1), in the pre-checks and in the positions of our own errors; a check
  that split on ``\n`` alone could be walked around with ``\r``.
* values PyYAML's constructors choke on (``0000-00-00``, 5,000-digit integers) become
  our own error with the value's position instead of a ``ValueError``.

YAML 1.1 resolution is kept on purpose (``no`` is false, ``2026-01-01`` is a date):
the models then reject such a value where text is expected, with a hint to quote it,
instead of silently reading the string a YAML 1.2 editor shows.

Every failure is a ``YamlError``: the only exception this module lets out.
Positions are computed only when something is wrong (``locate``).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """A file could not be read as strict YAML. ``line``/``col`` are 1-based."""

    def __init__(self, code: str, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


class _Refused(yaml.YAMLError):
    """Raised inside the constructor; turned into a YamlError by ``load``."""

    def __init__(self, code: str, message: str, mark: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark


class _StrictConstructorMixin:
    """Shared by the C and the pure-Python loader: a ``SafeLoader`` subclass alone
    does not change ``CSafeLoader``."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # type: ignore[attr-defined]
            raise _Refused("E006", "YAML anchors and aliases are not allowed", node.start_mark)
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError, TypeError) as exc:
            raise _Refused(
                "E004", f"cannot read this value: {str(exc).split(';')[0]}", node.start_mark
            ) from None

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        if not isinstance(node, MappingNode):
            raise _Refused("E004", "expected a mapping", node.start_mark)
        self.flatten_mapping(node)  # type: ignore[attr-defined]
        mapping: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in mapping
            except TypeError:
                raise _Refused(
                    "E004", "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if duplicate:
                earlier = first_seen[key]
                raise _Refused(
                    "E005",
                    f"duplicate key {str(key)!r} (first at line {earlier.line + 1})",
                    key_node.start_mark,
                )
            first_seen[key] = key_node.start_mark
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


class StrictLoader(_StrictConstructorMixin, _BaseLoader):  # type: ignore[misc, valid-type]
    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The implicit tag of a plain scalar depends on its text alone (there are no
        path resolvers): remember it for the short texts that recur (keys, ids, levels)."""
        if kind is ScalarNode and implicit[0] and len(value) <= 64:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < 50_000:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


_RESOLVED: dict[str, str] = {}


class StrictPythonLoader(_StrictConstructorMixin, yaml.SafeLoader):
    pass


_LEADING_INDICATORS = re.compile(r"^[ \-?:]*", re.MULTILINE)
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def unix_lines(text: str) -> str:
    """``text`` with every YAML line break written as ``\\n`` (line numbers unchanged:
    ``\\r\\n`` is one break), so line-based checks see the lines the parser sees."""
    if any(brk in text for brk in _OTHER_BREAKS):
        return _LINE_BREAK.sub("\n", text)
    return text


def line_and_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``, counting lines as YAML does."""
    before = unix_lines(text[:index])
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before) - line_start + 1


def depth_bound(text: str) -> int:
    """An upper bound on the nesting depth of ``text``, without parsing it.

    Block nesting needs indentation or a leading ``- ``/``? ``/``: `` indicator (a
    sequence under a key may share the key's column, so at most two levels per column;
    ``: - - - x`` after an explicit ``? key`` nests without indentation); flow nesting
    needs an opening bracket, and a ``[`` may open two levels (``[a: [a: …`` puts a
    single-pair mapping in each sequence). Characters inside scalars only raise the bound.
    """
    lead = max(map(len, _LEADING_INDICATORS.findall(unix_lines(text))), default=0)
    return 2 * lead + 4 + 2 * text.count("[") + text.count("{")


def over_depth_bound(text: str, limit: int = MAX_DEPTH) -> bool:
    """``depth_bound(text) > limit``, without listing every line's indentation: only a
    line indented past what the brackets leave of the budget can break it."""
    budget = limit - 4 - 2 * text.count("[") - text.count("{")
    if budget < 0:
        return True
    too_far = rf"^[ \-?:]{{{budget // 2 + 1},}}"
    return re.search(too_far, unix_lines(text), re.MULTILINE) is not None


def _exact_depth_check(text: str, loader: type) -> None:
    """E007 at the first node nested past ``MAX_DEPTH``. A libyaml that refuses deep flow
    nesting itself stops before any event: the pure-Python parser (iterative, no limit of
    its own) then scans the same text, so the result never depends on the libyaml build."""
    try:
        _scan_depth(text, loader)
    except yaml.YAMLError:
        if loader is StrictPythonLoader:
            raise
        _scan_depth(text, StrictPythonLoader)


def _scan_depth(text: str, loader: type) -> None:
    depth = 0
    opening = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, opening):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise YamlError(
                    "E007",
                    f"nested more than {MAX_DEPTH} levels deep",
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                )
        elif isinstance(event, closing):
            depth -= 1


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is allowed) or a YamlError pointing at the first bad byte. Any text
    file sreladder reads goes through here (YAML, brag documents)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError("E003", "UTF-16 text (a byte-order mark): save the file as UTF-8", 1, 1)
    nul = data.find(b"\x00")
    if nul != -1:
        line, col = _position_of_byte(data, nul)
        raise YamlError("E003", "binary data (a NUL byte), not text", line, col)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position_of_byte(data, exc.start)
        raise YamlError(
            "E003", f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line, col
        ) from None


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of the byte at ``offset``; what comes before it
    may itself be broken (a NUL after bad UTF-8), so undecodable bytes count as one."""
    before = data[:offset].decode("utf-8", errors="replace").removeprefix("\ufeff")
    return line_and_col(before, len(before))


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing unreadable and oversized files before reading them."""
    try:
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            # opening a named pipe or a device would wait for a writer forever
            raise YamlError("E001", "not a regular file (a pipe, socket or device)")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise YamlError("E001", "is a folder, not a file") from None
    except FileNotFoundError:
        raise YamlError("E001", "no such file") from None
    except PermissionError:
        raise YamlError("E001", "permission denied") from None
    except OSError as exc:
        raise YamlError("E001", f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise YamlError("E002", f"file is larger than {max_bytes // (1024 * 1024)} MiB")
    return data


def _from_yaml_error(exc: yaml.YAMLError, text: str) -> YamlError:
    if isinstance(exc, _Refused):
        mark = exc.mark
        return YamlError(exc.code, exc.message, mark.line + 1, mark.column + 1)
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        index = exc.position  # libyaml counts UTF-8 bytes, the Python reader characters
        if not (0 <= index < len(text) and ord(text[index]) == exc.character):
            index = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        line, col = line_and_col(text, index)
        return YamlError("E004", f"YAML error: {exc.reason} #x{exc.character:04x}", line, col)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context and problem else str(problem)
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        message += " (a tab: YAML allows only spaces for indentation)"
    code = "E008" if "expected a single document" in message else "E004"
    if mark is None:
        return YamlError(code, f"YAML error: {message}")
    return YamlError(code, f"YAML error: {message}", mark.line + 1, mark.column + 1)


def _char_at(text: str, line: int, column: int) -> str:
    lines = _LINE_BREAK.split(text, line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _first_alias(text: str, loader: type) -> tuple[int, int] | None:
    """Where the first alias is used: the constructor only sees the anchored node
    again, whose position is the anchor's. Error path only; depth is already bounded."""
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                return event.start_mark.line + 1, event.start_mark.column + 1
    except yaml.YAMLError:
        return None
    return None


def load(text: str) -> Any:
    """Parse one YAML document from ``text`` with all the rules above."""
    return load_document(text)[0]


def load_document(text: str) -> tuple[Any, Node | None]:
    """``load``, plus the node tree the data was built from: positions for findings
    at no extra cost (composing again would parse the file a second time)."""
    loader = StrictLoader
    try:
        if over_depth_bound(text):
            _exact_depth_check(text, loader)
        return _construct(text, loader)
    except yaml.YAMLError as exc:
        error = _from_yaml_error(exc, text)
        if error.code == "E006":
            error.line, error.col = _first_alias(text, loader) or (error.line, error.col)
        raise error from None
    except RecursionError:
        raise YamlError("E007", "nested too deeply") from None


def _construct(text: str, loader_class: type) -> tuple[Any, Node | None]:
    """What ``yaml.load`` does, keeping the root node. A file that cannot hold an
    anchor (nearly all) is built by ``_plain``; anything it does not handle is built
    again from the same nodes by the strict constructor, which reports it."""
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, root
        if not _MAYBE_ANCHOR.search(text):
            try:
                return _plain(root, loader), root
            except _NotPlain:
                pass
        return loader.construct_document(root), root
    finally:
        loader.dispose()


# An anchor is ``&`` and at least one character that is neither a space nor a flow
# indicator: text without one has no anchors, so no aliases (shared nodes).
_MAYBE_ANCHOR = re.compile(r"&[^\s\[\]{},]")
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = {
    tag: yaml.SafeLoader.yaml_constructors[tag]
    for tag in (
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    )
}


class _NotPlain(Exception):
    """``_plain`` met something only the strict constructor handles or reports."""


def _plain(node: Node, loader: Any) -> Any:
    """The data of an alias-free node tree with only the common tags: the same result
    as the strict constructor, several times faster (the hot path of every command).
    Depth is already bounded. Duplicate or unhashable keys, merge keys, other tags and
    values the constructors refuse raise ``_NotPlain``."""
    tag = node.tag
    if isinstance(node, ScalarNode):
        if tag == _STR:
            return node.value
        construct = _SCALARS.get(tag)
        if construct is None:
            raise _NotPlain
        try:
            return construct(loader, node)
        except Exception:
            raise _NotPlain from None
    if tag == _MAP and isinstance(node, MappingNode):
        pairs = node.value
        try:
            mapping = {_plain(k, loader): _plain(v, loader) for k, v in pairs}
        except TypeError:
            raise _NotPlain from None
        if len(mapping) != len(pairs):
            raise _NotPlain
        return mapping
    if tag == _SEQ and isinstance(node, SequenceNode):
        return [_plain(item, loader) for item in node.value]
    raise _NotPlain


def load_bytes(data: bytes) -> Any:
    return load(decode(data))


# --- positions (error path only) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    col: int


def compose(text: str) -> Node | None:
    """The node tree of an already-validated document, for positions."""
    try:
        return yaml.compose(text, Loader=StrictLoader)
    except yaml.YAMLError:
        return None


def _walk(root: Node, loc: Sequence[str | int]) -> tuple[Node, Node | None]:
    """Follow ``loc`` as far as it leads: (the node reached, the key node that led to
    it when the last step that moved was a mapping key). Parts that name no node (a
    union branch's type name, for example) are skipped."""
    node: Node = root
    via_key: Node | None = None
    for part in loc:
        if isinstance(node, MappingNode):
            found = _keys_of(node).get(str(part))
            if found is not None:
                via_key, node = found
        elif (
            isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
        ):
            node, via_key = node.value[part], None
    return node, via_key


def _keys_of(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    """The mapping's scalar keys -> (key node, value node), the first of duplicates;
    built once per node, so locating many findings in a large mapping stays linear."""
    index = node.__dict__.get("_sreladder_keys")
    if index is None:
        index = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                index.setdefault(key_node.value, (key_node, value_node))
        node.__dict__["_sreladder_keys"] = index
    return index


def locate(root: Node | None, loc: Sequence[str | int], *, key: bool = False) -> Position | None:
    """The position of the node at ``loc`` (a Pydantic-style location), or of the
    deepest node on the way there when the rest does not exist (a missing key is
    reported at its parent). With ``key``, a mapping key points at the key rather
    than at its value (unknown keys, duplicate ids)."""
    if root is None:
        return None
    node, via_key = _walk(root, loc)
    at = via_key if (key and via_key is not None) else node
    return Position(at.start_mark.line + 1, at.start_mark.column + 1)


def scalar_text(root: Node | None, loc: Sequence[str | int]) -> str | None:
    """The source text of the scalar at ``loc``, e.g. ``no`` where YAML read false."""
    if root is None:
        return None
    node, _ = _walk(root, loc)
    return node.value if isinstance(node, ScalarNode) else None


def key_text(root: Node | None, loc: Sequence[str | int], value: Any) -> str | None:
    """The source text of the key of the mapping at ``loc`` that YAML read as ``value``
    (error path: a key that is not text, such as a date or a boolean)."""
    if root is None:
        return None
    node, _ = _walk(root, loc)
    if not isinstance(node, MappingNode):
        return None
    for key_node, _ in node.value:
        if not isinstance(key_node, ScalarNode):
            continue
        if isinstance(value, str):
            if key_node.value == value:
                return key_node.value
            continue
        try:
            parsed = None if key_node.style else yaml.load(key_node.value, Loader=StrictLoader)
        except yaml.YAMLError:
            continue
        if type(parsed) is type(value) and parsed == value:
            return key_node.value
    return None
