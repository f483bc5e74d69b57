"""Run the lint rules over files: find the roles, apply each file's config and inline
ignores, and turn findings into located diagnostics (the same records ``validate``
prints). A file that does not load is reported with ``validate``'s own findings:
lint has nothing to say about a rubric that is not correct yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sreladder.core import lint
from sreladder.core.findings import Loc
from sreladder.io import yamlio
from sreladder.io.diagnostics import Diagnostic
from sreladder.io.lint_config import ConfigFinder, LintConfig, ignored_inline, inline_ignores
from sreladder.io.rubric import (
    YAML_SUFFIXES,
    Kind,
    SourceFile,
    display_path,
    is_rubric_dir,
    load_file,
    resolve_data_dir,
)


@dataclass
class LintReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: int = 0  # roles linted
    acknowledged: int = 0  # findings the config or an inline comment accepts


def role_files(path: Path) -> list[Path]:
    """The YAML files to look at under ``path`` (a rubric folder: its roles/)."""
    if is_rubric_dir(path):
        folder = path / "roles"
        return sorted(p for p in folder.glob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    return [path]


def lint_paths(
    paths: Iterable[Path],
    data_dir: Path | None = None,
    select: list[str] | None = None,
    ignore: Iterable[str] = (),
) -> LintReport:
    """``select`` None: the config's choice; ``ignore`` adds to the config's."""
    report = LintReport()
    finder = ConfigFinder()
    for path in list(paths) or [resolve_data_dir(data_dir)]:
        checked, found = report.checked, len(report.diagnostics)
        for file in role_files(path):
            _lint_file(file, finder.config_for(file), report, select, list(ignore))
        if report.checked == checked and len(report.diagnostics) == found:
            # a mistyped path must not turn CI green: say there was nothing to lint
            message = "no role rubric here to lint (a rubric folder has a roles/ folder)"
            report.diagnostics.append(Diagnostic.make(display_path(path), "E001", message))
    return report


def _lint_file(
    path: Path,
    config: LintConfig,
    report: LintReport,
    select: list[str] | None,
    ignore: list[str],
) -> None:
    kind: Kind | None = "role" if path.parent.name == "roles" else None
    loaded = load_file(path, kind)
    if loaded.model is None or loaded.source is None:
        report.diagnostics += [d for d in loaded.diagnostics if d.severity == "error"]
        return
    if loaded.kind != "role":
        return  # scales and assessments have nothing to lint
    report.checked += 1
    chosen = lint.select_rules(
        config.section.select if select is None else select, [*config.section.ignore, *ignore]
    )
    findings = list(lint.lint_role(loaded.model, config.settings, chosen))
    if not findings:
        return
    source = loaded.source
    comments = inline_ignores(source.text, source.root)
    for found in findings:
        lines = _lines(source, found.finding.loc, found.finding.at_key)
        if config.acknowledged(path, found) or ignored_inline(comments, lines, found.code):
            report.acknowledged += 1
            continue
        report.diagnostics.append(_diagnostic(source, found))


def _lines(source: SourceFile, loc: Loc, at_key: bool) -> set[int]:
    """The lines an inline comment may sit on for a finding at ``loc``: its own, and
    the first line and the ``id:`` line of the list item holding it (an expectation,
    a dimension)."""
    out = set()
    position = yamlio.locate(source.root, loc, key=at_key)
    if position is not None:
        out.add(position.line)
    item = max((n for n, part in enumerate(loc) if isinstance(part, int)), default=None)
    if item is not None:
        for where in (loc[: item + 1], (*loc[: item + 1], "id")):
            position = yamlio.locate(source.root, where)
            if position is not None:
                out.add(position.line)
    return out


def _diagnostic(source: SourceFile, found: lint.LintFinding) -> Diagnostic:
    finding = found.finding
    position = yamlio.locate(source.root, finding.loc, key=finding.at_key)
    line, col = (position.line, position.col) if position else (None, None)
    return Diagnostic.make(
        source.display, found.code, finding.message, line, col, found.rule.severity
    )
