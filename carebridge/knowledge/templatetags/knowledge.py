"""Template helpers of the living dictionary."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ results.groups|get_item:kind }}``: a dict lookup with a variable key."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None
