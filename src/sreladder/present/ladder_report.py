"""What `sreladder import` wrote, as JSON and as lines of text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sreladder.io.diagnostics import printable


def import_summary(
    source: Path,
    kind: str,
    out: Path,
    files: list[Path],
    scale: dict[str, Any],
    roles: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "source": str(source),
        "kind": kind,
        "out": str(out),
        "files": [str(f) for f in files],
        "scale": {"id": scale["id"], "levels": [level["id"] for level in scale["levels"]]},
        "roles": [
            {
                "id": role["id"],
                "name": role["name"],
                "dimensions": len(role["dimensions"]),
                "expectations": sum(
                    len(cell["expectations"])
                    for dimension in role["dimensions"]
                    for cell in dimension["levels"].values()
                ),
            }
            for role in roles
        ],
    }


def import_text(summary: dict[str, Any]) -> str:
    scale = summary["scale"]
    lines = [
        f"imported {printable(summary['source'])} ({summary['kind']}) into "
        f"{printable(summary['out'])}",
        f"  {printable(summary['files'][0])}: scale {scale['id']}, "
        f"levels {', '.join(scale['levels'])}",
    ]
    for path, role in zip(summary["files"][1:], summary["roles"], strict=True):
        lines.append(
            f"  {printable(path)}: role {role['id']}, {role['dimensions']} dimensions, "
            f"{role['expectations']} expectations"
        )
    return "\n".join(lines) + "\n"
