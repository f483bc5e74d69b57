"""Everything ``sreladder validate`` checks: the rubric folders, files and assessments
(:func:`sreladder.io.rubric.validate_paths`) and the company lexicons beside them
(``lexicon.yaml`` in a rubric folder, or named on the command line), so CI catches a
broken lexicon before ``evidence`` meets it."""

from __future__ import annotations

from pathlib import Path

from sreladder.io.lexicon_file import LEXICON_NAME, lexicon_findings
from sreladder.io.rubric import Report, is_rubric_dir, resolve_data_dir, validate_paths


def validate(paths: list[Path], data_dir: Path | None = None) -> Report:
    lexicons = [p for p in paths if p.name == LEXICON_NAME and p.is_file()]
    others = [p for p in paths if p not in lexicons]
    report = validate_paths(others, data_dir) if others or not lexicons else Report()
    folders = [p for p in (others or ([] if lexicons else [resolve_data_dir(data_dir)]))]
    lexicons += [
        f / LEXICON_NAME for f in folders if is_rubric_dir(f) and (f / LEXICON_NAME).is_file()
    ]
    for lexicon in lexicons:
        report.diagnostics += lexicon_findings(lexicon)
        report.checked += 1
    return report
