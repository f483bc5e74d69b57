"""`roles`, `levels`, `show` and `diff`: read a rubric without assessing anyone."""

import sys
from typing import Annotated

import typer

from sreladder.cli.common import DataOption, ViewFormat, ViewFormatOption

RoleArgument = Annotated[
    str, typer.Argument(metavar="ROLE", help="A role id, e.g. sre.", show_default=False)
]


def roles(format: ViewFormatOption = ViewFormat.table, data: DataOption = None) -> None:
    """The roles: scale, levels and dimensions of each.

    One row per role: id, name, level scale, levels, dimension and expectation counts.
    """
    from sreladder.core import browse
    from sreladder.io.rubric import load_rubric
    from sreladder.present.report_browse import ROLES

    sys.stdout.write(ROLES[format.value](browse.role_rows(load_rubric(data))))


def levels(
    scale: Annotated[
        str | None,
        typer.Argument(
            metavar="SCALE",
            help="A level scale id, e.g. professional [default: every scale].",
            show_default=False,
        ),
    ] = None,
    format: ViewFormatOption = ViewFormat.table,
    data: DataOption = None,
) -> None:
    """A level scale's levels, lowest first.

    Each level with its summary and attributes. Without SCALE, every scale in full.
    `sreladder roles` shows which role uses which.
    """
    from sreladder.core import browse
    from sreladder.io.rubric import load_rubric

    rubric = load_rubric(data)
    roles_on = {row.id: row.roles for row in browse.scale_rows(rubric)}
    if scale is not None:
        chosen = [browse.find_scale(rubric, scale)]
    else:
        chosen = [rubric.scales[s] for s in sorted(rubric.scales)]
    from sreladder.present.report_browse import LEVELS

    sys.stdout.write(LEVELS[format.value]((rubric, chosen, roles_on, scale is not None)))


def show(
    role: RoleArgument,
    level: Annotated[
        str | None,
        typer.Option(
            "--level", "-l", metavar="LEVEL", help="Only this level, across every dimension."
        ),
    ] = None,
    dimension: Annotated[
        str | None,
        typer.Option(
            "--dimension", "-d", metavar="DIMENSION", help="Only this dimension, level by level."
        ),
    ] = None,
    format: ViewFormatOption = ViewFormat.table,
    data: DataOption = None,
) -> None:
    """A role's rubric, dimension by dimension.

    Every dimension level by level. --level L: what L asks in each dimension.
    --dimension D: D's progression. Both: one cell in detail (ids, examples, sources).
    --format json prints the role as loaded (with --level/--dimension, just that part).
    On a wide terminal the whole rubric is one dimension x level matrix; narrower, a
    matrix of counts and then each dimension's progression.
    """
    from sreladder.core import browse
    from sreladder.io.rubric import load_rubric

    found = load_rubric(data).role(role)
    dim = browse.find_dimension(found, dimension) if dimension is not None else None
    lv = browse.find_level(found, level) if level is not None else None
    from sreladder.present.report_browse import SHOW

    sys.stdout.write(SHOW[format.value]((found, dim, lv)))


def diff(
    role: RoleArgument,
    from_level: Annotated[
        str, typer.Argument(metavar="FROM", help="The level you hold.", show_default=False)
    ],
    to_level: Annotated[
        str, typer.Argument(metavar="TO", help="The level you aim for.", show_default=False)
    ],
    format: ViewFormatOption = ViewFormat.table,
    data: DataOption = None,
) -> None:
    """What one level asks that another did not.

    What TO asks that FROM did not, per dimension, heaviest first: the expectations of
    every cell above FROM up to TO (the same ones `score` reports as gaps); dimensions
    with nothing new share one line at the end. TO must not be below FROM (the error
    names the command the other way round); level ids match case-insensitively (p3 =
    P3).
    """
    from sreladder.core import browse
    from sreladder.io.rubric import load_rubric

    found = load_rubric(data).role(role)
    result = browse.diff(found, from_level, to_level)
    from sreladder.present.report_browse import DIFF

    sys.stdout.write(DIFF[format.value](result))
