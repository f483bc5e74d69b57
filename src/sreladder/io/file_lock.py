"""One interview per assessment file at a time.

Two ``sreladder assess --resume FILE`` of one file would each save their own copy after
every answer, and the last to save would silently drop the other's answers. So an
interview holds an exclusive lock for its file from before it reads it until it ends,
and a second one is refused at once, naming the process that holds it.

The lock is ``flock`` on a hidden file beside the assessment (``.NAME.lock``, owner-only,
holding the holder's process id), removed when the interview ends. The assessment file
itself cannot carry the lock: every save replaces it with a new file. ``flock`` locks
are released by the operating system when a process dies, so a crashed interview never
leaves a file locked. Where ``fcntl`` does not exist (Windows) there is no lock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sreladder.core.errors import SreladderError


def lock_path(path: Path) -> Path:
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock of ``path`` for the ``with`` block; :class:`SreladderError` if
    another process holds it."""
    try:
        import fcntl
    except ImportError:  # no flock here
        yield
        return
    where = lock_path(path)
    while True:
        try:
            fd = os.open(where, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise SreladderError(
                f"cannot write {path}: cannot create its lock file {where.name} "
                f"({exc.strerror or exc})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise SreladderError(
                f"{path} is open in another sreladder interview (process {holder}); "
                "finish or quit that one first"
            ) from None
        try:  # the holder before us may have removed the file we locked: lock anew
            if os.fstat(fd).st_ino == os.stat(where, follow_symlinks=False).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(where)
        os.close(fd)
