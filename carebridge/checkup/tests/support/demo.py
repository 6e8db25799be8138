"""The demo steps the checkup centre's tests load: the organisation, the registry and the centre's own."""

from __future__ import annotations


def centre_steps(name: str) -> bool:
    return name in ("organisation", "patients") or name.startswith("checkup centre")
