"""The terminal front of ``sreladder assess``: prompts, rendering, saving as it goes.

The plan (what to ask next) is :mod:`sreladder.core.interview`; this module only asks and
records. Prompts and talk go to stderr (stdout carries the score at the end); answers
are read a line at a time from stdin, so a pipe or ``CliRunner(input=...)`` drives it.

Keys at every prompt: ``s`` skip, ``b`` back, ``?`` help, ``q`` save and quit.

Choices made here (docs/commands.md, `sreladder assess`, says them for users):

* Every answer is saved at once: the rating as soon as it is given, then again after
  each evidence item. A resume continues at the next question (evidence left half-typed
  is not asked again; edit the file or go back to add more).
* ``not-yet`` and skipped answers are not asked for evidence (they claim nothing).
* ``b`` forgets the last answer in memory and asks that question again, showing the old
  answer (Enter keeps it). The file changes only when a new answer is given, so quitting
  right after ``b`` keeps the old answer on disk. ``b`` at an evidence prompt goes back to
  that expectation's rating.
* ``s`` at the level question means "not sure": the walk starts at the dimension's
  lowest level (recorded as the claim).
* User text shown back (names, evidence) passes :func:`sreladder.io.diagnostics.printable`
  and is rendered as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pydantic import ValidationError
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from sreladder.core.interview import (
    Question,
    cell_levels,
    go_back,
    next_question,
    parse_date,
    parse_level,
    with_answer,
    with_claim,
)
from sreladder.core.models import Answer, Assessment, Evidence, Role, parse_rating
from sreladder.io.assessments import save_assessment
from sreladder.io.diagnostics import printable
from sreladder.present.terminal import user_text
from sreladder.tty.prompts import HELP_LEVEL, HELP_RATING, SKIP

if TYPE_CHECKING:
    from sreladder.tty.evidence_picker import EvidencePicker


def utc_now() -> dt.datetime:
    """The time written to ``created``/``updated`` (UTC, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def stamped(assessment: Assessment, role: Role) -> Assessment:
    """``assessment`` as it is saved: updated now, against this rubric, created once."""
    now = utc_now()
    update: dict[str, object] = {"updated": now, "rubric_digest": role.digest}
    if assessment.created is None:
        update["created"] = now
    return assessment.model_copy(update=update)


class Back(Exception):
    """The person typed ``b``."""


class Quit(Exception):
    """The person typed ``q``."""


def typed_text(text: str) -> str:
    """Text from a terminal or the command line as valid Unicode: bytes that were not
    UTF-8 (kept by Python as lone surrogates) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class Prompter:
    """Line-based prompting: the prompt to stderr, one line from stdin. End of input
    raises EOFError (a closed terminal or a pipe that ran dry)."""

    def __init__(self, stdin: TextIO | None = None, out: TextIO | None = None):
        self._stdin = stdin
        self._out = out
        self._lenient = False

    def ask(self, prompt: str) -> str:
        out = self._out or sys.stderr
        out.write(prompt)
        out.flush()
        stream = self._stdin or sys.stdin
        if not self._lenient and hasattr(stream, "reconfigure"):
            # bytes that are not UTF-8 read as U+FFFD (possible before the first read only)
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors="replace")
            self._lenient = True
        line = stream.readline()
        if not line:
            out.write("\n")
            raise EOFError
        if not stream.isatty():
            out.write("\n")  # the typed line is not echoed off a terminal: keep lines apart
        return typed_text(line.rstrip("\r\n"))


def describe_answer(answer: Answer) -> str:
    rating = answer.rating or "skipped"
    count = len(answer.evidence)
    if count:
        return f"{rating}, {count} evidence item{'s' if count > 1 else ''}"
    return rating


class Session:
    """One run of the interview over ``assessment``, saved to ``path`` after every answer."""

    def __init__(
        self,
        role: Role,
        assessment: Assessment,
        path: Path,
        console: Console,
        prompter: Prompter,
        thorough: bool = False,
        picker: EvidencePicker | None = None,
    ):
        self.picker = picker  # suggestions from --evidence sources (tty/evidence_picker.py)
        self.role = role
        self.assessment = assessment
        self.path = path
        self.console = console
        self.prompter = prompter
        self.thorough = thorough
        self.previous: dict[str, object] = {}  # answers forgotten by "back": offered again
        self.asked: list[str] = []  # question keys answered in this sitting, latest last
        self._shown_dimension: str | None = None

    # --- saving ---------------------------------------------------------------------

    def save(self) -> None:
        self.assessment = stamped(self.assessment, self.role)
        save_assessment(self.path, self.assessment)

    # --- reading --------------------------------------------------------------------

    def read(self, prompt: str, help_text: str) -> object:
        """A line typed by the person; SKIP for ``s``; raises Back / Quit."""
        while True:
            text = self.prompter.ask(prompt)
            key = text.strip().lower()
            if key == "?":
                self.console.print(Text(help_text, style="dim"))
            elif key == "q":
                raise Quit
            elif key == "b":
                raise Back
            elif key == "s":
                return SKIP
            else:
                return text.strip()

    def warn(self, message: str) -> None:
        self.console.print(Text(message, style="yellow"))

    # --- the loop -------------------------------------------------------------------

    def run(self) -> None:
        """Ask until the plan is done. Raises Quit, EOFError or KeyboardInterrupt with
        every answer given so far already on disk."""
        while (question := next_question(self.role, self.assessment, self.thorough)) is not None:
            try:
                if question.kind == "claim":
                    self.ask_claim(question)
                else:
                    self.ask_rating(question)
            except Back:
                self.back()

    def back(self) -> None:
        last = self.asked.pop() if self.asked else None
        assessment, key, old = go_back(self.role, self.assessment, self.thorough, last)
        if key is None:
            self.warn("Nothing to go back to.")
            return
        self.assessment = assessment
        self.previous[key] = old
        self._shown_dimension = None

    def progress(self, question: Question) -> str:
        line = (
            f"dimension {question.dimension_number} of {question.dimension_count} · "
            f"{question.answered} question{'' if question.answered == 1 else 's'} answered"
        )
        return line + (f" · {question.skipped} skipped" if question.skipped else "")

    def level_line(self, number: int, level: str) -> Text:
        dimension = self.role.dimension(self._shown_dimension or "")
        assert dimension is not None
        cell = dimension.levels[level]
        title = self.role.title(level)
        line = Text(f"  {number}. ")
        line.append(level, style="bold")
        if title != level:
            line.append(printable(f" {title}"))
        line.append("  ")
        line.append(printable(cell.summary or cell.expectations[0].text), style="dim")
        return line

    def show_dimension(self, question: Question) -> None:
        dimension = question.dimension
        self._shown_dimension = dimension.id
        self.console.print()
        self.console.print(Rule(Text(printable(dimension.name), style="bold"), align="left"))
        self.console.print(Text(self.progress(question), style="dim"))
        for number, level in enumerate(cell_levels(self.role, dimension), start=1):
            self.console.print(self.level_line(number, level), no_wrap=True, overflow="ellipsis")
        if self.picker is not None:
            self.console.print(self.picker.counts_line(dimension))

    def who(self) -> str:
        if self.assessment.relation == "self":
            return "your"
        name = self.assessment.subject_name
        return f"{printable(name, 60)}'s" if name else "the person's"

    def ask_claim(self, question: Question) -> None:
        dimension = question.dimension
        self.show_dimension(question)
        levels = cell_levels(self.role, dimension)
        old = self.previous.get(question.key)
        choices = f"1-{len(levels)}" if len(levels) > 1 else "1"
        default = f", Enter keeps {old}" if old else ""
        prompt = (
            f"Which level best describes {self.who()} consistent work here? [{choices}{default}]: "
        )
        while True:
            text = self.read(prompt, HELP_LEVEL)
            if text is SKIP:
                level = levels[0]
                self.console.print(Text(f"Not sure: starting at {level}.", style="dim"))
                break
            if text == "" and isinstance(old, str):
                level = old
                break
            parsed = parse_level(self.role, dimension, str(text))
            if parsed is not None:
                level = parsed
                break
            self.warn(f"Type a number from {choices} or one of {', '.join(self.role.level_ids)}.")
        self.assessment = with_claim(self.assessment, dimension.id, level)
        self.previous.pop(question.key, None)
        self.asked.append(question.key)
        self.save()

    def ask_rating(self, question: Question) -> None:
        assert question.expectation is not None and question.level is not None
        expectation = question.expectation
        if self._shown_dimension != question.dimension.id:
            self.show_dimension(question)
        self.console.print()
        header = Text(printable(f"{question.level} · {question.dimension.name} · "), style="dim")
        header.append(self.progress(question), style="dim")
        self.console.print(header)
        self.console.print(user_text(expectation.text), style="bold")
        if expectation.examples:
            shown = "; ".join(user_text(e).plain for e in expectation.examples[:6])
            self.console.print(Text(f"  e.g. {shown}", style="dim"))
        old = self.previous.get(expectation.id)
        keep = f", Enter keeps: {describe_answer(old)}" if isinstance(old, Answer) else ""
        prompt = f"Rating: n not-yet · p partially · c consistently [n/p/c{keep}]: "
        while True:
            text = self.read(prompt, HELP_RATING)
            if text is SKIP:
                answer = Answer(rating=None)
                break
            if text == "" and isinstance(old, Answer):
                answer = old
                break
            rating = parse_rating(str(text))
            if rating is not None:
                # a new rating after "back" keeps the evidence already given for it
                kept = old.evidence if isinstance(old, Answer) and rating != "not-yet" else []
                answer = Answer(rating=rating, evidence=kept)
                if kept:
                    self.console.print(Text(f"  kept {len(kept)} evidence item(s)", style="dim"))
                break
            self.warn("Type n, p or c (or s to skip, ? for help).")
        self.previous.pop(expectation.id, None)
        self.asked.append(expectation.id)
        self.assessment = with_answer(self.assessment, expectation.id, answer)
        self.save()
        if answer is old or answer.rating in (None, "not-yet"):
            return
        self.ask_evidence(expectation.id)

    def ask_evidence(self, expectation_id: str) -> None:
        typed = self.picker.offer(self, expectation_id) if self.picker is not None else None
        if typed == "":
            return
        prompt = "  Evidence: what was done (Enter for none): "
        if self.assessment.answers[expectation_id].evidence:
            prompt = "  Evidence of your own: what was done (Enter for none): "
        while True:
            text = typed or self.read(prompt, HELP_RATING)
            typed = None
            if text is SKIP or text == "":
                return
            link = self.read("  Link (Enter for none): ", HELP_RATING)
            date = self.ask_date()
            try:
                given = None if link is SKIP or not link else str(link)
                item = Evidence.model_validate({"text": str(text), "link": given, "date": date})
            except ValidationError as exc:
                self.warn(f"Not saved: {exc.errors()[0]['msg']}")
                continue
            answer = self.assessment.answers[expectation_id]
            answer = answer.model_copy(update={"evidence": [*answer.evidence, item]})
            self.assessment = with_answer(self.assessment, expectation_id, answer)
            self.save()
            shown = Text("  + ", style="green").append_text(user_text(item.text, 200))
            if item.link:
                shown.append("  ").append_text(user_text(item.link, 200))
            if item.date:
                shown.append(f"  {item.date.isoformat()}")
            self.console.print(shown)
            more = self.read("  Another evidence item? [y/N]: ", HELP_RATING)
            if more is SKIP or str(more).lower() not in ("y", "yes"):
                return

    def ask_date(self) -> dt.date | None:
        while True:
            text = self.read("  Date YYYY-MM-DD (Enter for none): ", HELP_RATING)
            if text is SKIP or text == "":
                return None
            try:
                return parse_date(str(text))
            except ValueError:
                self.warn(f"Not a valid date: {printable(str(text), 40)} (use YYYY-MM-DD).")
