"""Inquiries and triage (咨询分诊): recording a question, and answering it (at once or on call-back).

One transaction per service with its audit row; the whole input is checked at once and refused with field
errors (nothing written) when anything is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.frontdesk.choices import InquiryCategory, InquiryChannel
from carebridge.frontdesk.models import Inquiry
from carebridge.knowledge.models import ExternalHospital
from carebridge.patients.models import Patient

_FUTURE_SLACK = dt.timedelta(minutes=5)


@dataclass
class InquiryInput:
    """What the agent types: the question, and the answer when it is given at once."""

    channel: str
    category: str
    question: str
    answer: str = ""
    asker_name: str = ""
    patient: Patient | None = None
    recommended_department: Department | None = None
    recommended_doctor: Staff | None = None
    referred_hospital: ExternalHospital | None = None
    received_at: dt.datetime | None = None


def _check_time(errors: dict[str, list[str]], name: str, moment: dt.datetime, now: dt.datetime) -> None:
    try:
        require_aware(moment, field=name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if moment > now + _FUTURE_SLACK:
            errors[name] = [_("The time is in the future.")]


def _check_advice(
    errors: dict[str, list[str]],
    *,
    hospital_id: int,
    department: Department | None,
    doctor: Staff | None,
    external: ExternalHospital | None,
) -> None:
    """Recommendations must come from the inquiry's own hospital (and its own dictionary)."""
    if department is not None and department.hospital_id != hospital_id:
        errors["recommended_department"] = [_("The department belongs to another hospital.")]
    if doctor is not None and doctor.hospital_id != hospital_id:
        errors["recommended_doctor"] = [_("The doctor works at another hospital.")]
    if external is not None and external.hospital_id != hospital_id:
        errors["referred_hospital"] = [_("This external hospital is not in your hospital's dictionary.")]


def _clean(data: InquiryInput, *, hospital: Hospital, actor: Actor, now: dt.datetime) -> dict[str, list[str]]:
    from carebridge.patients.selectors.patients import patient_list

    errors: dict[str, list[str]] = {}
    if not data.question.strip():
        errors["question"] = [_("Write down the question.")]
    if data.channel not in InquiryChannel.values:
        errors["channel"] = [_("Unknown value: %(value)s.") % {"value": data.channel}]
    if data.category not in InquiryCategory.values:
        errors["category"] = [_("Unknown value: %(value)s.") % {"value": data.category}]
    if data.received_at is not None:
        _check_time(errors, "received_at", data.received_at, now)
    if (
        data.patient is not None
        and not patient_list(user=actor).filter(pk=data.patient.pk, hospital=hospital).exists()
    ):
        errors["patient"] = [_("This patient is not in your scope.")]
    _check_advice(
        errors,
        hospital_id=hospital.pk,
        department=data.recommended_department,
        doctor=data.recommended_doctor,
        external=data.referred_hospital,
    )
    return errors


@transaction.atomic
def inquiry_record(*, hospital: Hospital, actor: Any, data: InquiryInput) -> Inquiry:
    """Record a question; with an answer it is answered now (response time = now − received)."""
    now = timezone.now()
    errors = _clean(data, hospital=hospital, actor=actor, now=now)
    if errors:
        raise ValidationError(errors)
    received_at = data.received_at or now
    answered = bool(data.answer.strip())
    inquiry = Inquiry.objects.create(
        hospital=hospital,
        channel=data.channel,
        category=data.category,
        question=data.question.strip(),
        answer=data.answer.strip(),
        asker_name=data.asker_name.strip(),
        patient=data.patient,
        recommended_department=data.recommended_department,
        recommended_doctor=data.recommended_doctor,
        referred_hospital=data.referred_hospital,
        received_at=received_at,
        received_by=actor,
        answered_at=max(now, received_at) if answered else None,
        answered_by=actor if answered else None,
    )
    audit_record(
        actor=actor,
        action="inquiry.record",
        obj=inquiry,
        summary=f"{inquiry.get_channel_display()} · {inquiry.get_category_display()}",
        changes={"answered": answered, "patient": data.patient.pk if data.patient else None},
    )
    return inquiry


@transaction.atomic
def inquiry_answer(
    *,
    inquiry: Inquiry,
    actor: Any,
    answer: str,
    recommended_department: Department | None = None,
    recommended_doctor: Staff | None = None,
    referred_hospital: ExternalHospital | None = None,
    at: dt.datetime | None = None,
) -> Inquiry:
    """Answer an inquiry left open (a call-back); an inquiry is answered once."""
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if locked.answered_at is not None:
        errors["answer"] = [
            _("This inquiry was already answered at %(at)s.")
            % {"at": timezone.localtime(locked.answered_at).strftime("%Y-%m-%d %H:%M")}
        ]
    elif not answer.strip():
        errors["answer"] = [_("Write down the answer.")]
    moment = at or now
    _check_time(errors, "at", moment, now)
    if "at" not in errors and moment < locked.received_at:
        errors["at"] = [_("The answer cannot come before the question.")]
    _check_advice(
        errors,
        hospital_id=locked.hospital_id,
        department=recommended_department,
        doctor=recommended_doctor,
        external=referred_hospital,
    )
    if errors:
        raise ValidationError(errors)
    locked.answer = answer.strip()
    locked.answered_at = moment
    locked.answered_by = actor
    locked.recommended_department = recommended_department or locked.recommended_department
    locked.recommended_doctor = recommended_doctor or locked.recommended_doctor
    locked.referred_hospital = referred_hospital or locked.referred_hospital
    locked.save()
    audit_record(
        actor=actor,
        action="inquiry.answer",
        obj=locked,
        summary=locked.get_category_display(),
        changes={"response_seconds": int((moment - locked.received_at).total_seconds())},
    )
    return locked
