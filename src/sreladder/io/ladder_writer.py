"""Saving an imported ladder as a rubric folder, all or nothing.

The files are written into a temporary folder beside the target, checked with the
same rules as ``sreladder validate``, and only then renamed into place: a failure at
any point leaves the target as it was (absent, or the previous folder with --force).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sreladder.core.errors import SreladderError
from sreladder.io.diagnostics import HIDDEN, Diagnostic, shown_escaped

MODELINE = "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"


def to_yaml(doc: dict[str, Any]) -> str:
    import yaml

    class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            return True  # the strict loader refuses anchors and aliases

    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def comment_safe(text: str) -> str:
    """``text`` on one line: control and invisible characters, line breaks of every
    kind and undecodable bytes (a file name may hold any of them) written as escapes
    (``\\x0a``), so nothing in it can end a YAML comment and add YAML, or move a
    terminal's cursor."""
    return _UNSAFE_ON_ONE_LINE.sub(shown_escaped, text)


_UNSAFE_ON_ONE_LINE = re.compile(f"{HIDDEN}|[\n\t]")


def render(doc: dict[str, Any], kind: str, note: str) -> str:
    return MODELINE.format(kind=kind) + f"# {comment_safe(note)}\n" + to_yaml(doc)


@dataclasses.dataclass
class Written:
    files: list[Path]
    warnings: list[Diagnostic]


def _check_target(out: Path, force: bool, files: list[Path]) -> None:
    """Refuse a target that is not ours to replace: an existing one without --force;
    with it, anything this import would not write again (another role, a scale, a
    note): replacing the folder would delete it, so it is listed and kept."""
    resolved = out.resolve()
    if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
        raise SreladderError(
            f"{out}: is the current folder (or holds it); import into a new folder instead"
        )
    if not out.exists() and not out.is_symlink():
        return
    if not force:
        raise SreladderError(f"{out}: already exists; use --force to replace it")
    if not out.is_dir() or out.is_symlink():
        raise SreladderError(f"{out}: is not a folder; refusing to replace it")
    entries = {p.name for p in out.iterdir()}
    if entries - {"levels", "roles", "schemas"}:
        raise SreladderError(
            f"{out}: holds more than a rubric (levels/, roles/, schemas/); "
            "refusing to replace it, even with --force"
        )
    ours = {str(f) for f in files}
    others = sorted(
        str(path.relative_to(out))
        for path in out.rglob("*")
        if (path.is_symlink() or not path.is_dir()) and str(path.relative_to(out)) not in ours
    )
    if others:
        shown = ", ".join(others[:5]) + (
            f" (and {len(others) - 5} more)" if len(others) > 5 else ""
        )
        raise SreladderError(
            f"{out}: holds files this import would not write ({shown}); refusing to "
            "delete them, even with --force: move them away or import into a new folder"
        )


def _files(scale: dict[str, Any], roles: list[dict[str, Any]]) -> list[Path]:
    """The files an import writes, scale first, then roles, then the schemas."""
    from sreladder.io import schema

    files = [Path("levels") / f"{scale['id']}.yaml"]
    files += [Path("roles") / f"{role['id']}.yaml" for role in roles]
    files += [
        Path("schemas") / schema.SCHEMA_FILES[kind]
        for kind in schema.schemas()
        if kind != "assessment"
    ]
    return files


def write_rubric_folder(
    out: Path, scale: dict[str, Any], roles: list[dict[str, Any]], note: str, force: bool
) -> Written:
    from sreladder.io import schema
    from sreladder.io.rubric import display_path, validate_paths

    every = _files(scale, roles)
    _check_target(out, force, every)
    files = every[: 1 + len(roles)]
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise SreladderError(f"{out}: folder {parent} does not exist")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise SreladderError(f"{out}: cannot write in {parent}: {exc.strerror}") from None
    try:
        for folder in ("levels", "roles", "schemas"):
            (temp / folder).mkdir()
        (temp / files[0]).write_text(render(scale, "ladder", note), encoding="utf-8")
        for path, role in zip(files[1:], roles, strict=True):
            (temp / path).write_text(render(role, "role", note), encoding="utf-8")
        for kind, body in schema.schemas().items():
            if kind != "assessment":
                text = schema.render(body)
                (temp / "schemas" / schema.SCHEMA_FILES[kind]).write_text(text, encoding="utf-8")
        report = validate_paths([temp], cached=False)  # a temporary folder: never read again
        shown, real = display_path(temp), str(out)
        found = [
            dataclasses.replace(d, path=d.path.replace(shown, real, 1)) for d in report.diagnostics
        ]
        errors = [d for d in found if d.severity == "error"]
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise SreladderError(
                f"the imported ladder would not validate, so nothing was written: {errors[0]}{more}"
            )
        _swap_into_place(temp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(temp)
        raise
    return Written([out / f for f in files], [d for d in found if d.severity != "error"])


def _swap_into_place(temp: Path, out: Path) -> None:
    """Rename ``temp`` to ``out``; an ``out`` already there is moved aside first and put
    back if the rename fails. Any failure is one clear error, and nothing is left over."""
    if not out.exists():
        try:
            os.rename(temp, out)
        except OSError as exc:
            raise SreladderError(f"{out}: cannot create it: {exc.strerror}") from None
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=temp.parent))
    try:
        os.rename(out, old / out.name)
    except OSError as exc:
        old.rmdir()
        raise SreladderError(f"{out}: cannot replace it: {exc.strerror}") from None
    try:
        os.rename(temp, out)
    except OSError as exc:
        os.rename(old / out.name, out)
        old.rmdir()
        raise SreladderError(f"{out}: cannot replace it: {exc.strerror}") from None
    shutil.rmtree(old, ignore_errors=True)
