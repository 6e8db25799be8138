"""Template tags that put improvement actions on the scorecard: the actions under an objective (the
balanced scorecard's "initiatives"), read through the scoped selector for the page's user."""

from __future__ import annotations

from typing import Any

from django import template

from carebridge.performance.models import ImprovementAction
from carebridge.performance.selectors.actions import action_list

register = template.Library()


@register.simple_tag(takes_context=True)
def objective_actions(context: Any, objective_id: int) -> list[ImprovementAction]:
    """The actions the page's user may see under the objective ``objective_id`` (cached per page)."""
    request = context.get("request")
    if request is None:
        return []
    cache = context.render_context.setdefault("objective_actions", {})
    if not cache:
        for row in action_list(user=request.user).filter(objective__isnull=False):
            cache.setdefault(row.objective_id, []).append(row)
        cache.setdefault(0, [])
    return cache.get(objective_id, [])
