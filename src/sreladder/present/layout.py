"""The classes the terminal views are built with: Rich's, or the plain layout's.

A view asks :func:`kit` for ``Text``, ``Table`` and ``Group`` when it builds, so it is
written once. :func:`printed_at_width` builds with the plain kit when the output is
not a terminal, and with Rich's when the plain layout cannot reproduce the view
(:mod:`sreladder.present.plain_layout`).
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any

from sreladder.present.output import output_width, plain_output

_plain: ContextVar[bool] = ContextVar("sreladder_plain_layout", default=False)


def kit() -> SimpleNamespace:
    """``Text``, ``Table`` and ``Group``: the plain layout's inside :func:`plain`,
    else Rich's."""
    return _kit(_plain.get())


@functools.cache
def _kit(plain: bool) -> SimpleNamespace:
    if plain:
        from sreladder.present import plain_layout

        return SimpleNamespace(
            Text=plain_layout.Text, Table=plain_layout.Table, Group=plain_layout.Group
        )
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    return SimpleNamespace(Text=Text, Table=Table, Group=Group)


class _Kit:
    """``K.Text``, ``K.Table``, ``K.Group``: what the views build with, looked up when
    they build (:func:`kit`)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(kit(), name)


K = _Kit()


@contextlib.contextmanager
def plain() -> Iterator[None]:
    """Build with the plain kit inside this block."""
    token = _plain.set(True)
    try:
        yield
    finally:
        _plain.reset(token)


def printed_at_width(make: Callable[[int], object]) -> str:
    """The view ``make(width)`` builds, as it prints on stdout: laid out without Rich
    when the output is plain text and the plain layout reproduces it, else by Rich."""
    if plain_output(sys.stdout):
        from sreladder.present import plain_layout

        width = output_width()
        try:
            with plain():
                return plain_layout.render(make(width), width)
        except plain_layout.Unsupported:
            pass
    from sreladder.present.terminal import rich_printed_at_width

    return rich_printed_at_width(make)
