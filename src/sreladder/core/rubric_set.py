"""A loaded rubric set: the level scales and roles of a folder, by id.

``origin`` remembers which file each came from, for messages; reading the folder is
:mod:`sreladder.io.rubric`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sreladder.core.errors import SreladderError
from sreladder.core.models import LevelScale, Role, pick_name


@dataclass
class RubricSet:
    scales: dict[str, LevelScale] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    origin: dict[tuple[str, str], Path] = field(default_factory=dict)

    def role(self, role_id: str) -> Role:
        found = pick_name(role_id, list(self.roles))
        if found is None:
            known = ", ".join(sorted(self.roles)) or "none"
            raise SreladderError(f"unknown role {role_id!r} (known: {known})")
        return self.roles[found]

    def scale(self, scale_id: str) -> LevelScale:
        try:
            return self.scales[scale_id]
        except KeyError:
            known = ", ".join(sorted(self.scales)) or "none"
            raise SreladderError(f"unknown level scale {scale_id!r} (known: {known})") from None

    def scale_for(self, role: Role) -> LevelScale:
        return self.scale(role.ladder)
