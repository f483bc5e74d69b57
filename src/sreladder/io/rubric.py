"""Finding, loading and checking rubric sets and assessment files.

A rubric set is a folder with ``levels/`` (level scales) and ``roles/`` (role rubrics).
Which folder: ``--data DIR``, else ``$SRELADDER_DATA``, else the built-in ladders.
A role's ``ladder`` is looked up among the scales beside it, then among the built-in
ones, so a company can write its own roles on a shipped scale.

Problems travel as :class:`~sreladder.io.diagnostics.Diagnostic` values, never as
exceptions: a file that fails still lets every other file be checked. Positions are
worked out only for files that have something to report.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from yaml.nodes import Node

from sreladder.core import checks, models
from sreladder.core.errors import SreladderError
from sreladder.core.findings import Finding, Loc
from sreladder.core.models import Assessment, LevelScale, Role
from sreladder.core.rubric_set import RubricSet
from sreladder.io import cache, yamlio
from sreladder.io.diagnostics import Diagnostic

Kind = Literal["scale", "role", "assessment", "answers", "lexicon"]
MODELS: dict[Kind, Any] = {
    "scale": LevelScale,
    "role": Role,
    "assessment": Assessment,
}


def _model_for(kind: Kind) -> Any:
    if kind == "lexicon":  # the evidence commands' file: not imported for the others
        from sreladder.core.lexicon import Lexicon

        return Lexicon
    if kind == "answers":  # assess --answers only (a RootModel: see core.answer_map)
        from sreladder.core.answer_map import AnswerMap

        return AnswerMap
    return MODELS[kind]


YAML_SUFFIXES = (".yaml", ".yml")
ENV_DATA = "SRELADDER_DATA"


def builtin_data_dir() -> Path:
    """The ladders shipped with sreladder: inside the installed package, or the
    repository's ``data/`` when running from a source checkout (editable install)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "data"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "data"


def resolve_data_dir(option: Path | None) -> Path:
    if option is not None:
        return option
    env = os.environ.get(ENV_DATA)
    return Path(env) if env else builtin_data_dir()


class RubricError(SreladderError):
    """The rubric set could not be loaded; ``diagnostics`` says why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        errors = [d for d in diagnostics if d.severity == "error"]
        shown = "\n".join(f"  {d}" for d in errors[:10])
        more = f"\n  … and {len(errors) - 10} more" if len(errors) > 10 else ""
        super().__init__(
            f"the rubric has {len(errors)} error(s); run `sreladder validate` for all:\n"
            f"{shown}{more}"
        )
        self.diagnostics = diagnostics


# --- one file ----------------------------------------------------------------------


@dataclass
class SourceFile:
    """A file's text, with its node tree (kept from loading, or composed on first need)."""

    display: str
    text: str
    _root: Node | None = field(default=None, repr=False)
    _composed: bool = field(default=False, repr=False)

    @property
    def root(self) -> Node | None:
        if not self._composed:
            self._root = yamlio.compose(self.text)
            self._composed = True
        return self._root

    def release(self) -> None:
        """Drop the node tree (it can be ten times the size of the data)."""
        self._root, self._composed = None, False

    def diagnostic(self, loc: Loc, code: str, message: str, at_key: bool = False) -> Diagnostic:
        position = yamlio.locate(self.root, loc, key=at_key)
        if position is None:
            return Diagnostic.make(self.display, code, message)
        return Diagnostic.make(self.display, code, message, position.line, position.col)

    def from_findings(self, found: Iterable[Finding]) -> list[Diagnostic]:
        return [self.diagnostic(f.loc, f.code, f.message, f.at_key) for f in found]


@dataclass
class LoadedFile:
    path: Path
    kind: Kind | None
    model: Any  # LevelScale | Role | Assessment | None
    source: SourceFile | None
    diagnostics: list[Diagnostic]


def display_path(path: Path) -> str:
    """Relative to the working directory when below it, as people typed it otherwise."""
    if not path.is_absolute() and ".." not in path.parts:
        return str(path)  # already relative to it; resolving costs two syscalls per folder
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _guess_kind(data: dict, path: Path) -> Kind | None:
    if "sreladder" in data:
        return "assessment"
    if "dimensions" in data or "ladder" in data:
        return "role"
    if isinstance(data.get("levels"), list):
        return "scale"
    return {"roles": "role", "levels": "scale"}.get(path.parent.name)  # type: ignore[return-value]


#: kinds never cached: an assessment is personal data, and a copy must not outlive its file
PERSONAL: frozenset[Kind | None] = frozenset({"assessment", "answers"})


def load_file(path: Path, kind: Kind | None = None, *, cached: bool = True) -> LoadedFile:
    """Read, parse and validate one file (its within-file rules included).
    ``kind`` None: tell from the content. ``cached``: a ladder, scale or lexicon file
    seen before with the same bytes is not parsed or validated again
    (:mod:`sreladder.io.cache`); an assessment is always read (never stored)."""
    display = display_path(path)
    cached = cached and kind not in PERSONAL
    try:
        raw = yamlio.read_bytes(path)
        text = yamlio.decode(raw)
        # the path itself too: the kind can follow from its folder, W405 from its name
        entry = cache.key(raw, kind or "", str(path), display) if cached else None
        hit = cache.get(entry) if entry else None
        if hit is not None:
            found_kind, model, diagnostics = hit
            return LoadedFile(path, found_kind, model, SourceFile(display, text), diagnostics)
        data, root = yamlio.load_document(text)
    except yamlio.YamlError as exc:
        diagnostic = Diagnostic.make(display, exc.code, exc.message, exc.line, exc.col)
        return LoadedFile(path, kind, None, None, [diagnostic])
    source = SourceFile(display, text, root, True)
    try:
        loaded = _load_data(path, kind, display, data, source)
    finally:
        source.release()  # keep models, not node trees: recomposed if ever needed again
    if entry and loaded.model is not None and loaded.kind not in PERSONAL:
        cache.put(entry, (loaded.kind, loaded.model, loaded.diagnostics))
    return loaded


def _load_data(
    path: Path, kind: Kind | None, display: str, data: Any, source: SourceFile
) -> LoadedFile:
    if not isinstance(data, dict):
        what = "an empty file" if data is None else f"a {_kind_of(data)}"
        message = f"expected a mapping at the top of the file, found {what}"
        return LoadedFile(
            path, kind, None, source, [Diagnostic.make(display, "E008", message, 1, 1)]
        )
    kind = kind or _guess_kind(data, path)
    if kind == "answers" and "sreladder" in data:
        kind = "assessment"  # an --answers file may be a whole assessment
    if kind is None:
        message = (
            "cannot tell what this file is: expected a level scale (`levels:` list), "
            "a role (`ladder:`, `dimensions:`) or an assessment (`sreladder: 1`)"
        )
        return LoadedFile(
            path, None, None, source, [Diagnostic.make(display, "E008", message, 1, 1)]
        )
    try:
        model = _model_for(kind).model_validate(data, context={"deferred_checks": True})
    except ValidationError as exc:
        return LoadedFile(path, kind, None, source, _validation_diagnostics(exc, source))
    diagnostics = source.from_findings(models.findings(model))
    if kind in ("scale", "role") and path.stem != model.id:
        diagnostics.append(
            source.diagnostic(
                ("id",), "W405", f"file is named {path.name!r} but holds {kind} {model.id!r}"
            )
        )
    has_error = any(d.severity == "error" for d in diagnostics)
    return LoadedFile(path, kind, None if has_error else model, source, diagnostics)


# --- Pydantic errors as diagnostics ---------------------------------------------------

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "datetime_type": "a date and time (2026-11-22T10:00:00Z)",
    "datetime_parsing": "a date and time (2026-11-22T10:00:00Z)",
    "datetime_from_date_parsing": "a date and time (2026-11-22T10:00:00Z)",
}


def _kind_of(value: Any) -> str:
    import datetime as dt

    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, dt.date):
        return "date"
    if value is None:
        return "nothing (null)"
    return type(value).__name__


def _yaml_hint(value: Any, raw: str | None) -> str:
    import datetime as dt

    if raw is None:
        return ""
    if isinstance(value, bool):
        return f" (YAML reads {raw} as {str(value).lower()}: quote it, '{raw}')"
    if isinstance(value, dt.date):
        return f" (YAML reads {raw} as a date: quote it, '{raw}')"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f" (quote it if it is text: '{raw}')"
    return ""


def error_text(error: Mapping[str, Any]) -> str:
    """One Pydantic error of data that has no file, in the words a file's would get."""
    where = ".".join(str(part) for part in error["loc"][:-1])
    message = _message(error, None)[1]
    return f"{where}.{message}" if where else message


def _message(error: Mapping[str, Any], source: SourceFile | None) -> tuple[str, str, bool]:
    """(code, message, at_key) for one Pydantic error."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    name = str(loc[-1]) if loc else "file"
    if kind == "missing":
        return "E101", f"missing required key {name!r}", False
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "E102", f"unknown key {name!r}", True
    if kind in _EXPECTED:
        if kind.startswith("model") or kind == "dict_type":
            expected = "a mapping"
        else:
            expected = _EXPECTED[kind]
        raw = error.get("key_text") or (yamlio.scalar_text(source.root, loc) if source else None)
        hint = _yaml_hint(value, raw) if kind == "string_type" else ""
        if "key_text" in error:
            name = f"key {error['key_text']}"
        return "E103", f"{name}: expected {expected}, got {_kind_of(value)}{hint}", False
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern == r"\S":
            return "E104", f"{name}: must not be empty", False
        return (
            "E104",
            f"{name}: {str(value)!r} is not a valid id (letters, digits, '-', '_', '.'; "
            "starting with a letter or digit; at most 64)",
            False,
        )
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "one of the allowed values")
        return "E104", f"{name}: must be {expected}, not {_kind_of(value)} {value!r}", False
    if kind == "too_short" and isinstance(value, list | dict):
        return "E104", f"{name}: must not be empty", False
    if kind == "value_error" and name == "sreladder":
        return (
            "E104",
            f"unsupported assessment format version {value!r} (this sreladder reads 1)",
            False,
        )
    return "E104", f"{name}: {error['msg'].removeprefix('Value error, ')}", False


def _key_error(error: dict, source: SourceFile) -> dict:
    """Pydantic locates a bad mapping key as (..., repr(key), "[key]"); point at the key
    as written in the file instead (``2026-01-01:`` read as a date, ``no:`` as false)."""
    parent = tuple(error["loc"][:-2])
    raw = yamlio.key_text(source.root, parent, error.get("input"))
    if raw is None:
        return {**error, "loc": parent}
    return {**error, "loc": (*parent, raw), "key_text": raw}


def _validation_diagnostics(exc: Any, source: SourceFile) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple] = set()
    for error in exc.errors(include_url=False, include_context=True, include_input=True):
        if error["loc"] and error["loc"][-1] == "[key]":
            error = _key_error(error, source)
        code, message, at_key = _message(error, source)
        at_key = at_key or "key_text" in error
        loc = tuple(error["loc"])
        if code == "E101":
            loc = loc[:-1]
        diagnostic = source.diagnostic(loc, code, message, at_key)
        marker = (diagnostic.line, diagnostic.col, code)
        if marker not in seen:  # a union reports once per branch
            seen.add(marker)
            out.append(diagnostic)
    return out


# --- rubric sets -----------------------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


def is_rubric_dir(path: Path) -> bool:
    return path.is_dir() and ((path / "levels").is_dir() or (path / "roles").is_dir())


def check_rubric_dir(
    folder: Path, fallback_scales: dict[str, LevelScale] | None = None, *, cached: bool = True
) -> tuple[RubricSet, list[Diagnostic], int]:
    """Load and check every file of a rubric folder: (what loaded, findings, files read)."""
    rubric = RubricSet()
    diagnostics: list[Diagnostic] = []
    if not is_rubric_dir(folder):
        message = "not a rubric folder: it has neither levels/ nor roles/ inside"
        return rubric, [Diagnostic.make(display_path(folder), "E001", message)], 0
    scale_files = [load_file(p, "scale", cached=cached) for p in _yaml_files(folder / "levels")]
    role_files = [load_file(p, "role", cached=cached) for p in _yaml_files(folder / "roles")]
    for loaded in (*scale_files, *role_files):
        diagnostics += loaded.diagnostics
    for loaded, table in [(f, rubric.scales) for f in scale_files] + [
        (f, rubric.roles) for f in role_files
    ]:
        model, source = loaded.model, loaded.source
        if model is None or source is None:
            continue
        key = (loaded.kind or "", model.id)
        if model.id in table:
            first = display_path(rubric.origin[key])
            diagnostics.append(
                source.diagnostic(
                    ("id",), "E204", f"{loaded.kind} {model.id!r} is also defined in {first}"
                )
            )
            continue
        table[model.id] = model
        rubric.origin[key] = loaded.path
    scales = {**(fallback_scales or {}), **rubric.scales}
    for loaded in role_files:
        role: Role | None = loaded.model
        if role is None or loaded.source is None or rubric.roles.get(role.id) is not role:
            continue
        found = checks.role_scale_findings(role, scales.get(role.ladder), scales)
        diagnostics += loaded.source.from_findings(found)
        if any(f.code.startswith("E") for f in found):
            del rubric.roles[role.id]
    # A built-in scale joins the set only when one of the folder's roles stands on it,
    # so `sreladder levels --data DIR` lists that folder's ladders, not ours as well.
    for scale_id in {role.ladder for role in rubric.roles.values()}:
        if scale_id in scales:
            rubric.scales.setdefault(scale_id, scales[scale_id])
    return rubric, diagnostics, len(scale_files) + len(role_files)


@functools.cache
def _builtin() -> tuple[RubricSet, tuple[Diagnostic, ...]]:
    rubric, diagnostics, _ = check_rubric_dir(builtin_data_dir())
    return rubric, tuple(diagnostics)


@functools.cache
def _builtin_scales() -> dict[str, LevelScale]:
    """The shipped scales alone: the fallback for other folders needs no shipped role."""
    scales: dict[str, LevelScale] = {}
    for path in _yaml_files(builtin_data_dir() / "levels"):
        scale = load_file(path, "scale").model
        if scale is not None:
            scales.setdefault(scale.id, scale)
    return scales


def builtin_scales() -> dict[str, LevelScale]:
    return dict(_builtin_scales())


def _fallback_for(folder: Path) -> dict[str, LevelScale]:
    try:
        if folder.resolve() == builtin_data_dir().resolve():
            return {}
    except OSError:
        pass
    return builtin_scales()


def load_rubric(data_dir: Path | None = None) -> RubricSet:
    """The rubric set for a command, or a RubricError if it has errors."""
    folder = resolve_data_dir(data_dir)
    if folder == builtin_data_dir():
        rubric, diagnostics = _builtin()
    else:
        if not folder.is_dir():
            raise SreladderError(
                f"{display_path(folder)}: no such folder (from --data or ${ENV_DATA})"
            )
        rubric, found, _ = check_rubric_dir(folder, _fallback_for(folder))
        diagnostics = tuple(found)
    if any(d.severity == "error" for d in diagnostics):
        raise RubricError(list(diagnostics))
    return rubric


# --- validate ----------------------------------------------------------------------------


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: int = 0


def validate_paths(
    paths: list[Path], data_dir: Path | None = None, *, cached: bool = True
) -> Report:
    """Everything ``sreladder validate`` checks. No paths: the rubric in use.
    ``cached``: rubric folders and files named one by one go through the cache; the
    files found in any other folder never do (a folder of assessments is read once,
    like ``team``'s, and would only fill the cache)."""
    report = Report()
    for path in paths or [resolve_data_dir(data_dir)]:
        if is_rubric_dir(path):
            _, found, checked = check_rubric_dir(path, _fallback_for(path), cached=cached)
            report.diagnostics += found
            report.checked += checked
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            if not files:  # a mistyped folder must not turn CI green
                message = "no YAML files here (a rubric folder has levels/ and roles/)"
                report.diagnostics.append(Diagnostic.make(display_path(path), "E001", message))
            for file in files:
                report.diagnostics += _check_single(file, data_dir, cached=False)
            report.checked += len(files)
        else:
            report.diagnostics += _check_single(path, data_dir, cached=cached)
            report.checked += 1
    return report


def _check_single(path: Path, data_dir: Path | None, *, cached: bool) -> list[Diagnostic]:
    loaded = load_file(path, cached=cached)
    if loaded.model is None or loaded.source is None:
        return loaded.diagnostics
    diagnostics = loaded.diagnostics
    if loaded.kind == "role":
        scales = _fallback_for(path.parent.parent)
        siblings = path.parent.parent / "levels"
        if path.parent.name == "roles" and siblings.is_dir():
            for scale_file in _yaml_files(siblings):
                scale = load_file(scale_file, "scale", cached=cached).model
                if scale is not None:
                    scales.setdefault(scale.id, scale)
        found = checks.role_scale_findings(loaded.model, scales.get(loaded.model.ladder), scales)
        diagnostics += loaded.source.from_findings(found)
    elif loaded.kind == "assessment":
        try:
            rubric = load_rubric(data_dir)
        except SreladderError as exc:
            return [
                *diagnostics,
                Diagnostic.make(
                    loaded.source.display, "E301", f"cannot check against the rubric: {exc}"
                ),
            ]
        diagnostics += check_against(loaded, rubric)[1]
    return diagnostics


def check_against(
    loaded: LoadedFile, rubric: RubricSet, *, errors_only: bool = False
) -> tuple[Role | None, list[Diagnostic]]:
    """A loaded assessment against ``rubric``: its role (None if unknown, which is an
    error) and the findings (a known role, target and claimed levels that are its own),
    with positions. ``errors_only`` does not locate warnings: the node tree is gone by
    now, so locating one parses the file again."""
    role = rubric.roles.get(loaded.model.role)
    found = checks.assessment_findings(loaded.model, role, rubric.roles)
    if errors_only:
        found = [f for f in found if f.code.startswith("E")]
    return role, loaded.source.from_findings(found)  # type: ignore[union-attr]
