"""The adaptive question plan of ``sreladder assess``, as pure logic (no I/O, no clock).

Everything is computed from the assessment so far, so resuming is: load the file and
call :func:`next_question` again. There is no hidden state.

The plan, per dimension in role order (docs/commands.md, `sreladder assess`):

1. Ask which level best describes the person's consistent work (the *claim*, stored in
   ``Assessment.claimed``). Only the dimension's cells are offered.
2. Ask that cell's expectations in rubric order (unanswered ones only: an answered or
   skipped expectation is never asked again).
3. Once every expectation of the cell is answered, the cell is held or not by the
   role's own rule (:func:`sreladder.core.scoring.score`, ``DimensionResult.held``). Held:
   go one cell up and keep going up while cells are held; not held: go one cell down
   and keep going down while cells are not held. Stop at the boundary (a held cell
   with an unheld one above it) or at the top/bottom cell.

With ``thorough`` the claim is still asked (it is recorded), then every expectation of
every cell, lowest cell first.

The order questions were asked in is the order of the file: ``claimed`` and ``answers``
are dicts kept in insertion order, a (re-)answer is moved to the end. So "back" is
"remove the last thing answered" (:func:`go_back`), which restores the state in which
that question was asked, and the plan asks it again, even after a resume.

A skipped question is an answer with ``rating: None``: it earns nothing and counts as
answered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from sreladder.core.models import (
    Answer,
    Assessment,
    Dimension,
    Expectation,
    Rating,
    Role,
)
from sreladder.core.scoring import cell_held


@dataclass(frozen=True)
class Question:
    """One prompt of the interview: a level claim for a dimension, or one expectation."""

    kind: Literal["claim", "rating"]
    dimension: Dimension
    dimension_number: int  # 1-based position among the role's dimensions
    dimension_count: int
    answered: int  # expectations of this role rated so far
    level: str | None = None  # the cell, for a rating question
    expectation: Expectation | None = None
    skipped: int = 0  # expectations of this role skipped so far (no rating)

    @property
    def key(self) -> str:
        if self.expectation is not None:
            return self.expectation.id
        return f"claim:{self.dimension.id}"


# --- the plan ---------------------------------------------------------------------------


def cell_levels(role: Role, dimension: Dimension) -> list[str]:
    """The levels at which ``dimension`` has a cell, in role order."""
    return [level for level, _ in role.cells(dimension)]


def start_level(role: Role, dimension: Dimension, claimed: str | None) -> str:
    """The cell the adaptive walk starts at: the claimed level when it is a cell, else the
    nearest cell below it, else the dimension's first cell (a claim from a hand-edited file
    may name a level without a cell, or no level of this role at all)."""
    levels = cell_levels(role, dimension)
    if claimed in levels:
        return claimed
    if claimed in role.levels:
        index = role.level_index(claimed)
        below = [lv for lv in levels if role.level_index(lv) <= index]
        if below:
            return below[-1]
    return levels[0]


def _first_unanswered(
    dimension: Dimension, level: str, assessment: Assessment
) -> Expectation | None:
    cell = dimension.levels[level]
    return next((e for e in cell.expectations if e.id not in assessment.answers), None)


def _dimension_next(
    role: Role, dimension: Dimension, assessment: Assessment, thorough: bool
) -> tuple[str, Expectation | None] | None:
    """("claim", None), (level, expectation) or None when the dimension is done."""
    if dimension.id not in assessment.claimed:
        return ("claim", None)
    levels = cell_levels(role, dimension)
    if thorough:
        for level in levels:
            expectation = _first_unanswered(dimension, level, assessment)
            if expectation is not None:
                return (level, expectation)
        return None
    index = levels.index(start_level(role, dimension, assessment.claimed[dimension.id]))
    direction = 0
    while 0 <= index < len(levels):
        level = levels[index]
        expectation = _first_unanswered(dimension, level, assessment)
        if expectation is not None:
            return (level, expectation)
        held = cell_held(role, dimension.levels[level], assessment.answers)
        if direction == 0:
            direction = 1 if held else -1
        elif (direction == 1 and not held) or (direction == -1 and held):
            return None  # the boundary: held below, not held above
        index += direction
    return None  # top or bottom reached


def answered_count(role: Role, assessment: Assessment) -> tuple[int, int]:
    """(rated, skipped): the expectations of ``role`` with a rating, and without one."""
    rated = skipped = 0
    for key, answer in assessment.answers.items():
        if key in role.expectation_index:
            if answer.rating is None:
                skipped += 1
            else:
                rated += 1
    return rated, skipped


def next_question(role: Role, assessment: Assessment, thorough: bool = False) -> Question | None:
    """The next question of the interview, or None when it is complete."""
    count = len(role.dimensions)
    for number, dimension in enumerate(role.dimensions, start=1):
        step = _dimension_next(role, dimension, assessment, thorough)
        if step is None:
            continue
        rated, skipped = answered_count(role, assessment)
        level, expectation = step
        if expectation is None:
            return Question("claim", dimension, number, count, rated, skipped=skipped)
        return Question(
            "rating", dimension, number, count, rated, level, expectation, skipped=skipped
        )
    return None


# --- changing the assessment (each returns a new one) ----------------------------------


def with_claim(assessment: Assessment, dimension_id: str, level: str) -> Assessment:
    claimed = {k: v for k, v in assessment.claimed.items() if k != dimension_id}
    claimed[dimension_id] = level
    return assessment.model_copy(update={"claimed": claimed})


def with_answer(assessment: Assessment, expectation_id: str, answer: Answer) -> Assessment:
    """``answer`` recorded as the latest thing asked (moved to the end of the order)."""
    return with_answers(assessment, {expectation_id: answer})


def with_answers(assessment: Assessment, given: dict[str, Answer]) -> Assessment:
    """``given`` recorded as the latest things asked, in their order."""
    answers = {k: v for k, v in assessment.answers.items() if k not in given}
    answers.update(given)
    return assessment.model_copy(update={"answers": answers})


def last_asked(role: Role, assessment: Assessment) -> str | None:
    """The key of the question answered last: an expectation id or ``claim:<dimension>``.

    A dimension's claim is asked before its expectations, so the last claim is the last
    thing asked when none of its dimension's expectations is answered yet; otherwise it is
    the last answer (to an expectation this role has: answers kept from an older rubric
    are not questions any more)."""
    known = [k for k in assessment.answers if k in role.expectation_index]
    claims = [d for d in assessment.claimed if role.dimension(d) is not None]
    if claims:
        dimension = claims[-1]
        if not any(role.expectation_index[k][0].id == dimension for k in known):
            return f"claim:{dimension}"
    return known[-1] if known else None


def go_back(
    role: Role, assessment: Assessment, thorough: bool = False, key: str | None = None
) -> tuple[Assessment, str | None, object]:
    """Forget the last thing asked so the plan asks it again.

    ``key`` is what the front end asked last in this sitting, when it knows; otherwise
    the file's order says (:func:`last_asked`). That order is only a guess for answers
    that came from an ``--answers`` file, so a key is forgotten only when the plan then
    asks exactly that question again: "back" never drops an answer it will not re-ask.

    Returns (the new assessment, the key forgotten or None, the old value: a level id or
    an Answer) so the front end can offer the old value as the default."""
    key = key or last_asked(role, assessment)
    if key is None:
        return assessment, None, None
    if key.startswith("claim:"):
        dimension = key.removeprefix("claim:")
        old: object = assessment.claimed.get(dimension)
        claimed = {k: v for k, v in assessment.claimed.items() if k != dimension}
        forgotten = assessment.model_copy(update={"claimed": claimed})
    else:
        old = assessment.answers.get(key)
        answers = {k: v for k, v in assessment.answers.items() if k != key}
        forgotten = assessment.model_copy(update={"answers": answers})
    question = next_question(role, forgotten, thorough)
    if old is None or question is None or question.key != key:
        return assessment, None, None
    return forgotten, key, old


# --- parsing what the person types ------------------------------------------------------


def parse_choice(text: str, count: int) -> int | None:
    """The 0-based index of item ``text`` (1-based, ASCII digits only: ``str.isdigit``
    also accepts ``²``, which ``int`` refuses) in a list of ``count``; None otherwise."""
    word = text.strip()
    if word.isascii() and word.isdigit() and len(word) <= 9 and 1 <= int(word) <= count:
        return int(word) - 1  # (int() refuses more than 4,300 digits)
    return None


def parse_level(role: Role, dimension: Dimension, text: str) -> str | None:
    """The number of one of the dimension's cells in the list shown (1-based), or any
    level id of the role (any case: a level without a cell starts the walk at the
    nearest cell below, or at the first cell); None otherwise."""
    levels = cell_levels(role, dimension)
    word = text.strip()
    chosen = parse_choice(word, len(levels))
    if chosen is not None:
        return levels[chosen]
    return next((lv for lv in role.level_ids if lv.lower() == word.lower()), None)


def parse_date(text: str) -> dt.date:
    """An ISO date ``YYYY-MM-DD``; ValueError otherwise."""
    word = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", word, re.ASCII):  # fromisoformat takes 2026-W01-1
        raise ValueError(f"not a date in the form YYYY-MM-DD: {word!r}")
    return dt.date.fromisoformat(word)


# --- simulation (tests and benchmarks/question_counts.py) -------------------------------


def simulate(role: Role, true_level: str, thorough: bool = False) -> tuple[Assessment, int]:
    """Run the plan for a person really at ``true_level``: claims ``true_level`` in every
    dimension, answers ``consistently`` at cells up to it and ``not-yet`` above.
    Returns the final assessment and the number of expectations asked."""
    assessment = Assessment(sreladder=1, role=role.id, answers={})
    top = role.level_index(true_level)
    asked = 0
    while (question := next_question(role, assessment, thorough)) is not None:
        if question.kind == "claim":
            assessment = with_claim(assessment, question.dimension.id, true_level)
            continue
        assert question.expectation is not None and question.level is not None
        rating: Rating = "consistently" if role.level_index(question.level) <= top else "not-yet"
        assessment = with_answer(assessment, question.expectation.id, Answer(rating=rating))
        asked += 1
    return assessment, asked
