"""The ``sreladder assess`` command's work, behind its thin Typer layer.

Starting or resuming an assessment file, applying an ``--answers`` file, running the
interview (:mod:`sreladder.tty.session` on the pure plan of :mod:`sreladder.core.interview`)
and printing the end: the score view, the file's path and the next commands.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import sys
import unicodedata
from pathlib import Path
from typing import Any

import typer

from sreladder.core.models import Assessment, Role
from sreladder.core.rubric_set import RubricSet


def _slug(text: str) -> str:
    """A file-name part: letters and digits of any script, accents dropped (``Zoë`` is
    ``zoe``, ``李`` stays), everything else one ``-``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", plain).strip("-")[:40].strip("-")


def default_out(subject: str | None, role: str, relation: str, date: str) -> Path:
    """``<subject>-<role>-<relation>-<date>.yaml`` in the current folder; an existing
    name gets ``-2``, ``-3``… (an explicit --out is refused instead)."""
    parts = [p for p in (_slug(subject or ""), role, relation, date) if p]
    stem = "-".join(parts)
    path = Path(f"{stem}.yaml")
    number = 2
    while path.exists():
        path = Path(f"{stem}-{number}.yaml")
        number += 1
    return path


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _resume_hint(
    path: Path, data: Path | None, thorough: bool, evidence: list[Path] | None = None
) -> str:
    from sreladder.io.diagnostics import printable

    command = f"sreladder assess --resume {shlex.quote(printable(str(path)))}"
    if data is not None:
        command += f" --data {shlex.quote(printable(str(data)))}"
    if thorough:
        command += " --thorough"
    for source in evidence or []:
        command += f" --evidence {shlex.quote(printable(str(source)))}"
    return command


def _ask(prompter: Any, prompt: str) -> str:
    from sreladder.core.errors import SreladderError

    try:
        return prompter.ask(prompt).strip()
    except EOFError:
        raise SreladderError("input ended before the interview started; nothing saved") from None


def _pick_role(rubric: RubricSet, prompter: Any) -> Role:
    from rich.text import Text

    from sreladder.core.errors import SreladderError
    from sreladder.core.interview import parse_choice
    from sreladder.io.diagnostics import printable
    from sreladder.present.terminal import stderr_console

    roles = sorted(rubric.roles.values(), key=lambda r: r.id)
    if not roles:
        raise SreladderError("the rubric has no roles")
    from sreladder.present.browse_md import levels_label

    console = stderr_console()
    console.print(Text("Roles:", style="bold"))
    id_width = max(len(role.id) for role in roles)
    number_width = len(str(len(roles)))
    for number, role in enumerate(roles, start=1):
        line = Text(f"  {number:>{number_width}}. ")
        line.append(role.id.ljust(id_width), style="bold")
        line.append(printable(f"  {role.name} ({levels_label(list(role.level_ids))})", 300))
        console.print(line, no_wrap=True, overflow="ellipsis")
    while True:
        text = _ask(prompter, f"Role [1-{len(roles)}]: ")
        chosen = parse_choice(text, len(roles))
        if chosen is not None:
            return roles[chosen]
        if text in rubric.roles:
            return rubric.roles[text]
        if text.lower() == "q":
            raise typer.Exit(0)
        console.print(Text(f"Type a number from 1-{len(roles)} or a role id.", style="yellow"))


def _checked_target(role: Role, target: str | None) -> str | None:
    """``--target`` as the role's level id, checked before any question is asked."""
    from sreladder.core.scoring import resolve_target

    return None if target is None else resolve_target(role, None, target)


def _ask_name(prompter: Any, prompt: str) -> str:
    while True:
        name = _ask(prompter, prompt)
        if name.lower() == "q":
            raise typer.Exit(0)
        if name:
            return name


def _finish(role: Role, assessment: Assessment, path: Path) -> None:
    from sreladder.core.scoring import score
    from sreladder.io.diagnostics import printable
    from sreladder.present.report_score import render_score
    from sreladder.present.terminal import stdout_console

    result = score(role, assessment)
    render_score(result, role, stdout_console(), assessment)
    shown = shlex.quote(printable(str(path)))
    _say(f"\nsaved to {printable(str(path))}")
    _say(
        f"next: sreladder score {shown} · sreladder packet {shown} · "
        f"sreladder compare {shown} OTHER"
    )


def run(
    role_id: str | None,
    relation: str | None,
    subject: str | None,
    out: Path | None,
    target: str | None,
    thorough: bool,
    resume: Path | None,
    answers: Path | None,
    data: Path | None,
    assessor: str | None = None,
    evidence: list[Path] | None = None,
) -> None:
    """Everything ``sreladder assess`` does once its options are parsed. The file is
    locked from before it is read (``--resume``) or first written until the end, so a
    second interview of it is refused (:mod:`sreladder.io.file_lock`)."""
    from pydantic import ValidationError

    from sreladder.core.errors import SreladderError, UsageError
    from sreladder.core.interview import with_answers
    from sreladder.io import file_lock
    from sreladder.io.assessments import (
        not_written,
        read_answers,
        read_assessment_for,
        save_assessment,
    )
    from sreladder.io.diagnostics import printable
    from sreladder.io.rubric import load_rubric
    from sreladder.io.store import refuse_link
    from sreladder.present.terminal import stderr_console, user_text
    from sreladder.tty.prompts import KEYS
    from sreladder.tty.session import Prompter, Quit, Session, stamped, typed_text, utc_now

    with contextlib.ExitStack() as locks:  # the file's lock, held to the end
        subject = typed_text(subject) if subject is not None else None
        assessor = typed_text(assessor) if assessor is not None else None
        if evidence and answers is not None:
            raise UsageError(
                "--evidence suggests evidence during the interview; --answers asks no questions"
            )
        rubric = load_rubric(data)
        prompter = Prompter()
        console = stderr_console()
        # every file is read and checked as `score` checks it before anything is written
        given, full = read_answers(answers, rubric) if answers is not None else ({}, None)
        from_file = full.assessor if full is not None else None
        relation = relation or (from_file.relation if from_file is not None else "self")

        as_read = None
        if resume is not None:
            if out is not None:
                raise UsageError("--out and --resume do not go together: --resume saves to FILE")
            path = resume
            refuse_link(path)
            locks.enter_context(file_lock.held(path))
            assessment, role = read_assessment_for(resume, rubric)
            as_read = assessment
            target = _checked_target(role, target)
            if role_id is not None and role_id != role.id:
                raise SreladderError(
                    f"{printable(str(resume))} is an assessment for role {role.id!r}, "
                    f"not {role_id!r}"
                )
            if full is not None:
                from sreladder.core.compare import mismatch

                why = mismatch(assessment, full)
                if why:
                    raise SreladderError(
                        f"{printable(str(answers))} cannot go into this file: {why}"
                    )
            if assessment.rubric_digest and assessment.rubric_digest != role.digest:
                _say(
                    "the rubric changed since this file was started; "
                    "answers to removed expectations are kept"
                )
        else:
            if full is not None and role_id is not None and rubric.role(role_id).id != full.role:
                raise SreladderError(
                    f"{printable(str(answers))} is an assessment for role {full.role!r}, "
                    f"not {role_id!r}"
                )
            role_id = role_id or (full.role if full is not None else None)
            if role_id is None and answers is not None:
                raise UsageError("--answers needs ROLE (unless the file is a full assessment)")
            named_in_file = full is not None and bool(full.subject_name)
            if subject is None and answers is not None and relation != "self" and not named_in_file:
                raise UsageError(f"--as {relation} needs --subject NAME")
            role = rubric.role(role_id) if role_id is not None else _pick_role(rubric, prompter)
            target = _checked_target(role, target)
            if out is not None and out.is_dir():
                raise SreladderError(f"{printable(str(out))} is a folder: --out takes a file name")
            if out is not None and not out.parent.is_dir():
                raise SreladderError(
                    f"no folder {printable(str(out.parent))} to save {out.name} in"
                )
            if out is not None:
                refuse_link(out)
            if out is not None and out.exists():
                raise SreladderError(
                    f"{printable(str(out))} already exists; continue it with "
                    f"`{_resume_hint(out, data, False)}`, or choose another --out"
                )
            if subject is None and full is not None and full.subject_name:
                subject = full.subject_name
            if subject is None and answers is None:
                if relation == "self":
                    subject = _ask_name(prompter, "Your name: ")
                else:
                    subject = _ask_name(prompter, f"Name of the person assessed ({relation}): ")
            now = utc_now()
            same_assessor = from_file is not None and from_file.relation == relation
            assessor_name = (
                assessor
                or (from_file.name if same_assessor else None)  # type: ignore[union-attr]
                or (subject if relation == "self" else None)
            )
            path = out or default_out(subject, role.id, relation, now.date().isoformat())
            locks.enter_context(file_lock.held(path))
            if path.exists():  # made by another process since it was checked
                raise SreladderError(f"{printable(str(path))} appeared meanwhile: nothing written")
            try:  # a name the file could not hold is refused before anything is written
                assessment = Assessment.model_validate(
                    {
                        "sreladder": 1,
                        "role": role.id,
                        "rubric_digest": role.digest,
                        "subject": {"name": subject} if subject else None,
                        "assessor": {"name": assessor_name, "relation": relation},
                        "target": full.target if full is not None else None,
                        "created": full.created if full is not None and full.created else now,
                        "updated": now,
                        "claimed": dict(full.claimed) if full is not None else {},
                        "answers": {},
                    }
                )
            except ValidationError as exc:
                raise SreladderError(f"{printable(str(path), 200)}: {not_written(exc)}") from None

        if target is not None:
            assessment = assessment.model_copy(update={"target": target})

        if answers is not None:
            assessment = with_answers(assessment, given)
            unknown = [key for key in given if key not in role.expectation_index]
            if unknown:
                shown = ", ".join(printable(k, 80) for k in unknown[:10])
                more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
                _say(
                    f"warning: {len(unknown)} answer(s) refer to expectations role {role.id!r} "
                    f"does not have (kept, not scored): {shown}{more}"
                )
            assessment = stamped(assessment, role)
            save_assessment(path, assessment)
            _finish(role, assessment, path)
            return

        picker = None
        if evidence:
            from sreladder.tty.evidence_picker import EvidencePicker

            picker = EvidencePicker.from_sources(role, evidence, data)
            _say(f"{picker.item_count} evidence item(s) read; suggestions follow p and c ratings")
        session = Session(role, assessment, path, console, prompter, thorough, picker)
        if resume is None or assessment is not as_read:
            session.save()  # a new file, or a resumed one given a new --target

        hint = _resume_hint(path, data, thorough, evidence)
        intro = user_text(
            f"{role.name} · {assessment.subject_name or '(no name)'} · {assessment.relation} "
            f"· saving to {path}"
        )
        console.print(intro, style="bold")
        console.print(KEYS, style="dim", markup=False)
        try:
            session.run()
        except Quit:
            _say(f"saved to {printable(str(path))}")
            _say(f"resume with: {hint}")
            raise typer.Exit(0) from None
        except EOFError:
            _say(f"input ended; every answer so far is in {printable(str(path))}")
            _say(f"resume with: {hint}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            _say(f"\ninterrupted; every answer so far is in {printable(str(path))}")
            _say(f"resume with: {hint}")
            raise typer.Exit(130) from None
        _finish(role, session.assessment, path)
