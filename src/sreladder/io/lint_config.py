"""Where ``sreladder lint`` takes its settings from, and the inline ignore comments.

A repository configures lint in ``.sreladder.yaml`` (under a ``lint:`` key) or in
``pyproject.toml`` (``[tool.sreladder.lint]``). The nearest folder that has either,
walking up from the linted file, wins; in one folder ``.sreladder.yaml`` comes first.
Keys (all optional)::

    select: [L501, L503]          # only these rules (prefixes allowed: L50)
    ignore: [L504]                # never these
    min-words: 3                  # L504
    max-words: 40                 # L504
    max-verbs: 2                  # L503: more coordinated verbs than this
    similarity: 0.85              # L506: share of words in common
    level-growth: 2               # L508: times the median
    dimension-share: 0.4          # L509
    extra-verbs: [terraform]      # verbs of the trade the heuristic does not know
    acknowledge:                  # findings accepted on purpose, each with its reason
      - path: roles/ops-sre.yaml  # glob, relative to the config's folder
        codes: [L502]
        ids: [exp-l4-a]           # optional: expectation, dimension or level ids
        sources: [003_x.txt]      # optional: expectations citing these sources
        reason: the seed states these as proficiencies; rubric text keeps its words

An expectation can also carry ``# sreladder: ignore[L505]`` on its line or the line
above (``# sreladder: ignore`` alone ignores every rule there).
"""

from __future__ import annotations

import bisect
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Self

from pydantic import ConfigDict, Field, ValidationError, model_validator
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sreladder.core.errors import SreladderError
from sreladder.core.lint import LintFinding, Settings, unknown_codes
from sreladder.core.models import FileModel
from sreladder.io import yamlio

CONFIG_YAML = ".sreladder.yaml"
PYPROJECT = "pyproject.toml"

Codes = list[Annotated[str, Field(pattern=r"^[A-Za-z]\d{0,3}$")]]


class _Strict(FileModel):
    # strict: `max-words: true` is not 1, `similarity: "0.8"` is not a number
    model_config = ConfigDict(populate_by_name=True, strict=True)


class Acknowledgement(_Strict):
    path: str = "*"
    codes: Codes = Field(min_length=1)
    ids: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    reason: str = Field(pattern=r"\S", description="why the finding is accepted")


class LintSection(_Strict):
    select: Codes = Field(default_factory=list)
    ignore: Codes = Field(default_factory=list)
    min_words: int = Field(3, alias="min-words", ge=0)
    max_words: int = Field(40, alias="max-words", ge=1)
    max_verbs: int = Field(2, alias="max-verbs", ge=1)
    similarity: float = Field(0.85, gt=0, le=1)
    level_growth: float = Field(2.0, alias="level-growth", gt=0)
    dimension_share: float = Field(0.4, alias="dimension-share", gt=0, le=1)
    extra_verbs: list[str] = Field(default_factory=list, alias="extra-verbs")
    acknowledge: list[Acknowledgement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_words > self.max_words:
            raise ValueError(f"min-words ({self.min_words}) is above max-words ({self.max_words})")
        return self


@dataclass(frozen=True)
class LintConfig:
    """The settings for one linted file, and the folder its config came from."""

    section: LintSection = field(default_factory=LintSection)
    root: Path | None = None  # the config's folder; None: defaults, no file
    origin: str | None = None

    @property
    def settings(self) -> Settings:
        s = self.section
        return Settings(
            min_words=s.min_words,
            max_words=s.max_words,
            max_verbs=s.max_verbs,
            similarity=s.similarity,
            level_growth=s.level_growth,
            dimension_share=s.dimension_share,
            extra_verbs=frozenset(v.casefold() for v in s.extra_verbs),
        )

    def acknowledged(self, path: Path, finding: LintFinding) -> bool:
        relative = self._relative(path)
        for ack in self.section.acknowledge:
            if not fnmatch.fnmatch(relative, ack.path):
                continue
            if not any(finding.code.startswith(c) for c in ack.codes):
                continue
            if ack.ids and not finding.ids & set(ack.ids):
                continue
            if ack.sources and not finding.sources & set(ack.sources):
                continue
            return True
        return False

    def _relative(self, path: Path) -> str:
        if self.root is None:
            return path.as_posix()
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return path.as_posix()


def _section_from_yaml(path: Path) -> dict | None:
    try:
        data = yamlio.load(yamlio.decode(yamlio.read_bytes(path)))
    except yamlio.YamlError as exc:
        where = f":{exc.line}" if exc.line else ""
        raise SreladderError(f"{path}{where}: {exc.message}") from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise SreladderError(f"{path}: expected a mapping with a `lint:` key")
    section = data.get("lint")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise SreladderError(f"{path}: `lint` must be a mapping")
    return section


def _section_from_pyproject(path: Path) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SreladderError(f"{path}: not valid TOML: {exc}") from None
    section = data.get("tool", {}).get("sreladder", {}).get("lint")
    if section is not None and not isinstance(section, dict):
        raise SreladderError(f"{path}: [tool.sreladder.lint] must be a table")
    return section


def parse_section(raw: dict, origin: str) -> LintSection:
    try:
        section = LintSection.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "lint"
        raise SreladderError(f"{origin}: lint config: {where}: {error['msg']}") from None
    codes = [
        *section.select,
        *section.ignore,
        *(c for ack in section.acknowledge for c in ack.codes),
    ]
    unknown = unknown_codes(codes)
    if unknown:
        raise SreladderError(f"{origin}: lint config: unknown rule code(s) {', '.join(unknown)}")
    return section


def _config_in(folder: Path) -> LintConfig | None:
    candidate = folder / CONFIG_YAML
    if candidate.is_file():
        raw = _section_from_yaml(candidate)
        if raw is not None:
            return LintConfig(parse_section(raw, str(candidate)), folder, str(candidate))
    candidate = folder / PYPROJECT
    if candidate.is_file():
        raw = _section_from_pyproject(candidate)
        if raw is not None:
            return LintConfig(parse_section(raw, str(candidate)), folder, str(candidate))
    return None


class ConfigFinder:
    """Finds the config that governs a path: the nearest one above it, else the
    defaults. Each folder is read once per finder (one finder per run)."""

    def __init__(self) -> None:
        self._seen: dict[Path, LintConfig | None] = {}

    def _in(self, folder: Path) -> LintConfig | None:
        if folder not in self._seen:
            self._seen[folder] = _config_in(folder)
        return self._seen[folder]

    def config_for(self, path: Path) -> LintConfig:
        try:
            start = path.resolve()
        except OSError:
            return LintConfig()
        folder = start if start.is_dir() else start.parent
        for candidate in (folder, *folder.parents):
            found = self._in(candidate)
            if found is not None:
                return found
        return LintConfig()


# --- inline comments -----------------------------------------------------------------

_INLINE = re.compile(r"(?:^|\s)#\s*sreladder:\s*ignore(?:\[([A-Za-z0-9,\s]*)\])?")


Comments = dict[int, tuple[frozenset[str] | None, bool]]


def inline_ignores(text: str, root: Node | None = None) -> Comments:
    """Line number (1-based) -> (the codes its comment ignores, None for every code;
    whether the line is nothing but that comment). Only real YAML comments count: a
    ``# sreladder: ignore`` inside a scalar (quoted text, a block scalar) is text, found
    by the scalars' spans in ``root``, the file's node tree."""
    spans = sorted(_scalar_spans(root)) if root is not None else []
    starts = [start for start, _ in spans]
    out: Comments = {}
    for number, line in enumerate(yamlio.unix_lines(text).split("\n"), start=1):
        if "sreladder" not in line:
            continue
        match = _INLINE.search(line)
        if not match:
            continue
        at = (number - 1, match.start() + (match.group(0)[0] != "#"))
        inside = bisect.bisect_right(starts, at) - 1
        if inside >= 0 and at < spans[inside][1]:
            continue  # part of a scalar's text, not a comment
        codes = match.group(1)
        chosen = (
            None if codes is None else frozenset(c.strip() for c in codes.split(",") if c.strip())
        )
        out[number] = (chosen, line.lstrip().startswith("#"))
    return out


def _scalar_spans(root: Node) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    spans, todo = [], [root]
    while todo:
        node = todo.pop()
        if isinstance(node, ScalarNode):
            start, end = node.start_mark, node.end_mark
            spans.append(((start.line, start.column), (end.line, end.column)))
        elif isinstance(node, MappingNode):
            todo += [part for pair in node.value for part in pair]
        elif isinstance(node, SequenceNode):
            todo += node.value
    return spans


def ignored_inline(comments: Comments, lines: set[int], code: str) -> bool:
    """Whether a comment on one of ``lines``, or a comment-only line just above one of
    them, ignores ``code``. (A comment ending the line above belongs to that line.)"""
    for line in lines:
        for candidate, needs_own_line in ((line, False), (line - 1, True)):
            codes, own_line = comments.get(candidate, (frozenset(), False))
            if needs_own_line and not own_line:
                continue
            if codes is None or any(code.startswith(c) for c in codes):
                return True
    return False
