"""Shift handover (交班): shifts, opening the handover at a shift's end, notes, and the acknowledgement.

The beat task (``frontdesk.tasks.handovers_open_due``, every five minutes) opens the handover of the
shift that ended last, for every hospital with a service desk. One handover per hospital, shift and date
(a unique constraint, and ``get_or_create``): running the task twice, or an agent preparing the handover
by hand before the task, never makes two. While nobody has acknowledged it, each run refreshes its items
from the providers of ``carebridge.frontdesk.domain.carryover``, so the next shift sees what is still open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.frontdesk.choices import HandoverStatus
from carebridge.frontdesk.domain.carryover import carried_items
from carebridge.frontdesk.models import Handover, HandoverItem, Shift

# The defaults of a hospital that has not configured its shifts (the administrator edits them).
DEFAULT_SHIFTS: tuple[tuple[str, str, dt.time, dt.time], ...] = (
    ("day", "白班", dt.time(8), dt.time(17)),
    ("night", "夜班", dt.time(17), dt.time(8)),
)


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a shift: the shift, the local date it began, and when it starts and ends."""

    shift: Shift
    date: dt.date
    start: dt.datetime
    end: dt.datetime


@transaction.atomic
def shifts_install_defaults(*, hospital: Hospital) -> list[Shift]:
    """Give a hospital without any shift the default day and night shifts; otherwise change nothing."""
    if Shift.objects.filter(hospital=hospital).exists():
        return list(Shift.objects.filter(hospital=hospital, is_active=True))
    return [
        Shift.objects.create(hospital=hospital, code=code, name=name, starts_at=start, ends_at=end)
        for code, name, start, end in DEFAULT_SHIFTS
    ]


def _occurrences(shifts: list[Shift], *, around: dt.datetime, zone: str) -> list[Occurrence]:
    tz = ZoneInfo(zone)
    today = around.astimezone(tz).date()
    found = []
    for offset in (-2, -1, 0, 1):
        day = today + dt.timedelta(days=offset)
        for shift in shifts:
            start = dt.datetime.combine(day, shift.starts_at, tzinfo=tz)
            end_day = day if shift.ends_at > shift.starts_at else day + dt.timedelta(days=1)
            found.append(
                Occurrence(shift, day, start, dt.datetime.combine(end_day, shift.ends_at, tzinfo=tz))
            )
    return sorted(found, key=lambda occurrence: (occurrence.start, occurrence.shift.pk))


def current_occurrence(shifts: list[Shift], *, now: dt.datetime, zone: str) -> Occurrence | None:
    """The shift running at ``now`` (the one that began last, should shifts overlap)."""
    running = [o for o in _occurrences(shifts, around=now, zone=zone) if o.start <= now < o.end]
    return running[-1] if running else None


def last_ended_occurrence(shifts: list[Shift], *, now: dt.datetime, zone: str) -> Occurrence | None:
    ended = [o for o in _occurrences(shifts, around=now, zone=zone) if o.end <= now]
    return max(ended, key=lambda o: (o.end, o.start)) if ended else None


def next_shift_after(shifts: list[Shift], occurrence: Occurrence, *, zone: str) -> Shift:
    """The shift that takes over: the one starting closest to the outgoing shift's end."""
    candidates = [
        o
        for o in _occurrences(shifts, around=occurrence.end, zone=zone)
        if (o.shift.pk, o.date) != (occurrence.shift.pk, occurrence.date) and o.start >= occurrence.start
    ]
    if not candidates:
        return occurrence.shift
    return min(candidates, key=lambda o: (abs(o.start - occurrence.end), o.start)).shift


def _sync_items(handover: Handover, *, now: dt.datetime) -> int:
    items = carried_items(handover.hospital, now)
    kept = []
    for item in items:
        row, _created = HandoverItem.objects.update_or_create(
            handover=handover,
            kind=item.kind,
            object_key=item.object_key,
            defaults={
                "title": item.title[:255],
                "detail": item.detail[:255],
                "due": item.due,
                "url": item.url[:255],
            },
        )
        kept.append(row.pk)
    handover.items.exclude(pk__in=kept).delete()
    return len(kept)


@transaction.atomic
def handover_open(
    *, hospital: Hospital, occurrence: Occurrence, actor: Actor | None = None, now: dt.datetime | None = None
) -> tuple[Handover, bool]:
    """Open the handover at the end of ``occurrence`` (or find it), and carry the open matters over.

    Returns the handover and whether it was created. Items are refreshed while it is not acknowledged.
    """
    now = now or timezone.now()
    shifts = list(Shift.objects.filter(hospital=hospital, is_active=True))
    handover, created = Handover.objects.get_or_create(
        hospital=hospital,
        shift=occurrence.shift,
        shift_date=occurrence.date,
        defaults={
            "next_shift": next_shift_after(shifts, occurrence, zone=hospital.time_zone),
            "handover_at": occurrence.end,
            "opened_at": now,
            "opened_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    handover = Handover.objects.select_for_update().select_related("hospital").get(pk=handover.pk)
    if handover.status == HandoverStatus.OPEN:
        count = _sync_items(handover, now=now)
        if created:
            audit_record(
                actor=actor,
                action="handover.open",
                obj=handover,
                summary=f"{handover.shift.name} {handover.shift_date:%Y-%m-%d}",
                changes={"items": count},
            )
    return handover, created


def handover_prepare(*, hospital: Hospital, actor: Actor, now: dt.datetime | None = None) -> Handover:
    """The outgoing agent prepares the handover of the shift running now, before it ends."""
    now = now or timezone.now()
    shifts = shifts_install_defaults(hospital=hospital)
    occurrence = current_occurrence(shifts, now=now, zone=hospital.time_zone)
    if occurrence is None:
        raise ValidationError({"shift": [_("No shift is running now: check the shift configuration.")]})
    handover, _created = handover_open(hospital=hospital, occurrence=occurrence, actor=actor, now=now)
    return handover


def desk_hospitals() -> QuerySet[Hospital]:
    """Hospitals with a service desk: an active member of staff may take over a shift."""
    return Hospital.objects.filter(
        staff__is_active=True,
        staff__user__is_active=True,
        staff__user__groups__permissions__codename="acknowledge_handover",
        staff__user__groups__permissions__content_type__app_label="frontdesk",
    ).distinct()


def handovers_open_due(*, now: dt.datetime | None = None) -> list[int]:
    """For the beat task: open (or refresh) the handover of the shift that ended last, per desk hospital.

    Returns the ids of the handovers created by this run (none when run again).
    """
    now = now or timezone.now()
    created_ids = []
    for hospital in desk_hospitals():
        shifts = shifts_install_defaults(hospital=hospital)
        occurrence = last_ended_occurrence(shifts, now=now, zone=hospital.time_zone)
        if occurrence is None:
            continue
        handover, created = handover_open(hospital=hospital, occurrence=occurrence, now=now)
        if created:
            created_ids.append(handover.pk)
    return created_ids


@transaction.atomic
def handover_write_notes(*, handover: Handover, actor: Any, notes: str) -> Handover:
    """The outgoing shift's notes (交班记录); the writer becomes the one who handed over."""
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.status != HandoverStatus.OPEN:
        raise ValidationError(
            {"notes": [_("The handover was acknowledged; its notes can no longer change.")]}
        )
    if not notes.strip():
        raise ValidationError({"notes": [_("Write the notes for the next shift.")]})
    locked.notes = notes.strip()
    locked.handed_over_by = actor
    locked.save(update_fields=["notes", "handed_over_by"])
    audit_record(actor=actor, action="handover.notes", obj=locked, summary=str(locked))
    return locked


@transaction.atomic
def handover_acknowledge(
    *, handover: Handover, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Handover:
    """Whoever takes over acknowledges the handover (接班确认): who and when; once only, and never the
    person who handed it over."""
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    moment = at or timezone.now()
    if locked.status == HandoverStatus.ACKNOWLEDGED:
        raise ValidationError(
            {
                "status": [
                    _("This handover was already acknowledged at %(at)s.")
                    % {"at": timezone.localtime(locked.acknowledged_at).strftime("%Y-%m-%d %H:%M")}
                ]
            }
        )
    if moment < locked.opened_at:
        raise ValidationError({"at": [_("The acknowledgement cannot come before the handover was opened.")]})
    if locked.handed_over_by_id is not None and locked.handed_over_by_id == getattr(actor, "pk", None):
        # A handover is between two people: whoever handed over cannot also confirm having taken over.
        refusal = _("You handed this shift over; a colleague of the next shift takes it over.")
        raise ValidationError({"acknowledged_by": [refusal]})
    locked.status = HandoverStatus.ACKNOWLEDGED
    locked.acknowledged_at = moment
    locked.acknowledged_by = actor
    locked.acknowledgement_note = note.strip()
    locked.save()
    audit_record(
        actor=actor,
        action="handover.acknowledge",
        obj=locked,
        summary=str(locked),
        changes={"items": locked.items.count()},
    )
    return locked
