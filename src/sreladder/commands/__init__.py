"""One module per command group. Each ``register(app)`` adds its commands; module tops
import only Typer, so building the app for ``--help`` stays cheap."""
