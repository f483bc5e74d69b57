"""The thin Typer layer: one module per command group, loaded lazily by :mod:`.app`."""

from sreladder.cli.app import app

__all__ = ["app"]
