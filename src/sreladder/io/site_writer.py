"""Writing the ladder website into a folder, and only where that is safe.

* The folder may be missing (it is made), empty, or a previous output of ``sreladder
  site`` (it holds :data:`MARKER`, which lists the files that run wrote). Any other
  non-empty folder is refused unless ``force``: a mistyped ``--out ~`` must not
  scatter pages over a home folder.
* Each file is written atomically (:mod:`sreladder.io.store`), 0644: a ladder is not
  personal data. Nothing is written outside the folder (a path that would leave it,
  through ``..`` or a link, is refused).
* Over a previous output, the files it listed that the new site no longer has (the
  page of a role since removed) are deleted after the new files are in place, and the
  folders they leave empty with them. Nothing else in the folder is ever deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from sreladder.core.errors import SreladderError
from sreladder.io import store
from sreladder.io.diagnostics import printable

MARKER = ".sreladder-site.json"


def _shown(path: Path) -> str:
    return printable(str(path), 300)


def previous_files(out: Path) -> list[str] | None:
    """The files a previous ``sreladder site`` wrote into ``out`` (None: not one)."""
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if data.get("generator") != "sreladder site" or not isinstance(files, list):
        return None
    return [f for f in files if isinstance(f, str)]


def check_folder(out: Path, force: bool) -> list[str]:
    """Refuse a folder the site must not be written into; the files of the previous
    output there, if it is one."""
    if out.exists() and not out.is_dir():
        raise SreladderError(f"{_shown(out)}: not a folder (--out)")
    if not out.exists():
        return []
    previous = previous_files(out)
    if previous is not None:
        return previous
    try:
        empty = next(out.iterdir(), None) is None
    except OSError as exc:
        raise SreladderError(f"{_shown(out)}: cannot read: {exc.strerror or exc}") from None
    if not empty and not force:
        raise SreladderError(
            f"{_shown(out)} is not empty and is not a site sreladder wrote: choose an empty "
            "or new folder, or add --force to write into it (files of the same names are "
            "replaced, nothing else is touched)"
        )
    return []


def _target(root: Path, name: str) -> Path:
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise SreladderError(f"{name!r}: not a path inside the site")
    path = root.joinpath(*parts)
    parent = Path(os.path.realpath(path.parent))
    if parent != root and not parent.is_relative_to(root):
        raise SreladderError(f"{_shown(path)}: its folder leads outside {_shown(root)}")
    return path


def write_site(out: Path, files: Sequence[tuple[str, bytes]], force: bool = False) -> int:
    """Write ``files`` (path in the site, bytes) into ``out``; the number written."""
    previous = check_folder(out, force)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SreladderError(f"cannot make {_shown(out)}: {exc.strerror or exc}") from None
    root = Path(os.path.realpath(out))
    names = [name for name, _ in files]
    for name, data in files:
        path = _target(root, name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SreladderError(
                f"cannot make {_shown(path.parent)}: {exc.strerror or exc}"
            ) from None
        _target(root, name)  # the folder just made is still inside
        store.write_bytes_atomic(path, data, store.PUBLIC)
    marker = {"generator": "sreladder site", "files": sorted(names)}
    store.write_text_atomic(root / MARKER, json.dumps(marker, indent=1) + "\n", store.PUBLIC)
    _remove_stale(root, set(previous) - set(names))
    return len(files)


def _remove_stale(root: Path, stale: set[str]) -> None:
    """Delete the files of the previous output the new one does not have (only regular
    files inside the folder), then the folders that leaves empty."""
    folders: set[Path] = set()
    for name in sorted(stale):
        try:
            path = _target(root, name)
        except SreladderError:
            continue  # a marker edited by hand: never follow it out of the folder
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
                folders.add(path.parent)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != root and folder.is_relative_to(root):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent
