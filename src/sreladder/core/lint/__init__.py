"""``sreladder lint``: rubric quality rules over a role, each with a stable code.

``validate`` says whether a rubric is correct; lint says whether it is a good
instrument: that each line is one observable behaviour a person can be rated on, and
that levels and dimensions are balanced. Rules are pure (see :mod:`.rules`); the
configuration, inline ignores and positions live in :mod:`sreladder.io.lint`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from sreladder.core.findings import Finding
from sreladder.core.lint import rules
from sreladder.core.lint.rules import Settings
from sreladder.core.models import Role

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Callable[[Role, Settings], Iterable[Finding]]

    @property
    def summary(self) -> str:
        return (self.check.__doc__ or "").strip().splitlines()[0]


RULES: tuple[Rule, ...] = (
    Rule("L501", "label-instead-of-behaviour", "error", rules.label_instead_of_behaviour),
    Rule("L502", "noun-phrase", "error", rules.noun_phrase),
    Rule("L503", "several-behaviours", "warning", rules.several_behaviours),
    Rule("L504", "length", "warning", rules.length),
    Rule("L505", "vague-qualifier", "warning", rules.vague_qualifier),
    Rule("L506", "near-identical-levels", "warning", rules.near_identical_levels),
    Rule("L507", "same-text-across-dimensions", "warning", rules.same_text_across_dimensions),
    Rule("L508", "level-growth", "warning", rules.level_growth),
    Rule("L509", "heavy-dimension", "warning", rules.heavy_dimension),
    Rule("L510", "single-cell", "warning", rules.single_cell),
    Rule("L511", "evidence-example-repeats", "warning", rules.evidence_example_repeats),
)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules ``select`` names (all when empty) minus those ``ignore`` names. A code
    may be a prefix: ``L50`` is L501..L509."""
    chosen = [r for r in RULES if not select or any(r.code.startswith(s) for s in select)]
    return [r for r in chosen if not any(r.code.startswith(s) for s in ignore)]


def unknown_codes(codes: Iterable[str]) -> list[str]:
    return [c for c in codes if not any(r.code.startswith(c) for r in RULES)]


@dataclass(frozen=True)
class LintFinding:
    rule: Rule
    finding: Finding
    ids: frozenset[str]  # the expectation, dimension and level the finding is about
    sources: frozenset[str]  # the sources the expectation names

    @property
    def code(self) -> str:
        return self.rule.code


def lint_role(
    role: Role, settings: Settings | None = None, chosen: Iterable[Rule] = RULES
) -> Iterator[LintFinding]:
    settings = settings or Settings()
    for rule in chosen:
        for finding in rule.check(role, settings):
            ids, sources = _subject(role, finding.loc)
            yield LintFinding(rule, finding, ids, sources)


def _subject(role: Role, loc: tuple) -> tuple[frozenset[str], frozenset[str]]:
    ids: set[str] = set()
    sources: set[str] = set()
    if len(loc) >= 2 and loc[0] == "dimensions" and isinstance(loc[1], int):
        dimension = role.dimensions[loc[1]]
        ids.add(dimension.id)
        if len(loc) >= 6 and loc[2] == "levels" and loc[4] == "expectations":
            ids.add(str(loc[3]))
            expectation = dimension.levels[str(loc[3])].expectations[int(loc[5])]
            ids.add(expectation.id)
            source = expectation.source or []
            sources.update([source] if isinstance(source, str) else source)
    elif len(loc) >= 2 and loc[0] == "levels":
        ids.add(str(loc[1]))
    return frozenset(ids), frozenset(sources)
