"""The model of an ``--answers`` file (``sreladder assess --answers FILE``).

Apart from :mod:`sreladder.core.models` because it is a Pydantic ``RootModel``, and
importing ``RootModel`` builds Pydantic's own validator for it (and looks for Pydantic
plugins) at once: the commands that never read an answers file should not pay for that.
The file loader imports this module when it is asked for one.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, RootModel, model_validator

from sreladder.core.models import Answer, Id, parse_rating


class AnswerMap(RootModel):
    """An ``--answers`` file: expectation id -> a rating (``n``/``p``/``c`` or the word,
    any case), null (skipped) or an answer with evidence. The same ids and answers as
    an assessment's ``answers``, so a map that loads makes a file that validates.
    (A ``RootModel`` has no keys of its own to forbid: its answers forbid theirs.)"""

    # `root` annotated here rather than `RootModel[dict[Id, Answer]]`: Pydantic builds a
    # parametrized class's validator at once, and this one waits (defer_build).
    model_config = ConfigDict(frozen=True, defer_build=True)
    root: dict[Id, Answer]

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {key: _answer_value(value) for key, value in data.items()}


def _answer_value(value: Any) -> Any:
    if value is None:
        return {"rating": None}
    if isinstance(value, str):
        return {"rating": parse_rating(value) or value}
    if isinstance(value, dict) and isinstance(value.get("rating"), str):
        return {**value, "rating": parse_rating(value["rating"]) or value["rating"]}
    return value
