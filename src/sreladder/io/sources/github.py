"""GitHub pull requests and issues as ``gh`` prints them with ``--json``: ``gh pr list``,
``gh search prs``, ``gh issue list``, ``gh search issues`` (a list, pretty or compact).

One item per pull request or issue: its title is the text, its body the detail (shown,
so a ``why`` word from it can be traced), ``url`` the link, ``number`` kept (as the ref
``github:org/repo#12``). The date is ``mergedAt``, else ``closedAt``, else
``createdAt`` (a date in the title never replaces them).

Read and skipped: draft pull requests, open ones, ones closed without merging
(``state: CLOSED`` with ``mergedAt`` empty; ``gh search prs`` has no ``mergedAt``, so
there a closed one counts: search with ``--merged``), open issues and issues closed
as not planned, bots' (Dependabot's and Renovate's as dependency bumps), titles that
are noise (:mod:`.noise`), and with ``--author``, other people's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sreladder.io.sources.base import Entry, Options, Source, make_item, skip
from sreladder.io.sources.dates import parse_timestamp
from sreladder.io.sources.links import git_ref, github_ref, github_repo_of
from sreladder.io.sources.noise import SOMEONE_ELSE, bot_noise, title_noise
from sreladder.io.sources.records import Record, json_records

# keys only gh's pull requests and issues have (normal keys); "title" is needed too
_GH_KEYS = frozenset(
    {
        "number",
        "mergedat",
        "closedat",
        "createdat",
        "isdraft",
        "state",
        "headrefname",
        "baserefname",
        "repository",
        "statereason",
        "ispullrequest",
        "mergecommit",
        "reviewdecision",
        "author",
    }
)
_PR_KEYS = ("mergedat", "isdraft", "headrefname", "baserefname", "mergecommit", "reviewdecision")


def looks_like_github(records: list[Record]) -> bool:
    for record in records[:20]:
        if "title" not in record.fields:
            continue
        url = record.text("url") or ""
        if _GH_KEYS.intersection(record.fields) or "/pull/" in url or "/issues/" in url:
            return True
    return False


def read_github(source: Source, options: Options) -> Iterator[Entry]:
    for record in json_records(source):
        yield _entry(record, source, options)


def _entry(record: Record, source: Source, options: Options) -> Entry:
    line = record.line
    title = record.text("title") or ""
    url = record.text("url", "htmlurl")
    is_pr = _is_pull_request(record, url)
    login, name, is_bot = _author(record.get("author"))
    if not title.strip():
        return skip(source, line, record.text("body"), "no title")
    reason = bot_noise(login, is_bot)
    if reason:
        return skip(
            source, line, title, f"{reason} ({login})" if reason != "dependency bump" else reason
        )
    reason = _state(record, is_pr) or title_noise(title)
    if reason:
        return skip(source, line, title, reason)
    people = options.people
    if people and (login or name) and not people.any_of([login, name]):
        return skip(source, line, title, f"{SOMEONE_ELSE} (by {login or name})")
    repo = github_repo_of(url) or _repository(record.get("repository"))
    number = record.get("number")
    refs = [github_ref(repo, number)] if isinstance(number, int | str) and str(number) else []
    merge_commit = record.get("mergecommit")
    if isinstance(merge_commit, dict) and isinstance(merge_commit.get("oid"), str):
        refs.append(git_ref(merge_commit["oid"]))
    date = parse_timestamp(record.text("mergedat", "closedat", "createdat"))
    item = make_item(
        title, source, line, "github", date=date, link=url, detail=record.text("body") or "",
        refs=refs,
    )  # fmt: skip
    return item if item is not None else skip(source, line, "", "no title")


def _is_pull_request(record: Record, url: str | None) -> bool:
    flag = record.get("ispullrequest")
    if isinstance(flag, bool):
        return flag
    if url and ("/pull/" in url or "/issues/" in url):
        return "/pull/" in url
    return any(key in record.fields for key in _PR_KEYS)


def _state(record: Record, is_pr: bool) -> str | None:
    """Why a pull request or issue is not done work, or None."""
    state = (record.text("state") or "").strip()
    upper = state.upper()
    if is_pr:
        if record.get("isdraft") is True:
            return "draft PR"
        if upper == "OPEN":
            return "open PR"
        if upper == "CLOSED" and "mergedat" in record.fields and not record.text("mergedat"):
            return "closed without merging"
        return None
    if upper == "OPEN":
        return "open issue"
    reason = (record.text("statereason") or "").upper().replace(" ", "_")
    if upper == "CLOSED" and reason == "NOT_PLANNED":
        return "closed as not planned"
    return None


def _author(value: Any) -> tuple[str | None, str | None, bool]:
    """(login, name, is a bot) of gh's ``author`` (an object, or a login)."""
    if isinstance(value, dict):
        login = value.get("login")
        name = value.get("name")
        return (
            login if isinstance(login, str) else None,
            name if isinstance(name, str) and name else None,
            value.get("is_bot") is True or value.get("type") == "Bot",
        )
    if isinstance(value, str):
        return value, None, False
    return None, None, False


def _repository(value: Any) -> str | None:
    if isinstance(value, dict):
        name = value.get("nameWithOwner") or value.get("namewithowner") or value.get("fullName")
        return name if isinstance(name, str) else None
    return value if isinstance(value, str) and "/" in value else None
