"""`sreladder assess ROLE --evidence SOURCE`: suggestions in the interview."""

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app

BRAG = """\
# 2026
- Primary on-call for the payments rotation, 30 pages, escalated twice \
[PD-1](https://pd.invalid/1) on 2026-03-14
- Ran the office bake sale
"""


@pytest.fixture
def brag(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "brag.md"
    path.write_text(BRAG, encoding="utf-8")
    return path


def assess(*args, input=""):
    return CliRunner().invoke(app, ["assess", *map(str, args)], input=input)


def answers(path):
    return yaml.safe_load(path.read_text())["answers"]


def test_counts_before_the_level_question_and_numbered_suggestions(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    result = assess(
        "sre", "--subject", "Dana", "--out", out, "--evidence", brag, input="1\nc\n1\nq\n"
    )
    assert result.exit_code == 0, result.output
    talk = result.stderr
    counts = talk.index("Evidence in your sources: P1 1")
    assert counts < talk.index("Which level best describes")
    assert "   1. Primary on-call for the payments rotation" in talk
    assert "bake sale" not in talk
    evidence = answers(out)["ir-p1-a"]["evidence"]
    assert evidence == [
        {
            "text": "Primary on-call for the payments rotation, 30 pages, escalated twice "
            "PD-1 on 2026-03-14",
            "link": "https://pd.invalid/1",
            "date": "2026-03-14",
            # a suggestion picked by number records where it was found, and that a
            # person confirmed it (the packet shows it)
            "source": {"file": str(brag), "line": 2},
            "suggested": "confirmed",
        }
    ]
    assert answers(out)["ir-p1-a"]["rating"] == "consistently"


def test_new_text_instead_of_a_number_asks_link_and_date(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    typed = "1\np\nwrote the on-call guide\nhttps://wiki.invalid/g\n2026-02-01\nn\nq\n"
    result = assess("sre", "--subject", "Dana", "--out", out, "--evidence", brag, input=typed)
    assert result.exit_code == 0, result.output
    assert answers(out)["ir-p1-a"] == {
        "rating": "partially",
        "evidence": [
            {
                "text": "wrote the on-call guide",
                "link": "https://wiki.invalid/g",
                "date": "2026-02-01",
            }
        ],
    }


def test_enter_attaches_nothing_and_a_bad_number_is_asked_again(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    result = assess(
        "sre", "--subject", "Dana", "--out", out, "--evidence", brag, input="1\nc\n7\n\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "Type numbers from 1 to 1" in result.stderr
    assert answers(out)["ir-p1-a"] == {"rating": "consistently"}


def test_resume_keeps_suggesting(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    assess("sre", "--subject", "Dana", "--out", out, "--evidence", brag, input="1\nc\n1\nq\n")
    result = assess("--resume", out, "--evidence", brag, input="c\n1\nq\n")
    assert result.exit_code == 0, result.output
    assert "Evidence in your sources" in result.stderr
    assert "   1. Primary on-call" in result.stderr
    saved = answers(out)
    assert len(saved["ir-p1-a"]["evidence"]) == 1
    second = next(key for key in saved if key != "ir-p1-a")  # the next question asked
    assert saved[second]["evidence"][0]["link"] == "https://pd.invalid/1"


def test_a_bad_source_stops_before_a_file_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blob = tmp_path / "blob.md"
    blob.write_bytes(b"\x00\x01")
    out = tmp_path / "dana.yaml"
    result = assess("sre", "--subject", "Dana", "--out", out, "--evidence", blob)
    assert result.exit_code == 1
    assert "blob.md:1: binary data" in result.stderr
    assert not out.exists()


def test_the_resume_command_keeps_the_evidence_sources(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    result = assess("sre", "--subject", "Dana", "--out", out, "--evidence", brag, input="q\n")
    assert result.exit_code == 0, result.output
    assert f"--evidence {brag}" in result.stderr.split("resume with:")[1]


def test_evidence_with_answers_is_a_usage_error(brag, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("ir-p1-a: c\n")
    result = assess("sre", "--answers", answers, "--evidence", brag, "--out", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert "--answers asks no questions" in result.stderr
    assert not (tmp_path / "o.yaml").exists()


def test_an_item_already_attached_is_not_offered_again(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    # claim P1; ir-p1-a: c, attach 1; back; c again (evidence kept): the attached item
    # is not offered a second time, so Enter goes straight on
    result = assess(
        "sre", "--subject", "Dana", "--out", out, "--evidence", brag, input="1\nc\n1\nb\nc\n\nq\n"
    )
    assert result.exit_code == 0, result.output
    evidence = answers(out)["ir-p1-a"]["evidence"]
    assert len(evidence) == 1  # not attached twice
    assert result.stderr.count("Suggested from your sources") == 1


def test_a_huge_number_at_the_picker_is_text_not_a_crash(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    huge = "9" * 5000
    result = assess(
        "sre",
        "--subject",
        "Dana",
        "--out",
        out,
        "--evidence",
        brag,
        input=f"1\nc\n{huge}\n\n\n\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert answers(out)["ir-p1-a"]["evidence"][0]["text"] == huge


def test_after_picking_suggestions_one_can_add_evidence_of_ones_own(brag, tmp_path):
    out = tmp_path / "dana.yaml"
    typed = "1\nc\n1\nmentored the new on-call engineer\n\n\nn\nq\n"
    result = assess("sre", "--subject", "Dana", "--out", out, "--evidence", brag, input=typed)
    assert result.exit_code == 0, result.output
    assert "Evidence of your own: what was done" in result.stderr
    texts = [e["text"] for e in answers(out)["ir-p1-a"]["evidence"]]
    assert len(texts) == 2 and texts[1] == "mentored the new on-call engineer"


def test_suggestions_wrap_under_their_text_and_show_links_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    link = "https://pagerduty.invalid/incidents/Q1W2E3R4T5Y6U7I8O9P0?tab=timeline&from=2026-03-14"
    brag = tmp_path / "brag.md"
    brag.write_text(
        "- Primary on-call for the payments rotation: took 30 pages over the quarter, "
        f"escalated per the runbook and wrote the handover notes [PD]({link}) 2026-03-14\n"
    )
    out = tmp_path / "dana.yaml"
    result = assess(
        "sre", "--subject", "Dana", "--out", out, "--evidence", brag, input="1\nc\n\nq\n"
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("   1. Primary on-call"))
    indent = lines[first].index("Primary")
    assert lines[first + 1].startswith(" " * indent) and lines[first + 1].strip()
    shown = "".join(line.strip() for line in lines[first:] if line.startswith(" " * indent))
    assert link in shown  # whole, even when folded across lines


def test_the_per_level_counts_are_the_counts_of_sreladder_evidence(brag, tmp_path):
    import json

    from typer.testing import CliRunner

    from sreladder.cli.app import app

    brag.write_text(
        BRAG
        + "- Led the incident review for the checkout outage and wrote the postmortem\n"
        + "- Automated the certificate rotation runbook with a script\n"
        + "- Defined the SLOs and alerts for the search API\n"
    )
    report = json.loads(
        CliRunner().invoke(app, ["evidence", str(brag), "--role", "sre", "-f", "json"]).stdout
    )
    expected = {(cell["dimension"], cell["level"]): len(cell["items"]) for cell in report["cells"]}
    out = tmp_path / "dana.yaml"
    result = assess("sre", "--subject", "Dana", "--out", out, "--evidence", brag, input="q\n")
    line = next(x for x in result.stderr.splitlines() if "Evidence in your sources:" in x)
    shown = dict(part.split() for part in line.split(":", 1)[1].split(" · "))
    assert {lv: int(n) for lv, n in shown.items()} == {
        lv: n for (d, lv), n in expected.items() if d == "incident-response"
    }


def test_an_item_the_file_could_not_hold_is_refused_and_the_usual_prompt_follows(tmp_path):
    import json

    out, items = tmp_path / "dana.yaml", tmp_path / "items.json"
    text = "Primary on-call for the payments rotation, 30 pages, escalated per the runbook"
    items.write_text(json.dumps([{"title": text, "url": "https://x.invalid/" + "a" * 20_000}]))
    result = assess(
        "sre", "--subject", "Dana", "--out", out, "--evidence", items, input="1\nc\n1\n\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "Not saved: String should have at most 20000 characters" in result.stderr
    assert "Evidence: what was done" in result.stderr
    assert answers(out)["ir-p1-a"] == {"rating": "consistently"}
