"""``sreladder schema``: the JSON Schemas of the files sreladder reads."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import out_option


class Kind(StrEnum):
    ladder = "ladder"
    role = "role"
    assessment = "assessment"


def schema(
    kind: Annotated[
        Kind | None,
        typer.Argument(metavar="KIND", help="Print only this schema: ladder, role or assessment."),
    ] = None,
    out: Annotated[
        Path | None,
        out_option(
            "Write ladder/role/assessment.schema.json into this folder.",
            short=False,
            metavar="DIR",
        ),
    ] = None,
) -> None:
    """JSON Schema of the ladder, role and assessment files.

    For editors and check-jsonschema. Point yaml-language-server at them with a first
    line such as `# yaml-language-server: $schema=../../schemas/role.schema.json`.
    """
    from sreladder.io.schema import SCHEMA_FILES, render, schemas
    from sreladder.io.store import write_text_atomic

    exported = schemas()
    if out is None:
        if kind is not None:
            sys.stdout.write(render(exported[kind.value]))
        else:
            sys.stdout.write(render({SCHEMA_FILES[k]: v for k, v in exported.items()}))
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from sreladder.core.errors import SreladderError

        raise SreladderError(f"cannot create folder {out}: {exc.strerror or exc}") from None
    for name, body in exported.items():
        if kind is None or kind.value == name:
            target = out / SCHEMA_FILES[name]
            write_text_atomic(target, render(body))
            sys.stderr.write(f"wrote {target}\n")
