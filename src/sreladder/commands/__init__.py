"""One module per command group. Each ``register(app)`` adds its commands; module tops
import only Typer, so building the app for ``--help`` stays cheap. Command modules do
not use ``from __future__ import annotations``: Typer would then ``eval`` every option's
annotation string on each start (about a third of ``sreladder --version``)."""
