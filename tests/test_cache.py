"""The cache of checked files (sreladder.io.cache): a second read of the same bytes
gives exactly what the first one did, without parsing or validating again; anything
wrong with the cache only makes it a miss."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import hostile_corpus
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sreladder.io import cache
from sreladder.io.rubric import builtin_data_dir, load_file

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def not_on_a_ci_runner(monkeypatch):
    """These tests write entries; under CI=true (as .ci/run sets it) nothing is written."""
    monkeypatch.delenv("CI", raising=False)


DANA = REPO / "tests" / "fixtures" / "packet" / "dana-self.yaml"
PACKET_DATA = REPO / "tests" / "fixtures" / "packet" / "data"

# Runs the CLI and then reports on stderr how many rubric models (ladders, scales,
# lexicons) Pydantic validated, read from data (model_validate, as the loader does) or
# built in code (as a merged lexicon is): none when every rubric file came from the
# cache. An assessment is read and validated every time: it is never cached.
RUN = """
import atexit, sys
from pydantic import BaseModel
PERSONAL = {"Assessment", "Answer", "Evidence", "Person", "Assessor", "AnswerMap"}
validated = []
def counted(method):
    def wrapper(*args, **kwargs):
        model = args[0] if isinstance(args[0], type) else type(args[0])
        if model.__name__ not in PERSONAL:
            validated.append(model)
        return method(*args, **kwargs)
    return wrapper
BaseModel.__init__ = counted(BaseModel.__init__)
BaseModel.model_validate = classmethod(counted(BaseModel.model_validate.__func__))
atexit.register(lambda: print(f"\\nVALIDATORS {len(validated)}", file=sys.stderr))
from sreladder.cli.app import app
sys.argv = ["sreladder", *sys.argv[1:]]
app()
"""


def run(args: list[str], folder: Path | None, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SRELADDER_") and k != "CI"}
    environ["SRELADDER_CACHE_DIR"] = str(folder) if folder else ""
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=REPO,
        timeout=120,
    )


def validators(done: subprocess.CompletedProcess) -> int:
    return int(done.stderr.rsplit("VALIDATORS ", 1)[1])


def without_count(done: subprocess.CompletedProcess) -> tuple[int, str, str]:
    return done.returncode, done.stdout, done.stderr.rsplit("\nVALIDATORS", 1)[0]


def entries(folder: Path) -> list[Path]:
    where = folder / cache.LAYOUT
    return sorted(where.glob("*" + cache.SUFFIX)) if where.is_dir() else []


COMMANDS = [
    ["score", str(DANA)],
    ["score", str(DANA), "--format", "json"],
    ["show", "sre"],
    ["validate"],
    ["validate", "--format", "json", str(PACKET_DATA)],
    ["packet", str(DANA), "--data", str(PACKET_DATA), "--format", "md"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_second_run_prints_the_same_without_validating_anything(tmp_path, args):
    first = run(args, tmp_path)
    assert validators(first) > 0 and entries(tmp_path), first.stderr
    second = run(args, tmp_path)
    assert without_count(second) == without_count(first)
    assert validators(second) == 0


def test_no_cache_writes_nothing_and_prints_the_same(tmp_path):
    cached = run(["score", str(DANA)], tmp_path / "c")
    off = run(["score", str(DANA)], tmp_path / "off", SRELADDER_NO_CACHE="1")
    assert without_count(off) == without_count(cached)
    assert not (tmp_path / "off").exists()


def copy_rubric(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(builtin_data_dir(), data, ignore=shutil.ignore_patterns("lexicon*"))
    return data


def test_an_edited_file_is_checked_again(tmp_path):
    data = copy_rubric(tmp_path)
    folder = tmp_path / "cache"
    assert run(["validate", str(data)], folder).returncode == 0
    role = data / "roles" / "sre.yaml"
    role.write_text(role.read_text().replace("weight: 2", "weight: -2", 1))
    done = run(["validate", str(data)], folder)
    assert done.returncode == 1 and "sre.yaml:" in done.stdout and "E104" in done.stdout


def test_a_file_with_errors_is_never_cached(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sreladder: 1\nrole: sre\nanswers: {x-1: maybe}\n")
    first = run(["validate", str(bad)], tmp_path / "c")
    assert first.returncode == 1 and not entries(tmp_path / "c")


def test_torn_or_foreign_entries_are_misses_and_are_replaced(tmp_path):
    first = run(["score", str(DANA), "--format", "json"], tmp_path)
    for entry in entries(tmp_path):
        entry.write_bytes(b"\x80\x05junk")  # a pickle header, then nothing
    again = run(["score", str(DANA), "--format", "json"], tmp_path)
    assert without_count(again) == without_count(first) and validators(again) > 0
    third = run(["score", str(DANA), "--format", "json"], tmp_path)
    assert validators(third) == 0


def test_a_folder_others_can_write_to_is_not_used(tmp_path):
    folder = tmp_path / "shared"
    (folder / cache.LAYOUT).mkdir(parents=True)
    (folder / cache.LAYOUT).chmod(0o777)
    first = run(["score", str(DANA)], folder)
    assert first.returncode == 0 and not entries(folder)
    assert validators(run(["score", str(DANA)], folder)) > 0


def test_an_entry_others_can_write_to_is_not_read(tmp_path):
    run(["score", str(DANA)], tmp_path)
    for entry in entries(tmp_path):
        entry.chmod(0o666)
    assert validators(run(["score", str(DANA)], tmp_path)) > 0


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs root")
def test_a_folder_owned_by_someone_else_is_not_used(tmp_path):
    folder = tmp_path / "theirs"
    (folder / cache.LAYOUT).mkdir(parents=True, mode=0o700)
    os.chown(folder / cache.LAYOUT, 4242, 4242)
    run(["score", str(DANA)], folder)
    assert not entries(folder)


def test_a_cache_that_cannot_be_made_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = run(["score", str(DANA)], blocker)
    assert done.returncode == 0 and "Recommended" in done.stdout and "Traceback" not in done.stderr


def test_other_code_reads_none_of_the_entries(monkeypatch):
    before = cache.key(b"id: x", "role", "x.yaml")
    monkeypatch.setattr("sreladder.__version__", "999")
    cache._fingerprint.cache_clear()
    try:
        assert cache.key(b"id: x", "role", "x.yaml") != before
    finally:
        monkeypatch.undo()
        cache._fingerprint.cache_clear()
    assert cache.key(b"id: x", "role", "x.yaml") == before
    assert cache.key(b"id: x", "scale", "x.yaml") != before  # kind and name count too
    assert cache.key(b"id: x", "role", "y.yaml") != before


def test_the_folder_is_kept_small_and_keeps_what_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 10)
    monkeypatch.setattr(cache, "PRUNE_EVERY", 4)
    monkeypatch.setattr(cache, "_writes", 0)
    for n in range(10):
        cache.put(f"{n:064x}", n)
        os.utime(tmp_path / cache.LAYOUT / f"{n:064x}{cache.SUFFIX}", ns=(0, 10**9 * (n + 1)))
    assert len(entries(tmp_path)) == 10
    assert cache.get(f"{0:064x}") == 0 and cache.get(f"{1:064x}") == 1  # used: now the newest
    for n in range(10, 13):  # the 13th write prunes to the 5 most recently used
        cache.put(f"{n:064x}", n)
    assert {int(p.stem, 16) for p in entries(tmp_path)} == {0, 1, 10, 11, 12}


def test_big_files_are_not_cached(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    assert cache.key(b"x" * (cache.MAX_FILE_BYTES + 1), "role", "x") is None
    assert cache.key(b"x", "role", "x") is not None


def test_every_kind_of_model_comes_back_from_the_cache_as_it_went_in(tmp_path, monkeypatch):
    import hashlib

    from pydantic import BaseModel, ValidationError

    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    answers = tmp_path / "answers.yaml"
    answers.write_text("inc-p1-a: c\ninc-p1-b: {rating: p, evidence: [{text: did it}]}\n")
    data = builtin_data_dir()
    files = {
        "scale": data / "levels" / "professional.yaml",
        "role": data / "roles" / "sre.yaml",
        "assessment": DANA,
        "answers": answers,
        "lexicon": data / "lexicon.yaml",
    }
    for kind, path in files.items():
        model = load_file(path, kind, cached=False).model
        key = hashlib.sha256(kind.encode()).hexdigest()
        cache.put(key, model)
        back = cache.get(key)
        assert isinstance(back, BaseModel) and type(back) is type(model), kind
        assert back == model and back.model_dump() == model.model_dump(), kind
        assert back is not model
    role = load_file(files["role"], "role", cached=False).model
    cache.put("1" * 64, role)
    back = cache.get("1" * 64)
    assert "digest" in back.__dict__  # stored with it: reading it back needs no serializer
    assert back.digest == role.digest
    with pytest.raises(ValidationError, match="frozen"):
        back.name = "changed"
    assert back.model_copy(update={"name": "x"}).digest != role.digest


def loaded_twice(path: Path) -> tuple:
    first = load_file(path)
    second = load_file(path)
    return (
        (first.kind, first.model, [str(d) for d in first.diagnostics]),
        (second.kind, second.model, [str(d) for d in second.diagnostics]),
    )


def test_every_hostile_file_reads_the_same_with_a_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    files = {**hostile_corpus.accepted(), **hostile_corpus.rejected()}
    for path in hostile_corpus.write(tmp_path / "files", files):
        first, second = loaded_twice(path)
        assert second == first, path.name
    assert not entries(tmp_path / "cache")  # they are assessments: never stored


def test_nothing_of_an_assessment_is_kept_in_the_cache(tmp_path):
    folder = tmp_path / "cache"
    (folder / "v1").mkdir(parents=True, mode=0o700)
    (folder / "v1" / "old.pickle").write_bytes(b"Dana Okafor, from an older sreladder")
    for args in (["score", str(DANA)], ["packet", str(DANA), "--format", "md"]):
        assert run(args, folder).returncode == 0
    kept = [p.read_bytes() for p in folder.rglob("*") if p.is_file()]
    assert kept and entries(folder)  # the rubric files are cached
    assessment = yaml.safe_load(DANA.read_text())
    secrets = [assessment["subject"]["name"].encode()]
    secrets += [
        e["text"].encode()[:40]
        for answer in assessment["answers"].values()
        if isinstance(answer, dict)
        for e in answer.get("evidence") or []
    ]
    assert len(secrets) > 5
    assert not [s for s in secrets for data in kept if s in data]
    assert not (folder / "v1").exists()  # the older layout, which held assessments, is gone


ids = st.sampled_from(["inc-p1-a", "inc-p1-b", "slo-p2-a", "gone-1", "x"])
answers = st.dictionaries(
    ids,
    st.one_of(
        st.none(),
        st.sampled_from(["not-yet", "partially", "consistently"]),
        st.fixed_dictionaries(
            {"rating": st.sampled_from(["partially", "consistently"])},
            optional={"evidence": st.lists(st.fixed_dictionaries({"text": st.text(min_size=1)}))},
        ),
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=answers, target=st.sampled_from([None, "P3", "P9"]))
def test_any_assessment_reads_the_same_from_the_cache(tmp_path_factory, answers, target):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "a.yaml"
    document = {"sreladder": 1, "role": "sre", "answers": answers}
    if target:
        document["target"] = target
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    with mock.patch.dict(os.environ, {cache.ENV_DIR: str(folder / "cache")}):
        first, second = loaded_twice(path)
    assert second == first


def test_a_file_reached_by_another_name_keeps_its_own_warnings(tmp_path):
    data = copy_rubric(tmp_path)
    (data / "roles" / "latest.yaml").symlink_to("sre.yaml")
    folder = tmp_path / "cache"
    real, link = str((data / "roles" / "sre.yaml").resolve()), str(data / "roles" / "latest.yaml")
    for order in ([real, link], [link, real]):
        shutil.rmtree(folder, ignore_errors=True)
        outputs = {path: run(["validate", path], folder).stdout for path in order}
        assert "W405" in outputs[link] and "'latest.yaml' but holds role 'sre'" in outputs[link]
        assert "W405" not in outputs[real]


def test_files_found_in_a_plain_folder_are_not_cached(tmp_path):
    folder = tmp_path / "assessments"
    folder.mkdir()
    for n in range(3):
        shutil.copy(DANA, folder / f"a{n}.yaml")
    done = run(["validate", str(folder)], tmp_path / "cache")
    assert done.returncode == 0, done.stdout + done.stderr
    rubric_only = run(["show", "sre"], tmp_path / "rubric-only")
    assert rubric_only.returncode == 0
    assert len(entries(tmp_path / "cache")) == len(entries(tmp_path / "rubric-only")) > 0


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.folder() == tmp_path / ".cache" / "sreladder" / cache.LAYOUT
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "sreladder" / cache.LAYOUT


def test_a_parent_folder_others_can_write_to_is_not_used(tmp_path):
    folder = tmp_path / "shared"
    (folder / cache.LAYOUT).mkdir(parents=True, mode=0o700)
    folder.chmod(0o777)  # whoever can write here could swap v2/ for their own
    run(["score", str(DANA)], folder)
    assert validators(run(["score", str(DANA)], folder)) > 0


def test_a_ci_runner_reads_the_cache_but_writes_nothing(tmp_path):
    first = run(["score", str(DANA)], tmp_path / "ci", CI="true")
    assert first.returncode == 0 and not entries(tmp_path / "ci")
    run(["score", str(DANA)], tmp_path / "ci")  # a warm folder, as a restored CI cache
    assert validators(run(["score", str(DANA)], tmp_path / "ci", CI="true")) == 0
