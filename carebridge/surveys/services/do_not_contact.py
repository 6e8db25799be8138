"""The do-not-contact list: people who asked not to be surveyed; their unsent invitations are withdrawn."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_phone
from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.validators import normalise_phone, validate_phone
from carebridge.patients.models import Patient
from carebridge.surveys.choices import (
    ExclusionReason,
    InvitationStatus,
)
from carebridge.surveys.models import (
    DoNotContact,
    Exclusion,
    Invitation,
)
from carebridge.surveys.services.invitations import invitation_transition

# --- Do-not-contact list ------------------------------------------------------------------------------


@transaction.atomic
def do_not_contact_add(
    *, hospital: Hospital, actor: Any, patient: Patient | None = None, phone: str = "", reason: str = ""
) -> DoNotContact:
    """Put a patient or a phone number on the do-not-contact list; their unsent invitations are withdrawn.

    Adding the same patient or number twice returns the existing entry.
    """
    number = normalise_phone(phone)
    errors: dict[str, list[str]] = {}
    if patient is None and not number:
        errors["phone"] = [_("Give a patient or a phone number.")]
    if patient is not None and patient.hospital_id != hospital.pk:
        errors["patient"] = [_("This patient belongs to another hospital.")]
    if number:
        try:
            validate_phone(number)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    existing = DoNotContact.objects.filter(hospital=hospital, patient=patient, phone=number).first()
    if existing is not None:
        return existing
    entry = DoNotContact.objects.create(
        hospital=hospital, patient=patient, phone=number, reason=reason.strip()[:255], added_by=actor
    )
    pending = Invitation.objects.filter(wave__hospital=hospital, status=InvitationStatus.PENDING)
    affected = pending.none()
    if patient is not None:
        affected = affected | pending.filter(patient=patient)
    if number:
        affected = (
            affected
            | pending.filter(patient__phones__number=number)
            | pending.filter(staff__phone=number)
            | pending.filter(customer__phone=number)
        )
    reason_text = str(ExclusionReason.DO_NOT_CONTACT.label)
    withdrawn = 0
    for invitation in affected.distinct():
        invitation_transition(invitation=invitation, to=InvitationStatus.WITHDRAWN, reason=reason_text)
        Exclusion.objects.create(
            wave_id=invitation.wave_id,
            patient_id=invitation.patient_id,
            staff_id=invitation.staff_id,
            customer_id=invitation.customer_id,
            reason=ExclusionReason.DO_NOT_CONTACT,
        )
        withdrawn += 1
    audit_record(
        actor=actor,
        action="surveys.do_not_contact_add",
        obj=entry,
        summary=(patient.mrn if patient else mask_phone(number)),
        changes={
            "phone": mask_phone(number),
            "patient": patient.pk if patient else None,
            "withdrawn": withdrawn,
        },
    )
    return entry
