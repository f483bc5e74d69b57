"""The project's own fatal error: the CLI prints its message on one line and exits 1."""


class SreladderError(Exception):
    exit_code = 1
