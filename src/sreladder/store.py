"""Writing files so that nothing is ever torn: a temporary file in the target's
folder, written, flushed and fsynced, then renamed over the target. A crash at any
point leaves either the old file or the new one. Assessment files are personal data:
they are written owner-only (0600), set on the temporary file before the rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from sreladder.errors import SreladderError

PRIVATE = 0o600
PUBLIC = 0o644


def write_text_atomic(path: Path, text: str, mode: int = PUBLIC) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), mode)


def write_bytes_atomic(path: Path, data: bytes, mode: int = PUBLIC) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise SreladderError(f"cannot write {path}: folder {folder} does not exist") from None
    except PermissionError:
        raise SreladderError(f"cannot write {path}: folder {folder} is not writable") from None
    except OSError as exc:
        raise SreladderError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise SreladderError(
                f"cannot write {path}: {exc.strerror or exc}; the previous file is unchanged"
            ) from None
        raise
