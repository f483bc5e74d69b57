"""Loading the evidence matcher's lexicon: the built-in one, a ``lexicon.yaml`` in the
rubric folder (``--data``), then any ``--lexicon FILE``, merged in that order.

Read with the strict YAML loader and validated like the rubric files, so a mistake is
reported as ``file:line:col: CODE message``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from sreladder.core.errors import SreladderError
from sreladder.core.lexicon import CompiledLexicon, Lexicon, merge, unknown_implications
from sreladder.io import yamlio
from sreladder.io.diagnostics import Diagnostic
from sreladder.io.rubric import (
    SourceFile,
    _validation_diagnostics,
    builtin_data_dir,
    display_path,
    resolve_data_dir,
)

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
    display = display_path(path)
    try:
        text = yamlio.decode(yamlio.read_bytes(path))
        data, root = yamlio.load_document(text)
    except yamlio.YamlError as exc:
        raise LexiconError(
            [Diagnostic.make(display, exc.code, exc.message, exc.line, exc.col)]
        ) from None
    if not isinstance(data, dict):
        message = "expected a mapping with `lexicon: 1` and `concepts:`"
        raise LexiconError([Diagnostic.make(display, "E008", message, 1, 1)])
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:
        raise LexiconError(
            _validation_diagnostics(exc, SourceFile(display, text, root, True))
        ) from None


def load_lexicon(data_dir: Path | None = None, extra: list[Path] | None = None) -> CompiledLexicon:
    files = lexicon_files(data_dir, list(extra or ()))
    if not files[0].is_file():
        raise SreladderError(f"{files[0]}: the built-in lexicon is missing (a broken install?)")
    lexicon = read_lexicon(files[0])
    for path in files[1:]:
        lexicon = merge(lexicon, read_lexicon(path))
    missing = unknown_implications(lexicon)
    if missing:
        concept, implied = missing[0]
        where = display_path(files[-1])
        raise SreladderError(f"{where}: concept {concept!r} implies unknown concept {implied!r}")
    return CompiledLexicon(lexicon)
