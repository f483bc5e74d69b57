"""One module per command group. Each ``register(app)`` adds its commands; ``cli.COMMANDS``
maps every command to its module, which is imported only when that command runs. Module
tops import only Typer; the work is imported inside the command. Command modules do not
use ``from __future__ import annotations``: Typer would then ``eval`` every option's
annotation string each time the command is built."""
