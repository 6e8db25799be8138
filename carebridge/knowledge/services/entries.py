"""What every write to the living dictionary shares: each service is one transaction with its audit row and
index update.

Saving an entry through a service also marks it verified by the editor (``mark_verified``, on by default:
an editor who changes an entry has just checked it); :func:`entry_verify` records a check without change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.knowledge.models import ExternalHospital, Service, VerifiedEntry
from carebridge.knowledge.services.indexing import index_entry


def display_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def assign_fields(
    entry: models.Model, values: Mapping[str, Any], allowed: Iterable[str]
) -> dict[str, list[Any]]:
    """Set the allowed fields present in ``values``; return the changes as ``{field: [old, new]}``."""
    changes: dict[str, list[Any]] = {}
    for field in allowed:
        if field not in values:
            continue
        new = values[field]
        if isinstance(new, str):
            new = new.strip()
        old = getattr(entry, field, None)
        if old != new:
            changes[field] = [display_value(old), display_value(new)]
            setattr(entry, field, new)
    return changes


def check_same_hospital(hospital: Hospital, **related: Any) -> None:
    errors = {
        name: [_("This belongs to another hospital.")]
        for name, obj in related.items()
        if obj is not None and obj.hospital_id != hospital.pk
    }
    if errors:
        raise ValidationError(errors)


def stamp_verified(entry: VerifiedEntry, actor: Any, mark_verified: bool) -> None:
    """Mark ``entry`` checked now by ``actor`` (``verified_by`` stays empty for the system or anonymous)."""
    if mark_verified:
        entry.last_verified_at = timezone.now()
        entry.verified_by = actor if getattr(actor, "is_authenticated", False) else None


def entry_save(
    entry: VerifiedEntry,
    *,
    actor: Actor | None,
    changes: dict[str, list[Any]],
    created: bool,
    mark_verified: bool,
) -> None:
    """Validate (field validators, choices, unique constraints), save, index and audit one entry."""
    latitude, longitude = getattr(entry, "latitude", None), getattr(entry, "longitude", None)
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": [_("Give both latitude and longitude, or neither.")]})
    if isinstance(entry, Service | ExternalHospital) and (
        type(entry)
        .objects.filter(hospital_id=entry.hospital_id, name=entry.name)
        .exclude(pk=entry.pk)
        .exists()
    ):
        raise ValidationError({"name": [_("This hospital already has an entry with this name.")]})
    entry.full_clean(exclude=["verified_by"])
    stamp_verified(entry, actor, mark_verified)
    entry.save()
    if entry.kind:
        index_entry(entry)  # type: ignore[arg-type]
    name = type(entry)._meta.model_name
    audit_record(
        actor=actor,
        action=f"knowledge.{name}.{'create' if created else 'update'}",
        obj=entry,
        summary=str(entry),
        changes=changes,
    )


@transaction.atomic
def entry_verify(*, entry: VerifiedEntry, actor: Actor | None) -> VerifiedEntry:
    """Record that someone checked the entry and found it correct ("mark verified"), without changing it."""
    previous = entry.last_verified_at
    stamp_verified(entry, actor, True)
    entry.save(update_fields=["last_verified_at", "verified_by", "updated_at"])
    audit_record(
        actor=actor,
        action=f"knowledge.{type(entry)._meta.model_name}.verify",
        obj=entry,
        summary=_("Verified"),
        changes={"last_verified_at": [display_value(previous), display_value(entry.last_verified_at)]},
    )
    return entry
