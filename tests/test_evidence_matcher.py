"""The evidence matcher: deterministic, explainable, confident only, extendable."""

import functools
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sreladder.core import evidence
from sreladder.core.evidence import EvidenceItem, Matcher, as_evidence, match_items
from sreladder.core.lexicon import CompiledLexicon, Lexicon, merge, stem, words
from sreladder.io.lexicon_file import LexiconError, load_lexicon, read_lexicon
from sreladder.io.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "fixtures" / "evidence" / "labels.json"
HOLDOUT = ROOT / "tests" / "fixtures" / "evidence" / "holdout" / "labels.json"
HOLDOUT2 = ROOT / "tests" / "fixtures" / "evidence" / "holdout2" / "labels.json"
HOLDOUT3 = ROOT / "tests" / "fixtures" / "evidence" / "holdout3" / "labels.json"


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(None)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(None)


@pytest.fixture(scope="module")
def sre(rubric, lexicon):
    return Matcher(rubric.role("sre"), lexicon)


def test_stemming_joins_the_forms_people_write():
    assert len({stem(w) for w in ("page", "pages", "paged", "paging")}) == 1
    assert len({stem(w) for w in ("mentor", "mentored", "mentoring", "mentors")}) == 1
    assert words("On-call, SLOs & p99") == ["on", "call", "slo", "p99"]


def test_numbers_are_not_one_to_ones(lexicon):
    def concepts(text):
        return {c for h in lexicon.read(words(text)) for c in h.concepts}

    assert "mentoring" in concepts("weekly 1:1s with Noor")
    assert "mentoring" not in concepts("=1+1, version 1.1, 1-1 draw")


def test_longest_term_wins(lexicon):
    hits = lexicon.read(words("ran a lunch and learn on tracing"))
    found = {c for h in hits for c in h.concepts}
    assert "teaching" in found and "personal" not in found  # not "lunch"


def test_matching_is_deterministic_and_explained(rubric, lexicon, sre):
    text = "IC for a Sev1 payments outage, ran the postmortem with three teams"
    first = sre.match(text, 5)
    assert first == Matcher(rubric.role("sre"), lexicon).match(text, 5)
    assert first, "an incident-command item supports something"
    assert all(m.why for m in first)
    assert [m.score for m in first] == sorted((m.score for m in first), reverse=True)
    assert all(0 < m.score <= 1 for m in first)
    assert first[0].dimension == "incident-response"


@pytest.mark.parametrize(
    "text",
    [
        "Baked 40 cookies for the bake sale",
        "Went to my cousin's wedding in Porto",
        "Interviewed 6 candidates for the platform team",
        "Got a spot bonus and a pay rise",
        "Sorted out my visa paperwork with HR",
        "Goal for next year: learn Rust",
        "",
        "asdf qwerty zxcv",
    ],
)
def test_items_that_support_nothing_get_no_match(sre, text):
    assert sre.match(text) == []


def test_top_limits_the_matches(sre):
    text = "Wrote SLOs and burn-rate alerts for checkout, plus a Grafana dashboard"
    assert len(sre.match(text, 1)) == 1
    assert len(sre.match(text, 3)) <= 3
    assert sre.match(text, 0) == []


def test_supervision_expectations_need_a_supervision_cue(rubric, lexicon):
    ops = Matcher(rubric.role("ops-sre"), lexicon)
    solo = {m.expectation for m in ops.match("Patched 200 hosts for a CVE in the window", 10)}
    helped = {
        m.expectation
        for m in ops.match("Patched 200 hosts for a CVE in the window with help from Sam", 10)
    }
    assert "prod-l1-b" not in solo  # "Performs low-risk maintenance with help."
    assert "prod-l1-b" in helped


def test_a_company_lexicon_adds_words(rubric, lexicon):
    role = rubric.role("sre")
    text = "Zorped the flumox, then ran the blorpview of the Sev2"
    assert not any("blorpview" in w for m in Matcher(role, lexicon).match(text) for w in m.why)
    extra = Lexicon.model_validate(
        {"lexicon": 1, "concepts": [{"id": "postmortem", "terms": ["blorpview"]}]}
    )
    base = read_lexicon(ROOT / "data" / "lexicon.yaml")
    matches = Matcher(role, CompiledLexicon(merge(base, extra))).match(text)
    assert matches and '"blorpview" → postmortem' in matches[0].why


def test_lexicon_errors_have_positions(tmp_path):
    bad = tmp_path / "lex.yaml"
    bad.write_text("lexicon: 1\nconcepts:\n  - id: a\n    terms: [x]\n    weight: 9\n")
    with pytest.raises(LexiconError, match=r"lex\.yaml:5:13: E104"):
        read_lexicon(bad)
    bad.write_text("lexicon: 1\nconcepts:\n  - id: a\n    terms: [x]\n    wieght: 1\n")
    with pytest.raises(LexiconError, match=r"lex\.yaml:5:5: E102 unknown key 'wieght'"):
        read_lexicon(bad)
    bad.write_text("lexicon: 1\nconcepts:\n  - id: a\n    terms: [x, x]\n  - id: a\n")
    with pytest.raises(LexiconError, match=r"lex\.yaml"):
        read_lexicon(bad)


def test_a_lexicon_beside_the_rubric_is_used(tmp_path):
    (tmp_path / "lexicon.yaml").write_text(
        "lexicon: 1\nconcepts:\n  - id: incident\n    terms: [blorp]\n"
    )
    lexicon = load_lexicon(tmp_path)
    assert "incident" in {c for h in lexicon.read(words("a blorp")) for c in h.concepts}


def test_report_lists_cells_missing_and_unmatched(rubric, sre):
    items = [
        EvidenceItem("Primary on-call, 20 pages, escalated per the runbook", "b.md", 3),
        EvidenceItem("New bike", "b.md", 4),
    ]
    report = match_items(sre, items)
    data = report.to_json()
    assert data["unmatched"] == [1]
    assert data["items"][0]["matches"]
    supported = {m["expectation"] for m in data["items"][0]["matches"]}
    assert supported.isdisjoint(data["without_evidence"])
    assert len(supported) + len(data["without_evidence"]) == len(
        list(rubric.role("sre").expectations())
    )
    assert any(0 in cell["items"] for cell in data["cells"])


def test_an_item_becomes_evidence_with_its_date_kept():
    day = as_evidence(EvidenceItem("x", "f", 1, date="2026-03-14", link="https://l.invalid"))
    assert (day.text, str(day.date), day.link) == ("x", "2026-03-14", "https://l.invalid")
    quarter = as_evidence(EvidenceItem("y", "f", 1, date="2026-Q3"))
    assert (quarter.text, quarter.date) == ("y (2026-Q3)", None)


def _accuracy_module():
    spec = importlib.util.spec_from_file_location(
        "evidence_accuracy", ROOT / "benchmarks" / "evidence_accuracy.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["evidence_accuracy"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("labels", "items", "distractors", "hit3"),
    [
        # our own set: the matcher was tuned with it in view
        (LABELS, 60, 8, 0.85),
        # the held-out set, written before the post-rework changes and only measured:
        # its floor is what unseen documents got, not a goal met by fitting
        (HOLDOUT, 45, 7, 0.75),
        # the second held-out set (hospital, warehouse, bank batch), written before the
        # action/topic change and only measured (84% before it, 92% after)
        (HOLDOUT2, 40, 6, 0.85),
        # the third (six documents by someone who never saw the matcher), measured only,
        # never tuned on: its floor is what it got (73% hit@3), not the 80% goal
        (HOLDOUT3, 240, 40, 0.70),
    ],
    ids=["own", "holdout", "holdout2", "holdout3"],
)
def test_accuracy_on_a_labelled_set_stays_above_its_floor(labels, items, distractors, hit3):
    accuracy = _accuracy_module()
    figures = accuracy.measure([labels])[str(labels)]
    ours, bm25 = figures["sreladder"], figures["bm25"]
    assert ours.items >= items and ours.distractors >= distractors
    assert ours.hit3 >= hit3
    assert ours.distractors_rejected >= 0.7
    assert ours.real_rejected <= 0.1
    assert ours.hit3 > bm25.hit3 + 0.15


def test_off_topic_words_in_an_expectation_do_not_enter_its_profile(sre, lexicon):
    # "align reliability goals with business objectives": "goals" there is no plan not done
    off_topic = {cid for cid, c in lexicon.concepts.items() if c.off_topic}
    assert "not-done" in sre.features("Collaborates to align reliability goals").concepts
    for profile in sre._profiles:
        assert not off_topic.intersection(profile.own.concepts), profile.expectation


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("set up the reliability governance for the platform", "standards"),
        ("no more click-ops in the console", "toil"),
        ("code freeze over the holidays", "change-safety"),
        ("sunsetted the old queue cluster", "maintenance"),
        ("fixed CPU throttling on the api pods", "performance"),
        ("traced it with eBPF", "troubleshooting"),
        ("alert on consumer lag", "monitoring"),
        ("kept leadership informed", "stakeholders"),
    ],
)
def test_general_sre_vocabulary_reads_as_its_concept(lexicon, text, concept):
    assert concept in {c for h in lexicon.read(words(text)) for c in h.concepts}


def _concepts(lexicon, text):
    return {c for h in lexicon.read(words(text)) for c in h.concepts}


def test_a_denied_term_is_not_what_it_names(lexicon):
    assert not _concepts(lexicon, "requiring little to no input from leadership")
    assert "alerting" not in _concepts(lexicon, "never paged overnight since the fix")
    assert "escalation" not in _concepts(lexicon, "fixed it without escalating")
    # the denial reaches the next term only, and "no more" / "no longer" remove something
    assert "alerting" in _concepts(lexicon, "no customer impact, 3 pages, escalated once")
    assert "toil" in _concepts(lexicon, "no more click-ops in the console")
    assert "alerting" in _concepts(lexicon, "cut it to 0 pages a week")


def test_new_hires_are_people_to_onboard_not_hiring(lexicon):
    assert "hiring" not in _concepts(lexicon, "paired with the new hires on their first pages")
    assert "hiring" in _concepts(lexicon, "interviewed 9 candidates, 2 hires")


def test_provisioning_is_infrastructure_and_at_scale_is_scope(lexicon):
    assert _concepts(lexicon, "provisions infrastructure changes") >= {"iac"}
    assert "capacity" not in _concepts(lexicon, "reduce toil at scale")
    assert "org-scope" in _concepts(lexicon, "reduce toil at scale")


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Spends considerable time helping others improve.", {"with-help", "cost"}),
        ("You help make strategic decisions around major components.", {"with-help"}),
        ("Sought by colleagues for help with critical work.", {"with-help"}),
        ("Solves the most challenging reliability problems.", {"disagree-commit"}),
        ("Improves a KPI with documented before/after impact.", {"incident"}),
        ("Performs low-risk maintenance.", {"strategy"}),
        ("Follows the incident management process.", {"stakeholders"}),
    ],
)
def test_rubric_phrasings_are_not_read_as_what_they_are_not(lexicon, text, wrong):
    # giving help is not working with help (which only a "with help" item may match);
    # a challenging problem is no disagreement; business impact is no outage
    assert not wrong & _concepts(lexicon, text)


def test_an_expectation_about_helping_others_is_matched_without_a_help_cue(rubric, lexicon):
    ops = Matcher(rubric.role("ops-sre"), lexicon)
    found = ops.match("Spent weeks helping others on the team improve their on-call skills", 10)
    assert "tech-l5-c" in [m.expectation for m in found]


def test_a_typo_in_a_long_word_still_reads_as_its_concept(lexicon):
    def concepts(text):
        return {c for h in lexicon.read(words(text)) for c in h.concepts}

    assert "monitoring" in concepts("new grafana dashbaord")  # swapped letters
    assert "maintenance" in concepts("the migraton")  # a missing letter
    assert "incident" in concepts("the incidentt")  # an extra letter
    assert concepts("the complex case") == set()  # a changed letter is another word


def test_level_words_lean_the_scores(rubric, lexicon, monkeypatch):
    import sreladder.core.evidence as evidence

    role = rubric.role("sre")
    monkeypatch.setattr(evidence, "CALIBRATION", ((0.0, 0.0), (1.0, 1.0)))  # raw scores

    def scores(text):
        return {m.expectation: m.score for m in Matcher(role, lexicon).match(text, 10)}

    plain = "Wrote the postmortem for the major checkout incident response"
    led = "Led the org-wide postmortem for the major checkout incident response"
    leaning = scores(plain), scores(led)
    monkeypatch.setattr(evidence, "LEVEL_BIAS", 0.0)
    flat = scores(plain), scores(led)
    # no level words: the lower level gains on the higher one
    assert leaning[0]["ir-p1-f"] - leaning[0]["ir-p5-a"] > flat[0]["ir-p1-f"] - flat[0]["ir-p5-a"]
    # leading org-wide: the higher level gains on the lower one
    assert leaning[1]["ir-p5-a"] - leaning[1]["ir-p1-f"] > flat[1]["ir-p5-a"] - flat[1]["ir-p1-f"]


def test_the_first_three_matches_span_more_than_one_dimension(rubric, sre):
    text = "Wrote SLOs and burn-rate alerts for checkout, plus a Grafana dashboard"
    three = sre.match(text, 3)
    assert len(three) == 3
    assert len({m.dimension for m in three}) >= 2
    assert len(sre.match(text, 6)) == 6  # more asked: the same dimension may fill more


def test_no_single_word_term_is_a_common_word():
    """A one-word term is matched on its stem: "notes" would be "not", "themes"
    "them". Two words are meant: "own" (owned) and "will" (a plan, not a result)."""
    lexicon = read_lexicon(ROOT / "data" / "lexicon.yaml")
    common = evidence.STOPWORDS - {"own", "will"}
    clashes = [
        (concept.id, term)
        for concept in lexicon.concepts
        for term in concept.terms
        if len(found := words(term.rstrip("*"))) == 1 and found[0] in common
    ]
    assert clashes == []


def test_an_item_under_an_off_topic_heading_needs_strong_evidence(sre):
    text = "Get better at Kubernetes troubleshooting"
    done = match_items(sre, [EvidenceItem(text, "b.md", 2, context=("Q1 2026",))])
    goals = match_items(sre, [EvidenceItem(text, "b.md", 2, context=("Goals for 2027",))])
    assert done.items[0].matches
    assert goals.items[0].matches == ()


def test_the_section_an_item_sits_in_decides_not_the_documents_title(sre):
    text = "IC for the Sev1 checkout outage: ran the bridge and wrote the postmortem"
    titled = ("Promotion packet notes: Sam (SRE to Senior SRE)", "Production work")
    under_section = match_items(sre, [EvidenceItem(text, "b.md", 9, context=titled)])
    under_goals = match_items(
        sre, [EvidenceItem(text, "b.md", 9, context=("Brag doc", "Goals for 2027"))]
    )
    assert under_section.items[0].matches
    assert under_goals.items[0].matches == ()


def test_concepts_found_together_make_another(lexicon, sre):
    def concepts(text):
        return set(sre.features(text).concepts)

    assert "monitoring" in concepts("Added cert-expiry alerts for the 14 mTLS clients")
    assert "monitoring" not in concepts("Answered 14 alerts during my shift")
    with pytest.raises(ValueError, match="at least two concepts in all_of"):
        Lexicon.model_validate({"lexicon": 1, "concepts": [{"id": "x", "all_of": ["a"]}]})


def test_a_negated_incident_is_uptime(lexicon):
    def concepts(text):
        return [h.concepts[0] for h in lexicon.read(words(text))]

    assert concepts("finished without a single customer-facing incident")[-1] == "uptime"
    assert concepts("zero incidents since the move") == ["uptime"]
    assert concepts("IC for the Sev1 incident")[-1] == "incident"


def test_a_concept_kind_is_action_or_topic_and_a_company_file_may_set_it(tmp_path):
    bad = tmp_path / "lex.yaml"
    bad.write_text("lexicon: 1\nconcepts:\n  - id: a\n    terms: [x]\n    kind: verb\n")
    with pytest.raises(LexiconError, match=r"lex\.yaml:5:\d+"):
        read_lexicon(bad)
    base = read_lexicon(ROOT / "data" / "lexicon.yaml")
    kinds = {c.id: c.kind for c in base.concepts}
    assert kinds["mentoring"] == "action" and kinds["containers"] == "topic"
    extra = Lexicon.model_validate(
        {"lexicon": 1, "concepts": [{"id": "mentoring", "terms": ["buddy"]}]}
    )
    assert {c.id: c.kind for c in merge(base, extra).concepts}["mentoring"] == "action"
    extra = Lexicon.model_validate(
        {"lexicon": 1, "concepts": [{"id": "containers", "terms": ["lxc"], "kind": "action"}]}
    )
    assert {c.id: c.kind for c in merge(base, extra).concepts}["containers"] == "action"


def test_a_shared_topic_counts_less_than_a_shared_action(rubric, lexicon, monkeypatch):
    role = rubric.role("sre")
    text = "Mentored Sam on Terraform and Kubernetes"

    def gap():
        scores = {m.expectation: m.score for m in Matcher(role, lexicon).match(text, 60)}
        return scores["lead-p5-b"] - scores["auto-p2-b"]  # mentoring vs Terraform

    weighted = gap()
    monkeypatch.setattr(evidence, "TOPIC_WEIGHT", 1.0)
    assert weighted > gap()


def test_the_lead_action_orders_the_matches(rubric, lexicon, monkeypatch):
    role = rubric.role("ops-sre")
    text = (
        "Disagreed with the plan to drop staging but went with the team's decision"
        " and helped plan the cutover"
    )
    assert Matcher(role, lexicon).features(text).lead == ("disagree-commit",)
    led = Matcher(role, lexicon).match(text)
    assert any(m.expectation.startswith(("flex-", "fb-")) for m in led)
    assert all(
        m.why[0] == '"disagreed" → disagree-commit' for m in led if m.expectation.startswith("fb-")
    )
    monkeypatch.setattr(evidence, "LEAD_BOOST", 0.0)
    flat = Matcher(role, lexicon).match(text)
    assert [m.score for m in flat] != [m.score for m in led]


def test_the_lead_action_never_makes_a_match_on_its_own(rubric, lexicon, monkeypatch):
    """Whether an item matches at all does not depend on its lead action's boost."""
    import json

    labels = json.loads(LABELS.read_text(encoding="utf-8"))

    def matched(boost, outside):
        monkeypatch.setattr(evidence, "LEAD_BOOST", boost)
        monkeypatch.setattr(evidence, "LEAD_OUTSIDE", outside)
        matchers = {r: Matcher(rubric.role(r), lexicon) for r in {lab["role"] for lab in labels}}
        return [bool(matchers[lab["role"]].match(lab["text"])) for lab in labels]

    assert matched(0.0, 1.0) == matched(10.0, 0.0)


@pytest.mark.parametrize(
    "text", ["briefed the VP on the outage", "sent the weekly status note to the CTO"]
)
def test_telling_a_stakeholder_is_keeping_leadership_informed(sre, text):
    assert "stakeholder-update" in sre.features(text).concepts
    assert "stakeholder-update" not in sre.features("briefed the on-call team").concepts


def test_working_by_an_existing_runbook_is_a_supervision_cue(sre):
    assert "with-help" in sre.features("Patched 40 hosts following the patching runbook").concepts
    assert "with-help" in sre.features("restarted the brokers per the MOP runbook").concepts
    assert "with-help" not in sre.features("followed up with the vendor on the fix").concepts
    assert "with-help" not in sre.features("wrote the runbook for the failover").concepts


def test_the_lead_action_picks_the_dimension_before_the_topics_do(rubric, lexicon, monkeypatch):
    role = rubric.role("sre")
    text = "Mentored Sam on Terraform and Kubernetes"

    def rank(matches):
        return [m.dimension for m in matches].index("leadership")

    led = rank(Matcher(role, lexicon).match(text))
    assert led <= 1  # beside the cell whose examples name the same tools
    monkeypatch.setattr(evidence, "LEAD_OUTSIDE", 1.0)
    assert "leadership" not in [m.dimension for m in Matcher(role, lexicon).match(text)][:led]


# --- senses, tense, calibration, why --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "concept", "present"),
    [
        ("Joined the rotation, took 12 pages in my first week", "on-call", True),
        ("Automated the key rotation for the TLS certificates", "on-call", False),
        ("Sat in on every page during my first on-call weeks", "with-help", True),
        ("Sat in on a vendor's AIOps sales demo", "with-help", False),
        ("Brought 3 candidate items to planning", "hiring", False),
        ("Interviewed 4 candidates for the SRE team", "hiring", True),
        ("Got a second monitor for my desk", "monitoring", False),
    ],
)
def test_a_sense_needs_its_company(lexicon, text, concept, present):
    assert (concept in _concepts(lexicon, text)) is present


def test_done_work_is_told_by_tense_not_by_the_word_plan(sre):
    for done in ("Wrote the capacity plan for Q3", "Defined SLOs and set the quarter's goals"):
        assert sre.match(done), done
    for planned in ("Plan to learn Go", "Next quarter I want to run a game day", "Goal: CKA"):
        assert sre.match(planned) == [], planned


def test_an_incident_role_leads_and_an_incident_study_is_analysis(sre):
    ic = sre.match("IC for the Sev1 edge outage, worked it with the provider's NOC")
    assert ic and ic[0].expectation.startswith("ir-")
    assert sre.match("Analyzed 18 months of incident data")[0].expectation == "ir-p5-d"


def test_a_score_is_a_calibrated_confidence(sre):
    assert evidence.calibrated(0.0) == 0.0 and evidence.calibrated(1.0) <= 1.0
    points = [evidence.calibrated(x / 100) for x in range(101)]
    assert points == sorted(points)  # monotone: a higher raw score is never less sure
    assert sre.match("Sat in the audience of the VP's all-hands") == []
    strong = sre.match("IC for the Sev1 checkout outage, ran the bridge and the postmortem")
    assert strong and strong[0].score >= 0.7


def test_why_shows_the_words_as_written_and_what_they_matched(sre):
    why = sre.match("Paged 4 times in my on-call week, escalated the Kafka one")[0].why
    assert any(w.startswith('"paged" → ') or w.startswith('"on-call" → ') for w in why)
    assert all(w.startswith('"') for w in why)


def test_a_ladder_without_evidence_examples_still_matches(rubric, lexicon):
    from sreladder.core.models import Role

    data = rubric.role("sre").model_dump(mode="json")
    for dimension in data["dimensions"]:
        for cell in dimension["levels"].values():
            for expectation in cell["expectations"]:
                expectation.pop("evidence_examples", None)
    bare = Matcher(Role.model_validate(data), lexicon)
    found = bare.match("Primary on-call for checkout, 30 pages, escalated two to the DBA")
    assert found and found[0].dimension == "incident-response"


OFF_TOPIC_WORDS = ["banana", "purple", "weekend", "zebra", "tuesday", "lol", "quietly", "very"]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [
            "Primary on-call for checkout, 30 pages",
            "Wrote the postmortem for the Sev2 DNS outage",
            "Mentored two junior SREs through their first incidents",
            "Baked cookies for the bake sale",
            "Automated cert renewal with a Python script",
        ]
    ),
    st.lists(st.sampled_from(OFF_TOPIC_WORDS), min_size=1, max_size=3),
)
def test_an_off_topic_word_never_adds_a_match(text, extra):
    matcher = _SRE_MATCHER()
    before = {m.expectation for m in matcher.match(text, 10)}
    after = {m.expectation for m in matcher.match(text + " " + " ".join(extra), 10)}
    assert after <= before


@functools.lru_cache(maxsize=1)
def _SRE_MATCHER():
    return Matcher(load_rubric(None).role("sre"), load_lexicon(None))
