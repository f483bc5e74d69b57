"""Entries that are read but not counted: what a tool records that is not a person's
work. Each rule returns the reason a skipped entry carries (its kind is the part
before any parenthesis, which the views count), or None.

* merge commits and "Merge branch/pull request" subjects: the work is in the commits
  or the pull request merged;
* reverts: undoing work is not more of it;
* dependency bumps: what Dependabot and Renovate open (and their subjects, whoever
  pushed them: "Bump x from 1.2 to 1.3", "chore(deps): update ...", "Update dependency
  ...", "Lock file maintenance");
* typo fixes: a short subject that says it fixes a typo;
* work in progress: "WIP", "[WIP]", "fixup!"/"squash!" commits;
* test pages and alerts: "test" as the page's own subject or service.
"""

from __future__ import annotations

import re

MERGE = "merge commit"
REVERT = "revert"
DEPENDENCY = "dependency bump"
TYPO = "typo fix"
WIP = "work in progress"
TEST_PAGE = "test page"
AUTO_RESOLVED = "auto-resolved alert"
BOT = "bot author"
SOMEONE_ELSE = "someone else's"

_MERGE = re.compile(
    r"^\s*Merge (?:pull request #\d+|(?:remote-tracking )?branch\b|branches\b|tag\b|"
    r"commit\b|[0-9a-f]{7,40}\b|'[^']*' into\b)",
    re.I,
)
_REVERT = re.compile(r"^\s*(?:Revert\b|Reverts?\s+\"|revert:)", re.I)
_DEPENDENCY = re.compile(
    r"^\s*(?:\[Snyk\]\s*)?(?:"
    r"(?:build|chore|fix|deps|ci)(?:\((?:deps|deps-dev|dependencies|dependabot)\))!?:\s*"
    r"|(?:deps|deps-dev):\s*"
    r"|(?:chore|build|ci)(?:\([^)]*\))?!?:\s*bump\s"
    r"|Bump\s+\S+\s+from\s+\S+\s+to\s+\S+"
    r"|Bump\s+the\s+\S+\s+group\b"
    r"|Update\s+(?:dependency|module|helm release|terraform|docker tag|actions?/|\S+\s+digest\b)"
    r"|Update\s+\S+\s+(?:action|orb|docker tag)\s+to\s+v?\d"
    r"|Lock file maintenance\b"
    r"|Pin dependencies\b"
    r"|Update all (?:non-major )?dependencies\b"
    r")",
    re.I,
)
_DEPENDENCY_BOTS = re.compile(r"dependabot|renovate|snyk-bot|greenkeeper|depfu|pyup", re.I)
_TYPO = re.compile(
    r"\b(?:fix(?:es|ed|ing)?|correct(?:s|ed)?)\s+(?:a\s+|some\s+|the\s+|\w+\s+)?typos?\b"
    r"|^\s*typos?\b|\btypo\s*fix|\bspelling\b",
    re.I,
)
_WIP = re.compile(r"^\s*(?:\[wip\]|\(wip\)|wip\b|work in progress\b|(?:fixup|squash|amend)!)", re.I)
_TEST_TEXT = re.compile(
    r"^\s*[\[(]?test(?:ing)?\b[\])]?|\btest (?:page|alert|incident|notification|event|call)\b"
    r"|\bplease ignore\b|\bthis is a test\b|\bignore this\b",
    re.I,
)
_TEST_NAME = re.compile(r"(?:^|[\W_])(?:test|testing|sandbox)(?:$|[\W_])", re.I)


def title_noise(title: str, *, merge: bool = False) -> str | None:
    """The reason a commit's subject, a pull request's or a ticket's title is not
    counted, or None. ``merge``: the entry is a merge commit (git's ``Merge:`` line)."""
    if merge or _MERGE.match(title):
        return MERGE
    if _REVERT.match(title):
        return REVERT
    if _DEPENDENCY.match(title):
        return DEPENDENCY
    if _WIP.match(title):
        return WIP
    if _TYPO.search(title) and len(title.split()) <= 8:
        return TYPO
    return None


def bot_noise(login: str | None, is_bot: bool = False) -> str | None:
    """The reason an entry by a bot is not counted: a dependency bot's, another bot's."""
    if not login:
        return BOT if is_bot else None
    if _DEPENDENCY_BOTS.search(login):
        return DEPENDENCY
    lowered = login.lower()
    if is_bot or lowered.startswith("app/") or lowered.endswith("[bot]"):
        return BOT
    return None


def test_page(text: str | None, *names: str | None) -> bool:
    """Whether an incident or alert is a test: its text says so, or a service or
    escalation policy it was raised on is named as one (``payments-test``)."""
    if text and _TEST_TEXT.search(text):
        return True
    return any(name and _TEST_NAME.search(name) for name in names)
