"""A company's template, contained by the operating system, not by predicting what it does:
it runs in a worker process (:mod:`.template_worker`) under :class:`Limits`. The kernel
bounds its address space (``RLIMIT_AS``, not enforced on macOS) and CPU time; this process
kills it past its wall-clock time and reads no more than its output limit. Inside, Jinja2's
sandbox and :func:`refuse_internals` refuse ``_`` attributes, :class:`UserFolderLoader`
loads only the template's own folder. Each refusal is one line naming the template.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from subprocess import DEVNULL, PIPE
from typing import Any

import jinja2
from jinja2 import nodes

from sreladder.core.errors import SreladderError

MAX_TEMPLATE_BYTES = 256 * 1024
SUFFIXES = (".md.j2", ".html.j2")
#: the worker's exit codes for "my last line is the message" and "out of memory"
EXIT_REPORTED, EXIT_MEMORY = 10, 11
#: how the worker is started (``-P``: not from the current folder; tests may wrap it)
WORKER = [sys.executable, "-P", "-m", "sreladder.present.template_worker"]


@dataclass(frozen=True)
class Limits:
    """What a company template's worker may use."""

    memory_bytes: int = 1 << 30  # address space (RLIMIT_AS)
    cpu_seconds: int = 10  # CPU time of the worker, start and compiling included
    wall_seconds: float = 15.0  # from start to end, then it is killed
    output_bytes: int = 20_000_000  # of UTF-8 read back; more is a refusal


LIMITS = Limits()


class TemplateRefused(SreladderError):
    """A template refused (``file``, ``line``: where, when known before it runs)."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line


class UserFolderLoader(jinja2.BaseLoader):
    """The folder of a company's template, for include, extends and import: only its
    ``.md.j2`` / ``.html.j2`` files (subfolders too), nothing hidden, nothing outside it
    (no ``..``, absolute path or link out), each checked by :func:`refuse_internals`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        parts = template.replace("\\", "/").split("/")
        hidden = any(part.startswith(".") or not part for part in parts)
        if hidden or not template.endswith(SUFFIXES) or Path(template).is_absolute():
            raise TemplateRefused(
                f"it loads {template!r}: a template may load only the shipped templates "
                "and the .md.j2 / .html.j2 files of its own folder (no hidden file, no "
                "path out of the folder)"
            )
        path = self.folder.joinpath(*parts)
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        real = path.resolve()
        if not real.is_relative_to(self.folder) or not real.name.endswith(SUFFIXES):
            raise TemplateRefused(
                f"it loads {template!r}, a link to a file that is not a template of its folder"
            )
        source = read_template(path)
        refuse_internals(environment, source, str(path))
        return source, str(path), None  # read once: the worker renders one document


def read_template(path: Path) -> str:
    """A user template's text: UTF-8, at most :data:`MAX_TEMPLATE_BYTES` bytes."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise SreladderError(f"{path}: cannot read the template: {exc.strerror or exc}") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise SreladderError(f"{path}: template larger than {MAX_TEMPLATE_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SreladderError(f"{path}: template is not UTF-8 text") from None


def refuse_internals(env: jinja2.Environment, source: str, name: str) -> None:
    """Refuse, before anything runs, a template that names an attribute starting with
    ``_`` (``''.__class__``, ``x['__globals__']``, ``x|attr('__init__')``)."""
    tree = env.parse(source, name, name)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        key: Any = None
        if isinstance(node, nodes.Getattr):
            key = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            key = node.arg.value
        elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
            key = node.args[0].value if isinstance(node.args[0], nodes.Const) else None
        if isinstance(key, str) and key.startswith("_"):
            why = f"it reaches for {key!r} (names starting with '_' are Python internals)"
            raise TemplateRefused(why, name, node.lineno)


def run_contained(
    render: Callable[..., Iterable[str]],
    args: tuple[Any, ...],
    shown: str,
    limits: Limits | None = None,
) -> str:
    """What ``render(*args)`` yields, joined, run in a worker process bounded by ``limits``
    (default :data:`LIMITS`): ``render`` is a module-level function, ``args`` plain data
    (both pickled); ``shown`` names the template(s) in a refusal."""
    limits = limits or LIMITS
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the folder holding this `sreladder`
    if root not in {os.path.realpath(p) for p in sys.path[1:] if p}:
        # a checkout run without an install: the worker must find this same code. An
        # installed sreladder (site-packages) is found anyway, and is not put ahead of
        # the standard library, as PYTHONPATH would put it.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.getenv("PYTHONPATH")]))
    errors = None if os.getenv("SRELADDER_DEBUG") else DEVNULL  # its traceback, if debugging
    with tempfile.TemporaryFile() as given:  # its input: a file, read at its own pace
        given.write(pickle.dumps((render, args, limits)))
        given.seek(0)
        with subprocess.Popen(WORKER, stdin=given, stdout=PIPE, stderr=errors, env=env) as worker:
            try:
                out, stop = _read(worker, limits)
            finally:
                if worker.poll() is None:
                    worker.kill()
    code = worker.returncode
    if stop is None and code == 0:
        return out.decode("utf-8", "surrogatepass")
    if stop is None and code == EXIT_REPORTED:  # its last line: the message, in JSON
        with contextlib.suppress(ValueError):  # else: said below
            raise SreladderError(str(json.loads(out.rstrip(b"\n").rsplit(b"\n", 1)[-1])))
    raise TemplateRefused(f"{shown}: template refused: {stop or _death(code, limits)}")


def _death(code: int, limits: Limits) -> str:
    """Why a worker that did not report its failure ended."""
    if code == EXIT_MEMORY:
        return f"it ran out of memory (the limit is {limits.memory_bytes >> 20:,} MiB)"
    if code == -getattr(signal, "SIGXCPU", 0):  # POSIX only
        return f"it used more than {limits.cpu_seconds} s of CPU (the limit)"
    how = signal.Signals(-code).name if code < 0 else f"exit code {code}"
    return f"its worker process ended ({how})"


def _read(worker: subprocess.Popen[bytes], limits: Limits) -> tuple[bytes, str | None]:
    """(its output, why it was stopped or None): until it ends or passes a limit."""
    deadline = time.monotonic() + limits.wall_seconds
    timeout = f"still running after {limits.wall_seconds:g} s (the wall-clock limit)"
    assert worker.stdout is not None
    fd, out = worker.stdout.fileno(), bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return bytes(out), timeout
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            out += chunk
            if len(out) > limits.output_bytes:
                return bytes(out), f"output past {limits.output_bytes:,} bytes"
    try:
        worker.wait(max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        return bytes(out), timeout
    return bytes(out), None
