"""README.md and docs/ say what the code does.

* Every generated block (a table or figure a command or a benchmark produces) is what
  its generator in ``benchmarks/docs_figures.py`` gives today; timings are checked
  against the stored results files, which must exist.
* No link or repository path in the Markdown points at a file that is not there, and
  no text in the repository sends a reader to a design document or a folder outside it.
* Every command ``sreladder --help`` lists has a section in docs/commands.md naming all
  of its options, and a section names no option that no command has.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_figures():
    spec = importlib.util.spec_from_file_location(
        "docs_figures", REPO / "benchmarks" / "docs_figures.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["docs_figures"] = module
    spec.loader.exec_module(module)
    return module


figures = _load_figures()
FIX = "run `python benchmarks/docs_figures.py` to regenerate it"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


# --- generated blocks -------------------------------------------------------------------

BLOCKS = [
    (path, index, name)
    for path in figures.documents()
    for index, (name, _) in enumerate(figures.blocks(_read(path)))
]


@pytest.fixture(scope="module")
def made():
    return figures.cached_generators()


@pytest.mark.parametrize(
    ("path", "index", "name"), BLOCKS, ids=[f"{_rel(p)}:{n}" for p, _, n in BLOCKS]
)
def test_generated_block_is_what_its_source_gives(path, index, name, made):
    assert name in figures.GENERATORS, f"{_rel(path)}: no generator named {name!r}"
    body = figures.blocks(_read(path))[index][1]
    expected = made(name).rstrip("\n") + "\n"
    if body != expected:
        lines = figures.difflib.unified_diff(
            body.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            f"{_rel(path)} [{name}]",
            f"{figures.GENERATORS[name].source}",
        )
        pytest.fail(f"{_rel(path)}: block {name!r} is stale; {FIX}\n" + "".join(lines))


def test_every_marker_opens_or_closes_a_block():
    for path in figures.documents():
        text = _read(path)
        found = len(figures.blocks(text))
        opening = re.findall(r"^<!-- generated:", text, re.M)
        closing = re.findall(r"^<!-- /generated -->", text, re.M)
        assert len(opening) == found, f"{_rel(path)}: a malformed opening marker"
        assert len(closing) == found, f"{_rel(path)}: a stray closing marker"


def test_every_generator_has_a_block():
    used = {name for _, _, name in BLOCKS}
    assert set(figures.GENERATORS) <= used, set(figures.GENERATORS) - used


def test_measured_figures_have_their_results_files():
    """Timings come from files the benchmarks write; they cannot be measured here."""
    import record  # benchmarks/record.py, on the path through docs_figures

    for name, generator in figures.GENERATORS.items():
        if generator.results is None:
            continue
        data = record.load(generator.results)
        assert data["measured"] and data["machine"]["python"] and data["command"], name
        assert data.get("rows") or data.get("results"), f"{name}: no figures in the results file"


def test_check_mode_reports_a_stale_block(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text(
        "Intro.\n\n<!-- generated: validate-codes -->\nold\n<!-- /generated -->\n\nEnd.\n"
    )
    monkeypatch.setattr(figures, "documents", lambda: [page])
    monkeypatch.setattr(figures, "REPO", tmp_path)
    assert figures.main(["--check"]) == 1
    assert "old" in page.read_text()
    assert figures.main([]) == 0
    text = page.read_text()
    assert text.startswith("Intro.\n\n<!-- generated: validate-codes -->\n| code |")
    assert text.endswith("<!-- /generated -->\n\nEnd.\n")
    assert figures.main(["--check"]) == 0


# --- links and paths --------------------------------------------------------------------

# Pages other branches are writing: a link to one is fine while it does not exist yet.
PENDING_PAGES = {"docs/impact.md", "docs/site.md"}

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M)
# a repository path in inline code; in a fenced block only the roots that cannot be the
# reader's own files (an import example names the reader's data/ folder)
INLINE_PATH = re.compile(
    r"(?<![\w./~-])((?:src|tests|benchmarks|docs|data|schemas|\.ci)/[^\s`'\"(),;|\]]*)"
)
FENCED_PATH = re.compile(r"(?<![\w./~-])((?:src|tests|benchmarks|\.ci)/[^\s`'\"(),;|\]]*)")
MODULE_PATH = re.compile(r"(?<![\w./-])((?:core|io|present|tty|cli)/[\w/]+\.py)\b")
DOTTED = re.compile(r"(?<![\w./-])(sreladder(?:\.[a-z_]\w*)+)")


def markdown_files() -> list[Path]:
    return [*figures.documents(), REPO / "benchmarks" / "README.md"]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"`|\*\*|__|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING.findall(FENCE.sub("", text)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


def path_exists(path: str, root: Path = REPO) -> bool:
    path = path.rstrip(".:")
    if "<" in path or "{" in path:  # a placeholder: its folder must exist
        path = re.split(r"[<{]", path, maxsplit=1)[0].rsplit("/", 1)[0]
    if any(c in path for c in "*?["):
        return any(root.glob(path))
    return (root / path).exists()


def module_file(parts: list[str]) -> Path | None:
    base = REPO / "src" / Path(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_exists(dotted: str) -> bool:
    """``sreladder.a.b`` (a module) or ``sreladder.a.b.NAME`` (a name that module defines)."""
    parts = dotted.split(".")
    if module_file(parts):
        return True
    source = module_file(parts[:-1])
    name = re.escape(parts[-1])
    defined = rf"^(?:(?:async\s+)?def|class)\s+{name}\b|^{name}\s*[:=]|\bimport\b.*\b{name}\b"
    return source is not None and re.search(defined, _read(source), re.M) is not None


def problems(path: Path, text: str | None = None) -> list[str]:
    """What in ``path`` (or ``text``, read as if it were there) points at nothing."""
    text = _read(path) if text is None else text
    fences = [m.group(0) for m in FENCE.finditer(text)]
    prose = FENCE.sub("", text)
    spans = [m.group(2) for m in CODE_SPAN.finditer(prose)]
    bare = CODE_SPAN.sub("", prose)
    found = []
    for target in LINK.findall(bare):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        if not file:
            if anchor not in anchors(text):
                found.append(f"link to a missing heading: {target}")
            continue
        linked = (path.parent / file).resolve()
        rel = linked.relative_to(REPO).as_posix() if linked.is_relative_to(REPO) else str(linked)
        if not linked.exists():
            if rel not in PENDING_PAGES:
                found.append(f"link to a missing file: {target}")
            continue
        if anchor and linked.suffix == ".md" and anchor not in anchors(_read(linked)):
            found.append(f"link to a missing heading: {target}")
    for span in spans:
        for repo_path in INLINE_PATH.findall(span):
            if not path_exists(repo_path):
                found.append(f"names a missing path: {repo_path}")
        for module in MODULE_PATH.findall(span):
            if not path_exists(module, REPO / "src" / "sreladder"):
                found.append(f"names a missing module: {module}")
    for code in (*spans, *fences, bare):
        for dotted in DOTTED.findall(code):
            if not module_exists(dotted.rstrip(".")):
                found.append(f"names a missing module: {dotted}")
    for block in fences:
        for repo_path in FENCED_PATH.findall(block):
            if not path_exists(repo_path):
                found.append(f"names a missing path: {repo_path}")
    return found


@pytest.mark.parametrize("path", markdown_files(), ids=_rel)
def test_links_and_paths_point_at_files_that_exist(path):
    assert problems(path) == []


def test_the_link_checker_finds_what_is_missing():
    text = (
        "[ok](scoring.md) [gone](nothing.md) [bad](#nowhere) [out](https://example.invalid/x)\n"
        "`src/sreladder/scoring.py` `core/nothing.py` `sreladder.nothing` `data/roles/*.yaml`\n"
        "```sh\npython benchmarks/gone.py\nsreladder import data/job-families/x.yml\n```\n"
    )
    assert problems(REPO / "docs" / "probe.md", text) == [
        "link to a missing file: nothing.md",
        "link to a missing heading: #nowhere",
        "names a missing path: src/sreladder/scoring.py",
        "names a missing module: core/nothing.py",
        "names a missing module: sreladder.nothing",
        "names a missing path: benchmarks/gone.py",
    ]


# --- nothing points outside the repository -------------------------------------------

OUTSIDE = re.compile(r"DESIGN[.]md|[.][.]/shared\b|\bparents?(?:\[\d+\])?\s*/\s*[\"']shared[\"']")
SKIPPED_DIRS = {".git", "__pycache__", ".hypothesis", "build", "dist", ".venv", "venv"}
# Files other branches are editing now; listed in the docs branch's report, fixed there.


def repository_files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
        ).stdout.decode()
        return [p for p in listed.split("\0") if p and (REPO / p).is_file()]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an sdist)
        return [
            p.relative_to(REPO).as_posix()
            for p in REPO.rglob("*")
            if p.is_file()
            and not any(
                part in SKIPPED_DIRS or part.startswith((".ci-venv", ".venv"))
                for part in p.relative_to(REPO).parts
            )
        ]


def mentions_outside(files: list[str]) -> list[str]:
    found = []
    for name in files:
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_nothing_points_at_a_design_document_or_a_folder_outside_the_repository():
    assert mentions_outside(repository_files()) == []


# --- every command and option is in docs/commands.md ---------------------------------

COMMANDS_DOC = REPO / "docs" / "commands.md"


def command_sections() -> dict[str, str]:
    """``## `sreladder NAME` `` sections of docs/commands.md: name -> its text (the
    synopsis in its code block included)."""
    parts = re.split(r"^## `sreladder (\S+)`[^\n]*$", _read(COMMANDS_DOC), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def cli_group():
    """The click group behind the ``sreladder`` console script pyproject.toml names."""
    import typer

    project = tomllib.loads(_read(REPO / "pyproject.toml"))
    module, _, attribute = project["project"]["scripts"]["sreladder"].partition(":")
    app = getattr(importlib.import_module(module), attribute)
    return typer.main.get_command(app)


def long_options(command) -> set[str]:
    return {
        option
        for param in command.params
        for option in (*param.opts, *param.secondary_opts)
        if option.startswith("--") and option != "--help"
    }


@pytest.fixture(scope="module")
def commands() -> dict[str, set[str]]:
    """Every command ``sreladder --help`` lists, with its long options."""
    import click

    group = cli_group()
    context = click.Context(group, info_name="sreladder")
    return {
        name: long_options(group.get_command(context, name)) for name in figures.live_commands()
    }


def test_every_command_has_a_section_in_docs_commands(commands):
    sections = command_sections()
    missing = [name for name in commands if name not in sections]
    assert not missing, f"docs/commands.md has no '## `sreladder NAME`' section for {missing}"
    gone = [name for name in sections if name not in commands]
    assert not gone, f"docs/commands.md documents commands sreladder does not have: {gone}"


def test_every_option_is_named_in_its_command_section(commands):
    sections = command_sections()
    for name, options in commands.items():
        named = set(re.findall(r"--[a-z][a-z0-9-]*", sections.get(name, "")))
        assert options <= named, f"{name}: not in docs/commands.md: {sorted(options - named)}"


def sreladder_options(text: str) -> set[str]:
    """The long options ``text`` gives sreladder: in code that is an option (`--strict`)
    or a sreladder command line; another tool's command line (`check-jsonschema
    --schemafile ...`) is not sreladder's."""
    found = set()
    pieces = [m.group(2) for m in CODE_SPAN.finditer(FENCE.sub("", text))]
    for fence in re.finditer(FENCE, text):
        pieces += fence.group(0).splitlines()[1:-1]
    for piece in pieces:
        words = piece.split()
        if words and (words[0].lstrip("[").startswith("--") or words[0] == "sreladder"):
            found |= set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", piece))
    return found


def test_options_are_read_from_sreladder_command_lines_only():
    text = (
        "`--strict` and `sreladder score F --bogus`, not `gh pr list --json`.\n"
        "```text\nsreladder x [--one]\n          [--two N]\ncheck-jsonschema --schemafile\n```\n"
    )
    assert sreladder_options(text) == {"--strict", "--bogus", "--one", "--two"}


def test_no_section_names_an_option_that_does_not_exist(commands):
    known = set().union(*commands.values()) | {"--help", "--version"}
    for name, text in command_sections().items():
        named = sreladder_options(text)
        assert named <= known, f"{name}: options no command has: {sorted(named - known)}"
