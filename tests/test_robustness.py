"""Writes that are never torn, and bad files or failing disks that end in one clear
error (exit 1), never a traceback.

Failures are injected by replacing ``os.write``/``os.fsync``/``os.fchmod``/``os.close``
/``os.replace`` with versions that fail at their k-th call, for every k a successful
write makes: whatever step fails, the target holds exactly the old or the new text
and no temporary file is left beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import string
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sreladder.cli.app import app
from sreladder.core.errors import SreladderError
from sreladder.core.models import Assessment
from sreladder.io import store, yamlio
from sreladder.io.assessments import dump_assessment, read_assessment, save_assessment
from sreladder.io.rubric import builtin_data_dir

STEPS = ("fchmod", "write", "fsync", "close", "replace")
OLD = "old: content\n" * 50
NEW = "new: content that is longer than the old one\n" * 400


class Injector:
    """Counts calls to the file-system steps and fails the k-th one."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_at: int, error: BaseException):
        self.calls: list[str] = []
        self.fail_at = fail_at
        self.error = error
        for name in STEPS:
            monkeypatch.setattr(os, name, self._wrap(name, getattr(os, name)))

    def _wrap(self, name: str, real: Callable) -> Callable:
        def step(*args, **kwargs):
            self.calls.append(name)
            if len(self.calls) == self.fail_at:
                if name == "write" and len(args[1]) > 1:
                    real(args[0], args[1][: len(args[1]) // 2])  # a torn write first
                raise self.error
            if name == "write":  # short writes, as a real disk may do
                return real(args[0], args[1][:4096])
            return real(*args, **kwargs)

        return step


def leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


def count_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    probe = tmp_path / "probe"
    probe.mkdir()
    with monkeypatch.context() as patch:
        injector = Injector(patch, fail_at=0, error=OSError(errno.EIO, "unused"))
        store.write_text_atomic(probe / "f.yaml", NEW)
    assert injector.calls.count("write") > 1  # the short-write loop is exercised
    return len(injector.calls)


def failure_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    # one past the end too: the write completes and then nothing fails
    yield from range(1, count_steps(tmp_path, monkeypatch) + 2)


@pytest.mark.parametrize("had_old_file", [True, False])
@pytest.mark.parametrize(
    "error",
    [OSError(errno.EIO, "Input/output error"), OSError(errno.ENOSPC, "No space left on device")],
    ids=["EIO", "ENOSPC"],
)
def test_atomic_write_fails_at_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, had_old_file: bool
) -> None:
    for k in failure_points(tmp_path, monkeypatch):
        folder = tmp_path / f"k{k}"
        folder.mkdir()
        target = folder / "assessment.yaml"
        if had_old_file:
            target.write_text(OLD)
        with monkeypatch.context() as patch:
            Injector(patch, fail_at=k, error=error)
            try:
                store.write_text_atomic(target, NEW, store.PRIVATE)
                failed = None
            except SreladderError as exc:
                failed = str(exc)
        if failed is None:
            assert target.read_text() == NEW, k
            assert target.stat().st_mode & 0o777 == store.PRIVATE
        else:
            assert str(target) in failed and "\n" not in failed
            if had_old_file:
                assert target.read_text() == OLD, k
                assert "previous file is unchanged" in failed
            else:
                assert not target.exists(), k
                assert "nothing was written" in failed
            if error.errno == errno.ENOSPC:
                assert "no space left" in failed
        assert leftovers(folder, target) == [], k


def test_interrupt_at_every_step_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in range(1, count_steps(tmp_path, monkeypatch) + 1):
        folder = tmp_path / f"k{k}"
        folder.mkdir()
        target = folder / "a.yaml"
        target.write_text(OLD)
        with monkeypatch.context() as patch:
            injector = Injector(patch, fail_at=k, error=KeyboardInterrupt())
            with pytest.raises(KeyboardInterrupt):
                store.write_text_atomic(target, NEW)
        # after the rename only the folder's fsync is left: the new file is in place
        renamed = "replace" in injector.calls[:-1]
        assert target.read_text() == (NEW if renamed else OLD), k
        assert leftovers(folder, target) == [], k


def _assessment(**answers: str) -> Assessment:
    return Assessment.model_validate(
        {
            "sreladder": 1,
            "role": "sre",
            "answers": {key: {"rating": rating} for key, rating in answers.items()},
        }
    )


def test_save_assessment_fails_at_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _assessment(**{"ir-p1-a": "partially"})
    new = _assessment(**{"ir-p1-a": "consistently", "ir-p1-b": "not-yet"})
    for k in failure_points(tmp_path, monkeypatch):
        folder = tmp_path / f"k{k}"
        folder.mkdir()
        target = folder / "dana.yaml"
        save_assessment(target, old)
        with monkeypatch.context() as patch:
            Injector(patch, fail_at=k, error=OSError(errno.EIO, "Input/output error"))
            with contextlib.suppress(SreladderError):
                save_assessment(target, new)
        assert target.read_text() in (dump_assessment(old), dump_assessment(new)), k
        assert read_assessment(target).answers.keys() in (old.answers.keys(), new.answers.keys())
        assert target.stat().st_mode & 0o777 == 0o600
        assert leftovers(folder, target) == [], k


def test_a_write_that_makes_no_progress_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.yaml"
    target.write_text(OLD)
    monkeypatch.setattr(os, "write", lambda fd, data: 0)
    with pytest.raises(SreladderError, match="previous file is unchanged"):
        store.write_text_atomic(target, NEW)
    assert target.read_text() == OLD and leftovers(tmp_path, target) == []


def test_writing_onto_a_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(SreladderError, match="it is a folder"):
        store.write_text_atomic(tmp_path / "out", NEW)
    assert leftovers(tmp_path, tmp_path / "out") == []


# --- through the CLI -------------------------------------------------------------------


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def assert_clean_failure(result, *needles: str) -> str:
    """Exit 1, one ``sreladder: ...`` message on stderr, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    stderr = result.stderr
    assert "Traceback" not in result.output and "internal error" not in stderr
    assert stderr.startswith("sreladder: ")
    for needle in needles:
        assert needle in stderr, stderr
    return stderr


def _writes_ignore_permissions(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_text("x")
    except PermissionError:
        return False
    probe.unlink()
    return True


def test_read_only_folder_real_chmod(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if _writes_ignore_permissions(folder):
            pytest.skip("running as root: chmod 0500 does not stop writes here")
        result = run("schema", "--out", str(folder))
        assert_clean_failure(result, "not writable", str(folder))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_read_only_folder_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """What a read-only folder or file system does to mkstemp, as any user."""

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    out = tmp_path / "schemas"
    out.mkdir()
    result = run("schema", "--out", str(out))
    assert_clean_failure(result, "not writable", str(out / "ladder.schema.json"))
    assert result.stderr.count("\n") == 1


def _valid_assessment_file(tmp_path: Path) -> Path:
    path = tmp_path / "dana.yaml"
    save_assessment(path, _assessment(**{"ir-p1-a": "consistently", "ir-p1-b": "partially"}))
    return path


def test_full_disk_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "schemas"
    out.mkdir()
    old = out / "ladder.schema.json"
    old.write_text("{}\n")

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    result = run("schema", "--out", str(out))
    assert_clean_failure(result, "no space left", str(old), "previous file is unchanged")
    assert old.read_text() == "{}\n"
    assert sorted(p.name for p in out.iterdir()) == ["ladder.schema.json"]


def test_full_disk_on_packet_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _valid_assessment_file(tmp_path)
    packet = tmp_path / "packet.md"
    packet.write_text("old packet\n")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = run("packet", str(source), "--out", str(packet))
    assert_clean_failure(result, "no space left", str(packet))
    assert packet.read_text() == "old packet\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dana.yaml", "packet.md"]


# --- bad assessment files ---------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    valid = _valid_assessment_file(tmp_path).read_bytes()
    rng = random.Random(7)
    contents = {
        "random-bytes": bytes(rng.randrange(256) for _ in range(2000)),
        "nul-bytes": b"\x00" * 64,
        "utf16": "sreladder: 1\n".encode("utf-16"),
        "latin1": "sreladder: 1\nrole: sr\xe9\n".encode("latin-1"),
        "yaml-list": b"- a\n- b\n",
        "scalar": b"just some text\n",
        "empty": b"",
        "other-tool": b"{foo: 1}\n",
        "rubric-as-assessment": (builtin_data_dir() / "roles" / "sre.yaml").read_bytes(),
        "scale-as-assessment": (builtin_data_dir() / "levels" / "ops.yaml").read_bytes(),
        "version-2": valid.replace(b"sreladder: 1", b"sreladder: 2"),
        "bad-rating": valid.replace(b"consistently", b"always"),
        "unknown-role": valid.replace(b"role: sre", b"role: nope"),
        "tabs": b"sreladder: 1\nrole: sre\nanswers:\n\tx: 1\n",
        "alias-bomb": b"a: &a [1]\nb: [*a, *a]\nsreladder: 1\n",
        "deep": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "duplicate-key": b"sreladder: 1\nsreladder: 1\nrole: sre\nanswers: {}\n",
        "two-documents": valid + b"---\n" + valid,
        "huge-int": b"sreladder: " + b"9" * 5000 + b"\n",
        "bad-date": b"sreladder: 1\nrole: sre\ncreated: 0000-00-00\nanswers: {}\n",
    }
    for cut in (1, 10, len(valid) // 3, len(valid) // 2, len(valid) - 3):
        contents[f"truncated-{cut}"] = valid[:cut]
    paths = {}
    for name, data in contents.items():
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(data)
        paths[name] = path
    return paths


def test_bad_assessment_files_score_cleanly(tmp_path: Path) -> None:
    for name, path in _bad_files(tmp_path).items():
        result = run("score", str(path))
        if name.startswith("truncated") and result.exit_code == 0:
            continue  # cut at a line end: still a valid (shorter) assessment
        stderr = assert_clean_failure(result)
        assert str(path.name) in stderr or "unknown role" in stderr, (name, stderr)
        assert "\x00" not in stderr and "\x1b" not in stderr


@pytest.mark.parametrize(
    ("body", "where", "code"),
    [
        ("role: sre\nclaimed:\n  incident-response: P99\nanswers: {}\n", "4:22", "E202"),
        ("role: sre\ntarget: P99\nanswers: {}\n", "3:9", "E302"),
        ("role: SRE\nanswers: {}\n", "2:7", "E301"),
    ],
    ids=["claimed", "target", "role-case"],
)
@pytest.mark.parametrize("command", ["score", "packet", "compare"])
def test_what_validate_refuses_is_not_scored(
    tmp_path: Path, body: str, where: str, code: str, command: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("sreladder: 1\n" + body)
    args = [str(path), str(path)] if command == "compare" else [str(path)]
    assert run("validate", str(path)).exit_code == 1
    stderr = assert_clean_failure(run(command, *args))
    assert f"a.yaml:{where}: {code} " in stderr


@pytest.mark.parametrize(
    ("content", "looks"),
    [
        ((builtin_data_dir() / "roles" / "sre.yaml").read_text(), "looks like a role rubric"),
        ((builtin_data_dir() / "levels" / "ops.yaml").read_text(), "looks like a level scale"),
        ("{foo: 1, bar: [2]}\n", "`sreladder assess` writes one"),
    ],
    ids=["role", "scale", "other-tool"],
)
def test_not_an_assessment_is_one_line(tmp_path: Path, content: str, looks: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(content)
    stderr = assert_clean_failure(run("score", str(path)), "not a sreladder assessment", looks)
    assert stderr.count("\n") == 1 and "x.yaml" in stderr


def test_a_folder_or_a_missing_file_as_an_assessment(tmp_path: Path) -> None:
    assert_clean_failure(run("score", str(tmp_path)), "folder")
    assert_clean_failure(run("score", str(tmp_path / "missing.yaml")), "no such file")


def test_readability_is_decided_by_reading_not_by_a_usage_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreadable file is E001 and exit 1 from our loader, never Typer's exit-2 usage
    error: the file arguments do not ask os.access first (it is also wrong under root)."""
    path = _valid_assessment_file(tmp_path)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    for args in (["score", str(path)], ["validate", str(path)], ["packet", str(path)]):
        result = run(*args)
        assert result.exit_code == 0, result.output


# --- files that change while they are read ----------------------------------------------


def test_file_truncated_between_listing_and_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _valid_assessment_file(tmp_path)
    real = yamlio.read_bytes

    def truncate_first(file: Path, *args, **kwargs) -> bytes:
        Path(file).write_bytes(Path(file).read_bytes()[:25])
        return real(file, *args, **kwargs)

    monkeypatch.setattr(yamlio, "read_bytes", truncate_first)
    assert_clean_failure(run("score", str(path)), path.name)


def test_file_deleted_between_listing_and_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    for name in ("a", "b"):
        save_assessment(folder / f"{name}.yaml", _assessment(**{"ir-p1-a": "consistently"}))
    real = yamlio.read_bytes

    def vanish(file: Path, *args, **kwargs) -> bytes:
        if Path(file).name == "b.yaml":
            Path(file).unlink(missing_ok=True)
        return real(file, *args, **kwargs)

    monkeypatch.setattr(yamlio, "read_bytes", vanish)
    result = run("validate", str(folder))
    assert result.exit_code == 1, result.output
    assert "b.yaml" in result.stdout and "no such file" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize("code", [errno.EIO, errno.ESTALE, errno.EACCES])
def test_read_error_mid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    path = _valid_assessment_file(tmp_path)

    class Failing:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, *args):
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(yamlio, "open", Failing, raising=False)
    assert_clean_failure(run("score", str(path)), path.name)


def test_file_replaced_while_scoring_gives_one_consistent_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is read once: a writer replacing it (atomically) mid-run changes
    nothing for this run."""
    import sreladder.core.scoring as scoring

    path = _valid_assessment_file(tmp_path)
    before = run("score", str(path), "--format", "json").stdout
    real = scoring.score

    def replace_then_score(*args, **kwargs):
        save_assessment(path, _assessment(**{"ir-p1-a": "not-yet"}))
        return real(*args, **kwargs)

    monkeypatch.setattr(scoring, "score", replace_then_score)
    result = run("score", str(path), "--format", "json")
    assert result.exit_code == 0 and result.stdout == before


# --- the loader's fast path builds what the strict constructor builds -------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(string.printable, max_size=12),
    st.sampled_from(["yes", "no", "on", "~", "0x1F", "1_000", "0o17", "1e3", ".inf", "<<", "="]),
)
_data = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(string.ascii_letters + "-<=", max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
_raw_snippets = st.sampled_from(
    [
        "a: 1\na: 2\n",
        "<<: {a: 1}\nb: 2\n",
        "? [1, 2]\n: x\n",
        "? {a: 1}\n: x\n",
        "x: !!binary aGVsbG8=\n",
        "x: !!set {a, b}\n",
        "x: !custom 1\n",
        "x: 0000-00-00\n",
        "x: !!str [1]\n",
        "x: !!int abc\n",
        "1: a\ntrue: b\n",
        "x: R&D\ny: &a 1\n",
        "x: 2026-01-01 10:00:00\n",
        "= : 1\n",
    ]
)


def _strict(text: str):
    """The strict constructor alone (no fast path), as an outcome to compare."""
    try:
        loader = yamlio.StrictLoader(text)
        try:
            return "ok", loader.get_single_data()
        finally:
            loader.dispose()
    except Exception as exc:
        return "error", type(exc).__name__


def _fast(text: str):
    try:
        return "ok", yamlio.load(text)
    except yamlio.YamlError:
        return "error", None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        _data.map(lambda d: yaml.safe_dump(d, default_flow_style=False)),
        _data.map(lambda d: yaml.safe_dump(d, default_flow_style=True)),
        _raw_snippets,
    )
)
def test_fast_path_agrees_with_the_strict_constructor(text: str) -> None:
    expected = _strict(text)
    got = _fast(text)
    assert got[0] == expected[0], (text, expected, got)
    if got[0] == "ok":
        assert got[1] == expected[1] and type(got[1]) is type(expected[1]), text


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["roles"], ["show", "sre"], ["schema"], ["validate"]])
def test_output_to_a_full_device_is_one_line_exit_1(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "sreladder", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert run.returncode == 1
    assert run.stderr == "sreladder: stopped: No space left on device\n"


@pytest.mark.parametrize("command", ["validate", "score", "team"])
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    target = tmp_path if command == "team" else fifo
    run = subprocess.run(
        [sys.executable, "-m", "sreladder", command, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "E001 not a regular file" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


def test_a_read_only_file_is_never_replaced(tmp_path):
    """An atomic write renames over the target, so a read-only file (even as root) was
    silently replaced by a 0600 one."""
    import stat as st

    from sreladder.core.errors import SreladderError
    from sreladder.io.store import write_text_atomic

    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    path.chmod(0o444)
    with pytest.raises(SreladderError, match="read-only"):
        write_text_atomic(path, "new\n")
    assert path.read_text() == "old\n" and st.S_IMODE(path.stat().st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temporary file left
