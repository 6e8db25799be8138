"""Intake and case work of complaints, compliments and suggestions (投诉/表扬/建议).

Each service is one transaction with its audit row. Attachments are checked (extension and sniffed
content, size) before anything is written, so a refused file leaves neither a row nor a file behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.complaints.choices import (
    Category,
    Channel,
    ComplaintStatus,
    FeedbackKind,
    RecoveryKind,
    Severity,
)
from carebridge.complaints.domain.attachments import check_attachment
from carebridge.complaints.domain.lexicon import suggest_category
from carebridge.complaints.models import Complaint, ComplaintAttachment, ComplaintNote, RecoveryAction
from carebridge.complaints.services.transitions import LIFECYCLE, complaint_transition, deadlines_refresh
from carebridge.core.masking import mask_phone
from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import transition_record
from carebridge.core.types import Actor
from carebridge.core.validators import normalise_phone, require_aware, validate_phone
from carebridge.patients.choices import CustomerClass
from carebridge.patients.models import Customer, Patient

REFERENCE_PREFIX: dict[str, str] = {
    FeedbackKind.COMPLAINT: "TS",
    FeedbackKind.COMPLIMENT: "BY",
    FeedbackKind.SUGGESTION: "JY",
}


@dataclass
class ComplaintInput:
    """What the receiver records. The complainant is a patient, a customer, or a name (and phone) typed in."""

    content: str
    channel: str
    kind: str = FeedbackKind.COMPLAINT
    category: str = ""  # empty: take the suggestion from the text
    severity: int = Severity.MINOR
    patient: Patient | None = None
    customer: Customer | None = None
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_class: str = CustomerClass.PATIENT
    departments: Sequence[Department] = field(default_factory=list)
    staff: Sequence[Staff] = field(default_factory=list)
    received_at: dt.datetime | None = None
    # Resolved at once by the receiver (当场解决): the resolution given on the spot.
    on_the_spot_resolution: str = ""


def _check_uploads(uploads: Sequence[Any]) -> list[str]:
    problems = []
    for upload in uploads:
        try:
            check_attachment(upload)
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems


def _complainant(
    data: ComplaintInput, *, hospital: Hospital, actor: Actor, errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Name, phone and class of the complainant, from the patient, the customer or what was typed in."""
    from carebridge.patients.selectors.patients import patient_list

    if data.patient is not None and data.customer is not None:
        errors["customer"] = [_("Give either a patient or another customer, not both.")]
    values: dict[str, Any]
    if data.patient is not None:
        values = {"complainant_class": CustomerClass.PATIENT}
        if not patient_list(user=actor).filter(pk=data.patient.pk, hospital=hospital).exists():
            errors["patient"] = [_("This patient is not in your scope.")]
            return values
        phone = data.patient.phones.order_by("-is_primary", "id").first()
        values.update(
            complainant_name=data.complainant_name.strip() or data.patient.name,
            complainant_phone=data.complainant_phone or (phone.number if phone else ""),
        )
    elif data.customer is not None:
        if data.customer.hospital_id != hospital.pk:
            errors["customer"] = [_("This customer belongs to another hospital.")]
        values = {
            "complainant_name": data.customer.name,
            "complainant_phone": data.complainant_phone or data.customer.phone,
            "complainant_class": data.customer.customer_class,
        }
    else:
        if not data.complainant_name.strip():
            errors["complainant_name"] = [_("Give the complainant's name, or choose a patient or customer.")]
        if data.complainant_class not in CustomerClass.values:
            errors["complainant_class"] = [_("Unknown customer class.")]
        values = {
            "complainant_name": data.complainant_name.strip(),
            "complainant_phone": data.complainant_phone,
            "complainant_class": data.complainant_class,
        }
    phone_number = normalise_phone(values.get("complainant_phone") or "")
    if phone_number:
        try:
            validate_phone(phone_number)
        except ValidationError as exc:
            errors["complainant_phone"] = exc.messages
    values["complainant_phone"] = phone_number
    return values


def _clean(
    data: ComplaintInput, *, hospital: Hospital, actor: Actor, uploads: Sequence[Any]
) -> dict[str, Any]:
    """Validate the whole intake at once; raise one ValidationError with every field's problem."""
    errors: dict[str, list[str]] = {}
    if not (data.content or "").strip():
        errors["content"] = [_("Write down what the complainant said.")]
    for name, value, allowed in (
        ("kind", data.kind, FeedbackKind.values),
        ("channel", data.channel, Channel.values),
        ("category", data.category or Category.OTHER, Category.values),
        ("severity", data.severity, Severity.values),
    ):
        if value not in allowed:
            errors[name] = [_("Unknown value: %(value)s.") % {"value": value}]
    values = _complainant(data, hospital=hospital, actor=actor, errors=errors)
    if any(d.hospital_id != hospital.pk for d in data.departments):
        errors["departments"] = [_("A department belongs to another hospital.")]
    if any(s.hospital_id != hospital.pk for s in data.staff):
        errors["staff"] = [_("A member of staff belongs to another hospital.")]
    received_at = data.received_at or timezone.now()
    try:
        require_aware(received_at, field="received_at")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if received_at > timezone.now() + dt.timedelta(minutes=5):
            errors["received_at"] = [_("The time of receipt is in the future.")]
    if data.on_the_spot_resolution.strip() and data.kind != FeedbackKind.COMPLAINT:
        errors["on_the_spot_resolution"] = [_("Only complaints are resolved on the spot.")]
    problems = _check_uploads(uploads)
    if problems:
        errors["attachments"] = problems
    if errors:
        raise ValidationError(errors)
    values["received_at"] = received_at
    return values


def _store_attachments(complaint: Complaint, actor: Any, uploads: Sequence[Any]) -> list[ComplaintAttachment]:
    stored = []
    for upload in uploads:
        content_type = check_attachment(upload)
        attachment = ComplaintAttachment(
            complaint=complaint,
            original_name=str(upload.name)[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(str(upload.name), upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def complaint_receive(
    *, hospital: Hospital, actor: Any, data: ComplaintInput, attachments: Sequence[Any] = ()
) -> Complaint:
    """Record a complaint, compliment or suggestion; the receiver becomes its owner (首诉负责制)."""
    values = _clean(data, hospital=hospital, actor=actor, uploads=attachments)
    suggestion = suggest_category(data.content)
    complaint = Complaint.objects.create(
        hospital=hospital,
        kind=data.kind,
        channel=data.channel,
        status=ComplaintStatus.RECEIVED,
        owner=actor,
        patient=data.patient,
        customer=data.customer,
        content=data.content.strip(),
        category=data.category or suggestion.category,
        suggested_category=suggestion.category,
        suggestion_evidence=suggestion.evidence_json(),
        severity=data.severity,
        **values,
    )
    local = timezone.localtime(complaint.received_at)
    complaint.reference = f"{REFERENCE_PREFIX[data.kind]}{local:%Y%m%d}-{complaint.pk:05d}"
    complaint.save(update_fields=["reference"])
    complaint.departments.set(data.departments)
    complaint.staff.set(data.staff)
    transition_record(
        lifecycle=LIFECYCLE,
        obj=complaint,
        from_status="",
        to_status=ComplaintStatus.RECEIVED,
        actor=actor,
        at=complaint.received_at,
        reason=complaint.get_channel_display(),
    )
    deadlines_refresh(complaint=complaint, now=complaint.received_at)
    _store_attachments(complaint, actor, attachments)
    audit_record(
        actor=actor,
        action="complaint.receive",
        obj=complaint,
        summary=f"{complaint.reference} {complaint.get_kind_display()}",
        changes={
            "category": complaint.category,
            "suggested": suggestion.category,
            "phone": mask_phone(complaint.complainant_phone),
        },
    )
    if data.on_the_spot_resolution.strip():
        complaint = complaint_transition(
            complaint=complaint,
            to=ComplaintStatus.RESOLVED,
            actor=actor,
            resolution=data.on_the_spot_resolution,
            at=complaint.received_at,
        )
    return complaint


@transaction.atomic
def complaint_update(
    *,
    complaint: Complaint,
    actor: Actor,
    category: str | None = None,
    severity: int | None = None,
    departments: Sequence[Department] | None = None,
    staff: Sequence[Staff] | None = None,
) -> Complaint:
    """Correct the classification of a case; a change in the departments involved moves its deadlines."""
    errors: dict[str, list[str]] = {}
    if category is not None and category not in Category.values:
        errors["category"] = [_("Unknown category: %(value)s.") % {"value": category}]
    if severity is not None and severity not in Severity.values:
        errors["severity"] = [_("Severity runs from 1 to 4.")]
    if departments is not None and any(d.hospital_id != complaint.hospital_id for d in departments):
        errors["departments"] = [_("A department belongs to another hospital.")]
    if staff is not None and any(s.hospital_id != complaint.hospital_id for s in staff):
        errors["staff"] = [_("A member of staff belongs to another hospital.")]
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = {}
    if category is not None and category != complaint.category:
        changes["category"] = [complaint.category, category]
        complaint.category = category
    if severity is not None and severity != complaint.severity:
        changes["severity"] = [complaint.severity, severity]
        complaint.severity = severity
    complaint.save()
    if departments is not None:
        before = sorted(complaint.departments.values_list("pk", flat=True))
        complaint.departments.set(departments)
        after = sorted(d.pk for d in departments)
        if before != after:
            changes["departments"] = [before, after]
            deadlines_refresh(complaint=complaint, now=timezone.now())
    if staff is not None:
        complaint.staff.set(staff)
        changes["staff"] = sorted(s.pk for s in staff)
    audit_record(
        actor=actor, action="complaint.update", obj=complaint, summary=complaint.reference, changes=changes
    )
    return complaint


@transaction.atomic
def note_add(*, complaint: Complaint, actor: Any, text: str, at: dt.datetime | None = None) -> ComplaintNote:
    """An investigation note (调查记录)."""
    if not text.strip():
        raise ValidationError({"text": [_("The note is empty.")]})
    note = ComplaintNote.objects.create(
        complaint=complaint, author=actor, text=text.strip(), at=at or timezone.now()
    )
    audit_record(actor=actor, action="complaint.note", obj=complaint, summary=complaint.reference)
    return note


@transaction.atomic
def recovery_action_add(
    *,
    complaint: Complaint,
    actor: Any,
    kind: str,
    description: str,
    cost: Decimal = Decimal("0"),
    done_at: dt.datetime | None = None,
) -> RecoveryAction:
    """A service-recovery action (服务补救): apology visit, re-printed films, refund, compensation …"""
    errors: dict[str, list[str]] = {}
    if kind not in RecoveryKind.values:
        errors["kind"] = [_("Unknown kind of action.")]
    if not description.strip():
        errors["description"] = [_("Describe what was done.")]
    if cost < 0:
        errors["cost"] = [_("The cost cannot be negative.")]
    if done_at is not None and done_at > timezone.now() + dt.timedelta(minutes=5):
        errors["done_at"] = [
            _("The action cannot be done in the future; leave the date empty while planned.")
        ]
    elif done_at is not None and timezone.localdate(done_at) < timezone.localdate(complaint.received_at):
        # (The day, not the minute: an apology on the spot may come before the complaint is typed in.)
        errors["done_at"] = [_("The action cannot be done before the day the complaint was received.")]
    if errors:
        raise ValidationError(errors)
    action = RecoveryAction.objects.create(
        complaint=complaint,
        kind=kind,
        description=description.strip(),
        cost=cost,
        done_at=done_at,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="complaint.recovery",
        obj=complaint,
        summary=complaint.reference,
        changes={"kind": kind, "cost": str(cost)},
    )
    return action


@transaction.atomic
def complaint_attach(
    *, complaint: Complaint, actor: Actor, uploads: Sequence[Any]
) -> list[ComplaintAttachment]:
    """Attach files to a case; one refused file refuses them all and nothing is stored."""
    if not uploads:
        raise ValidationError({"attachments": [_("Choose a file.")]})
    problems = _check_uploads(uploads)
    if problems:
        raise ValidationError({"attachments": problems})
    stored = _store_attachments(complaint, actor, uploads)
    audit_record(
        actor=actor,
        action="complaint.attach",
        obj=complaint,
        summary=complaint.reference,
        changes={"files": len(stored)},
    )
    return stored


@transaction.atomic
def complaint_record_feedback(
    *, complaint: Complaint, actor: Actor, satisfied: bool, feedback: str = "", at: dt.datetime | None = None
) -> Complaint:
    """The complainant's answer to the resolution: satisfied confirms the case; not satisfied is recorded
    and leaves it resolved, for the office to reopen or close (the complainant may then turn to mediation)."""
    if complaint.status != ComplaintStatus.RESOLVED:
        raise ValidationError({"satisfied": [_("Feedback is recorded on a resolved case.")]})
    if not satisfied and not feedback.strip():
        raise ValidationError({"feedback": [_("Write down why the complainant is not satisfied.")]})
    Complaint.objects.filter(pk=complaint.pk).update(
        complainant_satisfied=satisfied, complainant_feedback=feedback.strip()
    )
    complaint.refresh_from_db()
    audit_record(
        actor=actor,
        action="complaint.feedback",
        obj=complaint,
        summary=complaint.reference,
        changes={"satisfied": satisfied},
    )
    if satisfied:
        return complaint_transition(
            complaint=complaint, to=ComplaintStatus.CONFIRMED, actor=actor, reason=feedback, at=at
        )
    return complaint
