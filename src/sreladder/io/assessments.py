"""Reading and writing assessment files.

``read_assessment(path)`` loads a file strictly (the same loader and checks as
``sreladder validate``) and turns any error into one ``SreladderError`` naming
``file:line:col``. ``dump_assessment(a)`` is the one way an assessment becomes YAML:
keys in the format's order (sreladder, role, rubric_digest, subject, assessor, target,
created, updated, claimed, answers), dates and times as ISO strings, ``None`` fields
left out. One exception, on purpose: a skipped answer is written as ``rating: null``
so a reader of the file sees that the question was seen and skipped.
``save_assessment(path, a)`` writes it atomically, owner-only (0600): assessments are
personal data.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from sreladder.core.errors import SreladderError
from sreladder.core.models import Answer, Assessment, Role
from sreladder.io import store
from sreladder.io.diagnostics import printable

if TYPE_CHECKING:
    from sreladder.core.rubric_set import RubricSet
    from sreladder.io.diagnostics import Diagnostic
    from sreladder.io.rubric import Kind, LoadedFile

MAX_SHOWN = 5
RUBRIC_VERSION = "W404"  # the finding: answered against another version of the role


class _Dumper(yaml.SafeDumper):
    """Never writes anchors/aliases: the strict loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def read_assessment(path: Path) -> Assessment:
    """The assessment in ``path``, or a SreladderError listing its errors with positions.
    Warnings (such as answers to expectations a role no longer has) are not errors here:
    the commands that know the role report them."""
    return _load(path).model


def read_assessment_for(
    path: Path, rubric: RubricSet, warn: Callable[[str], None] | None = None
) -> tuple[Assessment, Role]:
    """``read_assessment`` plus the checks against the rubric that ``validate`` and
    ``team`` make (a known role, a target and claimed levels that are its levels): what
    a score needs to be trusted. The role is matched exactly, as in every file.

    ``warn`` hears, as ``validate`` prints it (``file:line:col: W404 ...``), that the
    assessment was answered against another version of the role: the result is still
    made, with the current rubric."""
    loaded = _load(path)
    role = _checked_role(loaded, rubric)
    if warn is not None:
        from sreladder.core.checks import assessment_findings

        found = assessment_findings(loaded.model, role, rubric.roles)
        stale = [f for f in found if f.code == RUBRIC_VERSION]
        for diagnostic in loaded.source.from_findings(stale):  # type: ignore[union-attr]
            warn(str(diagnostic))
    return loaded.model, role


def read_answers(path: Path, rubric: RubricSet) -> tuple[dict[str, Answer], Assessment | None]:
    """An ``--answers`` file: a whole assessment (checked as ``score`` checks it, and
    returned too) or a map of expectation ids to ratings (an
    :class:`~sreladder.core.answer_map.AnswerMap`). Every error names
    ``file:line:col``; nothing is written before this has passed."""
    loaded = _load(path, "answers")
    if loaded.kind == "assessment":
        _checked_role(loaded, rubric)
        return dict(loaded.model.answers), loaded.model
    return dict(loaded.model.root), None


def _checked_role(loaded: LoadedFile, rubric: RubricSet) -> Role:
    from sreladder.io.rubric import check_against

    role, errors = check_against(loaded, rubric, errors_only=True)
    _raise_errors(errors)
    assert role is not None  # an unknown role is an error above
    return role


def _load(path: Path, kind: Kind = "assessment") -> LoadedFile:
    from sreladder.io.rubric import load_file

    loaded = load_file(Path(path), kind)
    errors = [d for d in loaded.diagnostics if d.severity == "error"]
    if loaded.model is None or errors:
        other = _not_an_assessment(errors) if loaded.kind == "assessment" else None
        if other:
            raise SreladderError(other)
        what = "answers file" if loaded.kind == "answers" else "assessment"
        _raise_errors(errors or loaded.diagnostics, what)
    return loaded


def _raise_errors(errors: list[Diagnostic], what: str = "assessment") -> None:
    if not errors:
        return
    lines = [str(d) for d in errors[:MAX_SHOWN]]
    if len(errors) > MAX_SHOWN:
        rerun = f"sreladder validate {shlex.quote(errors[0].path)}"
        lines.append(f"… and {len(errors) - MAX_SHOWN} more (`{rerun}` lists all)")
    if len(lines) == 1:
        raise SreladderError(f"not a valid {what}: {lines[0]}")
    raise SreladderError(f"not a valid {what}:\n" + "\n".join(f"  {line}" for line in lines))


def _not_an_assessment(errors: list) -> str | None:
    """One line for a file that is not an assessment at all (a rubric, another tool's
    YAML): no ``sreladder`` key. A list of its unknown keys would not help."""
    missing = [e for e in errors if e.code == "E101" and e.message.endswith("'sreladder'")]
    if not missing:
        return None
    keys = {e.message.removeprefix("unknown key ").strip("'") for e in errors if e.code == "E102"}
    if keys & {"dimensions", "ladder"}:
        looks = ": it looks like a role rubric"
    elif "levels" in keys:
        looks = ": it looks like a level scale"
    else:
        looks = ""
    return (
        f"{missing[0].location}: E101 not a sreladder assessment (no `sreladder: 1` at the top)"
        f"{looks}; "
        "`sreladder assess` writes one"
    )


def _answer_data(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {"rating": answer.rating}
    if answer.evidence:
        data["evidence"] = [e.model_dump(mode="json", exclude_none=True) for e in answer.evidence]
    return data


def assessment_data(assessment: Assessment) -> dict[str, Any]:
    """The plain data written to a file (and usable as JSON)."""
    data = assessment.model_dump(mode="json", exclude_none=True, exclude={"answers"})
    data["claimed"] = dict(assessment.claimed)
    data["answers"] = {key: _answer_data(a) for key, a in assessment.answers.items()}
    return data


def dump_assessment(assessment: Assessment) -> str:
    """The YAML text of ``assessment``; a SreladderError if that text would not load
    again (a model is validated when it is built, but not what ``model_copy`` put in)."""
    data = assessment_data(assessment)
    _refuse_invalid(data)
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def _refuse_invalid(data: dict[str, Any]) -> None:
    try:
        Assessment.model_validate(data)
    except ValidationError as exc:
        raise not_written(exc) from None


def not_written(exc: ValidationError) -> SreladderError:
    """The error for data that would not make a valid assessment file (its first
    problem, in the words ``validate`` would use)."""
    from sreladder.io.rubric import error_text

    error = exc.errors(include_url=False, include_context=True, include_input=True)[0]
    message = printable(error_text(dict(error)), 300)
    return SreladderError(f"not written: {message} (nothing was changed)")


def save_assessment(path: Path, assessment: Assessment) -> None:
    """Write ``assessment`` to ``path`` atomically with owner-only permissions."""
    try:
        text = dump_assessment(assessment)
    except SreladderError as exc:
        raise SreladderError(f"{printable(str(path), 200)}: {exc}") from None
    store.write_text_atomic(Path(path), text, store.PRIVATE)
