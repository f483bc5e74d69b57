"""Jinja2's sandbox, bounded: what a company's template may not do.

* No attribute starting with ``_`` (``''.__class__``, ``x['__globals__']``,
  ``x|attr('__init__')``): refused before the template runs (:func:`refuse_internals`,
  for every file of the user's folder too), and again by the sandbox while it runs.
* No number above :data:`MAX_NUMBER` passed to a call or a filter (``range(10**9)``,
  ``'x'|center(10**9)``), no power past :data:`MAX_POWER_BITS` bits, no text repeated
  past :data:`MAX_OUTPUT` characters (a list past :data:`MAX_NUMBER` items), no format
  width of six digits.
* At most :data:`TIME_LIMIT` seconds of work (:func:`time_limit`; the renderer also
  stops output past :data:`MAX_OUTPUT` characters).

Each refusal is a :class:`TemplateRefused` (exit 1, one line).
"""

from __future__ import annotations

import functools
import math
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from sreladder.core.errors import SreladderError

MAX_NUMBER = 100_000
MAX_OUTPUT = 20_000_000
MAX_POWER_BITS = 4096
TIME_LIMIT = 10.0


class TemplateRefused(SreladderError):
    """A user template that reaches for Python internals or unbounded work (``line``:
    where, when known before it runs)."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line


def check_numbers(values: Iterable[Any]) -> None:
    """Refuse a number too large to be an honest size, count or width."""
    for value in values:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and (not math.isfinite(value) or abs(value) > MAX_NUMBER):
            raise TemplateRefused(f"a number above {MAX_NUMBER:,} ({value:.3g}) in a call")


def bounded(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` (a filter) refusing numbers :func:`check_numbers` refuses; Jinja2 calls
    filters directly, not through the sandbox's ``call``."""

    @functools.wraps(func)  # keeps Jinja2's pass_context / pass_environment marks
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_numbers([*args, *kwargs.values()])
        return func(*args, **kwargs)

    return wrapper


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with a bound on the numbers and sizes a template can ask for."""

    intercepted_binops = frozenset(["*", "**", "%"])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.filters = {name: bounded(f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            check_numbers([right])
            whole = isinstance(left, int) and isinstance(right, int)
            if whole and abs(left).bit_length() * abs(right) > MAX_POWER_BITS:
                raise TemplateRefused(f"a power past {MAX_POWER_BITS:,} bits")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                limit = MAX_OUTPUT if isinstance(seq, str) else MAX_NUMBER
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > limit:
                    raise TemplateRefused(f"a text or list repeated past {limit:,} items")
        elif operator == "%" and isinstance(left, str) and re.search(r"\d{6}", left):
            raise TemplateRefused("a format width above 99,999")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_numbers([*args, *kwargs.values()])
        return super().call(__context, __obj, *args, **kwargs)

    def format_string(self, s: str, args: Any, kwargs: Any, format_func: Any = None) -> str:
        if re.search(r"\d{6}", s):
            raise TemplateRefused("a format width above 99,999")
        return super().format_string(s, args, kwargs, format_func)


class CheckedLoader(jinja2.FileSystemLoader):
    """A user's folder of templates: each one is checked by :func:`refuse_internals`
    before it is compiled (an ``{% include %}`` too)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        refuse_internals(environment, source, filename)
        return source, filename, uptodate


def refuse_internals(env: jinja2.Environment, source: str, name: str) -> None:
    """Refuse, before anything runs, a template that names an attribute starting with
    ``_`` (``''.__class__``, ``x['__globals__']``, ``x|attr('__init__')``)."""
    tree = env.parse(source, name, name)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            key: Any = node.attr
        elif isinstance(node, nodes.Getitem):
            key = node.arg.value if isinstance(node.arg, nodes.Const) else None
        else:
            key = (
                node.args[0].value
                if node.name == "attr" and node.args and isinstance(node.args[0], nodes.Const)
                else None
            )
        if isinstance(key, str) and key.startswith("_"):
            raise TemplateRefused(
                f"it reaches for {key!r} (names starting with '_' are Python internals)",
                name,
                node.lineno,
            )


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop a template that works longer than ``seconds`` (main thread, POSIX)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TemplateRefused(f"template stopped after {seconds:g} s of work")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
