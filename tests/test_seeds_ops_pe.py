"""Every statement of seeds 003 and 004 is carried into the ops / production-engineer rubrics.

The statements are parsed out of the seed files here (not copied by hand), normalised
(whitespace collapsed, encoding damage and a missing space after a full stop repaired),
and each must appear in the `text` (or `examples`) of an expectation of the right role,
at the right level, in the right dimension or group, naming the right source.
Uses only pyyaml and pathlib (plus the standard library), not the sreladder package.
"""

import html
import json
import re
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent
ROOT = HERE.parent
SEEDS = HERE / "fixtures" / "seeds"
DATA = ROOT / "data"

S3 = "003_40b92b76cb94f5af.txt"
S4 = "004_5faadcd604ce2137.txt"
S4_PLAIN = "004_5faadcd604ce2137.plain.txt"

MOJIBAKE = {"â€™": "’", "â€˜": "‘", "â€œ": "“", "â€\x9d": "”", "â€“": "–", "â€”": "—"}


def norm(text: str) -> str:
    for bad, good in MOJIBAKE.items():
        text = text.replace(bad, good)
    text = re.sub(r"(?<=[a-z])\.(?=[A-Z])", ". ", text)  # "planning.Demonstrates"
    return re.sub(r"\s+", " ", text).strip()


def sentences(cell: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", cell) if s]


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def expectations(role, level=None):
    """(dimension, level id, expectation) for every expectation of the role."""
    for dim in role["dimensions"]:
        for lid, cell in dim["levels"].items():
            if level is None or lid == level:
                for exp in cell["expectations"]:
                    yield dim, lid, exp


def haystack(exp) -> str:
    return norm(exp["text"] + " " + ", ".join(exp.get("examples", [])))


# ---------------------------------------------------------------- seed 003


def parse_003():
    """[(group, row label, [cell L1..L5])] and the header's [(level id, name)]."""
    rows, header, group = [], None, None
    for line in (SEEDS / S3).read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "Category":
            header = [re.fullmatch(r"(.+) \((L\d)\)", c).groups()[::-1] for c in cells[1:]]
        elif set(cells[0]) <= set("- "):
            continue
        elif cells[0].startswith("**"):
            assert not any(cells[1:]), cells
            group = cells[0].strip("*")
        else:
            rows.append((group, cells[0].strip("*"), [norm(c) for c in cells[1:]]))
    return rows, header


@pytest.fixture(scope="module")
def ops_role():
    return load(DATA / "roles" / "ops-sre.yaml")


def test_003_parsed_counts():
    rows, header = parse_003()
    assert len(header) == 5
    assert len(rows) == 12
    assert all(len(cells) == 5 and all(cells) for _, _, cells in rows)
    assert [g for g, _, _ in rows].count("Skill") == 6
    assert [g for g, _, _ in rows].count("Engagement") == 5
    assert [g for g, _, _ in rows].count("Coachability") == 1
    assert [label for _, label, _ in rows].count("Mastery") == 3


def test_ops_scale_matches_003_header():
    _, header = parse_003()
    scale = load(DATA / "levels" / "ops.yaml")
    assert scale["id"] == "ops"
    assert [(lv["id"], lv["name"]) for lv in scale["levels"]] == header
    assert all(lv["source"] == [S3] for lv in scale["levels"])


def test_ops_role_shape(ops_role):
    _, header = parse_003()
    assert ops_role["id"] == "ops-sre" and ops_role["ladder"] == "ops"
    assert {k: v["title"] for k, v in ops_role["levels"].items()} == dict(header)
    assert len(ops_role["dimensions"]) == 12
    ids = [d["id"] for d in ops_role["dimensions"]]
    names = [d["name"] for d in ops_role["dimensions"]]
    assert len(set(ids)) == 12 and len(set(names)) == 12
    exp_ids = [e["id"] for _, _, e in expectations(ops_role)]
    assert len(exp_ids) == len(set(exp_ids))
    for _dim, lid, exp in expectations(ops_role):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-" + lid.lower() + r"-[a-z]", exp["id"])
        assert exp["source"] == S3
        assert exp["text"].strip()


def test_every_003_cell_sentence_is_present(ops_role):
    rows, header = parse_003()
    level_ids = [lid for lid, _ in header]
    matched = []
    total = 0
    for group, label, cells in rows:
        candidates = [
            d
            for d in ops_role["dimensions"]
            if d.get("group") == group and d["name"].split(":")[0] == label
        ]
        assert candidates, (group, label)
        full = []
        for dim in candidates:
            ok = True
            for lid, cell in zip(level_ids, cells, strict=False):
                texts = [
                    norm(e["text"]) for e in dim["levels"].get(lid, {}).get("expectations", [])
                ]
                if not all(any(s in t for t in texts) for s in sentences(cell)):
                    ok = False
            if ok:
                full.append(dim["id"])
        assert full, f"row {label!r} ({group}) is not fully carried over by any dimension"
        matched.append(full)
        total += sum(len(sentences(c)) for c in cells)
    # the 12 rows map to 12 distinct dimensions (the three Mastery rows are told apart)
    chosen = set()
    for full in sorted(matched, key=len):
        free = [d for d in full if d not in chosen]
        assert free, matched
        chosen.add(free[0])
    assert len(chosen) == 12
    assert total >= 60


def test_003_expectations_are_source_sentences(ops_role):
    """Nothing invented: each expectation text is a sentence of its row's cell."""
    rows, header = parse_003()
    by_level = {lid: set() for lid, _ in header}
    for _, _, cells in rows:
        for (lid, _), cell in zip(header, cells, strict=False):
            by_level[lid].update(sentences(cell))
    for _, lid, exp in expectations(ops_role):
        assert norm(exp["text"]) in by_level[lid], exp["id"]


def test_003_encoding_damage_repaired(ops_role):
    raw = yaml.safe_dump(ops_role, allow_unicode=True)
    assert "â€" not in raw
    assert "planning.Demonstrates" not in raw
    assert "doesn’t necessarily need to be reviewed" in raw


# ---------------------------------------------------------------- seed 004


@pytest.fixture(scope="module")
def plain_lines():
    return [line.rstrip() for line in (SEEDS / S4_PLAIN).read_text(encoding="utf-8").splitlines()]


def block(lines, start, end):
    i = next(k for k, line in enumerate(lines) if line.startswith(start))
    j = next(k for k in range(i + 1, len(lines)) if lines[k].startswith(end))
    return [norm(line) for line in lines[i + 1 : j] if line.strip()]


def items(block_lines):
    """Bullets with their sub-bullets: a line ending in ':' takes the lowercase lines after it."""
    out = []
    for line in block_lines:
        if out and out[-1][0].endswith(":") and line[0].islower():
            out[-1][1].append(line)
        else:
            out.append((line, []))
    return out


@pytest.fixture(scope="module")
def seed4(plain_lines):
    sc = block(
        plain_lines, "Scorecard dimensions (with example weighting)", "20) Final Role Scorecard"
    )
    assert sc[:3] == ["Dimension", "What “meets bar” looks like", "Weight"]
    sc = sc[3:]
    score = [(sc[i], sc[i + 1], int(sc[i + 2].rstrip("%"))) for i in range(0, len(sc), 3)]
    mh = block(plain_lines, "Must-have technical skills", "Good-to-have technical skills")
    skills = []
    for i in range(0, len(mh), 3):
        name = re.fullmatch(r"(.+) \((?:Critical|Important|Optional)\)", mh[i])
        use = re.fullmatch(r"– Use: (.+)", mh[i + 1])
        ex = re.fullmatch(r"– Examples: (.+)", mh[i + 2])
        assert name and use and ex, mh[i : i + 3]
        skills.append((mh[i], use.group(1), ex.group(1)))
    return {
        "score": score,
        "skills": skills,
        "d30": items(block(plain_lines, "30-day goals", "60-day goals")),
        "d60": items(block(plain_lines, "60-day goals", "90-day goals")),
        "d90": items(block(plain_lines, "90-day goals", "6-month milestones")),
        "promo": items(
            block(
                plain_lines,
                "Skills needed for promotion (Associate → Production Engineer)",
                "How this role evolves over time",
            )
        ),
        "m12": items(
            block(
                plain_lines,
                "12-month objectives (promotion readiness signals)",
                "Long-term impact goals",
            )
        ),
        "summary": block(plain_lines, "1) Role Summary", "2) Role Mission")[0],
    }


@pytest.fixture(scope="module")
def original4():
    """Readable text of the JSON original: the statements are in the file named as source."""
    content = json.loads((SEEDS / S4).read_text(encoding="utf-8"))["content"]["rendered"]
    return norm(html.unescape(re.sub(r"<[^>]+>", "", content)))


@pytest.fixture(scope="module")
def pe_role():
    return load(DATA / "roles" / "production-engineer.yaml")


def test_004_parsed_counts(seed4):
    assert len(seed4["score"]) == 8
    assert [w for _, _, w in seed4["score"]] == [15, 10, 15, 15, 20, 10, 10, 5]
    assert len(seed4["skills"]) == 8
    assert [len(seed4[k]) for k in ("d30", "d60", "d90")] == [5, 4, 4]
    assert [len(subs) for _, subs in seed4["d30"]] == [0, 0, 3, 0, 2]
    assert len(seed4["promo"]) == 3
    assert [len(subs) for _, subs in seed4["promo"]] == [0, 4, 3]
    assert len(seed4["m12"]) == 4
    assert seed4["summary"].startswith("The Associate Production Engineer is an early-career")


def test_004_statements_are_in_the_json_original(seed4, original4):
    statements = [s for row in seed4["score"] for s in row[:2]]
    statements += [s for row in seed4["skills"] for s in row]
    for key in ("d30", "d60", "d90", "promo", "m12"):
        for lead, subs in seed4[key]:
            statements += [lead, *subs]
    statements.append(seed4["summary"])
    for s in statements:
        assert s.replace("– ", "") in original4.replace("– ", ""), s


def test_pe_role_shape(pe_role, seed4):
    assert pe_role["id"] == "production-engineer"
    assert pe_role["ladder"] == "professional"
    assert pe_role["levels"] == {
        "P1": {"title": "Associate Production Engineer"},
        "P2": {"title": "Production Engineer"},
    }
    assert norm(pe_role["description"]) == seed4["summary"]
    ids = [e["id"] for _, _, e in expectations(pe_role)]
    assert len(ids) == len(set(ids))
    for _dim, lid, exp in expectations(pe_role):
        assert lid in ("P1", "P2")
        assert re.fullmatch(r"[a-z0-9]+-" + lid.lower() + r"-[a-z]", exp["id"]), exp["id"]
        assert exp["source"] == S4
        assert exp["text"].strip()


def test_pe_dimensions_are_the_scorecard(pe_role, seed4):
    got = [(d["name"], d["weight"]) for d in pe_role["dimensions"]]
    assert got == [(name, w) for name, _, w in seed4["score"]]
    for dim, (name, bar, _) in zip(pe_role["dimensions"], seed4["score"], strict=False):
        texts = [haystack(e) for e in dim["levels"]["P1"]["expectations"]]
        assert bar in texts, name


def find(role, level, *parts):
    """Expectations at `level` whose text (or examples) contains every one of `parts`."""
    return [
        (d["id"], e["id"])
        for d, _, e in expectations(role, level)
        if all(p in haystack(e) for p in parts)
    ]


def test_pe_p1_must_have_skills(pe_role, seed4):
    for name, use, ex in seed4["skills"]:
        hits = [
            e
            for d, _, e in expectations(pe_role, "P1")
            if name in norm(e["text"]) and use in norm(e["text"])
        ]
        assert len(hits) == 1, name
        e = hits[0]
        assert ex.rstrip(".") in haystack(e), name


@pytest.mark.parametrize("key", ["d30", "d60", "d90"])
def test_pe_p1_goals(pe_role, seed4, key):
    for lead, subs in seed4[key]:
        # the goal with its sub-bullets kept inside one expectation's text
        assert find(pe_role, "P1", lead, *subs), (key, lead)


@pytest.mark.parametrize("key", ["promo", "m12"])
def test_pe_p2_promotion_statements(pe_role, seed4, key):
    for lead, subs in seed4[key]:
        if not subs:
            assert find(pe_role, "P2", lead), lead
        for sub in subs:
            # a sub-item stays with its lead-in, either all in one expectation or one each
            assert find(pe_role, "P2", lead, sub), (lead, sub)


def test_pe_every_expectation_carries_a_seed_statement(pe_role, seed4):
    """Nothing invented: each expectation holds at least one parsed statement of its level."""
    p1 = [bar for _, bar, _ in seed4["score"]] + [use for _, use, _ in seed4["skills"]]
    p1 += [lead for k in ("d30", "d60", "d90") for lead, _ in seed4[k]]
    p2 = [lead for k in ("promo", "m12") for lead, _ in seed4[k]]
    for _, lid, exp in expectations(pe_role):
        pool = p1 if lid == "P1" else p2
        assert any(s in haystack(exp) for s in pool), exp["id"]
    total = sum(1 for _ in expectations(pe_role))
    # P1: 8 bars + 8 skills + 13 goals;
    # P2: 3 promotion items (one split into its 4 abilities) + 4 objectives
    assert total == (8 + 8 + 13) + (1 + 4 + 1) + 4
