"""Writing files so that nothing is ever torn: a temporary file in the target's
folder, written, flushed and fsynced, then renamed over the target. A crash at any
point leaves either the old file or the new one. Assessment files, and every report
about a person (packets, ``--out`` of the views), are personal data: they are written
owner-only (0600), set on the temporary file before the rename (:func:`private_mode`).

A symbolic link at the target is refused, never followed.

Every failure (a read-only folder, a full disk, a target that is a folder) becomes one
``SreladderError`` naming the file, and the temporary file is removed: the previous
file, if any, is unchanged.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from sreladder.core.errors import SreladderError

PRIVATE = 0o600
PUBLIC = 0o644


def write_text_atomic(path: Path, text: str, mode: int = PUBLIC) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), mode)


def private_mode(path: Path) -> int:
    """The mode to write a file about a person with: owner-only (0600), or the existing
    file's mode where it is stricter still, so a rewrite never loosens it."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & PRIVATE
    except OSError:
        return PRIVATE  # no such file yet (or unreadable: the write will say)


def _reason(exc: OSError, folder: Path) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the device" if exc.errno == errno.ENOSPC else "disk quota exceeded"
    if exc.errno == errno.ENOENT:
        return f"folder {folder} does not exist"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"folder {folder} is not writable"
    if exc.errno == errno.EISDIR:
        return "it is a folder"
    if exc.errno == errno.ENOTDIR:
        return f"{folder} is not a folder"
    return exc.strerror or str(exc)


def refuse_link(path: Path) -> None:
    """A symbolic link at ``path`` (dangling or not) is never written through: whoever
    could place it would choose where a person's assessment or packet lands."""
    if os.path.islink(path):
        raise SreladderError(
            f"{path} is a symbolic link: not written (sreladder never writes through a "
            "link; give the path of the file itself)"
        )


def write_bytes_atomic(path: Path, data: bytes, mode: int = PUBLIC) -> None:
    """``data`` into ``path``, atomically. A symbolic link at ``path`` is refused
    (:func:`refuse_link`)."""
    path = Path(path)
    refuse_link(path)
    try:
        read_only = not os.stat(path).st_mode & stat.S_IWUSR
    except OSError:
        read_only = False  # no such file yet (or unreadable: the write will say)
    if read_only:  # a rename would replace it anyway; the owner said not to
        raise SreladderError(f"{path} is read-only: not written (chmod u+w to allow it)")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SreladderError(f"cannot write {path}: {_reason(exc, folder)}") from None
    try:
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:
                    raise OSError(errno.EIO, "the write made no progress")
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            kept = "the previous file is unchanged" if path.is_file() else "nothing was written"
            raise SreladderError(f"cannot write {path}: {_reason(exc, folder)}; {kept}") from None
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
