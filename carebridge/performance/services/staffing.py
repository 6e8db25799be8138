"""Staff standards: admission assessments against the written criteria, and post assignments (the
rotation history when they happen, the rotation plan while ``planned``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.core.models import Staff
from carebridge.core.services.audit import audit_record
from carebridge.frontdesk.models import Shift
from carebridge.performance.models import (
    AdmissionAssessment,
    AdmissionCriterion,
    AdmissionScore,
    Post,
    PostAssignment,
)
from carebridge.performance.services.base import require_department, require_hospital, require_permission


def _require_staff(actor: Any, staff: Staff) -> None:
    require_hospital(actor, staff.hospital_id)
    if staff.home_department is not None:
        require_department(actor, staff.home_department)


@transaction.atomic
def assessment_record(
    *, staff: Staff, actor: Any, assessed_on: dt.date, scores: Mapping[int, Decimal], note: str = ""
) -> AdmissionAssessment:
    """Score a person on every criterion of the hospital's admission standard; passed when every score
    reaches its criterion's pass score."""
    require_permission(actor, "performance.add_admissionassessment")
    _require_staff(actor, staff)
    criteria = list(AdmissionCriterion.objects.filter(hospital_id=staff.hospital_id))
    errors: list[str] = []
    if not criteria:
        raise ValidationError({"scores": [_("The hospital has no admission criteria yet.")]})
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None:
            errors.append(_("%(criterion)s: no score.") % {"criterion": criterion.name})
        elif not (Decimal(0) <= score <= criterion.max_score):
            errors.append(
                _("%(criterion)s: the score must be between 0 and %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_score}
            )
    if set(scores) - {c.pk for c in criteria}:
        errors.append(_("A score is for a criterion of another hospital."))
    if errors:
        raise ValidationError({"scores": errors})
    passed = all(scores[c.pk] >= c.pass_score for c in criteria)
    assessment = AdmissionAssessment.objects.create(
        staff=staff, assessed_on=assessed_on, assessor=actor, passed=passed, note=note
    )
    AdmissionScore.objects.bulk_create(
        AdmissionScore(assessment=assessment, criterion=c, score=scores[c.pk]) for c in criteria
    )
    audit_record(
        actor=actor, action="performance.admission.assess", obj=assessment, changes={"passed": passed}
    )
    return assessment


@transaction.atomic
def assignment_create(
    *,
    staff: Staff,
    post: Post,
    starts_on: dt.date,
    actor: Any,
    planned: bool = False,
    ends_on: dt.date | None = None,
    shift: Shift | None = None,
    reason: str = "",
) -> PostAssignment:
    """Put a person at a post from ``starts_on``. An actual move ends the person's current open
    assignment the day before; a planned one only enters the plan."""
    require_permission(actor, "performance.add_postassignment")
    _require_staff(actor, staff)
    errors: dict[str, list[str]] = {}
    if post.hospital_id != staff.hospital_id:
        errors["post"] = [_("The post belongs to another hospital.")]
    if shift is not None and shift.hospital_id != staff.hospital_id:
        errors["shift"] = [_("The shift belongs to another hospital.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The end is before the start.")]
    if errors:
        raise ValidationError(errors)
    if not planned:
        current = (
            PostAssignment.objects.select_for_update()
            .filter(staff=staff, planned=False, ends_on__isnull=True, starts_on__lt=starts_on)
            .order_by("-starts_on")
            .first()
        )
        if current is not None:
            current.ends_on = starts_on - dt.timedelta(days=1)
            current.save(update_fields=["ends_on"])
    assignment = PostAssignment.objects.create(
        staff=staff, post=post, shift=shift, starts_on=starts_on, ends_on=ends_on, planned=planned,
        reason=reason, created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="performance.rotation.plan" if planned else "performance.rotation.move",
        obj=assignment,
        summary=f"{staff.name} → {post.name} {starts_on:%Y-%m-%d}",
    )
    return assignment
