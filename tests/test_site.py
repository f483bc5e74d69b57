"""`sreladder site`: the ladder as a static website.

Built for the shipped ladders once per module; every link checked, every expectation
found, nothing from another host, hostile rubric text shown as text, the output
folder guarded, a company's templates sandboxed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core import browse
from sreladder.core.site import plan, slugs
from sreladder.io.rubric import builtin_data_dir, load_rubric
from sreladder.io.site_writer import MARKER
from sreladder.present import template_sandbox

runner = CliRunner()


class Page(HTMLParser):
    """What a test needs of a page: its links, ids, elements, attributes and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(found["id"])  # type: ignore[arg-type]
        for name in ("href", "src", "action", "poster", "data"):
            if found.get(name) is not None:
                self.links.append((tag, name, found[name]))  # type: ignore[arg-type]

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def build(out: Path, *args: str) -> Any:
    return runner.invoke(app, ["site", "--out", str(out), *args])


def built(out: Path, *args: str) -> dict[str, str]:
    result = build(out, *args)
    assert result.exit_code == 0, result.output
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("site") / "public"
    return out, built(out)


def collapse(text: str) -> str:
    return " ".join(text.split())


# --- the shipped ladders ------------------------------------------------------------------


def test_the_pages_of_the_shipped_ladders(site: tuple[Path, dict[str, str]]) -> None:
    out, pages = site
    rubric = load_rubric()
    expected = {"index.html"} | {f"scales/{s}.html" for s in rubric.scales}
    for role in rubric.roles.values():
        expected.add(f"roles/{role.id}.html")
        expected |= {f"roles/{role.id}/{lv.lower()}.html" for lv in role.level_ids}
    assert set(pages) == expected
    assert (out / "style.css").is_file() and (out / "print.css").is_file()
    for path in out.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_every_internal_link_resolves_to_a_written_file_and_anchor(
    site: tuple[Path, dict[str, str]],
) -> None:
    out, pages = site
    parsed = {name: Page(text) for name, text in pages.items()}
    checked = 0
    for name, page in parsed.items():
        for _tag, _attribute, value in page.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
                continue  # another scheme: the next test
            assert not value.startswith("/"), (name, value)  # relative only
            target, _, anchor = value.partition("#")
            resolved = (out / name).parent / target if target else out / name
            resolved = Path(os.path.normpath(resolved))
            assert resolved.is_file(), (name, value)
            assert resolved.is_relative_to(out), (name, value)
            if anchor:
                key = resolved.relative_to(out).as_posix()
                assert anchor in parsed[key].ids, (name, value)
            checked += 1
    assert checked > 500


def test_nothing_is_loaded_from_another_host_and_no_script(
    site: tuple[Path, dict[str, str]],
) -> None:
    _, pages = site
    for name, text in pages.items():
        page = Page(text)
        for tag, _attribute, value in page.links:
            assert not re.match(r"^\s*(https?:)?//", value, re.IGNORECASE), (name, tag, value)
        assert all(tag != "script" for tag, _ in page.tags), name
        assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs), name
    out, _ = site
    for sheet in ("style.css", "print.css"):
        css = (out / sheet).read_text(encoding="utf-8")
        assert "url(" not in css and "@import" not in css


def test_every_expectation_text_appears_on_some_page(site: tuple[Path, dict[str, str]]) -> None:
    _, pages = site
    texts = [Page(text).text for text in pages.values()]
    everything = "\n".join(texts)
    missing = []
    for role in load_rubric().roles.values():
        for _, _, expectation in role.expectations():
            if collapse(expectation.text) not in everything:
                missing.append((role.id, expectation.id))
            for example in expectation.examples:
                assert collapse(example) in everything, (role.id, expectation.id)
    assert missing == []


def test_a_level_page_lists_what_diff_says_the_level_adds(
    site: tuple[Path, dict[str, str]],
) -> None:
    _, pages = site
    role = load_rubric().roles["sre"]
    for below, level in zip(role.level_ids, role.level_ids[1:], strict=False):
        text = Page(pages[f"roles/sre/{level.lower()}.html"]).text
        result = browse.diff(role, below, level)
        assert f"What {level} adds to {below}: {result.count} new expectation" in text
        for changed in result.changed:
            for _, cell in changed.cells:
                for expectation in cell.expectations:
                    assert collapse(expectation.text) in text
        for same in result.unchanged:
            assert collapse(same.dimension.name) in text
    first = Page(pages["roles/sre/p1.html"]).text
    assert "P1 is the first level" in first


def test_the_scale_page_shows_each_levels_attributes(site: tuple[Path, dict[str, str]]) -> None:
    _, pages = site
    scale = load_rubric().scales["professional"]
    text = Page(pages["scales/professional.html"]).text
    for level in scale.levels:
        if level.attributes is not None and level.attributes.scope:
            assert collapse(level.attributes.scope) in text
        for source in [level.source] if isinstance(level.source, str) else level.source or []:
            assert source in text


def test_provenance_is_shown_where_the_rubric_has_it(site: tuple[Path, dict[str, str]]) -> None:
    _, pages = site
    text = Page(pages["roles/sre.html"]).text
    assert "Source: 000_a8e650f416a218b3.txt" in text


def test_page_contexts_are_plain_data_with_no_key_a_dict_method_hides() -> None:
    """A template reads ``x.items`` as the dict's method, not its key: no context may
    have such a key, and nothing but plain data may reach a company's template."""
    hidden = set(dir({}))

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str) and key not in hidden, f"{where}.{key}"
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")
        else:
            assert value is None or isinstance(value, str | int | float | bool), where

    for page in plan(load_rubric()):
        walk(page.context, page.path)


def test_file_names_are_safe_on_any_file_system() -> None:
    assert slugs(["P1", "p1", "aux", "x.", "Com1.txt"]) == {
        "P1": "p1",
        "p1": "p1-2",
        "aux": "aux_",
        "x.": "x._",
        "Com1.txt": "com1.txt_",
    }


# --- hostile rubric text --------------------------------------------------------------------

HOSTILE = {
    "name": "<script>alert('name')</script>SRE",
    "description": '</p><img src=x onerror="alert(1)">\nsecond line {{ 7*7 }}',
    "text": "<b>bold</b> & <a href='javascript:alert(2)'>click</a> \x1b[31mred\u202e",
    "summary": "{% raw %}x{% endraw %} <style>body{display:none}</style>",
    "example": '"><svg onload=alert(3)>',
    "source": "javascript:alert(4)",
    "url": 'https://example.invalid/ladder?q="><script>alert(5)</script>',
    "dimension": "<iframe src=//evil.invalid></iframe>",
    "level_title": "<marquee>P3</marquee>",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(builtin_data_dir(), data)
    path = data / "roles" / "sre.yaml"
    role = yaml.safe_load(path.read_text(encoding="utf-8"))
    role["name"] = HOSTILE["name"]
    role["description"] = HOSTILE["description"]
    role["levels"]["P3"] = {"title": HOSTILE["level_title"]}
    first = role["dimensions"][0]
    first["name"] = HOSTILE["dimension"]
    cell = first["levels"]["P3"]
    cell["summary"] = HOSTILE["summary"]
    cell["expectations"][0].update(
        text=HOSTILE["text"],
        examples=[HOSTILE["example"]],
        source=[HOSTILE["source"], HOSTILE["url"]],
    )
    path.write_text(yaml.safe_dump(role, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = root / "public"
    return out, built(out, "--data", str(data))


def test_hostile_rubric_text_is_shown_as_text(hostile: tuple[Path, dict[str, str]]) -> None:
    _, pages = hostile
    role_page = Page(pages["roles/sre.html"])
    level_page = Page(pages["roles/sre/p3.html"])
    for page in (role_page, level_page):
        for key in ("name", "summary", "example", "dimension"):
            assert collapse(HOSTILE[key]) in page.text, key
    assert "second line {{ 7*7 }}" in role_page.text  # data, never a template
    assert "<b>bold</b> & <a href='javascript:alert(2)'>click</a> \\x1b[31mred\\u202e" in (
        level_page.text
    )
    assert HOSTILE["level_title"] in level_page.text
    for name, text in pages.items():
        page = Page(text)
        tags = {tag for tag, _ in page.tags}
        assert tags.isdisjoint({"script", "img", "svg", "iframe", "marquee", "style", "b"}), name
        assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs), name
        assert "\x1b" not in text and "\u202e" not in text
        for _, _attribute, value in page.links:
            assert not value.lower().startswith("javascript:"), (name, value)


def test_links_to_another_host_come_only_from_the_rubric(
    hostile: tuple[Path, dict[str, str]],
) -> None:
    _, pages = hostile
    external = [
        (name, value)
        for name, text in pages.items()
        for _, _, value in Page(text).links
        if re.match(r"^\s*(https?:)?//", value, re.IGNORECASE)
    ]
    assert external  # the source URL is a link
    assert {value for _, value in external} == {HOSTILE["url"]}
    # and the javascript: source is text
    assert "javascript:alert(4)" in Page(pages["roles/sre.html"]).text


# --- the output folder ----------------------------------------------------------------------


def test_a_non_empty_folder_that_is_no_site_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "home"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = build(out)
    assert result.exit_code == 1
    assert "not empty" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert build(out, "--force").exit_code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "index.html").is_file()
    assert build(out).exit_code == 0  # now it is a previous output


def test_a_file_as_out_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file.html"
    target.write_text("x", encoding="utf-8")
    result = build(target)
    assert result.exit_code == 1 and "not a folder" in result.stderr


def test_rebuilding_removes_pages_that_are_gone_and_nothing_else(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(builtin_data_dir(), data)
    out = tmp_path / "public"
    first = built(out, "--data", str(data))
    assert "roles/production-engineer.html" in first
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    (data / "roles" / "production-engineer.yaml").unlink()
    second = built(out, "--data", str(data))
    assert "roles/production-engineer.html" not in second
    assert not (out / "roles" / "production-engineer").exists()
    assert (out / "keep.txt").is_file()
    listed = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    assert "index.html" in listed and "roles/production-engineer.html" not in listed


def test_a_marker_edited_to_point_outside_deletes_nothing_outside(tmp_path: Path) -> None:
    out = tmp_path / "public"
    built(out)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    marker["files"] += ["../victim.txt", "/etc/hostname"]
    (out / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    assert build(out).exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep"


def test_a_broken_ladder_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(builtin_data_dir(), data)
    role = data / "roles" / "sre.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("weight: 2", "weight: -2", 1))
    result = build(tmp_path / "public", "--data", str(data))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert re.fullmatch(r".*sre\.yaml:\d+:\d+: E104 weight: .* \(--data\)", line), line
    assert not (tmp_path / "public").exists()


# --- a company's templates -------------------------------------------------------------------


def test_a_company_template_replaces_the_shipped_one_and_may_extend_it(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "base.html.j2").write_text(
        '{% extends "shipped/base.html.j2" %}{% block footer %}<p>ACME Inc.</p>{% endblock %}',
        encoding="utf-8",
    )
    (mine / "index.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block main %}<h1>ACME ladders</h1>'
        '{% for role in roles %}<a href="{{ role.href }}">{{ role.name }}</a>{% endfor %}'
        "{% endblock %}",
        encoding="utf-8",
    )
    (mine / "style.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    out = tmp_path / "public"
    pages = built(out, "--templates", str(mine))
    assert "<h1>ACME ladders</h1>" in pages["index.html"]
    assert "<p>ACME Inc.</p>" in pages["roles/sre.html"]  # the shipped role page, our base
    assert "Made by sreladder" not in pages["roles/sre.html"]
    assert (out / "style.css").read_text(encoding="utf-8") == "body { color: #123456; }\n"
    assert "@page" in (out / "print.css").read_text(encoding="utf-8")  # not replaced


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "template refused"),
        ('{% include "../../etc/passwd.html.j2" %}', "template refused"),
        ("{{ 'x' * 10**9 }}", "template refused: it ran out of memory"),
        ("{% for %}", "template syntax error"),
        ("{{ nothing.here }}", "template error"),
        # the worker's limits, not a prediction: an alarm `is sequence` swallows, and
        # 2,000 kept slices of a 1 MB text
        (
            "{% for i in range(99999) %}{% for x in range(99999)|select('in', [0]) %}"
            "{% if loop is sequence %}{% endif %}{% endfor %}{% endfor %}",
            "template refused: it used more than 1 s of CPU",
        ),
        (
            "{% set big = 'x' * 1000000 %}{% set kept = [] %}{% for i in range(2000) %}"
            "{% set _ = kept.append(big[i:]) %}{% endfor %}{{ kept|length }}",
            "template refused: it ran out of memory",
        ),
    ],
)
def test_a_hostile_or_broken_company_template_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, message: str
) -> None:
    # a company's templates run in a worker process; lower limits than the defaults (1 GiB,
    # 10 s of CPU) so each hostile one is stopped in about a second
    limits = template_sandbox.Limits(memory_bytes=256 << 20, cpu_seconds=1, wall_seconds=15)
    monkeypatch.setattr(template_sandbox, "LIMITS", limits)
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "index.html.j2").write_text(source, encoding="utf-8")
    result = build(tmp_path / "public", "--templates", str(mine))
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "public").exists()  # nothing written before every page rendered


def test_a_missing_templates_folder_is_one_line(tmp_path: Path) -> None:
    result = build(tmp_path / "public", "--templates", str(tmp_path / "nope"))
    assert result.exit_code == 1 and "no such folder (--templates)" in result.stderr
