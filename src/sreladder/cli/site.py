"""`site`: the ladder as a static website. Planning is core.site, rendering
present.site_render, writing io.site_writer: this module only wires them."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import DataOption


def site(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            readable=False,
            help="The folder to write the site into (made if missing).",
            show_default=False,
        ),
    ],
    data: DataOption = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="DIR",
            readable=False,
            help=(
                "A folder of your own templates (index, role, level, scale, base, macros "
                ".html.j2; style.css, print.css) replacing the shipped ones of the same "
                "name; run sandboxed."
            ),
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str,
        typer.Option("--title", metavar="TEXT", help="The site's title.", show_default=True),
    ] = "Career ladders",
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a non-empty folder that is not a previous site output."
        ),
    ] = False,
) -> None:
    """The ladder as a static website (works from file:// and any host).

    Writes an index of roles and level scales, a page per role (its matrix and each
    dimension level by level), a page per level of a role (what it adds to the level
    below), and each scale's attributes. Links are relative, nothing is loaded from
    another host, no JavaScript; pages print on A4.
    """
    from sreladder.core.site import plan
    from sreladder.io.ladder_folder import read_ladder
    from sreladder.io.rubric import builtin_data_dir, load_rubric, resolve_data_dir
    from sreladder.io.site_writer import check_folder, write_site
    from sreladder.present.site_render import build

    check_folder(out, force)  # before any work: a refused folder costs nothing
    folder = resolve_data_dir(data)
    if folder == builtin_data_dir():
        rubric = load_rubric()
    else:
        found, problem = read_ladder(folder, "--data")
        if found is None:
            sys.stderr.write(f"{problem}\n")  # one line: file:line:col: CODE message
            raise typer.Exit(1)
        rubric = found
    pages = plan(rubric, title)
    files, took = build(pages, templates)
    written = write_site(out, files, force)
    sys.stderr.write(
        f"wrote {written} files ({len(pages)} pages) to {out} in {took:.2f} s; "
        f"open {out / 'index.html'}\n"
    )
