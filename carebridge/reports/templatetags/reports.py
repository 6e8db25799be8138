"""Filters of the reports' documents."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None, digits: int = 1) -> str:
    """A share (0–1) as a percentage, "—" when there is none."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"
