"""``{% kpi_targets "complaints_in_time" … %}``: the targets and bands a module's page shows beside its
figures (``core/selectors/targets.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from carebridge.core.selectors.targets import targets_for

register = template.Library()


@register.inclusion_tag("core/_targets.html", takes_context=True)
def kpi_targets(context: dict[str, Any], *codes: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    figures = targets_for(user=user, codes=codes) if user is not None and user.is_authenticated else []
    return {"figures": figures}
