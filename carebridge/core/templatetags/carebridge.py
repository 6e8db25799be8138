"""Template filters for masking and display."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from carebridge.core import masking
from carebridge.core.selectors.organisation import person_name

register = template.Library()


@register.filter
def mask_id(value: str | None) -> str:
    return masking.mask_national_id(value)


@register.filter
def mask_phone(value: str | None) -> str:
    return masking.mask_phone(value)


@register.filter
def age(birth_date: dt.date | None) -> int | str:
    if birth_date is None:
        return ""
    today = timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


@register.filter
def person(user: object) -> str:
    """A user as people know them (the staff record's full name; never the login name when a name exists)."""
    return person_name(user)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or ``None`` when absent (a code's display label from a dict the view built)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def object_panels(context: Any, obj: Any) -> str:
    """The panels other apps add to ``obj``'s page (``core.panels``): a complaint's improvement actions."""
    from carebridge.core.panels import panels_render

    request = context.get("request")
    if request is None or obj is None:
        return ""
    return panels_render(request, obj)
