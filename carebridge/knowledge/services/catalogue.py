"""Writes to services, examinations and treatments (a department is re-indexed when its services change)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from carebridge.core.models import Hospital
from carebridge.core.types import Actor
from carebridge.knowledge.models import Service
from carebridge.knowledge.services.entries import assign_fields, check_same_hospital, entry_save
from carebridge.knowledge.services.indexing import index_department

SERVICE_FIELDS = ("department", "name", "synonyms", "description", "approach", "offered_here", "note")


@transaction.atomic
def service_create(
    *, hospital: Hospital, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> Service:
    check_same_hospital(hospital, department=values.get("department"))
    service = Service(hospital=hospital)
    changes = assign_fields(service, values, SERVICE_FIELDS)
    entry_save(service, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    index_department(service.department_id)
    return service


@transaction.atomic
def service_update(
    *, service: Service, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> Service:
    check_same_hospital(service.hospital, department=values.get("department"))
    previous_department_id = service.department_id
    changes = assign_fields(service, values, SERVICE_FIELDS)
    entry_save(service, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    index_department(service.department_id)
    if previous_department_id != service.department_id:
        index_department(previous_department_id)
    return service
