"""Links in text, and the identifiers that tie one piece of work across sources.

``split_links`` reduces Markdown links to their text and finds the item's link. The
*refs* are canonical names of a piece of work, the same whichever source names it:
``github:org/repo#12`` (a pull request or issue), ``git:a1b2c3d...`` (a commit, its hash as
given), ``jira:OPS-12`` (an issue key), ``pagerduty:Q1ABC`` and
``opsgenie:42`` (an incident).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A link destination as CommonMark reads it: <...>, or text whose parentheses balance
# (one level: `/wiki/Foo_(bar)`); never a control character.
_MD_LINK = re.compile(
    r"!?\[(?P<text>[^\]\n]{0,500})\]\("
    r"(?:<(?P<angle>[^<>\n\x00-\x1f\x7f]{1,2000})>"
    r"|(?P<url>(?:[^()\s\x00-\x1f\x7f]|\([^()\s\x00-\x1f\x7f]*\)){1,2000}))"
    r"(?:\s+\"[^\"]*\")?\)"
)
_BARE_URL = re.compile(
    r"\b(?:https?://|www\.)(?:[^\s<>()\[\]\x00-\x1f\x7f-\x9f]|\([^\s<>()\x00-\x1f]*\)){1,2000}",
    re.I,
)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]{1,2000})>", re.I)


def split_links(text: str) -> tuple[str, str | None]:
    """``text`` with Markdown links reduced to their text, and the first link's url
    (a Markdown link's, else an autolink's or a bare URL's)."""
    first: list[str] = []

    def keep_text(match: re.Match[str]) -> str:
        first.append(match.group("url") or match.group("angle"))
        return match.group("text")

    if "](" in text:
        text = _MD_LINK.sub(keep_text, text)

    def keep_url(match: re.Match[str]) -> str:
        first.append(match.group("url"))
        return match.group("url")

    if "<" in text:
        text = _AUTOLINK.sub(keep_url, text)
    if not first and ("://" in text or "www." in text.lower()):
        bare = _BARE_URL.search(text)
        if bare:
            first.append(bare.group().rstrip(".,;:!?'\""))
    return text, (first[0] if first else None)


def normal_link(link: str | None) -> str | None:
    """A link as compared across sources: scheme and host in lower case, ``http`` read
    as ``https``, no fragment, no trailing slash; None for anything not http(s)."""
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{parts.netloc.lower()}{path}{query}"


_GITHUB_URL = re.compile(
    r"https?://[^/\s]+/(?P<repo>[\w.-]+/[\w.-]+)/(?:pull|pulls|issues)/(?P<number>\d{1,9})\b"
)
_COMMIT_URL = re.compile(r"https?://[^\s]+?/(?:commit|commits|-/commit)/(?P<sha>[0-9a-f]{7,64})\b")
_JIRA_URL = re.compile(r"https?://[^\s]+?/browse/(?P<key>[A-Z][A-Z0-9_]{1,20}-\d{1,9})\b")
_PAGERDUTY_URL = re.compile(r"https?://[\w.-]+\.pagerduty\.com/incidents/(?P<id>[A-Z0-9]{5,20})\b")
JIRA_KEY = re.compile(r"(?<![\w-])(?P<key>[A-Z][A-Z0-9_]{1,20}-\d{1,9})(?![\w-])")
# the number GitHub appends to a squash-merged commit's subject: "Add alerts (#123)"
_PR_SUFFIX = re.compile(r"\(#(?P<number>\d{1,9})\)\s*$")


def github_ref(repo: str | None, number: object) -> str:
    return f"github:{repo.lower()}#{number}" if repo else f"github:#{number}"


def git_ref(sha: str) -> str:
    """A commit's ref: its hash as given (``merge`` compares the first seven digits)."""
    return "git:" + sha.lower()


def refs_of_link(link: str | None) -> list[str]:
    """The refs a link names: a pull request, issue, commit, Jira issue or PagerDuty
    incident."""
    if not link:
        return []
    found = []
    if match := _GITHUB_URL.match(link):
        found.append(github_ref(match.group("repo"), match.group("number")))
    if match := _COMMIT_URL.match(link):
        found.append(git_ref(match.group("sha")))
    if match := _JIRA_URL.match(link):
        found.append("jira:" + match.group("key"))
    if match := _PAGERDUTY_URL.match(link):
        found.append("pagerduty:" + match.group("id"))
    return found


def mentions(text: str) -> list[str]:
    """The refs a text mentions: Jira keys (``OPS-12``) and the ``(#123)`` GitHub adds
    to a squash-merged commit (``github:#123``: its repository is not in the text)."""
    found = ["jira:" + m.group("key") for m in JIRA_KEY.finditer(text)] if "-" in text else []
    if match := _PR_SUFFIX.search(text):
        found.append(github_ref(None, match.group("number")))
    return found


def github_repo_of(url: str | None) -> str | None:
    match = _GITHUB_URL.match(url or "")
    return match.group("repo") if match else None
