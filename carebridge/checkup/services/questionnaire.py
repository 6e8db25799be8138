"""The health questionnaire (健康问卷) at registration or check-in (篇7 2.2.6 "检前"): an instrument of the
surveys app, answered on the centre's tablet or entered from paper, stored as a survey response linked
to the visit and its person, and shown to the chief examiner beside the results
(``selectors.visits.questionnaire_answers``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.domain.questionnaire import DOCUMENT, HEALTH_QUESTIONNAIRE_CODE
from carebridge.checkup.models import Visit
from carebridge.checkup.services.base import moment, require_centre, require_permission
from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.surveys.choices import ResponseMode, VersionStatus
from carebridge.surveys.models import InstrumentVersion
from carebridge.surveys.services.instruments import instrument_import, version_publish
from carebridge.surveys.services.responses import response_record_direct

# Before the visit or on the day, until the person leaves the centre.
ANSWERABLE = (VisitStatus.BOOKED, VisitStatus.CHECKED_IN)


def health_questionnaire_version(hospital: Hospital | int) -> InstrumentVersion | None:
    """The newest published version of the hospital's health questionnaire (``None``: not installed)."""
    hospital_id = hospital if isinstance(hospital, int) else hospital.pk
    return (
        InstrumentVersion.objects.filter(
            instrument__hospital_id=hospital_id,
            instrument__code=HEALTH_QUESTIONNAIRE_CODE,
            status=VersionStatus.PUBLISHED,
        )
        .select_related("instrument")
        .order_by("-number")
        .first()
    )


@transaction.atomic
def health_questionnaire_install(*, hospital: Hospital, actor: Actor | None = None) -> InstrumentVersion:
    """Install and publish the starter health questionnaire for ``hospital`` (idempotent: a published
    version is returned as it is)."""
    existing = health_questionnaire_version(hospital)
    if existing is not None:
        return existing
    result = instrument_import(hospital=hospital, actor=actor, document=DOCUMENT)  # type: ignore[arg-type]
    version = result.version
    if version.status == VersionStatus.DRAFT:
        version = version_publish(version=version, actor=actor)  # type: ignore[arg-type]
    return version


@transaction.atomic
def visit_questionnaire_record(
    *,
    visit: Visit,
    actor: Actor,
    answers: Mapping[str, Any],
    mode: str = ResponseMode.PAPER,
    at: Any = None,
) -> Visit:
    """Store the person's answers to the health questionnaire for this visit (before or at check-in; a
    second entry replaces the first, which stays in the surveys app). Bad answers raise a
    ``ValidationError`` per item code and nothing is stored."""
    require_permission(
        actor, "checkup.check_in_visit", _("Only the centre's staff record the questionnaire.")
    )
    require_centre(actor, visit.department)
    locked = (
        Visit.objects.select_for_update(of=("self",)).select_related("patient", "encounter").get(pk=visit.pk)
    )
    if locked.status not in ANSWERABLE:
        raise ValidationError(
            {"visit": [_("The questionnaire is answered before the person leaves the centre.")]}
        )
    version = health_questionnaire_version(locked.hospital_id)
    if version is None:
        raise ValidationError({"visit": [_("The centre has no published health questionnaire.")]})
    if mode not in (ResponseMode.WEB, ResponseMode.PAPER):
        raise ValidationError({"mode": [_("Unknown mode: %(mode)s.") % {"mode": mode}]})
    replaced = locked.questionnaire_id
    response = response_record_direct(
        version=version,
        patient=locked.patient,
        answers=answers,
        mode=mode,
        actor=actor,
        submitted_at=moment(at),
        encounter=locked.encounter,
        department=locked.department,
    )
    locked.questionnaire = response
    locked.save(update_fields=["questionnaire"])
    audit_record(
        actor=actor,
        action="checkup.visit.questionnaire",
        obj=locked,
        summary=locked.number,
        changes={"response": response.pk, "replaced": replaced},
    )
    return locked
