"""Writes of the ward programme's routines: record a daily sync (who attended, the issues raised and who
owns each) and a meeting or forum (minutes, decisions). One transaction with an audit row each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.followup.choices import MeetingKind
from carebridge.followup.models import SyncIssue, WardMeeting, WardSync


@transaction.atomic
def sync_record(
    *,
    department: Department,
    held_on: dt.date,
    project_manager: Staff,
    attendees: Iterable[Staff],
    issues: list[SyncIssue],
    notes: str = "",
    ward: Ward | None = None,
    actor: Actor | None,
) -> WardSync:
    """Record the day's sync of a ward; a second record for the same ward and day is refused."""
    people = list(attendees)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("The date is in the future.")]
    if ward is not None and ward.department_id != department.pk:
        errors["ward"] = [_("The ward belongs to another department.")]
    if any(person.hospital_id != department.hospital_id for person in [project_manager, *people]):
        errors["attendees"] = [_("Everyone must work at the department's hospital.")]
    for issue in issues:
        if not str(issue.get("text", "")).strip():
            errors["issues"] = [_("Every issue needs a text.")]
    if WardSync.objects.filter(department=department, ward=ward, held_on=held_on).exists():
        errors["held_on"] = [_("This day's sync is already recorded.")]
    if errors:
        raise ValidationError(errors)
    sync = WardSync.objects.create(
        hospital=department.hospital,
        department=department,
        ward=ward,
        held_on=held_on,
        project_manager=project_manager,
        issues=[
            SyncIssue(
                text=str(i["text"]).strip()[:500], owner=i.get("owner"), resolved=bool(i.get("resolved"))
            )
            for i in issues
        ],
        notes=notes.strip(),
    )
    sync.attendees.set(people)
    audit_record(
        actor=actor, action="ward_sync.record", obj=sync, summary=str(sync), changes={"issues": len(issues)}
    )
    return sync


@transaction.atomic
def meeting_record(
    *,
    hospital: Hospital,
    kind: str,
    held_on: dt.date,
    title: str,
    chaired_by: Staff,
    minutes: str,
    decisions: list[str],
    attendance: int = 0,
    department: Department | None = None,
    actor: Actor | None,
) -> WardMeeting:
    errors = _meeting_errors(
        hospital=hospital,
        kind=kind,
        held_on=held_on,
        title=title,
        chaired_by=chaired_by,
        minutes=minutes,
        attendance=attendance,
        department=department,
    )
    if errors:
        raise ValidationError(errors)
    meeting = WardMeeting.objects.create(
        hospital=hospital,
        kind=kind,
        held_on=held_on,
        title=title.strip()[:200],
        department=department,
        chaired_by=chaired_by,
        attendance=attendance,
        minutes=minutes.strip(),
        decisions=[d.strip() for d in decisions if d.strip()],
    )
    audit_record(actor=actor, action="meeting.record", obj=meeting, summary=meeting.title)
    return meeting


def _meeting_errors(
    *,
    hospital: Hospital,
    kind: str,
    held_on: dt.date,
    title: str,
    chaired_by: Staff,
    minutes: str,
    attendance: int,
    department: Department | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Unknown value: %(value)s.") % {"value": kind}]
    if not title.strip():
        errors["title"] = [_("Give the meeting a title.")]
    if not minutes.strip():
        errors["minutes"] = [_("Write the minutes.")]
    if held_on > timezone.localdate():
        errors["held_on"] = [_("The date is in the future.")]
    if chaired_by.hospital_id != hospital.pk or (
        department is not None and department.hospital_id != hospital.pk
    ):
        errors["chaired_by"] = [_("Everyone must work at the hospital.")]
    if attendance < 0:
        errors["attendance"] = [_("The attendance cannot be negative.")]
    return errors


@transaction.atomic
def meeting_update(
    *,
    meeting: WardMeeting,
    kind: str,
    held_on: dt.date,
    title: str,
    chaired_by: Staff,
    minutes: str,
    decisions: list[str],
    attendance: int = 0,
    department: Department | None = None,
    actor: Actor | None,
) -> WardMeeting:
    """Correct a meeting's record (its minutes and decisions are often written up after it), with the
    same checks as :func:`meeting_record`; the hospital stays. The audit row names the changed fields."""
    locked = WardMeeting.objects.select_for_update().get(pk=meeting.pk)
    errors = _meeting_errors(
        hospital=locked.hospital,
        kind=kind,
        held_on=held_on,
        title=title,
        chaired_by=chaired_by,
        minutes=minutes,
        attendance=attendance,
        department=department,
    )
    if errors:
        raise ValidationError(errors)
    values = {
        "kind": kind,
        "held_on": held_on,
        "title": title.strip()[:200],
        "department_id": department.pk if department else None,
        "chaired_by_id": chaired_by.pk,
        "attendance": attendance,
        "minutes": minutes.strip(),
        "decisions": [d.strip() for d in decisions if d.strip()],
    }
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name, value in values.items():
        setattr(locked, name, value)
    if changed:
        locked.save(update_fields=[name.removesuffix("_id") for name in changed])
        audit_record(
            actor=actor,
            action="meeting.update",
            obj=locked,
            summary=locked.title,
            changes={"fields": changed},
        )
    return locked
