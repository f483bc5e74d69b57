"""JSON Schema for the three file kinds, exported from the models.

Pydantic writes JSON Schema 2020-12; yaml-language-server documents draft 7 and
below, so the export is rewritten to draft-07 (``definitions`` instead of ``$defs``).
Nothing else in these schemas depends on the newer drafts. Whole numbers are written
as integers (``1``, not ``1.0``): Pydantic releases differ there, and the files must
not change with the installed Pydantic.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_FILES = {
    "ladder": "ladder.schema.json",
    "role": "role.schema.json",
    "assessment": "assessment.schema.json",
}


def _to_draft7(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$defs":
                key = "definitions"
            if key == "$ref" and isinstance(value, str):
                value = value.replace("#/$defs/", "#/definitions/")
            out[key] = _to_draft7(value)
        return out
    if isinstance(node, list):
        return [_to_draft7(item) for item in node]
    if isinstance(node, float) and node.is_integer():
        return int(node)
    return node


def schemas() -> dict[str, dict[str, Any]]:
    from sreladder.core.models import Assessment, FileModel, LevelScale, Role

    titles: dict[str, tuple[type[FileModel], str]] = {
        "ladder": (LevelScale, "sreladder level scale (data/levels/*.yaml)"),
        "role": (Role, "sreladder role rubric (data/roles/*.yaml)"),
        "assessment": (Assessment, "sreladder assessment"),
    }
    out = {}
    for kind, (model, title) in titles.items():
        body = _to_draft7(model.model_json_schema(mode="validation"))
        body["title"] = title
        out[kind] = {"$schema": "http://json-schema.org/draft-07/schema#", **body}
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
