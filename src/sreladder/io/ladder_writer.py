"""Saving an imported ladder into a rubric folder, beside what is already there.

A new folder is written whole into a temporary folder beside it and renamed into
place. An existing rubric folder gets the import's files added: its scale (an
identical scale already there is shared, a different one with the same id refused),
its roles (one with the id of a role already there only with ``force``, and then only
that file is replaced) and the schemas. Nothing else in the folder is touched. Before
anything is written the folder as it would be is checked with the same rules as
``sreladder validate``; then each file is written beside its place and renamed over
it, and any failure puts back every file as it was. ``dry_run`` stops after the
checks and says what would be written.
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


NEW, IDENTICAL, REPLACED = "new", "identical", "replaced"
_FOLDERS = ("levels", "roles", "schemas")


@dataclasses.dataclass(frozen=True)
class Planned:
    """One file of the import: where (inside the folder), what, and what it does to
    the file there (``new``, ``identical``: left as it is, ``replaced``)."""

    path: Path
    text: str
    status: str


@dataclasses.dataclass
class Written:
    files: list[Planned]  # the scale, the roles, the schemas, in that order
    warnings: list[Diagnostic]


@dataclasses.dataclass
class _Existing:
    """What a rubric folder holds: each scale's and role's id, file and data; the files
    whose id could not be read."""

    scales: dict[str, tuple[Path, Any]] = dataclasses.field(default_factory=dict)
    roles: dict[str, tuple[Path, Any]] = dataclasses.field(default_factory=dict)
    unread: set[Path] = dataclasses.field(default_factory=set)


def _as_saved(text: str) -> Any:
    from sreladder.io import yamlio

    return yamlio.load(text)


def _read_existing(out: Path) -> _Existing:
    from sreladder.io import yamlio
    from sreladder.io.rubric import YAML_SUFFIXES

    found = _Existing()
    for folder, table in (("levels", found.scales), ("roles", found.roles)):
        where = out / folder
        if not where.is_dir():
            continue
        for path in sorted(where.iterdir()):
            if path.suffix not in YAML_SUFFIXES or not path.is_file():
                continue
            relative = path.relative_to(out)
            try:
                data = yamlio.load_bytes(yamlio.read_bytes(path))
            except (yamlio.YamlError, OSError, UnicodeDecodeError):
                data = None
            item_id = data.get("id") if isinstance(data, dict) else None
            if not isinstance(item_id, str) or item_id in table:
                found.unread.add(relative)
            else:
                table[item_id] = (relative, data)
    return found


def _check_target(out: Path) -> bool:
    """Whether ``out`` is a folder already there to add to (False: it is to be made).
    Refused: a file, a symbolic link, a folder that holds other things but no rubric."""
    if out.is_symlink():
        raise SreladderError(f"{out}: is a symbolic link; name the folder it points to")
    if not out.exists():
        return False
    if not out.is_dir():
        raise SreladderError(f"{out}: is not a folder; refusing to write there")
    from sreladder.io.rubric import is_rubric_dir

    if not is_rubric_dir(out) and any(out.iterdir()):
        raise SreladderError(
            f"{out}: holds other files and no levels/ or roles/: not a rubric folder; "
            "refusing to write there (import into a new folder or a rubric folder)"
        )
    for folder in _FOLDERS:
        if (out / folder).is_symlink() or ((out / folder).exists() and not (out / folder).is_dir()):
            raise SreladderError(f"{out / folder}: is not a folder of its own; refusing it")
    return True


def _plan(
    out: Path,
    existing: _Existing,
    scale: dict[str, Any],
    roles: list[dict[str, Any]],
    note: str,
    force: bool,
    source: str,
) -> list[Planned]:
    from sreladder.io import schema

    plans: list[Planned] = []
    replaced_roles = {role["id"] for role in roles}

    def placed(
        kind: str, item_id: str, text: str, table: dict[str, tuple[Path, Any]], folder: str
    ) -> tuple[Path, str, Any]:
        """(the path to write, its status, the data there) for a scale or role."""
        if item_id in table:
            path, data = table[item_id]
            return path, IDENTICAL if data == _as_saved(text) else REPLACED, data
        path = Path(folder) / f"{item_id}.yaml"
        if path in existing.unread or (out / path).exists() or (out / path).is_symlink():
            raise SreladderError(
                f"{out / path}: is already there and does not hold {kind} {item_id!r}; "
                "refusing to overwrite it (move it away, or import with another id)"
            )
        return path, NEW, None

    text = render(scale, "ladder", note)
    path, status, _ = placed("scale", scale["id"], text, existing.scales, "levels")
    if status == REPLACED:
        users = sorted(
            role_id
            for role_id, (_, data) in existing.roles.items()
            if data.get("ladder") == scale["id"] and role_id not in replaced_roles
        )
        if users or not force:
            why = (
                f"roles {', '.join(users)} stand on it"
                if users
                else "use --force to replace it (no other role stands on it)"
            )
            raise SreladderError(
                f"{out / path}: scale {scale['id']!r} is already there with other levels than "
                f"{source} gives; import with --scale-id NEW to keep both ({why})"
            )
    plans.append(Planned(path, text, status))
    for role in roles:
        text = render(role, "role", note)
        path, status, _ = placed("role", role["id"], text, existing.roles, "roles")
        if status == REPLACED and not force:
            raise SreladderError(
                f"{out / path}: role {role['id']!r} is already there; use --force to replace "
                "it (only that file), or --role-id to import it beside"
            )
        plans.append(Planned(path, text, status))
    for kind, body in schema.schemas().items():
        if kind == "assessment":
            continue
        path = Path("schemas") / schema.SCHEMA_FILES[kind]
        text = schema.render(body)
        target = out / path
        if not target.exists():
            status = NEW
        elif target.is_file() and not target.is_symlink():
            status = IDENTICAL if target.read_bytes() == text.encode() else REPLACED
        else:
            raise SreladderError(f"{target}: is not a plain file; refusing to replace it")
        plans.append(Planned(path, text, status))  # the tool's own: kept up to date
    return plans


def _errors(folder: Path) -> list[Diagnostic]:
    from sreladder.io.rubric import validate_paths

    if not folder.is_dir():
        return []
    return [d for d in validate_paths([folder], cached=False).diagnostics if d.severity == "error"]


def _validated(out: Path, plans: list[Planned], adding: bool) -> list[Diagnostic]:
    """Check the folder as it would be (a copy of its scales and roles with the
    import's files over them) as ``sreladder validate`` does: any error in the import's
    files, or one it would add to the others, refuses the import. The warnings found."""
    from sreladder.io.rubric import YAML_SUFFIXES, display_path

    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise SreladderError(f"{out}: folder {parent} does not exist")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".check", dir=parent))
    except OSError as exc:
        raise SreladderError(f"{out}: cannot write in {parent}: {exc.strerror}") from None
    try:
        for folder in _FOLDERS:
            (temp / folder).mkdir()
            if adding and folder != "schemas" and (out / folder).is_dir():
                for path in (out / folder).iterdir():
                    if path.suffix in YAML_SUFFIXES and path.is_file():
                        shutil.copyfile(path, temp / folder / path.name)
        for plan in plans:
            (temp / plan.path).write_text(plan.text, encoding="utf-8")
        shown, real = display_path(temp), str(out)
        found = [
            dataclasses.replace(d, path=d.path.replace(shown, real, 1)) for d in _validate_all(temp)
        ]
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    ours = {str(out / plan.path) for plan in plans}
    before = set()
    if adding:
        shown = display_path(out)
        before = {(d.path.replace(shown, real, 1), d.code, d.message) for d in _errors(out)}
    errors = [
        d
        for d in found
        if d.severity == "error" and (d.path in ours or (d.path, d.code, d.message) not in before)
    ]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SreladderError(
            f"the imported ladder would not validate, so nothing was written: {errors[0]}{more}"
        )
    return [d for d in found if d.severity != "error" and d.path in ours]


def _validate_all(folder: Path) -> list[Diagnostic]:
    from sreladder.io.rubric import validate_paths

    return validate_paths([folder], cached=False).diagnostics


def write_rubric_folder(
    out: Path,
    scale: dict[str, Any],
    roles: list[dict[str, Any]],
    note: str,
    force: bool,
    *,
    source: str = "the source",
    dry_run: bool = False,
) -> Written:
    """Write the import into ``out`` (made, or added to); ``dry_run`` writes nothing."""
    adding = _check_target(out)
    existing = _read_existing(out) if adding else _Existing()
    plans = _plan(out, existing, scale, roles, note, force, source)
    warnings = _validated(out, plans, adding)
    if not dry_run:
        if adding:
            _add_files(out, [p for p in plans if p.status != IDENTICAL])
        else:
            _new_folder(out, plans)
    return Written(plans, warnings)


def _new_folder(out: Path, plans: list[Planned]) -> None:
    """Write every file into a temporary folder beside ``out`` and rename it into place."""
    parent = out.parent if str(out.parent) else Path(".")
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise SreladderError(f"{out}: cannot write in {parent}: {exc.strerror}") from None
    try:
        for folder in _FOLDERS:
            (temp / folder).mkdir()
        for plan in plans:
            (temp / plan.path).write_text(plan.text, encoding="utf-8")
        try:
            os.replace(temp, out)
        except OSError as exc:
            raise SreladderError(f"{out}: cannot create it: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(temp)
        raise


def _add_files(out: Path, plans: list[Planned]) -> None:
    """Each file written beside its place, then all renamed over their places; a
    failure at any point puts back every file (and folder) as it was."""
    made_folders: list[Path] = []
    staged: list[tuple[Path, Path]] = []  # (temporary file, its place)
    backups: list[tuple[Path, Path]] = []  # (copy of a replaced file, its place)
    done: list[Path] = []
    try:
        for folder in _FOLDERS:
            if not (out / folder).exists():
                (out / folder).mkdir()
                made_folders.append(out / folder)
        for plan in plans:
            target = out / plan.path
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            staged.append((Path(name), target))
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(plan.text)
                stream.flush()
                os.fsync(stream.fileno())
            if plan.status == REPLACED:
                handle, name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".old", dir=target.parent
                )
                os.close(handle)
                shutil.copy2(target, name, follow_symlinks=False)
                backups.append((Path(name), target))
        for temp, target in staged:
            os.replace(temp, target)
            done.append(target)
    except BaseException as exc:
        restored = {target for _, target in backups}
        for backup, target in backups:
            if target in done:
                with contextlib.suppress(OSError):
                    os.replace(backup, target)
        for target in done:
            if target not in restored:
                with contextlib.suppress(OSError):
                    target.unlink()
        for temp, _ in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        for backup, _ in backups:
            with contextlib.suppress(OSError):
                backup.unlink()
        for made in reversed(made_folders):
            with contextlib.suppress(OSError):
                made.rmdir()
        if isinstance(exc, OSError):
            where = exc.filename or out
            raise SreladderError(
                f"{out}: cannot write {where}: {exc.strerror or exc}; nothing was changed"
            ) from None
        raise
    for backup, _ in backups:
        with contextlib.suppress(OSError):
            backup.unlink()
