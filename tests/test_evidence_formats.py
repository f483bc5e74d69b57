"""Every evidence format, read from exports in the exact shape each tool writes
(tests/fixtures/evidence/sources, README.md there): every entry of every fixture is an
item or a skipped entry with its reason, dates come from the right field, and no entry
is split or merged within a file."""

import csv
import json
from pathlib import Path

import pytest

from sreladder.io.sources import read_evidence, read_source
from sreladder.io.sources.dates import parse_timestamp
from sreladder.io.sources.registry import detect

SOURCES = Path(__file__).resolve().parent / "fixtures" / "evidence" / "sources"
DANA = ("Dana Smith",)


def read(name, authors=(), source_format=None):
    return read_evidence(
        [SOURCES / name], authors=authors, source_format=source_format, merge=False
    )


def rows(found):
    return [(i.line, i.text, i.date) for i in found.items]


def reasons(found):
    return [(s.line, s.reason) for s in found.skipped]


# --- every entry accounted for ------------------------------------------------------------


def _entries(name):
    """The entries of a fixture, counted the way its tool writes them."""
    path = SOURCES / name
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if name.endswith(".json"):
        return len(json.loads(text))
    if name.endswith(".csv"):
        return sum(1 for _ in csv.DictReader(text.splitlines(keepends=True)))
    if name.startswith("git-log"):
        return sum(line.startswith("commit ") for line in text.splitlines())
    if name.startswith("git-"):
        return sum(bool(line.strip()) for line in text.splitlines())
    if name == "postmortems":
        return len(list(path.iterdir()))
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("name", "items", "skipped", "items_dana", "skipped_dana"),
    [
        ("gh-pr-list.json", 5, 7, 4, 8),
        ("gh-issue-list.json", 2, 2, 2, 2),
        ("gh-search-prs.json", 3, 0, 3, 0),
        ("git-log.txt", 5, 6, 3, 8),
        ("git-log-stat.txt", 5, 6, 3, 8),
        ("git-oneline.log", 5, 6, 5, 6),  # one line a commit names no author
        ("git-pretty.log", 5, 6, 5, 6),
        ("git-pretty-default-date.log", 2, 1, 2, 1),
        ("jira-export.csv", 4, 5, 3, 6),
        ("jira-current-fields.csv", 2, 1, 2, 1),
        ("pagerduty-incidents.csv", 3, 3, 2, 4),
        ("opsgenie-alerts.csv", 2, 3, 1, 4),
        ("postmortems", 3, 1, 2, 2),
    ],
)
def test_every_entry_is_an_item_or_skipped_with_a_reason(
    name, items, skipped, items_dana, skipped_dana
):
    found = read(name)
    assert (len(found.items), len(found.skipped)) == (items, skipped)
    assert items + skipped == _entries(name)
    assert all(s.reason for s in found.skipped)
    mine = read(name, DANA)
    assert (len(mine.items), len(mine.skipped)) == (items_dana, skipped_dana)


# --- brag documents -----------------------------------------------------------------------


def test_markdown_brag_document():
    found = read("brag.md")
    assert [line for line, *_ in rows(found)] == [
        7, 14, 15, 16, 17, 20, 21, 22, 23, 33, 34, 39, 40, 45, 46, 52,
    ]  # fmt: skip
    by_line = {i.line: i for i in found.items}
    ic = by_line[14]
    assert ic.text.startswith("Incident commander for the Sev1 checkout outage on 2026-01-14")
    assert ic.link == "https://wiki.example.invalid/pm/88"
    assert ic.date == "2026-01-14"
    assert ic.context == ("Dana Smith — brag document 2026", "H1 2026", "Q1 2026", "Incidents")
    assert by_line[15].context == ic.context  # a nested bullet keeps its headings,
    assert by_line[15].parents == (ic.text,)  # and its parent
    assert by_line[15].date == "2026-01-14"  # ... and its date
    assert by_line[17].date == "2026-Q1"  # a `*` bullet: the quarter's date
    assert by_line[20].context[-1] == "Projects"  # "Projects:" labels the numbered list
    assert by_line[22].parents[-1].startswith("Migrated the ingest workers")  # 1. under 2.
    # the ~~~ fence holds a ``` line: nothing in it is an item, the bullet after it is
    assert by_line[33].text == "Mentored Sam through their first on-call week"
    assert not any("not an item" in i.text or "alert:" in i.text for i in found.items)
    assert by_line[34].text.startswith("Rotated the expiring TLS")  # [x] dropped
    assert by_line[40].text.endswith("Postgres 16 upgrade with zero downtime")  # lazy line
    assert (by_line[45].date, by_line[46].date) == ("2026-05", "2026-06-11")  # table rows
    assert by_line[52].date == "2026-H2"  # a half
    assert reasons(found) == [(35, "unchecked task")]


def test_text_brag_document():
    found = read("brag.txt")
    assert [(line, date) for line, _, date in rows(found)] == [
        (4, "2026-Q1"), (5, "2026-Q1"), (6, "2026-Q1"), (7, "2026-Q1"), (8, "2026-Q1"),
        (9, "2026-Q1"), (10, "2026-Q1"), (11, "2026-Q1"), (14, "2026-Q2"), (15, "2026-Q2"),
    ]  # fmt: skip
    items = found.items
    assert items[0].context == ("Dana Smith - brag notes 2026", "Q1 2026")  # title, label
    assert items[1].parents == (items[0].text,)  # the indented bullet is nested
    assert items[6].text == "Fixed the flaky canary check that blocked deploys on Fridays"
    assert not found.skipped


# --- GitHub ------------------------------------------------------------------------------


def test_gh_pr_list():
    found = read("gh-pr-list.json")
    assert [(i.text, i.date, i.refs[0]) for i in found.items] == [
        (
            "Add multi-window burn-rate alerts for checkout SLO (OPS-412)",
            "2026-02-03",
            "github:acme/platform#1187",
        ),
        ("Migrate ingest workers to Kubernetes", "2026-02-20", "github:acme/platform#1190"),
        # mergedAt, not the date in the title
        ("Rotate TLS certs before 2026-12-01 expiry", "2026-03-02", "github:acme/platform#1220"),
        (
            "Cut auth service p99 from 900ms to 180ms by pooling DB connections",
            "2026-03-18",
            "github:acme/platform#1230",
        ),
        ("Add retries to the payment webhook", "2026-03-20", "github:acme/platform#1240"),
    ]
    first = found.items[0]
    assert first.link == "https://github.com/acme/platform/pull/1187"
    assert first.detail.startswith("Pages on a 1h/5m fast burn")  # the template comment dropped
    assert "git:83637198752321b809707673f0a1342448768d89" in first.refs  # its merge commit
    assert [s.reason for s in found.skipped] == [
        "draft PR",
        "dependency bump",
        "typo fix",
        "revert",
        "closed without merging",
        "open PR",
        "dependency bump",
    ]
    assert [s.reason for s in read("gh-pr-list.json", DANA).skipped][-1] == (
        "someone else's (by sam-lee)"
    )


def test_gh_issue_list_and_search_prs():
    issues = read("gh-issue-list.json")
    assert [(i.line, i.date) for i in issues.items] == [(2, "2026-01-28"), (53, "2026-04-30")]
    assert reasons(issues) == [(19, "closed as not planned"), (36, "open issue")]
    search = read("gh-search-prs.json")
    assert [(i.refs, i.date) for i in search.items] == [
        (("github:acme/observability#88",), "2026-05-06"),
        (("github:acme/observability#91",), "2026-05-20"),
        (("github:acme/terraform-modules#412",), "2026-06-02"),
    ]


# --- git ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["git-log.txt", "git-log-stat.txt"])
def test_git_log_default_format(name):
    found = read(name)
    assert [(i.line, i.text, i.date) for i in found.items] == [
        (10, "Tune the ingest batch size", "2026-03-18"),
        (16, "Pool DB connections in the auth service (#1230)", "2026-03-18"),
        (58, "OPS-412: add multi-window burn-rate alerts for checkout", "2026-02-03"),
        (66, "Add retries to the payment webhook", "2026-02-02"),
        (78, "Add canary analysis step to the deploy pipeline", "2026-01-22"),  # -0800
    ]
    pool = found.items[1]
    assert pool.refs == ("git:fb1ee2af66ba3b5231c12222645f9d75e1cf089b",)
    assert pool.detail.startswith("The auth service opened a connection per request")
    assert "Signed-off-by" not in pool.detail
    assert "deploy/pipeline.yaml" not in found.items[-1].detail  # --stat is not the message
    assert reasons(found) == [
        (1, "merge commit"),
        (27, "revert"),
        (36, "dependency bump"),
        (46, "typo fix"),
        (52, "work in progress"),
        (72, "work in progress"),
    ]
    mine = read(name, ["dana.smith@example.com"])
    assert [s.reason for s in mine.skipped].count("someone else's (by Sam Lee)") == 2


@pytest.mark.parametrize(
    ("name", "dates"),
    [
        ("git-oneline.log", [None] * 5),
        ("git-pretty.log", ["2026-03-18", "2026-03-18", "2026-02-03", "2026-02-02", "2026-01-22"]),
        ("git-pretty-default-date.log", ["2026-03-18", "2026-03-18"]),
    ],
)
def test_git_log_one_line_formats(name, dates):
    found = read(name)
    assert [i.date for i in found.items] == dates
    assert found.items[1].text == "Pool DB connections in the auth service (#1230)"  # no (branch)
    assert found.items[1].refs == ("git:fb1ee2a",)
    assert found.skipped[0].reason == "merge commit"


# --- Jira ------------------------------------------------------------------------------


def test_jira_all_fields_export():
    found = read("jira-export.csv")
    assert [(i.line, i.refs, i.date) for i in found.items] == [
        (2, ("jira:OPS-412",), "2026-02-03"),  # Resolved 03/Feb/26 4:45 PM
        (7, ("jira:OPS-398",), "2026-02-20"),
        (12, ("jira:OPS-420",), "2026-04-15"),  # no Resolved: Updated
        (13, ("jira:OPS-440",), "2026-06-11"),
    ]
    assert found.items[0].detail.startswith("h3. Why * page on a fast burn")
    assert reasons(found) == [
        (8, "not done (Status: To Do)"),
        (9, "not done (Status: In Progress)"),
        (10, "not done (Resolution: Won't Do)"),
        (11, "not done (Resolution: Duplicate)"),
        (14, "typo fix"),
    ]
    mine = read("jira-export.csv", DANA)
    assert (13, "someone else's (assigned to Priya Nair)") in reasons(mine)


def test_jira_current_fields_with_iso_dates():
    found = read("jira-current-fields.csv")
    assert [(i.text, i.date) for i in found.items] == [
        ("Runbook for the Redis failover", "2026-05-12"),  # no Resolved column: Updated
        ("Alert on certificate expiry 30 days ahead", "2026-06-09"),
    ]
    assert reasons(found) == [(3, "not done (Status: In Review)")]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("14/Jan/26 5:30 PM", "2026-01-14"),
        ("03/Feb/26 04:45 PM", "2026-02-03"),
        ("14/Jan/2026", "2026-01-14"),
        ("2026-01-14 17:30", "2026-01-14"),
        ("2026-01-14T23:30:00-08:00", "2026-01-14"),  # the day where it was written
        ("Wed Mar 18 10:12:44 2026 +0100", "2026-03-18"),
        ("Wed, 18 Mar 2026 10:12:44 +0100", "2026-03-18"),
        ("6/21/2025 16:14", "2025-06-21"),
        ("21/06/2025", "2025-06-21"),
        ("1768406531000", "2026-01-14"),  # Opsgenie's epoch milliseconds
        ("31/Feb/26 1:00 AM", None),
        ("", None),
    ],
)
def test_timestamps_as_tools_write_them(written, day):
    assert parse_timestamp(written) == day


# --- incidents ---------------------------------------------------------------------------


def test_pagerduty_incidents():
    found = read("pagerduty-incidents.csv")
    assert [(i.line, i.date, i.severity, i.role) for i in found.items] == [
        (2, "2026-01-14", "high", "unknown"),  # created_on
        (5, "2026-02-11", "high", "unknown"),
        (6, "2026-03-02", "low", "unknown"),
    ]
    assert found.items[0].refs == ("pagerduty:Q1CHK0UT5XX", "pagerduty:#4211")
    assert reasons(found) == [(3, "test page"), (4, "auto-resolved alert"), (7, "test page")]
    mine = read("pagerduty-incidents.csv", DANA)
    assert [i.role for i in mine.items] == ["responder", "responder"]
    assert (5, "someone else's (not among its responders)") in reasons(mine)


def test_opsgenie_alerts():
    found = read("opsgenie-alerts.csv")
    assert [(i.line, i.text, i.date) for i in found.items] == [
        (2, "checkout-api error rate above 5%", "2026-01-14"),
        (6, "payments-api p99 above 2s", "2026-02-11"),
    ]
    assert reasons(found) == [
        (3, "test page"),
        (4, "auto-resolved alert (closed, never acknowledged)"),
        (5, "still open"),
    ]
    assert [i.role for i in read("opsgenie-alerts.csv", DANA).items] == ["responder"]


def test_a_folder_of_postmortems_is_one_item_per_incident():
    found = read("postmortems")
    assert [(Path(i.file).name, i.line, i.date, i.severity, i.role) for i in found.items] == [
        ("2026-01-14-checkout-outage.md", 14, "2026-01-14", "SEV1", "unknown"),
        ("2026-03-09-search-degradation.md", 1, "2026-03-09", "SEV2", "unknown"),
        ("2026-05-02-ingest-kafka-lag.md", 1, "2026-05-02", "SEV3", "unknown"),
    ]
    outage = found.items[0]
    assert outage.text == "Checkout outage: 5xx on checkout-api for three hours"
    assert outage.detail.startswith("An incident (SEV1). A bad connection-pool setting")
    assert outage.refs == ("pagerduty:Q1CHK0UT5XX",)
    # timelines and action items are not the author's items
    assert not any("08:06" in i.text or "Throttle" in i.text for i in found.items)
    assert [(Path(s.file).name, s.line, s.reason) for s in found.skipped] == [
        ("diagram.png", None, "not a format sreladder reads")
    ]
    mine = read("postmortems", DANA)
    assert [(i.role, i.detail[:30]) for i in mine.items] == [
        ("incident commander", "As incident commander (SEV1). "),
        ("scribe", "As scribe (SEV2). An index reb"),
    ]
    assert mine.skipped[0].reason == "someone else's (not among the incident's people)"


# --- HTML pages --------------------------------------------------------------------------


def test_confluence_export_reads_the_page_not_its_chrome():
    found = read("confluence-brag.html")
    assert [(i.line, i.date) for i in found.items] == [
        (32, None), (35, "2026-Q1"), (36, "2026-Q1"), (38, "2026-Q1"), (39, "2026-Q1"),
        (43, "2026-Q2"), (44, "2026-06-11"), (53, "2026-Q2"),
    ]  # fmt: skip
    texts = [i.text for i in found.items]
    assert not any(
        t.startswith(("Platform Team", "Created by", "Document generated")) for t in texts
    )
    assert texts[-1] == "Alert noise review — 30% fewer pages"  # a table row, not its header
    assert found.items[2].parents == (texts[1],)  # nested list item
    assert found.items[1].context == (
        "Platform Team : Dana Smith - 2026 accomplishments",
        "Q1 2026",
    )


def test_notion_and_google_docs_exports():
    notion = read("notion-brag.html")
    assert [(i.text, i.date) for i in notion.items] == [
        ("Cut p99 latency of the auth service from 900 ms to 180 ms", "2026-H1"),
        ("pooled database connections per pod", "2026-H1"),
        ("Wrote the runbook for the new deploy pipeline", "2026-H1"),
        ("Also reviewed about 40 pull requests a month.", "2026-H1"),
        ("Ran the Q3 game day for the payments team", "2026-H2"),
    ]  # the page's properties table is not an item
    assert notion.items[1].context == ("2026 wins", "H1 2026")
    assert notion.items[1].parents == (notion.items[0].text,)
    docs = read("gdocs-brag.html")
    assert [i.context for i in docs.items][:1] == [("Brag document 2026", "Q1 2026")]
    assert len(docs.items) == 4 and "Brag document 2026" not in [i.text for i in docs.items]


# --- the format is told by content first --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("brag.md", "markdown"),
        ("brag.txt", "text"),
        ("gh-pr-list.json", "github"),
        ("git-log.txt", "git"),  # .txt, but a git log
        ("git-oneline.log", "git"),
        ("jira-export.csv", "jira"),
        ("pagerduty-incidents.csv", "pagerduty"),
        ("opsgenie-alerts.csv", "opsgenie"),
        ("postmortems/2026-01-14-checkout-outage.md", "incident"),
        ("postmortems/2026-03-09-search-degradation.md", "incident"),
        ("postmortems/2026-05-02-ingest-kafka-lag.md", "incident"),
        ("confluence-brag.html", "html"),
        ("gdocs-brag.html", "html"),
    ],
)
def test_formats_are_told_by_content(name, fmt, tmp_path):
    from sreladder.io.sources.base import Source

    text = (SOURCES / name).read_text(encoding="utf-8")
    assert detect(Source(name, text, Path(name).suffix)).name == fmt
    if fmt not in ("markdown", "text"):  # no name to go by: the content alone
        assert detect(Source("<stdin>", text)).name == fmt


def test_read_source_keeps_file_order():
    assert [i.line for i in read_source(SOURCES / "git-log.txt")] == [10, 16, 58, 66, 78]


def test_git_log_oneline_graph(tmp_path):
    graph = tmp_path / "graph.log"
    graph.write_text(
        "*   9f3c2a1 (HEAD -> main) Merge branch 'dana/auth-pool'\n"
        "|\\  \n"
        "| * 4b7e9d0 Pool DB connections in the auth service\n"
        "|/  \n"
        "* 0a1b2c3 Add canary analysis step to the deploy pipeline\n"
    )
    found = read_evidence([graph], merge=False)
    assert [(i.line, i.text) for i in found.items] == [
        (3, "Pool DB connections in the auth service"),
        (5, "Add canary analysis step to the deploy pipeline"),
    ]
    assert reasons(found) == [(1, "merge commit")]


def test_a_parent_bullet_that_is_only_a_label_is_a_heading(tmp_path):
    path = tmp_path / "brag.md"
    path.write_text(
        "# 2026\n- **Hiring**\n  - Interviewed 12 candidates\n- Q2 2026\n  - Led the review\n"
    )
    items = read_evidence([path], merge=False).items
    assert [(i.text, i.context, i.parents, i.date) for i in items] == [
        ("Interviewed 12 candidates", ("2026", "Hiring"), (), "2026"),
        ("Led the review", ("2026", "Q2 2026"), (), "2026-Q2"),
    ]


@pytest.mark.parametrize(
    ("text", "items", "context"),
    [
        (
            "Dana - 2026 notes\n\nQ1 2026\nLed the review\n",
            ["Led the review"],
            ("Dana - 2026 notes", "Q1 2026"),
        ),
        ("My wins\n\n- Led the review\n", ["Led the review"], ("My wins",)),
        ("Led the review\n\nWrote the runbook\n", ["Led the review", "Wrote the runbook"], ()),
        ("Led the review\n", ["Led the review"], ()),
    ],
)
def test_a_text_documents_first_line_is_its_title_only_above_a_list_or_label(
    tmp_path, text, items, context
):
    path = tmp_path / "notes.txt"
    path.write_text(text)
    found = read_evidence([path], merge=False).items
    assert [i.text for i in found] == items
    assert found[0].context == context
