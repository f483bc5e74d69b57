"""``sreladder compare``: where two assessments of one person disagree."""

import sys
from pathlib import Path
from typing import Annotated

from sreladder.cli.common import (
    DataOption,
    ForceOption,
    ViewFormat,
    ViewFormatOption,
    file_argument,
)


def compare(
    file_a: Annotated[Path, file_argument("One assessment.", metavar="A")],
    file_b: Annotated[Path, file_argument("Another assessment of the same person.", metavar="B")],
    force: ForceOption = False,
    format: ViewFormatOption = ViewFormat.table,
    data: DataOption = None,
) -> None:
    """Where two assessments of one person disagree.

    For example self vs manager. Per dimension both levels side by side; the
    expectations whose ratings differ by a step or more (not-yet / partially /
    consistently are 0 / 1 / 2); expectations only one side rated ("no answer":
    unanswered or skipped), listed apart and not counted as disagreement. Agreement =
    the share of expectations rated by both whose ratings are equal, and the share of
    dimensions whose level is equal. Columns are labelled by the assessor's relation and
    name, e.g. "self (Dana)". Different subjects (names compared case-insensitively) or
    roles are refused unless --force; both are then scored against A's role.
    """
    from sreladder.cli.common import load_pair
    from sreladder.core.compare import compare as compare_assessments
    from sreladder.present.report_compare import RENDERER_BY_FORMAT

    role, a, b, labels = load_pair(file_a, file_b, force, data)
    comparison = compare_assessments(role, a, b, None, labels)
    sys.stdout.write(RENDERER_BY_FORMAT[format.value](comparison, role))
