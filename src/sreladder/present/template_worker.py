"""The worker process of a company template (:mod:`.template_sandbox`): ``(render, args,
limits)`` pickled on stdin, what ``render(*args)`` yields on stdout, UTF-8. A failure of the
template ends it with a line: its message in JSON (exit :data:`EXIT_REPORTED`)."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import sys

from sreladder.core.errors import SreladderError
from sreladder.present.template_sandbox import EXIT_MEMORY, EXIT_REPORTED, Limits


def limit(limits: Limits) -> None:
    """The kernel's limits on this process: address space, CPU time (``SIGXCPU``, then
    ``SIGKILL``), no core file. One that cannot be set is left: the others still hold."""
    with contextlib.suppress(ImportError):  # not POSIX: only the parent's limits
        import resource

        for which, soft, hard in [
            (resource.RLIMIT_CORE, 0, 0),
            (resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1),
            (resource.RLIMIT_AS, limits.memory_bytes, limits.memory_bytes),
        ]:
            with contextlib.suppress(ValueError, OSError):  # a lower hard limit is kept
                resource.setrlimit(which, (soft, hard))


def main() -> None:
    render, args, limits = pickle.loads(sys.stdin.buffer.read())  # from the parent: trusted
    limit(limits)
    out = sys.stdout.buffer
    try:
        for chunk in render(*args):
            out.write(chunk.encode("utf-8", "surrogatepass"))
    except MemoryError:
        os._exit(EXIT_MEMORY)  # the parent says it: nothing more is allocated here
    except SreladderError as exc:
        out.write(f"\n{json.dumps(str(exc))}\n".encode())
        out.flush()
        os._exit(EXIT_REPORTED)
    out.flush()


if __name__ == "__main__":
    main()
