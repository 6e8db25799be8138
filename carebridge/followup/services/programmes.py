"""Chronic-disease programmes: configure one, enrol a patient with a matching diagnosis (one at a time or
every eligible patient), leave, and record a return visit.

Enrolling writes one :class:`ProgrammeRecall` per step of the schedule and schedules each as a standalone
follow-up call (``services.standalone``) due on its day and not offered before it — so a day-90 recheck
reminder appears in the ordinary call queue on day 90, well beyond the tiers' 30-day window, with the
same calling hours, redials, escalation and consent rules. Leaving cancels every open recall call.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.core.types import Actor
from carebridge.followup.choices import (
    ENROLMENT_MOVES,
    OPEN_TOUCHPOINT,
    EnrolmentStatus,
    RecallKind,
    StandaloneReason,
    TouchpointStatus,
)
from carebridge.followup.models import (
    ChronicProgramme,
    EnrolmentTransition,
    ProgrammeEnrolment,
    ProgrammeRecall,
    RecallStep,
)
from carebridge.followup.services.standalone import standalone_call_schedule
from carebridge.followup.services.transitions import moment, touchpoint_move
from carebridge.patients.models import Diagnosis, Patient

ENROLMENT_LIFECYCLE: Lifecycle[ProgrammeEnrolment] = Lifecycle(
    record=EnrolmentTransition, subject="enrolment", moves=ENROLMENT_MOVES, choices=EnrolmentStatus
)
# Long-term schedules only: a step inside the tiers' window would duplicate the discharge calls.
FIRST_DAY = 31
LAST_DAY = 3 * 366


def schedule_errors(schedule: object) -> list[str]:
    """Why ``schedule`` is not a valid recall schedule (empty: it is)."""
    if not isinstance(schedule, list) or not schedule:
        return [_("Give at least one recall step.")]
    errors: list[str] = []
    days: list[int] = []
    for number, step in enumerate(schedule, start=1):
        if not isinstance(step, dict) or set(step) != {"day", "kind", "title"}:
            errors.append(_("Step %(n)s needs day, kind and title.") % {"n": number})
            continue
        day = step["day"]
        if not isinstance(day, int) or not FIRST_DAY <= day <= LAST_DAY:
            errors.append(
                _("Step %(n)s: the day is %(first)s to %(last)s after enrolment.")
                % {"n": number, "first": FIRST_DAY, "last": LAST_DAY}
            )
        if step["kind"] not in RecallKind.values:
            errors.append(_("Step %(n)s: unknown kind.") % {"n": number})
        if not str(step["title"]).strip():
            errors.append(_("Step %(n)s: say what the call is about.") % {"n": number})
        days.append(day if isinstance(day, int) else 0)
    if days != sorted(days):
        errors.append(_("The steps must be in order of their day."))
    return errors


@transaction.atomic
def programme_create(
    *,
    hospital: Hospital,
    code: str,
    name: str,
    icd10_prefixes: list[str],
    schedule: list[RecallStep],
    department: Department | None = None,
    max_age: int | None = None,
    actor: Actor | None,
) -> ChronicProgramme:
    errors: dict[str, list[str]] = {}
    prefixes = [p.strip().upper() for p in icd10_prefixes if p.strip()]
    if not name.strip():
        errors["name"] = [_("Give the programme a name.")]
    if not prefixes or any(not p[0].isalpha() for p in prefixes):
        errors["icd10_prefixes"] = [_("Give ICD-10 code prefixes such as J45.")]
    if department is not None and department.hospital_id != hospital.pk:
        errors["department"] = [_("The department belongs to another hospital.")]
    if messages := schedule_errors(schedule):
        errors["schedule"] = messages
    if ChronicProgramme.objects.filter(hospital=hospital, code=code).exists():
        errors["code"] = [_("This code is taken.")]
    if errors:
        raise ValidationError(errors)
    programme = ChronicProgramme.objects.create(
        hospital=hospital,
        code=code,
        name=name.strip(),
        department=department,
        icd10_prefixes=prefixes,
        max_age=max_age,
        schedule=schedule,
    )
    audit_record(actor=actor, action="programme.create", obj=programme, summary=programme.name)
    return programme


def _diagnosis_q(programme: ChronicProgramme, prefix: str = "encounters__diagnoses__code") -> Q:
    condition = Q(pk__in=[])
    for code in programme.icd10_prefixes:
        condition |= Q(**{f"{prefix}__istartswith": code})
    return condition


def enrolling_diagnosis(programme: ChronicProgramme, patient: Patient) -> str:
    """The patient's first diagnosis code that matches the programme ("" when none does)."""
    code = (
        Diagnosis.objects.filter(encounter__patient=patient)
        .filter(_diagnosis_q(programme, prefix="code"))
        .order_by("id")
        .values_list("code", flat=True)
        .first()
    )
    return code or ""


def _schedule_recalls(enrolment: ProgrammeEnrolment, *, actor: Actor | None, at: dt.datetime) -> int:
    programme = enrolment.programme
    count = 0
    start = enrolment.enrolled_at
    # A re-joined patient's recalls are numbered after the earlier ones (whose calls stay in the history).
    first = 1 + (enrolment.recalls.aggregate(last=Max("step"))["last"] or 0)
    for number, step in enumerate(programme.schedule, start=first):
        due = start + dt.timedelta(days=int(step["day"]))
        if due <= at:
            continue  # a re-joined patient is not called for steps long past
        recall, _created = ProgrammeRecall.objects.get_or_create(
            enrolment=enrolment,
            step=number,
            defaults={"kind": step["kind"], "title": str(step["title"])[:128], "due_at": due},
        )
        if recall.touchpoint is not None and recall.touchpoint.status in OPEN_TOUCHPOINT:
            continue
        recall.touchpoint = standalone_call_schedule(
            patient=enrolment.patient,
            reason=StandaloneReason.CHRONIC_RECALL,
            title=f"{programme.name}：{recall.title}"[:128],
            origin=recall,
            origin_label=f"{programme.name} · {RecallKind(recall.kind).label}",
            hospital=enrolment.hospital,
            department=enrolment.department,
            due_at=due,
            not_before=due,
            rank=2,
            actor=actor,
            at=at,
        )
        recall.due_at = due
        recall.save(update_fields=["touchpoint", "due_at"])
        count += 1
    return count


@transaction.atomic
def programme_enrol(
    *, programme: ChronicProgramme, patient: Patient, actor: Actor | None, at: dt.datetime | None = None
) -> ProgrammeEnrolment:
    """Enrol ``patient`` (who must carry one of the programme's diagnoses) and schedule the recalls; a
    patient who left is enrolled again from today. Enrolling an enrolled patient changes nothing."""
    when = moment(at)
    errors: dict[str, list[str]] = {}
    if not programme.active:
        errors["programme"] = [_("The programme is closed.")]
    if patient.hospital_id != programme.hospital_id:
        errors["patient"] = [_("The patient belongs to another hospital.")]
    code = enrolling_diagnosis(programme, patient)
    if not code:
        errors["patient"] = [_("The patient has none of the programme's diagnoses.")]
    if programme.max_age is not None and patient.birth_date is not None:
        age = (timezone.localdate(when) - patient.birth_date).days // 365
        if age > programme.max_age:
            errors["patient"] = [_("The patient is older than the programme's age limit.")]
    if errors:
        raise ValidationError(errors)
    enrolment = (
        ProgrammeEnrolment.objects.select_for_update().filter(programme=programme, patient=patient).first()
    )
    if enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE:
        return enrolment
    if enrolment is None:
        try:
            with transaction.atomic():
                enrolment = ProgrammeEnrolment.objects.create(
                    programme=programme,
                    hospital=programme.hospital,
                    department=programme.department,
                    patient=patient,
                    diagnosis_code=code,
                    enrolled_at=when,
                )
        except IntegrityError:  # enrolled by a concurrent request
            return ProgrammeEnrolment.objects.get(programme=programme, patient=patient)
        transition_record(
            lifecycle=ENROLMENT_LIFECYCLE,
            obj=enrolment,
            from_status="",
            to_status=EnrolmentStatus.ACTIVE,
            actor=actor,
            at=when,
            reason=code,
        )
    else:
        enrolment.enrolled_at, enrolment.left_at, enrolment.leave_reason = when, None, ""
        # Recalls that never became a call, or whose call was cancelled on leaving, are dropped.
        enrolment.recalls.filter(
            Q(touchpoint__isnull=True) | Q(touchpoint__status=TouchpointStatus.CANCELLED)
        ).delete()
        transition_apply(
            lifecycle=ENROLMENT_LIFECYCLE,
            obj=enrolment,
            to=EnrolmentStatus.ACTIVE,
            actor=actor,
            at=when,
            reason=_("Enrolled again."),
            update_fields=["enrolled_at", "left_at", "leave_reason"],
        )
    scheduled = _schedule_recalls(enrolment, actor=actor, at=when)
    audit_record(
        actor=actor,
        action="programme.enrol",
        obj=enrolment,
        summary=programme.name,
        changes={"diagnosis": code, "recalls": scheduled},
    )
    return enrolment


@transaction.atomic
def programme_enrol_eligible(
    *, programme: ChronicProgramme, actor: Actor | None, at: dt.datetime | None = None
) -> int:
    """Enrol every living patient of the hospital with a matching diagnosis who was never enrolled
    (patients who left are not re-enrolled automatically). Returns how many joined."""
    when = moment(at)
    candidates = (
        Patient.objects.filter(hospital=programme.hospital, deceased_at__isnull=True)
        .filter(_diagnosis_q(programme))
        .exclude(programme_enrolments__programme=programme)
        .distinct()
        .order_by("id")
    )
    joined = 0
    for patient in candidates:
        try:
            programme_enrol(programme=programme, patient=patient, actor=actor, at=when)
        except ValidationError:
            continue  # over the age limit
        joined += 1
    return joined


@transaction.atomic
def programme_leave(
    *, enrolment: ProgrammeEnrolment, reason: str, actor: Actor | None, at: dt.datetime | None = None
) -> ProgrammeEnrolment:
    """Take the patient out of the programme: every open recall call is cancelled (nobody calls again)."""
    when = moment(at)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the patient leaves the programme.")]})
    enrolment = ProgrammeEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    enrolment.left_at, enrolment.leave_reason = when, reason.strip()[:255]
    transition_apply(
        lifecycle=ENROLMENT_LIFECYCLE,
        obj=enrolment,
        to=EnrolmentStatus.LEFT,
        actor=actor,
        at=when,
        reason=reason.strip(),
        update_fields=["left_at", "leave_reason"],
    )
    cancelled = 0
    for recall in enrolment.recalls.filter(touchpoint__status__in=OPEN_TOUCHPOINT).select_related(
        "touchpoint"
    ):
        touchpoint_move(
            touchpoint=recall.touchpoint,  # type: ignore[arg-type]  # filtered on its status above
            to=TouchpointStatus.CANCELLED,
            actor=actor,
            at=when,
            reason=_("The patient left the programme."),
        )
        cancelled += 1
    audit_record(
        actor=actor,
        action="programme.leave",
        obj=enrolment,
        summary=reason.strip()[:200],
        changes={"cancelled": cancelled},
    )
    return enrolment


@transaction.atomic
def programme_return_record(
    *, enrolment: ProgrammeEnrolment, at: dt.datetime, actor: Actor | None
) -> ProgrammeEnrolment:
    """Record that an enrolled patient came back (a return visit, 回头客) for the programme's rates."""
    when = moment(at)
    if when < enrolment.enrolled_at:
        raise ValidationError({"at": [_("The visit is before the enrolment.")]})
    enrolment.returned_at = max(enrolment.returned_at or when, when)
    enrolment.save(update_fields=["returned_at"])
    audit_record(actor=actor, action="programme.return", obj=enrolment, summary=when.isoformat())
    return enrolment
