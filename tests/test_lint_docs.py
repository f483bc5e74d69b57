"""docs/lint.md documents every rule, and its examples do what they say: each bad
example triggers its rule, each good one does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sreladder.core.lint import BY_CODE, RULES, lint_role
from sreladder.core.models import Role

DOC = Path(__file__).parent.parent / "docs" / "lint.md"
SECTION = re.compile(r"^## (L\d{3}) ([a-z-]+)\n(.*?)(?=^## |\Z)", re.M | re.S)
EXAMPLE = re.compile(r"^(Bad|Good):\n```yaml\n(.*?)```", re.M | re.S)


def sections() -> dict[str, tuple[str, dict[str, str]]]:
    out = {}
    for code, name, body in SECTION.findall(DOC.read_text(encoding="utf-8")):
        out[code] = (name, dict(EXAMPLE.findall(body)))
    return out


def role_from(fragment: str) -> Role:
    """A role from a doc fragment: ``dimensions`` and, optionally, ``levels`` (a list)."""
    data = yaml.safe_load(fragment)
    levels = data.get("levels") or sorted(
        {lv for d in data["dimensions"] for lv in d["levels"]}, key=lambda lv: int(lv[1:])
    )
    return Role.model_validate(
        {
            "id": "example",
            "name": "Example",
            "ladder": "example",
            "levels": {lv: {} for lv in levels},
            "dimensions": data["dimensions"],
        }
    )


def test_every_rule_is_documented_with_its_name():
    documented = sections()
    assert sorted(documented) == [rule.code for rule in RULES]
    for code, (name, examples) in documented.items():
        assert name == BY_CODE[code].name
        assert set(examples) == {"Bad", "Good"}, code


@pytest.mark.parametrize("code", [rule.code for rule in RULES])
def test_bad_example_triggers_and_good_does_not(code):
    _, examples = sections()[code]
    rule = [BY_CODE[code]]
    bad = [f.code for f in lint_role(role_from(examples["Bad"]), chosen=rule)]
    good = [f.finding.message for f in lint_role(role_from(examples["Good"]), chosen=rule)]
    assert bad, f"{code}: the bad example does not trigger it"
    assert not good, f"{code}: the good example triggers it: {good}"


def test_rule_docstrings_have_a_bad_and_a_good_line():
    for rule in RULES:
        doc = rule.check.__doc__ or ""
        assert "Bad:" in doc and "Good:" in doc, rule.code
        assert rule.summary
