"""``python -m sreladder``: the same as the ``sreladder`` command."""

from sreladder.cli.app import app

app(prog_name="sreladder")
