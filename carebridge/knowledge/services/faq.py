"""Writes to the FAQ."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from carebridge.core.models import Hospital
from carebridge.core.types import Actor
from carebridge.knowledge.models import Faq
from carebridge.knowledge.services.entries import assign_fields, entry_save

FAQ_FIELDS = ("category", "question", "answer", "keywords", "is_active")


@transaction.atomic
def faq_create(
    *, hospital: Hospital, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> Faq:
    faq = Faq(hospital=hospital)
    changes = assign_fields(faq, values, FAQ_FIELDS)
    entry_save(faq, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    return faq


@transaction.atomic
def faq_update(
    *, faq: Faq, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> Faq:
    changes = assign_fields(faq, values, FAQ_FIELDS)
    entry_save(faq, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    return faq
