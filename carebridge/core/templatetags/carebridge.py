"""Template filters for masking and display."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from carebridge.core import masking

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
