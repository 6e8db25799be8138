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
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:255],
        changes=changes or {},
    )
