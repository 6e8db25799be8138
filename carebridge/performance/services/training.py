"""Training: sessions of a course, attendance with exam scores entered one by one or imported from an
attendance sheet (签到表) with a row-by-row report — all or nothing, or valid rows only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import OutboxMessage, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.services.outbox import outbox_enqueue
from carebridge.performance.choices import AssessmentKind, ImportMode
from carebridge.performance.domain.attendance_sheet import AttendanceRow, SheetError, read_sheet
from carebridge.performance.models import Attendance, Course, TrainingSession
from carebridge.performance.selectors.training import courses_due
from carebridge.performance.services.base import require_department, require_hospital, require_permission


def passed_for(course: Course, score: Decimal | None) -> bool | None:
    """Whether a score passes the course: ``None`` when the course has no mark or nobody scored."""
    if course.assessment == AssessmentKind.ATTENDANCE:
        return True
    if score is None or course.pass_mark is None:
        return None
    return score >= course.pass_mark


@transaction.atomic
def session_create(
    *,
    course: Course,
    held_on: dt.date,
    trainer: str,
    actor: Any,
    place: str = "",
    cost: Decimal = Decimal(0),
) -> TrainingSession:
    """Schedule or record one delivery (batch) of a course."""
    require_permission(actor, "performance.add_trainingsession")
    require_hospital(actor, course.hospital_id)
    errors: dict[str, list[str]] = {}
    if not trainer.strip():
        errors["trainer"] = [_("Name the trainer.")]
    if cost < 0:
        errors["cost"] = [_("The cost cannot be negative.")]
    if not course.is_active:
        errors["course"] = [_("This course is no longer given.")]
    if errors:
        raise ValidationError(errors)
    session = TrainingSession.objects.create(
        hospital_id=course.hospital_id,
        course=course,
        held_on=held_on,
        trainer=trainer.strip(),
        place=place.strip(),
        cost=cost,
        created_by=actor,
    )
    audit_record(actor=actor, action="performance.session.create", obj=session, summary=str(session))
    return session


def _attendance(
    session: TrainingSession, staff: Staff, hours: Decimal | None, score: Decimal | None
) -> Attendance:
    return Attendance(
        session=session,
        staff=staff,
        hours=hours if hours is not None else session.course.hours,
        score=score,
        passed=passed_for(session.course, score),
    )


@transaction.atomic
def attendance_record(
    *,
    session: TrainingSession,
    staff: Staff,
    actor: Any,
    score: Decimal | None = None,
    hours: Decimal | None = None,
) -> Attendance:
    """Enter (or correct) one person's attendance and score."""
    require_permission(actor, "performance.add_attendance")
    require_hospital(actor, session.hospital_id)
    if staff.hospital_id != session.hospital_id:
        raise ValidationError({"staff": [_("This person works in another hospital.")]})
    if staff.home_department is not None:
        require_department(actor, staff.home_department)
    if score is not None and not (Decimal(0) <= score <= Decimal(100)):
        raise ValidationError({"score": [_("The score must be between 0 and 100.")]})
    if hours is not None and not (Decimal(0) < hours <= Decimal(24)):
        raise ValidationError({"hours": [_("The hours must be more than 0 and at most 24.")]})
    row = _attendance(session, staff, hours, score)
    attendance, _created = Attendance.objects.update_or_create(
        session=session, staff=staff, defaults={"hours": row.hours, "score": row.score, "passed": row.passed}
    )
    audit_record(actor=actor, action="performance.attendance.record", obj=attendance, summary=str(attendance))
    return attendance


@dataclass
class ImportReport:
    """What an import did, row by row (the report the page shows)."""

    mode: str
    rows: list[AttendanceRow] = field(default_factory=list)
    imported: int = 0

    @property
    def rejected(self) -> list[AttendanceRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def committed(self) -> bool:
        return self.imported > 0


def _resolve(session: TrainingSession, rows: list[AttendanceRow]) -> None:
    """Find each row's member of staff by name (and department code, when the sheet has one)."""
    staff = Staff.objects.filter(hospital_id=session.hospital_id, is_active=True).select_related(
        "home_department"
    )
    by_name: dict[str, list[Staff]] = {}
    for person in staff:
        by_name.setdefault(person.name, []).append(person)
    recorded = set(session.attendances.values_list("staff_id", flat=True))
    for row in rows:
        if not row.name:
            continue
        matches = by_name.get(row.name, [])
        if row.department:
            matches = [
                p
                for p in matches
                if p.home_department and row.department in (p.home_department.code, p.home_department.name)
            ]
        if not matches:
            row.errors.append(_("No member of staff called %(name)s.") % {"name": row.name})
        elif len(matches) > 1:
            row.errors.append(
                _("%(count)s members of staff are called %(name)s; add the department column.")
                % {"count": len(matches), "name": row.name}
            )
        elif matches[0].pk in recorded:
            row.errors.append(_("%(name)s is already recorded for this session.") % {"name": row.name})
        else:
            row.staff_id = matches[0].pk


@transaction.atomic
def attendance_import(
    *,
    session: TrainingSession,
    content: bytes,
    file_name: str,
    actor: Any,
    mode: str = ImportMode.ALL_OR_NOTHING,
) -> ImportReport:
    """Import an attendance sheet. Every row is checked first; with any bad row nothing is imported
    unless ``mode`` is "valid rows only", which imports the others. A file that cannot be read at all is
    refused with a ``ValidationError`` on ``file``."""
    require_permission(actor, "performance.add_attendance")
    require_hospital(actor, session.hospital_id)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": [_("Unknown import mode.")]})
    try:
        rows = read_sheet(content, file_name)
    except SheetError as error:
        raise ValidationError({"file": [str(error)]}) from None
    if not rows:
        raise ValidationError({"file": [_("The file has no rows.")]})
    _resolve(session, rows)
    report = ImportReport(mode=mode, rows=rows)
    if report.rejected and mode == ImportMode.ALL_OR_NOTHING:
        return report
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=[r.staff_id for r in rows if r.ok])}
    Attendance.objects.bulk_create(
        [
            _attendance(session, staff[row.staff_id], row.hours, row.score)
            for row in rows
            if row.ok and row.staff_id
        ]
    )
    report.imported = sum(1 for row in rows if row.ok)
    audit_record(
        actor=actor,
        action="performance.attendance.import",
        obj=session,
        summary=f"{file_name[:100]}: {report.imported}/{len(rows)}",
        changes={"mode": mode, "rejected": len(report.rejected)},
    )
    return report


REMINDER_KIND = "performance.training.reminder"


def mandatory_training_remind(*, today: dt.date | None = None) -> int:
    """Send each person at a post an SMS for every mandatory course due within 30 days or overdue —
    once per person, course and due date (the outbox reference), however often the beat runs; returns
    how many reminders were new."""
    today = today or timezone.localdate()
    sent = 0
    people = Staff.objects.filter(is_active=True).exclude(phone="")
    for due in courses_due(people=people, today=today):
        reference = f"training-due-{due.staff.pk}-{due.course.pk}-{due.due:%Y%m%d}"
        if OutboxMessage.objects.filter(reference=reference).exists():
            continue
        with transaction.atomic():
            outbox_enqueue(
                kind=REMINDER_KIND,
                reference=reference,
                to=due.staff.phone,
                text=_("Mandatory training due by %(date)s: %(course)s.")
                % {"date": due.due.isoformat(), "course": due.course.title},
            )
        sent += 1
    return sent
