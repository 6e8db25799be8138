"""Campaign inspections (双创): rounds, findings with photos, rectification by the department head,
verification by the inspector, and the one escalation of a finding left unrectified past its deadline.

Every service is one transaction with its audit row and a transition row for each change of status;
messages go through the outbox after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department
from carebridge.core.services.audit import audit_record
from carebridge.core.services.outbox import outbox_enqueue
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.performance.choices import FINDING_MOVES, FindingStatus, PhotoStage, RoundKind
from carebridge.performance.models import (
    Finding,
    FindingPhoto,
    FindingTransition,
    InspectionArea,
    InspectionRound,
)
from carebridge.performance.services.base import (
    check_files,
    moment,
    require_department,
    require_hospital,
    require_permission,
)

FINDING: Lifecycle[Finding] = Lifecycle(
    record=FindingTransition, subject="finding", moves=FINDING_MOVES, choices=FindingStatus
)
INSPECT = "performance.inspect_finding"
RECTIFY = "performance.rectify_finding"
OUTBOX_KIND = "performance.finding.escalation"


def department_heads(department: Department) -> list[Any]:
    """Active users who may rectify findings and have ``department`` in their scope (科主任/护士长)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff__hospital_id=department.hospital_id, staff__is_active=True)
        .filter(Q(staff__departments=department))
        .filter(
            Q(groups__permissions__codename="rectify_finding")
            | Q(user_permissions__codename="rectify_finding")
        )
        .select_related("staff")
        .distinct()
        .order_by("id")
    )
    return [user for user in users if user.has_perm(RECTIFY)]


def _store_photos(finding: Finding, uploads: Sequence[Any], stage: str, actor: Any) -> list[FindingPhoto]:
    types = check_files(uploads, field="photos", photos_only=True)
    stored = []
    for upload, content_type in zip(uploads, types, strict=True):
        photo = FindingPhoto(
            finding=finding,
            stage=stage,
            original_name=str(upload.name)[:255],
            content_type=content_type,
            size=int(upload.size),
            uploaded_by=actor,
        )
        photo.file.save(str(upload.name), upload, save=False)
        photo.save()
        stored.append(photo)
    return stored


@transaction.atomic
def round_create(
    *,
    hospital_id: int,
    kind: str,
    held_on: dt.date,
    actor: Any,
    areas: Sequence[InspectionArea] = (),
    note: str = "",
) -> InspectionRound:
    """Open an inspection round; the actor is its inspector."""
    require_permission(actor, "performance.add_inspectionround")
    require_hospital(actor, hospital_id)
    if kind not in RoundKind.values:
        raise ValidationError({"kind": [_("Unknown type.")]})
    if any(area.hospital_id != hospital_id for area in areas):
        raise ValidationError({"areas": [_("An area belongs to another hospital.")]})
    inspection = InspectionRound.objects.create(
        hospital_id=hospital_id, kind=kind, held_on=held_on, inspector=actor, note=note
    )
    inspection.areas.set(list(areas))
    audit_record(actor=actor, action="performance.round.create", obj=inspection, summary=str(inspection))
    return inspection


@transaction.atomic
def finding_record(
    *,
    inspection: InspectionRound,
    area: InspectionArea,
    description: str,
    deadline: dt.date,
    actor: Any,
    responsible: Any | None = None,
    checklist_item: str = "",
    photos: Sequence[Any] = (),
    at: dt.datetime | None = None,
) -> Finding:
    """Record a finding of a round, assigned to a head of the area's department (the first one unless
    ``responsible`` names another) with a deadline; photos are checked, nothing stored on any error."""
    require_permission(actor, INSPECT)
    require_hospital(actor, inspection.hospital_id)
    now = moment(at)
    errors: dict[str, list[str]] = {}
    if area.hospital_id != inspection.hospital_id:
        errors["area"] = [_("The area belongs to another hospital.")]
    if not description.strip():
        errors["description"] = [_("Describe what was found.")]
    if deadline < timezone.localdate(now):
        errors["deadline"] = [_("The deadline is in the past.")]
    heads = department_heads(area.department)
    if responsible is None and heads:
        responsible = heads[0]
    if responsible is None:
        errors["responsible"] = [
            _("Nobody may rectify findings for %(department)s; give its head the role first.")
            % {"department": area.department.name}
        ]
    elif all(head.pk != responsible.pk for head in heads):
        errors["responsible"] = [_("This person is not a head of the area's department.")]
    if photos:
        check_files(photos, field="photos", photos_only=True)
    if errors or responsible is None:
        raise ValidationError(errors)
    finding = Finding.objects.create(
        hospital_id=inspection.hospital_id,
        round=inspection,
        area=area,
        department=area.department,
        checklist_item=checklist_item[:128],
        description=description.strip(),
        responsible=responsible,
        deadline=deadline,
        found_at=now,
    )
    _store_photos(finding, photos, PhotoStage.FINDING, actor)
    transition_record(
        lifecycle=FINDING, obj=finding, from_status="", to_status=FindingStatus.OPEN, actor=actor, at=now
    )
    audit_record(
        actor=actor,
        action="performance.finding.record",
        obj=finding,
        summary=f"{area.name} → {deadline:%Y-%m-%d}",
        changes={"responsible": responsible.pk, "photos": len(photos)},
    )
    return finding


@transaction.atomic
def finding_rectify(
    *, finding: Finding, actor: Any, note: str, photos: Sequence[Any], at: dt.datetime | None = None
) -> Finding:
    """The department head reports the rectification with at least one photo as evidence."""
    require_permission(actor, RECTIFY)
    locked = Finding.objects.select_for_update().select_related("department").get(pk=finding.pk)
    require_department(actor, locked.department)
    now = moment(at)
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = [_("Say what was done.")]
    if not photos:
        errors["photos"] = [_("Attach at least one photo of the rectified place.")]
    else:
        try:
            check_files(photos, field="photos", photos_only=True)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    locked.rectification = note.strip()
    locked.rectified_at = now
    transition_apply(
        lifecycle=FINDING, obj=locked, to=FindingStatus.RECTIFIED, actor=actor, at=now, reason=note.strip(),
        update_fields=["rectification", "rectified_at"],
    )  # fmt: skip
    _store_photos(locked, photos, PhotoStage.RECTIFICATION, actor)
    audit_record(actor=actor, action="performance.finding.rectify", obj=locked, summary=note.strip()[:120])
    return locked


@transaction.atomic
def finding_verify(
    *, finding: Finding, actor: Any, accept: bool, reason: str = "", at: dt.datetime | None = None
) -> Finding:
    """The inspector checks the rectification on the spot: verified, or sent back (open) with a reason."""
    require_permission(actor, INSPECT)
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    require_hospital(actor, locked.hospital_id)
    now = moment(at)
    if not accept and not reason.strip():
        raise ValidationError({"reason": [_("Say why the rectification is not accepted.")]})
    if accept:
        locked.verified_at, locked.verified_by = now, actor
        transition_apply(
            lifecycle=FINDING, obj=locked, to=FindingStatus.VERIFIED, actor=actor, at=now, reason=reason,
            update_fields=["verified_at", "verified_by"],
        )  # fmt: skip
    else:
        transition_apply(
            lifecycle=FINDING, obj=locked, to=FindingStatus.OPEN, actor=actor, at=now, reason=reason
        )
    action = "performance.finding.verify" if accept else "performance.finding.reopen"
    audit_record(actor=actor, action=action, obj=locked, summary=reason[:120])
    return locked


def overdue_filter(today: dt.date) -> Q:
    """Open findings whose deadline day has ended (a deadline is the whole of its day)."""
    return Q(status=FindingStatus.OPEN, deadline__lt=today)


def findings_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate, once, every finding still open after its deadline: the department head and the
    inspector get an SMS and the finding is flagged on the head's page. The flag is claimed with one
    conditional UPDATE, so a second run (or a second worker) escalates nothing again."""
    now = moment(now)
    today = timezone.localdate(now)
    escalated = 0
    candidates = Finding.objects.filter(overdue_filter(today), escalated_at__isnull=True).order_by("id")
    for finding_id in candidates.values_list("id", flat=True):
        with transaction.atomic():
            claimed = Finding.objects.filter(
                overdue_filter(today), pk=finding_id, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            finding = Finding.objects.select_related(
                "area", "responsible__staff", "round__inspector__staff"
            ).get(pk=finding_id)
            text = _("双创 finding overdue: %(area)s, deadline %(deadline)s: %(what)s") % {
                "area": finding.area.name,
                "deadline": finding.deadline.isoformat(),
                "what": finding.description[:60],
            }
            for user in (finding.responsible, finding.round.inspector):
                phone = getattr(getattr(user, "staff", None), "phone", "")
                if phone:
                    outbox_enqueue(
                        kind=OUTBOX_KIND,
                        reference=f"finding-escalation-{finding.pk}-{user.pk}",
                        to=phone,
                        text=text,
                    )
            audit_record(
                actor=None, action="performance.finding.escalate", obj=finding, summary=str(finding.deadline)
            )
            escalated += 1
    return escalated


def may_rectify(user: Any, finding: Finding) -> bool:
    try:
        require_permission(user, RECTIFY)
        require_department(user, finding.department)
    except PermissionDenied:
        return False
    return finding.status == FindingStatus.OPEN


def may_verify(user: Any, finding: Finding) -> bool:
    return bool(user.has_perm(INSPECT)) and finding.status == FindingStatus.RECTIFIED
