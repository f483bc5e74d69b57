"""The base of the file models: frozen dataclasses that Pydantic validates on demand.

The models are plain ``dataclasses`` so that a command whose files are already known
to be valid (see :mod:`sreladder.io.cache`) never imports Pydantic: importing it and
building its validators costs more than everything else ``score`` does. Validation is
still Pydantic's, from the same declarations: :meth:`StrictModel.model_validate` builds
a ``TypeAdapter`` for the class the first time it is asked, and :class:`Rule` carries
the field constraints (pattern, lengths, bounds, strictness) into Pydantic's schema.

The method names follow Pydantic's (``model_validate``, ``model_dump``, ``model_copy``,
``model_json_schema``) so the models read as they did when they were ``BaseModel``\\ s.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar, Self


class Rule:
    """Constraints for Pydantic, written where the type is (``Annotated[str, Rule(...)]``).

    ``core`` keys are Pydantic core-schema keys (``pattern``, ``max_length``,
    ``min_length``, ``gt``, ``le``, ``strict``); Pydantic derives the JSON Schema from
    them as it does for ``Field(...)``. ``after`` runs on the validated value
    (a ``ValueError`` becomes a validation error at that place); ``json`` is merged into
    the field's JSON Schema (a description, a ``const``)."""

    def __init__(
        self,
        *,
        after: Callable[[Any], Any] | None = None,
        json: Mapping[str, Any] | None = None,
        **core: Any,
    ) -> None:
        self.core = core
        self.after = after
        self.json = dict(json or {})

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = {**handler(source), **self.core}
        if self.after is None:
            return schema
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.after, schema)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {**handler(schema), **self.json}


class StrictModel:
    """Frozen, keyword-only dataclasses with Pydantic's checks: unknown keys are errors,
    NaN and infinity are refused. Frozen so that a ``cached_property`` (a digest, an
    index) can never go stale; copies are new objects and compute their own.

    Subclasses are declared with :data:`model`, which leaves ``__eq__``, ``__hash__``
    and ``__repr__`` to the ones here: the same behaviour as the generated ones, without
    generating and compiling three functions per class at every start-up."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "allow_inf_nan": False}

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = dataclasses.fields(self)  # type: ignore[arg-type]
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields if f.repr)
        return f"{self.__class__.__qualname__}({shown})"

    def validated(self, context: Mapping[str, Any] | None) -> None:
        """Checks across fields that run after Pydantic's (override; raise ValueError).
        ``context`` is the one given to :meth:`model_validate`."""

    @classmethod
    def model_validate(cls, data: Any, *, context: Mapping[str, Any] | None = None) -> Self:
        """``data`` (parsed YAML or JSON) as this model; pydantic.ValidationError if not."""
        return _adapter(cls).validate_python(data, context=context)

    @classmethod
    def model_json_schema(cls, mode: str = "validation") -> dict[str, Any]:
        return _adapter(cls).json_schema(mode=mode)  # type: ignore[arg-type]

    def model_dump(
        self,
        *,
        mode: str = "python",
        exclude_none: bool = False,
        exclude_defaults: bool = False,
        exclude: frozenset[str] | set[str] = frozenset(),
    ) -> dict[str, Any]:
        """The fields as plain data, as Pydantic's ``model_dump`` writes them
        (``mode="json"``: dates as ISO text, UTC as ``Z``)."""
        options = (mode == "json", exclude_none, exclude_defaults)
        return {
            name: _dump(value, *options)
            for name, value in _fields(self, exclude_none, exclude_defaults)
            if name not in exclude
        }

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """A copy with ``update`` applied (not validated, as in Pydantic)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        """The class docstring as the description, as Pydantic does for its models
        (it does not for dataclasses before 2.7)."""
        found = handler(schema)
        target = handler.resolve_ref_schema(found)
        doc = cls.__dict__.get("__doc__")
        if doc and not doc.startswith(f"{cls.__name__}("):  # dataclass's own stand-in
            target.setdefault("description", inspect.cleandoc(doc))
        return found


model = dataclasses.dataclass(frozen=True, kw_only=True, eq=False, repr=False)
"""The decorator of every model: ``@model class Role(StrictModel): ...``."""


@functools.cache
def _field_list(cls: type) -> tuple[dataclasses.Field, ...]:
    return dataclasses.fields(cls)


def _fields(model: StrictModel, exclude_none: bool, exclude_defaults: bool) -> Any:
    values = model.__dict__
    for field in _field_list(model.__class__):
        value = values[field.name]
        if exclude_none and value is None:
            continue
        if exclude_defaults and _is_default(field, value):
            continue
        yield field.name, value


def _is_default(field: dataclasses.Field, value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _dump(value: Any, json: bool, exclude_none: bool, exclude_defaults: bool) -> Any:
    if value.__class__ in _SCALARS:  # most of a rubric: checked first, by exact type
        return value
    if isinstance(value, list | tuple):  # subclasses too, as Pydantic dumps them
        return [_dump(item, json, exclude_none, exclude_defaults) for item in value]
    if isinstance(value, dict):
        return {k: _dump(v, json, exclude_none, exclude_defaults) for k, v in value.items()}
    if isinstance(value, StrictModel):
        return {
            name: _dump(item, json, exclude_none, exclude_defaults)
            for name, item in _fields(value, exclude_none, exclude_defaults)
        }
    if json and isinstance(value, dt.date):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value


def validate_as(type_: Any, data: Any) -> Any:
    """``data`` validated as ``type_`` (a model, or a list or dict of them)."""
    return _plain_adapter(type_).validate_python(data)


@functools.cache
def _plain_adapter(type_: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(type_)


@functools.cache
def _adapter(cls: type[StrictModel]) -> Any:
    from pydantic import TypeAdapter, ValidationInfo
    from pydantic.functional_validators import AfterValidator

    def after(model: StrictModel, info: ValidationInfo) -> StrictModel:
        model.validated(info.context)
        return model

    return TypeAdapter(Annotated[cls, AfterValidator(after)])
