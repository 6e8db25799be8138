"""Writes to the external hospitals the desk refers to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital, Region
from carebridge.core.types import Actor
from carebridge.knowledge.models import ExternalHospital
from carebridge.knowledge.services.entries import assign_fields, entry_save

EXTERNAL_FIELDS = (
    "name",
    "level",
    "region",
    "address",
    "latitude",
    "longitude",
    "phone",
    "reputation",
    "services_offered",
    "specialties",
    "note",
    "is_active",
)


def _region_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Accept ``region`` as a Region, a GB/T 2260 code or empty."""
    cleaned = dict(values)
    region = cleaned.get("region")
    if isinstance(region, str):
        code = region.strip()
        found = Region.objects.filter(code=code).first() if code else None
        if code and found is None:
            raise ValidationError({"region": [_("Unknown region code %(code)s.") % {"code": code}]})
        cleaned["region"] = found
    return cleaned


@transaction.atomic
def external_hospital_create(
    *, hospital: Hospital, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> ExternalHospital:
    cleaned = _region_values(values)
    external = ExternalHospital(hospital=hospital)
    changes = assign_fields(external, cleaned, EXTERNAL_FIELDS)
    entry_save(external, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    return external


@transaction.atomic
def external_hospital_update(
    *, external: ExternalHospital, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> ExternalHospital:
    cleaned = _region_values(values)
    changes = assign_fields(external, cleaned, EXTERNAL_FIELDS)
    entry_save(external, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    return external
