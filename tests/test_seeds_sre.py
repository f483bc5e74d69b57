"""Every statement of the SRE seed documents is present in the rubric data.

Parses the seeds programmatically (no hard-coded statement lists) and checks that
each statement appears, after the same normalisation, in data/roles/sre.yaml (at the
right level, naming its seed as source) or in data/levels/professional.yaml.
Responsibilities and tasks are expectations (the text, or an example of one when two
statements say the same thing); skills, knowledge, competencies and qualifications are
the level's profile, whole and in the seed's order.
Uses only pyyaml and pathlib, never the sreladder package.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent
ROOT = HERE.parent
SEEDS = HERE / "fixtures" / "seeds"
LADDER_FILE = ROOT / "data" / "levels" / "professional.yaml"
ROLE_FILE = ROOT / "data" / "roles" / "sre.yaml"

P1_SEED = "000_a8e650f416a218b3.txt"
P5_SEED = "001_c36c417c9fe3a4a6.txt"
FOCUS_SEED = "002_908cfd674b11c58a.txt"

# UTF-8 read as cp1252 ("mojibake") -> the intended character. Longest first.
MOJIBAKE = [
    ("â€™", "’"),
    ("â€˜", "‘"),
    ("â€œ", "“"),
    ("â€\x9d", "”"),
    ("â€”", "—"),
    ("â€“", "–"),
    ("â€¦", "…"),
    ("â†’", "→"),
    ("â‰¥", "≥"),
    ("Ã©", "é"),
    ("Â ", " "),
    ("\u00a0", " "),
]

LIST_HEADER = re.compile(
    r"^(Responsibilities|Tasks|Skills|Knowledge|competency|qualification)(\d+)$"
)
LEVEL_HEADER = re.compile(r"^Level\s+—\s+(P\d)\s+—\s+(.+)$")


def norm(text: str) -> str:
    for bad, good in MOJIBAKE:
        text = text.replace(bad, good)
    text = re.sub(r"commonlevel\s*$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def seed_lines(name: str) -> list[str]:
    return [norm(line) for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()]


def bullets_after(lines: list[str], start: int) -> list[str]:
    """The '- ' items directly following line `start`, up to the first non-item line."""
    items = []
    for line in lines[start + 1 :]:
        if not line.startswith("- "):
            break
        items.append(line[2:].strip())
    return items


# ---------------------------------------------------------------- seed parsers


def parse_component_lists(name: str) -> dict[str, list[str]]:
    """The six counted lists ("Responsibilities10", "Tasks5", ...) of a profile seed."""
    lines = seed_lines(name)
    found: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        m = LIST_HEADER.match(line)
        if m:
            items = bullets_after(lines, i)
            assert len(items) == int(m.group(2)), f"{name}: {line} has {len(items)} items"
            found[m.group(1)] = items
    return found


def parse_level_profile(name: str) -> dict:
    """The 'Level — Pn — Name' block: name, summary line and attribute pairs."""
    lines = seed_lines(name)
    for i, line in enumerate(lines):
        m = LEVEL_HEADER.match(line)
        if m:
            items = bullets_after(lines, i + 1)
            assert len(items) % 2 == 0, f"{name}: odd attribute list {items}"
            attrs = {
                items[k].lower().replace(" ", "_"): items[k + 1] for k in range(0, len(items), 2)
            }
            return {"id": m.group(1), "name": m.group(2), "summary": lines[i + 1], "attrs": attrs}
    raise AssertionError(f"{name}: no 'Level — Pn — ...' block")


def section(lines: list[str], header: str, end: str) -> list[str]:
    start = lines.index(header)
    stop = lines.index(end, start)
    return lines[start + 1 : stop]


def parse_responsibilities_by_level() -> list[tuple[str, str]]:
    """(level, bullet) pairs: five bullets per level, P2..P7 in order."""
    body = section(seed_lines(FOCUS_SEED), "Responsibilities by level", "Level guidelines")
    bullets = [line[2:].strip() for line in body if line.startswith("- ")]
    levels = [f"P{n}" for n in range(2, 8)]
    return [(levels[i // 5], b) for i, b in enumerate(bullets) if i // 5 < len(levels)] + [
        ("?", b) for b in bullets[5 * len(levels) :]
    ]


def parse_level_guidelines() -> tuple[list[str], dict[str, dict[str, str]]]:
    """Header columns and {level: {column: cell}} from the 'Level guidelines' table."""
    body = section(seed_lines(FOCUS_SEED), "Level guidelines", "Skills")
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in body
        if line.startswith("|")
    ]
    header, rows = rows[0], [r for r in rows[1:] if not set("".join(r)) <= set("-: ")]
    table = {}
    for row in rows:
        assert len(row) == len(header), row
        table[row[0]] = dict(zip(header[1:], row[1:], strict=True))
    return header, table


def parse_focus_skills() -> list[tuple[str, str]]:
    """(skill name, description) pairs of 002's 'Skills' section."""
    body = section(seed_lines(FOCUS_SEED), "Skills", "Provenance")
    items = [line[2:].strip() for line in body if line.startswith("- ")]
    assert len(items) % 2 == 0, items
    return [(items[k], items[k + 1]) for k in range(0, len(items), 2)]


def parse_title_aliases(name: str) -> list[str]:
    lines = seed_lines(name)
    body = lines[lines.index("Title aliases") + 1 :]
    aliases = []
    for line in body:
        if not line.startswith("|"):
            break
        cell = line.strip("|").split("|")[0].strip()
        if cell not in ("Alias",) and not set(cell) <= set("-"):
            aliases.append(cell)
    return aliases


# ---------------------------------------------------------------- data loaders


def load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def ladder() -> dict:
    return load(LADDER_FILE)


@pytest.fixture(scope="module")
def role() -> dict:
    return load(ROLE_FILE)


@pytest.fixture(scope="module")
def expectations(role) -> list[dict]:
    """Flattened expectations with their dimension and level."""
    out = []
    for dim in role["dimensions"]:
        for level, cell in dim["levels"].items():
            for exp in cell["expectations"]:
                out.append({**exp, "level": level, "dimension": dim["id"]})
    return out


def sources(item: dict) -> list[str]:
    source = item.get("source") or []
    return [source] if isinstance(source, str) else source


def contains(text: str, statement: str) -> bool:
    """Case-sensitive substring, not glued to a longer word on either side."""
    text = norm(text)
    pattern = r"(?<![\w])" + re.escape(statement) + r"(?![\w])"
    return re.search(pattern, text) is not None


def assert_placed(expectations, statement: str, level: str, seed: str) -> None:
    hits = [
        e["id"]
        for e in expectations
        if e["level"] == level
        and seed in sources(e)
        and any(contains(t, statement) for t in [e["text"], *e.get("examples", [])])
    ]
    assert hits, f"{seed} {level}: not in any expectation text or example: {statement!r}"


# ---------------------------------------------------------------- parser sanity


def test_parsers_find_expected_counts():
    for seed in (P1_SEED, P5_SEED):
        lists = parse_component_lists(seed)
        assert sorted(lists) == sorted(
            ["Responsibilities", "Tasks", "Skills", "Knowledge", "competency", "qualification"]
        )
        assert [len(lists[k]) for k in lists] == [10, 5, 8, 8, 8, 5]
        assert sum(len(v) for v in lists.values()) == 44
        assert not any("commonlevel" in item for v in lists.values() for item in v)
    pairs = parse_responsibilities_by_level()
    assert len(pairs) == 30
    assert [lvl for lvl, _ in pairs] == [f"P{n}" for n in range(2, 8) for _ in range(5)]
    header, table = parse_level_guidelines()
    assert header == [
        "Level",
        "Knowledge & Application",
        "Complexity & Problem Solving",
        "Collaboration & Interaction",
        "Typical Degree & Years",
    ]
    assert list(table) == [f"P{n}" for n in range(2, 8)]
    assert sum(len(v) for v in table.values()) == 24
    assert len(parse_focus_skills()) == 10
    for seed, level, n_attrs in ((P1_SEED, "P1", 7), (P5_SEED, "P5", 7), (FOCUS_SEED, "P6", 7)):
        profile = parse_level_profile(seed)
        assert profile["id"] == level
        assert len(profile["attrs"]) == n_attrs
    assert len(parse_title_aliases(P1_SEED)) == 7
    assert len(parse_title_aliases(P5_SEED)) == 7


# ---------------------------------------------------------------- sre.yaml


PROFILE_FIELDS = {
    "Skills": "skills",
    "Knowledge": "knowledge",
    "competency": "competencies",
    "qualification": "qualifications",
}


@pytest.mark.parametrize(("seed", "level"), [(P1_SEED, "P1"), (P5_SEED, "P5")])
def test_profile_behaviours_are_expectations(expectations, seed, level):
    lists = parse_component_lists(seed)
    for name in ("Responsibilities", "Tasks"):
        for item in lists[name]:
            assert_placed(expectations, item, level, seed)


@pytest.mark.parametrize(("seed", "level"), [(P1_SEED, "P1"), (P5_SEED, "P5")])
def test_profile_lists_are_the_level_profile(role, seed, level):
    profile = role["levels"][level]["profile"]
    assert seed in sources(profile)
    for name, field in PROFILE_FIELDS.items():
        assert [norm(x) for x in profile[field]] == parse_component_lists(seed)[name], field


def test_no_expectation_restates_a_profile_item(role, expectations):
    """A profile item is shown, not rated: no expectation is only a profile item."""
    items = {
        norm(x).casefold()
        for level in role["levels"].values()
        for field in PROFILE_FIELDS.values()
        for x in ((level or {}).get("profile") or {}).get(field, [])
    }
    for e in expectations:
        assert norm(e["text"]).rstrip(".").casefold() not in items, e["id"]


def test_responsibilities_by_level_in_role(expectations):
    for level, bullet in parse_responsibilities_by_level():
        assert_placed(expectations, bullet, level, FOCUS_SEED)


def test_level_guideline_cells_in_role(expectations):
    _, table = parse_level_guidelines()
    for level, cells in table.items():
        for column in (
            "Knowledge & Application",
            "Complexity & Problem Solving",
            "Collaboration & Interaction",
        ):
            assert_placed(expectations, cells[column], level, FOCUS_SEED)


def test_focus_skills_in_dimension_descriptions(role):
    descriptions = [norm(d.get("description", "")) for d in role["dimensions"]]
    for name, desc in parse_focus_skills():
        line = f"{name}: {desc}"
        assert any(line in d for d in descriptions), f"skill not in a description: {line!r}"


def test_role_description_and_titles(role):
    lines = seed_lines(FOCUS_SEED)
    focus_paragraph = lines[lines.index("Focus — DevOps & Site Reliability Engineering") + 1]
    assert norm(role["description"]) == focus_paragraph
    assert role["ladder"] == "professional"
    assert list(role["levels"]) == [f"P{n}" for n in range(1, 8)]
    for seed, level in ((P1_SEED, "P1"), (P5_SEED, "P5")):
        assert role["levels"][level]["title"] in parse_title_aliases(seed)
    for level in ("P2", "P3", "P4", "P6", "P7"):
        assert "title" not in (role["levels"][level] or {})
        assert "profile" not in (role["levels"][level] or {})


def test_role_structure(role, expectations):
    dims = role["dimensions"]
    assert 8 <= len(dims) <= 11
    ids = [e["id"] for e in expectations]
    assert len(ids) == len(set(ids)), "duplicate expectation ids"
    known = {P1_SEED, P5_SEED, FOCUS_SEED}
    order = list(role["levels"])
    for e in expectations:
        assert re.fullmatch(r"[a-z]+-p\d-[a-z]", e["id"]), e["id"]
        assert e["id"].split("-")[1] == e["level"].lower(), e["id"]
        assert sources(e) and set(sources(e)) <= known, e
        assert norm(e["text"]), e
    for dim in dims:
        levels = list(dim["levels"])
        positions = [order.index(lv) for lv in levels]
        assert positions == sorted(positions), dim["id"]
        assert positions == list(range(positions[0], positions[-1] + 1)), f"hole in {dim['id']}"
        for lv, cell in dim["levels"].items():
            assert 1 <= len(cell["expectations"]) <= 6, (dim["id"], lv)
        for a, b in itertools.pairwise(levels):
            texts_a = {norm(e["text"]) for e in dim["levels"][a]["expectations"]}
            texts_b = {norm(e["text"]) for e in dim["levels"][b]["expectations"]}
            assert not texts_a & texts_b, f"identical text in adjacent cells of {dim['id']}"


# ---------------------------------------------------------------- professional.yaml


def test_ladder_levels_and_attributes(ladder):
    levels = {lv["id"]: lv for lv in ladder["levels"]}
    assert [lv["id"] for lv in ladder["levels"]] == [f"P{n}" for n in range(1, 8)]
    for seed in (P1_SEED, P5_SEED, FOCUS_SEED):
        profile = parse_level_profile(seed)
        lv = levels[profile["id"]]
        assert norm(lv["name"]) == profile["name"]
        assert norm(lv["summary"]) == profile["summary"]
        assert seed in lv["source"]
        for key, value in profile["attrs"].items():
            assert norm(lv["attributes"][key]) == value, (seed, key)
    for level in ("P2", "P3", "P4", "P7"):
        assert "name" not in levels[level], f"{level} has no name in the seeds"
        assert "summary" not in levels[level]


def test_ladder_degree_and_years(ladder):
    levels = {lv["id"]: lv for lv in ladder["levels"]}
    _, table = parse_level_guidelines()
    for level, cells in table.items():
        got = levels[level]["attributes"]["degree_and_years"]
        assert norm(got) == cells["Typical Degree & Years"], level
        assert FOCUS_SEED in levels[level]["source"], level
    assert "degree_and_years" not in levels["P1"].get("attributes", {})
