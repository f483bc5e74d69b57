"""Evidence suggestions in the interview: ``sreladder assess ROLE --evidence SOURCE``.

The sources (brag documents, CSV, JSON) are read and matched once, before the first
question (:mod:`sreladder.core.evidence`). Then:

* before a dimension's level question, one line tells how many items support each of
  its levels (``Evidence in your sources: P1 4 · P2 2 · P3 0``);
* when an expectation is rated ``p`` or ``c``, the items suggested for it are shown,
  numbered, best first, each with where it was found and its link in full: type numbers
  (``1 3`` or ``1,3``) to attach them (text, link and date kept, with where each was
  found and ``suggested: confirmed``), type new text to write
  an item yourself (the usual link and date prompts follow), or press Enter for none.
  After attaching, the usual evidence prompt follows, so items of one's own can still
  be added.

Each attach is saved at once, like every other answer, so ``--resume`` keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import ValidationError
from rich.text import Text

from sreladder.core.evidence import (
    TOP_MATCHES,
    EvidenceItem,
    EvidenceReport,
    as_evidence,
    evidence_text,
    match_items,
)
from sreladder.core.interview import cell_levels, with_answer
from sreladder.core.models import Dimension, Role
from sreladder.present.terminal import user_text
from sreladder.tty.prompts import HELP_RATING, SKIP

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from sreladder.core.models import Assessment


class Session(Protocol):
    """What :meth:`EvidencePicker.offer` needs of the interview session."""

    console: Console
    assessment: Assessment

    def read(self, prompt: str, help_text: str) -> object: ...

    def warn(self, message: str) -> None: ...

    def save(self) -> None: ...


SUGGESTED = 5  # items offered per expectation
_NUMBERS = re.compile(r"^\s*\d{1,4}(?:\s*[, ]\s*\d{1,4})*\s*$", re.ASCII)


SUGGESTED_PER_ITEM = 5  # more than `evidence` keeps: an item may fit several questions


class EvidencePicker:
    def __init__(self, role: Role, report: EvidenceReport, counted: EvidenceReport):
        """``report`` (up to SUGGESTED_PER_ITEM matches an item) gives the suggestions;
        ``counted`` (as many as `sreladder evidence` keeps) the per-level counts, so
        those say what `sreladder evidence` says of the same sources."""
        self.role = role
        self.report = report
        ranked: dict[str, list[tuple[float, int]]] = {}
        for index, matched in enumerate(report.items):
            for match in matched.matches:
                ranked.setdefault(match.expectation, []).append((-match.score, index))
        self._suggested = {
            key: [report.items[i].item for _, i in sorted(found)] for key, found in ranked.items()
        }
        self._per_cell = {(d, lv): len(items) for d, lv, items in counted.by_cell()}

    @classmethod
    def from_sources(
        cls, role: Role, sources: Sequence[Path], data: Path | None = None
    ) -> EvidencePicker:
        from sreladder.core.evidence import Matcher
        from sreladder.io.lexicon_file import load_lexicon
        from sreladder.io.sources import read_sources

        items = read_sources(sources)
        matcher = Matcher(role, load_lexicon(data))
        suggested = match_items(matcher, items, SUGGESTED_PER_ITEM)
        return cls(role, suggested, match_items(matcher, items, TOP_MATCHES))

    @property
    def item_count(self) -> int:
        return len(self.report.items)

    def suggestions(self, expectation_id: str) -> list[EvidenceItem]:
        return self._suggested.get(expectation_id, [])

    def level_counts(self, dimension: Dimension) -> list[tuple[str, int]]:
        return [
            (level, self._per_cell.get((dimension.id, level), 0))
            for level in cell_levels(self.role, dimension)
        ]

    def counts_line(self, dimension: Dimension) -> Text:
        counts = " · ".join(f"{level} {count}" for level, count in self.level_counts(dimension))
        return Text(f"  Evidence in your sources: {counts}", style="cyan")

    # --- the question ------------------------------------------------------------------

    def offer(self, session: Session, expectation_id: str) -> str | None:
        """Show the suggestions for ``expectation_id`` and read the choice. Returns ""
        when none is wanted, the text typed for a new item, or None when the usual
        evidence prompt is to follow (items were attached, or there was nothing to
        suggest)."""
        answer = session.assessment.answers.get(expectation_id)
        attached = {(e.text, e.link) for e in answer.evidence} if answer else set()
        offered = [
            item
            for item in self.suggestions(expectation_id)
            if (evidence_text(item), item.link) not in attached
        ][:SUGGESTED]
        if not offered:
            return None
        session.console.print(Text("  Suggested from your sources:", style="cyan"))
        session.console.print(suggestion_list(offered))
        prompt = "  Pick numbers (e.g. 1 3), type new evidence, or Enter for none: "
        while True:
            text = session.read(prompt, HELP_RATING)
            if text is SKIP or text == "":
                return ""
            text = str(text)
            if not _NUMBERS.match(text):
                return text
            numbers = [int(n) for n in re.findall(r"\d+", text)]
            if all(1 <= n <= len(offered) for n in numbers):
                break
            session.warn(f"Type numbers from 1 to {len(offered)}, new text, or Enter.")
        chosen = [offered[n - 1] for n in dict.fromkeys(numbers)]
        try:  # a number picked is a suggestion a person confirmed, kept with its source
            evidence = [as_evidence(item, "confirmed") for item in chosen]
        except ValidationError as exc:  # as for typed evidence; the usual prompt follows
            session.warn(f"Not saved: {exc.errors()[0]['msg']}")
            return None
        answer = session.assessment.answers[expectation_id]
        answer = answer.model_copy(update={"evidence": [*answer.evidence, *evidence]})
        session.assessment = with_answer(session.assessment, expectation_id, answer)
        session.save()
        for added in evidence:
            session.console.print(
                Text("  + ", style="green").append_text(user_text(added.text, 200))
            )
        return None  # the usual prompt follows: the person may add items of their own


def suggestion_list(offered: Sequence[EvidenceItem]) -> Table:
    """The numbered suggestions with a hanging indent: wrapped lines start under the
    text, not at the margin; where each was found and its link on a line of their own,
    the link whole (a terminal can only open a link it sees whole)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    width = len(str(len(offered)))
    for number, item in enumerate(offered, start=1):
        text = user_text(item.text, 400)
        where = f"{item.file}:{item.line}" + (f" · {item.date}" if item.date else "")
        text.append("\n").append_text(user_text(where, 300, style="dim"))
        if item.link:
            text.append("\n").append_text(user_text(item.link, 20_000, style="dim"))
        grid.add_row(Text(f"   {number:>{width}}."), text)
    return grid
