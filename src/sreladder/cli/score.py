"""``sreladder score``: an assessment's recommended level and its gaps."""

import sys
from pathlib import Path
from typing import Annotated

from sreladder.cli.common import (
    DataOption,
    ViewFormat,
    ViewFormatOption,
    file_argument,
    target_option,
    warn,
)


def score(
    file: Annotated[Path, file_argument("An assessment file.")],
    target: Annotated[
        str | None,
        target_option(
            "Level to measure gaps against [default: the file's target, "
            "else the level above the recommendation]."
        ),
    ] = None,
    format: ViewFormatOption = ViewFormat.table,
    data: DataOption = None,
) -> None:
    """An assessment's recommended level and its gaps to the next.

    Each dimension's level, and the expectations still missing for the target (by
    default the level above the recommendation). Answers to expectations the rubric no
    longer has are listed, never dropped.
    """
    from sreladder.core.scoring import score as score_assessment
    from sreladder.io.assessments import read_assessment_for
    from sreladder.io.rubric import load_rubric

    assessment, role = read_assessment_for(file, load_rubric(data), warn)
    result = score_assessment(role, assessment, target)
    from sreladder.present.report_score import RENDERER_BY_FORMAT

    sys.stdout.write(RENDERER_BY_FORMAT[format.value](result, role, assessment))
