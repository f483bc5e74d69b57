"""The review of ``sreladder evidence --attach``: each proposed item shown, then asked.

A matcher's suggestion is not evidence until someone has read it ("Last updated ...
current level: SRE III" and a book someone read matched claims once). So in a
terminal every proposal (an item for a claim) is shown in full: the expectation's id,
level and text, the claim's rating, the item's text, date and link, where it was found
and the match's score; then ``Attach it? y/n/a/q``:

* ``y`` attaches it (``suggested: confirmed``), ``n`` leaves it out;
* ``a`` attaches it and every proposal after it without showing them: those the person
  has not seen are recorded as ``suggested: unreviewed``, as ``--yes`` records them;
* ``q`` stops: nothing more is attached, the items already accepted are written. The
  end of input (Ctrl-D) is ``q`` too; Ctrl-C writes nothing.

Prompts are read through the interview's :class:`~sreladder.tty.session.Prompter` (a
line from stdin, the prompt on stderr), so ``CliRunner(input=...)`` drives the review;
whether to review at all is :func:`stdin_is_terminal`, which tests replace.
Everything shown that came from a source or a rubric is printed as ``rich.text.Text``
through :func:`~sreladder.present.terminal.user_text`: markup and escapes are shown,
never obeyed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from sreladder.core.evidence import EvidenceItem, EvidenceReport, Proposal
from sreladder.core.models import Suggested
from sreladder.present.terminal import is_tty, user_text

if TYPE_CHECKING:
    from rich.console import Console, Group

    from sreladder.tty.session import Prompter

PROMPT = "  Attach it? [y]es / [n]o / [a]ll the rest / [q]uit: "
KEYS = {
    "y": "y",
    "yes": "y",
    "n": "n",
    "no": "n",
    "a": "a",
    "all": "a",
    "q": "q",
    "quit": "q",
}


def stdin_is_terminal() -> bool:
    """Whether the person can be asked: stdin is a terminal. The seam tests replace to
    drive the review with ``CliRunner(input=...)``."""
    return is_tty(sys.stdin)


@dataclass
class Reviewed:
    """What the review decided: the proposals accepted, each with how, in order, and
    whether the person stopped early."""

    accepted: list[tuple[Proposal, Suggested]] = field(default_factory=list)
    declined: int = 0
    stopped: bool = False


def unreviewed(proposals: Sequence[Proposal]) -> Reviewed:
    """Every proposal accepted unseen (``--yes``)."""
    return Reviewed([(p, "unreviewed") for p in proposals])


def review(
    proposals: Sequence[Proposal],
    report: EvidenceReport,
    prompter: Prompter,
    console: Console,
) -> Reviewed:
    """Show each proposal and ask; see the module's docstring for the answers."""
    done = Reviewed()
    total = len(proposals)
    for number, proposal in enumerate(proposals, start=1):
        console.print()
        console.print(proposal_view(proposal, report.items[proposal.item].item, number, total))
        answer = _ask(prompter, console)
        if answer == "y":
            done.accepted.append((proposal, "confirmed"))
        elif answer == "n":
            done.declined += 1
        elif answer == "a":
            done.accepted.append((proposal, "confirmed"))
            done.accepted += [(p, "unreviewed") for p in proposals[number:]]
            break
        else:
            done.stopped = True
            break
    return done


def _ask(prompter: Prompter, console: Console) -> str:
    while True:
        try:
            text = prompter.ask(PROMPT)
        except EOFError:
            return "q"  # the end of input stops the review; what was accepted is kept
        key = KEYS.get(text.strip().lower())
        if key is not None:
            return key
        console.print(Text("  Type y, n, a or q.", style="yellow"))


def proposal_view(proposal: Proposal, item: EvidenceItem, number: int, total: int) -> Group:
    """One proposal as the review shows it: the claim, then the item, each line
    labelled, wrapped lines under their text (not at the margin); the link whole (a
    terminal can open only a link it sees whole)."""
    from rich.console import Group
    from rich.table import Table

    head = Text(f"[{number}/{total}] ", style="dim")
    head.append_text(user_text(proposal.expectation, 100, style="bold"))
    head.append(" · ")
    head.append_text(user_text(proposal.level, 100))
    head.append(f" · rated {proposal.rating} · score {proposal.score:.2f}", style="dim")
    where = f"{item.file}:{item.line}"
    if item.context:
        where += " (under " + " › ".join(item.context) + ")"
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    rows = [
        ("  Expectation", user_text(proposal.expectation_text, 2000)),
        ("  Item", user_text(item.text, 2000, style="bold")),
        ("  Date", user_text(item.date or "—", 100)),
        ("  Link", user_text(item.link or "—", 20_000)),
        ("  Found at", user_text(where, 1000)),
    ]
    for label, value in rows:
        grid.add_row(label, value)
    return Group(head, grid)
