"""The project's own fatal error: the CLI prints its message on one line and exits 1."""


class SreladderError(Exception):
    exit_code = 1


class UsageError(SreladderError):
    """Options that do not go together: exit 2, like any other usage error."""

    exit_code = 2
