"""Core write services: the audit trail that every other service writes into."""

from __future__ import annotations

from typing import Any

from django.db import models

from carebridge.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row, inside the service's transaction so the row and the change commit together."""
    event = audit_row(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        changes=changes,
    )
    event.save()
    return event


def audit_row(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """The unsaved audit row of :func:`audit_record`, for a caller that writes it with other rows
    (``core.services.rows.insert_together``; ``obj`` may then be the unsaved parent, its id filled in)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or (obj.pk if obj.pk is not None else "")
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:255],
        changes=changes or {},
    )
