"""A cache of rubric files already read and checked, so an unchanged ladder, scale or
lexicon is not parsed and validated again: the everyday commands (``score``, ``show``,
``validate``, ``packet``) then neither parse its YAML nor build a model's Pydantic
validator (the models are declared with ``defer_build``; a role is stored with its
digest, see ``Role.__getstate__``). Assessments are never stored: they are personal
data, and a copy in a cache would outlive the file its owner deletes.

An entry is the outcome of :func:`sreladder.io.rubric.load_file` for one rubric file:
its model (a pickled Pydantic model) and its findings, with their positions. It is keyed
by a SHA-256 of the file's bytes, the kind asked for, the path as shown in messages,
and a fingerprint of the code that made it (this package's modules, PyYAML, Pydantic
and the Python version), so an edited file, an upgrade or a checkout of other code
never reads a stale entry.

Where: ``$SRELADDER_CACHE_DIR``, else ``$XDG_CACHE_HOME/sreladder``, else
``~/.cache/sreladder``. ``SRELADDER_NO_CACHE=1`` turns it off; under ``CI=true`` (set
by CI services) entries are read but not written. Entries are pickles, so
the folder must be private: one owned by someone else or writable by others is not
used. Any problem with the cache (unwritable, corrupt, full disk) only makes it a miss.
At most about ``MAX_ENTRIES`` are kept; the least recently used go first.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

import sreladder

ENV_DIR = "SRELADDER_CACHE_DIR"
ENV_OFF = "SRELADDER_NO_CACHE"
LAYOUT = "v2"  # bump when the entry's shape changes
OLD_LAYOUTS = ("v1",)  # removed when v2 is made: v1 held copies of assessments
MAX_ENTRIES = 1000  # entries are 0.5-40 KB: tens of MB at most
MAX_FILE_BYTES = 1 << 20  # a bigger file costs its parse anyway; not worth the space
SUFFIX = ".pickle"
PRUNE_EVERY = 100

_writes = 0  # by this process: the folder is pruned at the first and every 100th


def folder() -> Path | None:
    """The cache folder in use, or None when the cache is off."""
    if os.environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    base = os.environ.get(ENV_DIR)
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        try:  # a relative XDG_CACHE_HOME is to be ignored (XDG Base Directory spec)
            home = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
        except RuntimeError:  # no home directory: no cache, rather than one in ./~
            return None
        base = str(home / "sreladder")
    return Path(base) / LAYOUT


def key(data: bytes, *context: str) -> str | None:
    """The entry's key for a file's bytes read in ``context`` (the kind asked for, the
    path, ...), or None when it is not to be cached."""
    if len(data) > MAX_FILE_BYTES or folder() is None:
        return None
    digest = hashlib.sha256()
    for part in (_fingerprint(), *context):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def get(entry_key: str) -> Any | None:
    where = _private_folder()
    if where is None:
        return None
    path = where / (entry_key + SUFFIX)
    try:
        with open(path, "rb") as handle:
            if not _ours(os.fstat(handle.fileno())):  # checked on what was opened
                return None
            value = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a torn or foreign entry is a miss, and goes
        _remove(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: pruning removes the least recently used first
    return value


def put(entry_key: str, value: Any) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return  # a CI runner starts empty and is thrown away: writing only costs time
    where = _private_folder(create=True)
    if where is None:
        return
    import tempfile  # only a miss writes

    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temp = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, where / (entry_key + SUFFIX))
        except BaseException:
            _remove(Path(temp))
            raise
        global _writes
        _writes += 1
        if (_writes - 1) % PRUNE_EVERY == 0:
            _prune(where)
    except (OSError, pickle.PicklingError, RecursionError):
        return


def _private_folder(create: bool = False) -> Path | None:
    where = folder()
    if where is None:
        return None
    try:
        if create:
            where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # not just v2/
            if not where.exists():
                _remove_old_layouts(where.parent)
            where.mkdir(mode=0o700, exist_ok=True)
        infos = [os.stat(where.parent), os.stat(where)]  # both: nobody else can swap v2/
    except OSError:
        return None
    return where if all(stat.S_ISDIR(i.st_mode) and _ours(i) for i in infos) else None


def _remove_old_layouts(parent: Path) -> None:
    """The folders of earlier layouts, if they are ours (best effort)."""
    import shutil

    for name in OLD_LAYOUTS:
        old = parent / name
        with contextlib.suppress(OSError):
            if not old.is_symlink() and _ours(os.stat(old)):
                shutil.rmtree(old)


def _ours(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else: safe to unpickle from."""
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _prune(where: Path) -> None:
    entries = [e for e in os.scandir(where) if e.name.endswith(SUFFIX)]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for entry in entries[: len(entries) - MAX_ENTRIES // 2]:
        _remove(Path(entry.path))


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@functools.cache
def _fingerprint() -> str:
    """What the entries depend on besides the file: this package's code (every module's
    size and modification time, as Python's own bytecode cache checks) and the
    installed PyYAML, Pydantic and pydantic-core."""
    parts = [LAYOUT, sreladder.__version__, sys.version, str(pickle.HIGHEST_PROTOCOL)]
    package = Path(sreladder.__file__).parent
    for root, dirs, files in os.walk(package):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                parts.append(_stamp(os.path.join(root, name)))
    for module in ("yaml", "pydantic", "pydantic_core"):
        spec = importlib.util.find_spec(module)
        parts.append(_stamp(spec.origin) if spec and spec.origin else f"{module}: none")
    return "\n".join(parts)


def _stamp(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}: missing"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"
