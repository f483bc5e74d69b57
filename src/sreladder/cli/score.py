import sys
from pathlib import Path
from typing import Annotated

import typer

from sreladder.cli.common import (
    DataOption,
    ViewFormat,
    ViewFormatOption,
    error_boundary,
    target_option,
    warn,
)


def register(app: typer.Typer) -> None:
    @app.command()
    @error_boundary
    def score(
        file: Annotated[
            Path,
            typer.Argument(
                metavar="FILE", readable=False, help="An assessment file.", show_default=False
            ),
        ],
        target: target_option(
            "Level to measure gaps against [default: the file's target, "
            "else the level above the recommendation]."
        ) = None,
        format: ViewFormatOption = ViewFormat.table,
        data: DataOption = None,
    ) -> None:
        """Score an assessment: recommended level, each dimension's level, gaps to the target.

        Answers to expectations the rubric no longer has are listed, never dropped.
        """
        from sreladder.core.scoring import score as score_assessment
        from sreladder.io.assessments import read_assessment_for
        from sreladder.io.rubric import load_rubric

        assessment, role = read_assessment_for(file, load_rubric(data), warn)
        result = score_assessment(role, assessment, target)
        from sreladder.present.report_score import RENDERER_BY_FORMAT

        sys.stdout.write(RENDERER_BY_FORMAT[format.value](result, role, assessment))
