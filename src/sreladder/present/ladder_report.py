"""What `sreladder import` wrote, as JSON and as lines of text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sreladder.io.diagnostics import printable


def import_summary(
    source: Path,
    kind: str,
    out: Path,
    changes: list[tuple[Path, str]],
    scale: dict[str, Any],
    roles: list[dict[str, Any]],
    dry_run: bool = False,
) -> dict[str, Any]:
    """``changes``: each file (the scale's, the roles', the schemas') and what the
    import does to it: ``new``, ``identical`` (left as it is) or ``replaced``."""
    return {
        "source": str(source),
        "kind": kind,
        "out": str(out),
        "dry_run": dry_run,
        "files": [str(path) for path, _ in changes[: 1 + len(roles)]],
        "changes": [{"path": str(path), "status": status} for path, status in changes],
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
    changes = summary["changes"]
    said = "would import" if summary["dry_run"] else "imported"
    lines = [
        f"{said} {printable(summary['source'])} ({summary['kind']}) into "
        f"{printable(summary['out'])}"
        + (" (dry run: nothing written)" if summary["dry_run"] else ""),
        f"  {printable(changes[0]['path'])}: scale {scale['id']}, "
        f"levels {', '.join(scale['levels'])} ({changes[0]['status']})",
    ]
    roles = summary["roles"]
    for change, role in zip(changes[1 : 1 + len(roles)], roles, strict=True):
        lines.append(
            f"  {printable(change['path'])}: role {role['id']}, {role['dimensions']} "
            f"dimensions, {role['expectations']} expectations ({change['status']})"
        )
    for change in changes[1 + len(roles) :]:
        lines.append(f"  {printable(change['path'])}: schema ({change['status']})")
    return "\n".join(lines) + "\n"
