"""Activities: the register (lectures, free clinics, welfare days, campaign tasks, media, honours), their
photos and documents, and free screening at an activity filed as a checkup visit's results.

A screening books a checkup visit for the person at the checkup centre on the day, checks it in and
files each value with ``checkup.services.results.result_record`` — so reference ranges, flags, critical
rules and the chief examiner's review and after-care apply to it exactly as to any other visit. The
visit is free: its price is set to zero (the one write this app makes on a checkup row, audited).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.models import Item, OrderedItem, Visit
from carebridge.checkup.services.registry import customer_find_or_register
from carebridge.checkup.services.results import result_record
from carebridge.checkup.services.visits import visit_book, visit_check_in
from carebridge.core.models import Department
from carebridge.core.services.audit import audit_record
from carebridge.performance.choices import ActivityKind
from carebridge.performance.models import Activity, ActivityAttachment, Screening
from carebridge.performance.services.base import check_files, moment, require_hospital, require_permission

SCREENING_KINDS = frozenset({ActivityKind.FREE_CLINIC, ActivityKind.WELFARE_DAY, ActivityKind.COMMUNITY})
COUNTS = ("participants", "attendees", "boards", "banners", "leaflets", "prescriptions")
FIELDS = (
    "kind", "title", "held_on", "place", "organiser", "partner", "health_day", "participants", "attendees",
    "hours", "boards", "banners", "leaflets", "prescriptions", "cost", "outlet", "effect",
)  # fmt: skip


def _clean(hospital_id: int, values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields {sorted(unknown)}")
    if values.get("kind") not in ActivityKind.values:
        errors["kind"] = [_("Unknown type.")]
    if not str(values.get("title", "")).strip():
        errors["title"] = [_("Give the activity a title.")]
    if not isinstance(values.get("held_on"), dt.date):
        errors["held_on"] = [_("Give the date.")]
    for name in COUNTS:
        if int(values.get(name) or 0) < 0:
            errors[name] = [_("A count cannot be negative.")]
    for name in ("hours", "cost"):
        if Decimal(values.get(name) or 0) < 0:
            errors[name] = [_("This cannot be negative.")]
    for name in ("organiser", "health_day"):
        related = values.get(name)
        if related is not None and related.hospital_id != hospital_id:
            errors[name] = [_("This belongs to another hospital.")]
    if errors:
        raise ValidationError(errors)
    return dict(values)


@transaction.atomic
def activity_create(
    *, hospital_id: int, actor: Any, values: Mapping[str, Any], attachments: Sequence[Any] = ()
) -> Activity:
    """Register an activity with its photos and documents (all checked before anything is stored)."""
    require_permission(actor, "performance.add_activity")
    require_hospital(actor, hospital_id)
    cleaned = _clean(hospital_id, values)
    if attachments:
        check_files(attachments, field="attachments")
    activity = Activity.objects.create(hospital_id=hospital_id, created_by=actor, **cleaned)
    _store(activity, attachments, actor)
    audit_record(
        actor=actor, action="performance.activity.create", obj=activity, summary=activity.title[:120]
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor: Any, values: Mapping[str, Any]) -> Activity:
    require_permission(actor, "performance.change_activity")
    require_hospital(actor, activity.hospital_id)
    current = {name: getattr(activity, name) for name in FIELDS}
    cleaned = _clean(activity.hospital_id, {**current, **values})
    changes = {k: [str(current[k]), str(v)] for k, v in cleaned.items() if current[k] != v}
    for name, value in cleaned.items():
        setattr(activity, name, value)
    activity.save()
    audit_record(actor=actor, action="performance.activity.update", obj=activity, changes=changes)
    return activity


def _store(activity: Activity, uploads: Sequence[Any], actor: Any) -> list[ActivityAttachment]:
    types = check_files(uploads, field="attachments")
    stored = []
    for upload, content_type in zip(uploads, types, strict=True):
        attachment = ActivityAttachment(
            activity=activity,
            original_name=str(upload.name)[:255],
            content_type=content_type,
            size=int(upload.size),
            uploaded_by=actor,
        )
        attachment.file.save(str(upload.name), upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def activity_attach(*, activity: Activity, actor: Any, uploads: Sequence[Any]) -> list[ActivityAttachment]:
    require_permission(actor, "performance.add_activityattachment")
    require_hospital(actor, activity.hospital_id)
    if not uploads:
        raise ValidationError({"attachments": [_("Choose a file.")]})
    stored = _store(activity, uploads, actor)
    audit_record(
        actor=actor, action="performance.activity.attach", obj=activity, changes={"files": len(stored)}
    )
    return stored


@transaction.atomic
def screening_register(
    *,
    activity: Activity,
    centre: Department,
    actor: Any,
    name: str,
    sex: str,
    birth_date: dt.date | None,
    consent: bool,
    values: Mapping[str, str],
    phone: str = "",
    national_id: str = "",
    at: dt.datetime | None = None,
) -> Screening:
    """Register a person screened at a free clinic, with consent, and file the values (item code →
    value, e.g. ``{"SBP": "152", "GLU": "7.8"}``) as a checkup visit's results on the day."""
    require_permission(actor, "performance.add_screening")
    require_hospital(actor, activity.hospital_id)
    now = moment(at)
    errors: dict[str, list[str]] = {}
    if not consent:
        errors["consent"] = [_("Screening results are filed only with the person's consent.")]
    if activity.kind not in SCREENING_KINDS:
        errors["activity"] = [_("People are screened only at free clinics, welfare days and community work.")]
    if activity.held_on != timezone.localdate(now):
        errors["activity"] = [_("Screenings are registered on the day of the activity.")]
    if centre.hospital_id != activity.hospital_id:
        errors["centre"] = [_("The centre belongs to another hospital.")]
    filled = {code: str(value).strip() for code, value in values.items() if str(value).strip()}
    items = {
        i.code: i
        for i in Item.objects.filter(hospital_id=activity.hospital_id, code__in=filled, is_active=True)
    }
    if not filled:
        errors["values"] = [_("Enter at least one measurement.")]
    elif set(filled) - set(items):
        errors["values"] = [
            _("Unknown items: %(codes)s.") % {"codes": ", ".join(sorted(set(filled) - set(items)))}
        ]
    if errors:
        raise ValidationError(errors)
    patient, _created = customer_find_or_register(
        hospital=activity.hospital, actor=actor, name=name, sex=sex, birth_date=birth_date,
        national_id=national_id, phone=phone,
    )  # fmt: skip
    visit = visit_book(
        patient=patient, department=centre, scheduled_for=timezone.localdate(now), actor=actor,
        extra_items=list(items.values()), at=now,
    )  # fmt: skip
    Visit.objects.filter(pk=visit.pk).update(price=Decimal(0))
    OrderedItem.objects.filter(visit=visit).update(price=Decimal(0))
    visit = visit_check_in(visit=visit, actor=actor, at=now)
    for order in OrderedItem.objects.filter(visit=visit).select_related("item").order_by("id"):
        result_record(order=order, value=filled[order.item.code], actor=actor, at=now)
    screening = Screening.objects.create(
        activity=activity, patient=patient, visit=visit, consent_at=now, registered_by=actor
    )
    audit_record(
        actor=actor,
        action="performance.screening.register",
        obj=screening,
        summary=f"{activity.pk} {visit.number}",
        changes={"items": sorted(filled), "price": "0 (free screening)"},
    )
    return screening
