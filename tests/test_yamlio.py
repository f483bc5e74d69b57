"""Strict YAML loading (``sreladder.io.yamlio``) and ``rubric.load_file`` on hostile input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sreladder.io import rubric, yamlio
from sreladder.io.diagnostics import Diagnostic
from sreladder.io.yamlio import MAX_DEPTH, YamlError

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(params=["c", "python"])
def loader(request, monkeypatch):
    """Run a test with libyaml's loader and with the pure-Python fallback."""
    if request.param == "python":
        monkeypatch.setattr(yamlio, "StrictLoader", yamlio.StrictPythonLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    return request.param


def error_of(text: str) -> YamlError:
    with pytest.raises(YamlError) as info:
        yamlio.load(text)
    return info.value


def test_the_c_loader_is_used_when_available():
    if yaml.__with_libyaml__:
        assert issubclass(yamlio.StrictLoader, yaml.CSafeLoader)
    assert issubclass(yamlio.StrictPythonLoader, yaml.SafeLoader)


def test_plain_documents_load(loader):
    assert yamlio.load("a: 1\nb: [x, {c: no}]\nd: 2026-01-01\n") == {
        "a": 1,
        "b": ["x", {"c": False}],  # YAML 1.1 kept on purpose; the models reject it
        "d": dt.date(2026, 1, 1),
    }
    assert yamlio.load("") is None


def test_duplicate_keys(loader):
    error = error_of("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n")
    assert (error.code, error.line, error.col) == ("E005", 5, 3)
    assert "'c'" in error.message and "first at line 3" in error.message


def test_duplicate_keys_that_compare_equal(loader):
    # 1 and 1.0 and true are the same dict key in Python
    error = error_of("1: a\n1.0: b\n")
    assert (error.code, error.line) == ("E005", 2)


def test_aliases_are_refused_at_the_alias(loader):
    error = error_of("a: &x hello\nb: [1, *x]\n")
    assert (error.code, error.line, error.col) == ("E006", 2, 8)


def test_merge_keys_are_refused(loader):
    error = error_of("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n")
    assert (error.code, error.line, error.col) == ("E006", 3, 7)


def test_billion_laughs_is_refused_fast(loader):
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    assert error_of(text).code == "E006"


def test_an_unused_anchor_is_harmless(loader):
    assert yamlio.load("a: &x 1\n") == {"a": 1}


@pytest.mark.parametrize(
    "text",
    [
        "d: 0000-00-00\n",  # a date PyYAML cannot build
        "n: " + "9" * 5000 + "\n",  # over Python's int-from-string limit
        "d: 2026-02-30\n",
        "? [a, b]\n: 1\n",  # a list as a mapping key
        "!!python/object:os.system x\n",  # unsafe tags are unknown to the safe loader
    ],
)
def test_values_the_constructor_chokes_on(loader, text):
    error = error_of(text)
    assert error.code == "E004"
    assert error.line == 1


def test_syntax_error_position_and_tab_hint(loader):
    error = error_of("a:\n  b: 1\n\tc: 2\n")
    assert (error.code, error.line, error.col) == ("E004", 3, 1)
    assert "tab" in error.message


def test_several_documents(loader):
    error = error_of("a: 1\n---\nb: 2\n")
    assert (error.code, error.line) == ("E008", 2)


@pytest.mark.parametrize("kind", ["flow", "block", "mapping"])
def test_depth_limit_is_exact(loader, kind):
    def nested(depth: int) -> str:
        if kind == "flow":
            return "[" * depth + "]" * depth
        if kind == "mapping":
            return (
                "".join("  " * i + "a:\n" for i in range(depth - 1)) + "  " * (depth - 1) + "a: 1"
            )
        return "- " * depth + "x"

    assert yamlio.load(nested(MAX_DEPTH)) is not None
    error = error_of(nested(MAX_DEPTH + 1))
    assert error.code == "E007"
    assert error.line == (MAX_DEPTH + 1 if kind == "mapping" else 1)


def test_very_deep_flow_does_not_reach_the_composer(loader):
    # 5,000 is below where libyaml's composer crashes (about 50,000), so a regression
    # fails here instead of killing pytest; test_validate runs 100,000 in a subprocess.
    error = error_of("[" * 5_000)  # unclosed as well: the scan stops at the limit
    assert (error.code, error.line, error.col) == ("E007", 1, MAX_DEPTH + 1)


YAML_BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", YAML_BREAKS)
def test_every_yaml_line_break_counts_for_the_depth_limit(loader, brk):
    # "\r" and U+2028 start lines for the parser: a pre-check that splits on "\n" alone
    # let 70 levels through (and a million crashed PyYAML 6.0.2's composer).
    for depth, kind in ((MAX_DEPTH + 6, "block"), (MAX_DEPTH, "mapping")):
        if kind == "block":
            text = f"a: 1{brk}b:{brk}  " + "- " * depth + "x"
            expected = (3, 3 + 2 * (MAX_DEPTH - 1))
        else:
            text = "r:" + "".join(f"{brk}" + "  " * i + "a:" for i in range(1, depth + 1))
            expected = (MAX_DEPTH + 1, 2 * (MAX_DEPTH) + 1)
        error = error_of(text)
        assert (error.code, error.line, error.col) == ("E007", *expected)


@pytest.mark.parametrize("brk", YAML_BREAKS)
def test_error_positions_count_every_line_break(brk):
    with pytest.raises(YamlError) as info:
        yamlio.decode(f"a: 1{brk}b: ".encode() + b"\xe9t")
    assert (info.value.line, info.value.col) == (2, 4)
    with pytest.raises(YamlError) as info:
        yamlio.decode(f"a: 1{brk}{brk}  b".encode() + b"\x00")
    assert (info.value.line, info.value.col) == (3, 4)
    error = error_of(f"a: 1{brk}b:{brk}\tc: 2")
    assert (error.line, "a tab" in error.message) == (3, True)


def test_a_libyaml_that_refuses_deep_flow_itself_still_gives_e007(monkeypatch):
    # Some libyaml builds stop deep flow nesting before any event with an error of their
    # own (PyYAML 6.0.4's: "exceeded maximum nesting depth"): the position must not
    # depend on that build.
    real = yamlio._scan_depth

    def refusing(text, loader):
        if loader is not yamlio.StrictPythonLoader:
            raise yaml.YAMLError("while increasing flow level: exceeded maximum nesting depth")
        return real(text, loader)

    monkeypatch.setattr(yamlio, "_scan_depth", refusing)
    error = error_of("a: " + "[" * 2_000 + "]" * 2_000)
    assert (error.code, error.line, error.col) == ("E007", 1, 4 + MAX_DEPTH - 1)
    assert error_of("a: [b: ]]").code == "E004"  # a real syntax error stays one


def test_decode():
    assert yamlio.decode("\ufeffa: é\n".encode()) == "a: é\n"
    with pytest.raises(YamlError) as info:
        yamlio.decode(b"a: 1\nb: \xe9t\xe9\n")
    assert (info.value.code, info.value.line, info.value.col) == ("E003", 2, 4)
    with pytest.raises(YamlError) as info:
        yamlio.decode(b"a: 1\n  b\x00")
    assert (info.value.code, info.value.line, info.value.col) == ("E003", 2, 4)
    with pytest.raises(YamlError) as info:
        yamlio.decode("a: 1\n".encode("utf-16"))
    assert (info.value.code, info.value.line) == ("E003", 1)
    assert "UTF-16" in info.value.message


def test_read_bytes(tmp_path):
    with pytest.raises(YamlError) as info:
        yamlio.read_bytes(tmp_path)
    assert info.value.code == "E001"
    with pytest.raises(YamlError) as info:
        yamlio.read_bytes(tmp_path / "missing.yaml")
    assert info.value.code == "E001"
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a" * 101)
    assert yamlio.read_bytes(path, max_bytes=101) == b"a" * 101
    with pytest.raises(YamlError) as info:
        yamlio.read_bytes(path, max_bytes=100)
    assert info.value.code == "E002"


def test_locate_and_scalar_text():
    text = "a:\n  - x\n  - {b: no}\n"
    root = yamlio.compose(text)
    assert yamlio.locate(root, ("a", 1, "b")) == yamlio.Position(3, 9)
    assert yamlio.locate(root, ("a", 1, "b"), key=True) == yamlio.Position(3, 6)
    assert yamlio.locate(root, ("a", 1, "missing")) == yamlio.Position(3, 5)
    assert yamlio.scalar_text(root, ("a", 1, "b")) == "no"
    assert yamlio.key_text(yamlio.compose("x:\n  P1: 1\n  no: 2\n"), ("x",), False) == "no"


# --- properties ----------------------------------------------------------------------


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


VOCABULARY = [
    "id", "name", "ladder", "levels", "dimensions", "expectations", "text", "weight",
    "scoring", "threshold", "quorum", "max_lag", "title", "summary", "attributes",
    "sreladder", "role", "answers", "rating", "evidence", "target", "claimed", "P1", "P2",
]  # fmt: skip

# NEL and the Unicode line separators are YAML 1.1 line breaks: PyYAML's dumper folds them
any_text = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x85\u2028\u2029"), max_size=30
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | any_text
    | st.sampled_from(["consistently", "partially", "not-yet", "professional", "sre", "P1"])
)
long_keys = st.text("ab- :[", min_size=129, max_size=140)  # dumped as explicit "? " keys
keys = st.sampled_from(VOCABULARY) | any_text | st.integers(0, 3) | long_keys
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=40,
)


def dump(value, flow: bool | None, indent: int, line_break: str = "\n") -> str:
    return yaml.dump(
        value,
        line_break=line_break,
        Dumper=_NoAliasDumper,
        default_flow_style=flow,
        indent=indent,
        sort_keys=False,
        allow_unicode=True,
        width=60,
    )


def exact_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yamlio.StrictLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return deepest


@FAST
@given(
    documents,
    st.sampled_from([None, False, True]),
    st.integers(2, 6),
    st.sampled_from(["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"]),
)
def test_dumped_documents_load_back(value, flow, indent, line_break):
    text = dump(value, flow, indent, line_break)
    assert yamlio.load(text) == value
    assert exact_depth(text) <= yamlio.depth_bound(text)


@FAST
@given(st.text(alphabet=" -?:[{x\n\r\x85\u2028\u2029", max_size=300), st.integers(0, 70))
def test_over_depth_bound_is_the_bound_compared(text, limit):
    assert yamlio.over_depth_bound(text, limit) == (yamlio.depth_bound(text) > limit)


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_yaml_errors(data):
    try:
        yamlio.load_bytes(data)
    except YamlError as exc:
        assert exc.code in {"E003", "E004", "E005", "E006", "E007", "E008"}
        assert exc.line is None or exc.line >= 1


@FAST
@given(st.text(max_size=500))
def test_random_text_raises_only_yaml_errors(text):
    try:
        value = yamlio.load(text)
    except YamlError:
        return
    assert exact_depth(text) <= MAX_DEPTH or value is None


@FAST
@given(
    st.binary(max_size=2000)
    | documents.map(lambda v: dump(v, None, 2).encode())
    | st.dictionaries(st.sampled_from(VOCABULARY), documents, max_size=6).map(
        lambda v: dump(v, False, 2).encode()
    ),
    st.sampled_from([None, "scale", "role", "assessment"]),
)
def test_load_file_returns_diagnostics_never_raises(tmp_path_factory, data, kind):
    path = tmp_path_factory.mktemp("load") / "file.yaml"
    path.write_bytes(data)
    loaded = rubric.load_file(Path(path), kind)
    assert isinstance(loaded, rubric.LoadedFile)
    assert all(isinstance(d, Diagnostic) for d in loaded.diagnostics)
    if loaded.model is None:
        assert any(d.severity == "error" for d in loaded.diagnostics)
    for d in loaded.diagnostics:
        assert d.line is None or d.line >= 1
        assert "\n" not in d.message and "\x1b" not in d.message


# The loader builds alias-free files on a fast path; it must agree with the strict
# constructor (plain yaml.load with StrictLoader) on every document.
SNIPPETS = [
    "a: 1", "a: 2", "b: x", "1: one", "1.0: float", "true: yes", "'1': text", "<<: {m: 1}",
    "d: 2026-01-01", "d: 0000-00-00", "t: 2026-11-22T10:00:00Z", "s: !!str 5", "i: !!int '7'",
    "x: !!binary aGk=", "y: !!set {p, q}", "z: !!omap [{o: 1}]", "? [k]\n  : 1", "n: ~",
    "f: .nan", "f: -.inf", "h: 0x1F", "o: 0o17", "u: 1_000", "g: 190:20:30", "e: =",
    "q: [no, off, on, yes, y, n]", "w: {a: 1, a: 1}", "v: !custom x", "r: &r 1",
    "big: " + "9" * 5000, "c: 'it''s'", "k: |\n    block\n    text",
]  # fmt: skip


def _outcome(load, text):
    try:
        return "ok", repr(load(text))
    except YamlError as exc:
        return "error", exc.code
    except yaml.YAMLError:
        return "error", None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=6), st.booleans())
def test_fast_path_agrees_with_the_strict_constructor(lines, nested):
    body = "\n".join(lines)
    if nested:
        body = "top:\n" + "\n".join("  " + ln for ln in body.splitlines())
    fast = _outcome(yamlio.load, body)
    strict = _outcome(lambda t: yaml.load(t, Loader=yamlio.StrictLoader), body)
    assert fast[0] == strict[0], (body, fast, strict)
    if fast[0] == "ok":
        assert fast == strict


@pytest.mark.parametrize("char", ["\x1b", "\x01", "\x7f", "\ufffe", "\x9b"])
@pytest.mark.parametrize("brk", ["\n", "\r", "\u2028"])
def test_a_raw_control_character_is_reported_where_it_stands(loader, char, brk):
    error = error_of(f"é: 1{brk}b: ü{brk}# ab{char}x{brk}")
    assert (error.code, error.line, error.col) == ("E004", 3, 5)
    assert f"#x{ord(char):04x}" in error.message


def test_locating_findings_in_a_huge_mapping_indexes_it_once():
    """Each lookup scanned the mapping's keys: 20,000 findings in a 20,000-key file took
    84 s. The keys are indexed once per mapping node (benchmarks measure the speed)."""
    text = "a:\n" + "".join(f"  k{i}: {i}\n" for i in range(20_000)) + "  k5: again\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # composes, duplicate and all
    positions = [yamlio.locate(root, ("a", f"k{i}")) for i in range(20_000)]
    assert positions[0] == yamlio.Position(2, 7) and positions[-1] == yamlio.Position(20_001, 11)
    assert yamlio.locate(root, ("a", "k5"), key=True) == yamlio.Position(7, 3)  # the first
    mapping = root.value[0][1]
    assert len(mapping.__dict__["_sreladder_keys"]) == 20_000
