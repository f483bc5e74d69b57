"""Loading the evidence matcher's lexicon: the built-in one, a ``lexicon.yaml`` in the
rubric folder (``--data``), then any ``--lexicon FILE``, merged in that order.

Read with the strict YAML loader and validated like the rubric files, so a mistake is
reported as ``file:line:col: CODE message``.
"""

from __future__ import annotations

from pathlib import Path

from sreladder.core.errors import SreladderError
from sreladder.core.lexicon import CompiledLexicon, Lexicon, merge, unknown_implications
from sreladder.io.diagnostics import Diagnostic
from sreladder.io.rubric import SourceFile, builtin_data_dir, load_file, resolve_data_dir

LEXICON_NAME = "lexicon.yaml"


class LexiconError(SreladderError):
    def __init__(self, diagnostics: list[Diagnostic]):
        shown = [str(d) for d in diagnostics[:5]]
        more = [f"… and {len(diagnostics) - 5} more"] if len(diagnostics) > 5 else []
        super().__init__("not a valid lexicon: " + "\n  ".join(shown + more))
        self.diagnostics = diagnostics


def lexicon_files(data_dir: Path | None, extra: list[Path]) -> list[Path]:
    """The files that make the lexicon, in merge order."""
    builtin = builtin_data_dir() / LEXICON_NAME
    files = [builtin]
    company = resolve_data_dir(data_dir) / LEXICON_NAME
    if company.is_file() and company.resolve() != builtin.resolve():
        files.append(company)
    return files + [Path(p) for p in extra]


def read_lexicon(path: Path) -> Lexicon:
    return _read(path)[0]


def _read(path: Path) -> tuple[Lexicon, SourceFile]:
    """The lexicon in ``path``, read by the loader every sreladder file goes through."""
    loaded = load_file(path, "lexicon")
    errors = [d for d in loaded.diagnostics if d.severity == "error"]
    if loaded.model is None or loaded.source is None or errors:
        raise LexiconError(errors or loaded.diagnostics)
    return loaded.model, loaded.source


def _merged(files: list[Path]) -> CompiledLexicon:
    """The files merged in order; a reference to a concept no file defines is an error
    at the line of the concept that makes it, in the file that defines that concept."""
    lexicon, source = _read(files[0])
    sources = [(lexicon, source)]
    for path in files[1:]:
        own, own_source = _read(path)
        sources.append((own, own_source))
        lexicon = merge(lexicon, own)
    missing = unknown_implications(lexicon)
    if missing:
        errors = []
        for concept, field, named in missing:
            own, own_source = next(
                (lx, src)
                for lx, src in reversed(sources)
                if any(c.id == concept for c in lx.concepts)
            )
            index = next(i for i, c in enumerate(own.concepts) if c.id == concept)
            message = f"concept {concept!r}: {field} names unknown concept {named!r}"
            errors.append(own_source.diagnostic(("concepts", index, field), "E201", message))
        raise LexiconError(errors)
    return CompiledLexicon(lexicon)


def load_lexicon(data_dir: Path | None = None, extra: list[Path] | None = None) -> CompiledLexicon:
    files = lexicon_files(data_dir, list(extra or ()))
    if not files[0].is_file():
        raise SreladderError(f"{files[0]}: the built-in lexicon is missing (a broken install?)")
    return _merged(files)


def lexicon_findings(path: Path) -> list[Diagnostic]:
    """What ``validate`` reports for a company's ``lexicon.yaml`` (merged over the
    built-in one, as ``evidence`` reads it): nothing when it is sound. The built-in
    one itself (``validate`` of the shipped data) is checked alone: merged over itself
    it would say the same, after building a merged lexicon for nothing."""
    builtin = builtin_data_dir() / LEXICON_NAME
    try:
        _merged([builtin] if _same_file(path, builtin) else [builtin, path])
    except LexiconError as exc:
        return list(exc.diagnostics)
    return []


def _same_file(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.resolve()
    except OSError:
        return False
