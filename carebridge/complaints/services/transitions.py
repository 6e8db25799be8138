"""The complaint life cycle: the one service that changes a case's status, and the deadlines it recomputes.

Every change of status goes through :func:`complaint_transition`: it refuses what the transition table
(``choices.TRANSITIONS``, the :data:`LIFECYCLE`) does not allow and what the case does not support
(closing without a resolution, reopening without a reason, resolving an investigated case without
investigation notes …), writes a ``ComplaintTransition`` row (``core.services.transitions.transition_apply``)
and an audit row, and recomputes every deadline of the case, in one transaction. A refused transition
raises ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.complaints.choices import (
    REOPENABLE,
    TRANSITIONS,
    ComplaintStatus,
    DeadlineKind,
    FeedbackKind,
    RootCause,
)
from carebridge.complaints.domain.policy import deadline_specs, routing_office_for
from carebridge.complaints.models import Complaint, ComplaintDeadline, ComplaintPause, ComplaintTransition
from carebridge.core.deadlines import WorkCalendar
from carebridge.core.models import Department
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import Lifecycle, transition_apply
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware

# The complaint life cycle: its status, the table of moves and the record of each move. Pages ask it which
# moves to offer; :func:`complaint_transition` adds the rules that depend on the case.
LIFECYCLE: Lifecycle[Complaint] = Lifecycle(
    record=ComplaintTransition, subject="complaint", moves=TRANSITIONS, choices=ComplaintStatus
)
# Columns a transition may change besides the status (saved with it).
_CASE_FIELDS = (
    "responsible_office",
    "resolution",
    "resolved_at",
    "on_the_spot",
    "confirmed_at",
    "closed_at",
    "root_cause",
    "updated_at",
)

# Statuses that mean the case has been taken up (acknowledgement) and answered (feedback).
_ACKNOWLEDGED = frozenset(set(ComplaintStatus.values) - {ComplaintStatus.RECEIVED})
_ANSWERED = frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.CONFIRMED, ComplaintStatus.CLOSED})


def _label(status: str) -> str:
    return str(ComplaintStatus(status).label) if status in ComplaintStatus.values else status


def _moment(at: dt.datetime | None, complaint: Complaint) -> dt.datetime:
    """When the change happened: now, or earlier for back-entry from a paper ledger (and the demo)."""
    now = timezone.now()
    if at is None:
        return now
    require_aware(at, field="at")
    if at > now + dt.timedelta(minutes=5):
        raise ValidationError({"at": [_("The time is in the future.")]})
    if at < complaint.received_at:
        raise ValidationError({"at": [_("The time is before the case was received.")]})
    return at


def deadlines_refresh(
    *, complaint: Complaint, now: dt.datetime, calendar: WorkCalendar | None = None
) -> None:
    """Recompute and store every deadline of the case (part of each transition's transaction)."""
    calendar = calendar or WorkCalendar.from_database()
    specs = deadline_specs(
        complaint=complaint,
        department_count=complaint.departments.count(),
        pauses=list(complaint.pauses.all()),
        now=now,
        calendar=calendar,
        zone=complaint.hospital.time_zone,
    )
    existing = {d.kind: d for d in complaint.deadlines.all()}
    kept = set()
    for spec in specs:
        met = (spec.kind == DeadlineKind.ACKNOWLEDGEMENT and complaint.status in _ACKNOWLEDGED) or (
            spec.kind == DeadlineKind.FEEDBACK and complaint.status in _ANSWERED
        )
        row = existing.get(spec.kind)
        if row is None:
            row = ComplaintDeadline(complaint=complaint, kind=spec.kind)
        # A deadline once kept stays kept: reopening a case does not make its first answer late.
        row.met_at = row.met_at or (now if met else None)
        row.due, row.working_days = spec.due, spec.working_days
        row.save()
        kept.add(spec.kind)
    complaint.deadlines.exclude(kind__in=kept).delete()


def _check_outcome(
    complaint: Complaint, to: str, *, resolution: str, root_cause: str
) -> dict[str, list[str]]:
    """The rules of resolving, confirming and closing."""
    errors: dict[str, list[str]] = {}
    current = complaint.status
    is_complaint = complaint.kind == FeedbackKind.COMPLAINT
    if to == ComplaintStatus.RESOLVED:
        if not resolution.strip():
            errors["resolution"] = [_("Write the resolution before resolving the case.")]
        if current != ComplaintStatus.RECEIVED and not complaint.notes.exists():
            errors.setdefault("resolution", []).append(
                _(
                    "An investigated case needs investigation notes before it is resolved "
                    "(only a case resolved on the spot may go without)."
                )
            )
    if to == ComplaintStatus.CONFIRMED and complaint.complainant_satisfied is not True:
        errors["satisfied"] = [_("Only the complainant's satisfied feedback confirms a resolution.")]
    if to == ComplaintStatus.CLOSED:
        if is_complaint and not complaint.resolution.strip():
            errors["resolution"] = [_("A complaint cannot be closed without a resolution.")]
        if current == ComplaintStatus.RECEIVED and is_complaint:
            errors["to"] = [_("A complaint must be resolved before it is closed.")]
        if root_cause and root_cause not in RootCause.values:
            errors["root_cause"] = [_("Unknown root cause.")]
    return errors


def _check(
    complaint: Complaint,
    to: str,
    *,
    actor: Actor,
    reason: str,
    resolution: str,
    office: Department | None,
    root_cause: str,
) -> dict[str, list[str]]:
    """What stops this transition, as field errors (empty when it may go ahead)."""
    current = complaint.status
    if to not in ComplaintStatus.values:
        return {"to": [_("Unknown status: %(status)s.") % {"status": to}]}
    if to not in TRANSITIONS.get(current, frozenset()):
        return {
            "to": [
                _("A case that is “%(current)s” cannot be moved to “%(to)s”.")
                % {"current": _label(current), "to": _label(to)}
            ]
        }
    errors: dict[str, list[str]] = {}
    reopening = to == ComplaintStatus.INVESTIGATING and current in REOPENABLE
    if (reopening or to == ComplaintStatus.CLOSED) and not actor.has_perm("complaints.close_complaint"):
        raise PermissionDenied(_("Only the complaint office may close or reopen a case."))
    if reopening and not reason.strip():
        errors["reason"] = [_("Say why the case is reopened.")]
    if to == ComplaintStatus.AWAITING_COMPLAINANT and not reason.strip():
        errors["reason"] = [_("Say what the complainant is asked for; the clock stops until they answer.")]
    if to == ComplaintStatus.ROUTED:
        if office is None:
            errors["office"] = [_("No office handles this category: choose the office to route the case to.")]
        elif office.hospital_id != complaint.hospital_id:
            errors["office"] = [_("The office belongs to another hospital.")]
        elif current == ComplaintStatus.ROUTED and office.pk == complaint.responsible_office_id:
            errors["office"] = [_("The case is already with this office.")]
    errors.update(_check_outcome(complaint, to, resolution=resolution, root_cause=root_cause))
    return errors


@transaction.atomic
def complaint_transition(
    *,
    complaint: Complaint,
    to: str,
    actor: Actor,
    reason: str = "",
    resolution: str = "",
    office: Department | None = None,
    root_cause: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """Move a case to status ``to``, or refuse with a ``ValidationError`` that says why (nothing changes)."""
    locked = Complaint.objects.select_for_update().select_related("hospital").get(pk=complaint.pk)
    now = _moment(at, locked)
    if to == ComplaintStatus.ROUTED and office is None:
        office = routing_office_for(hospital=locked.hospital, category=locked.category)
    errors = _check(
        locked, to, actor=actor, reason=reason, resolution=resolution, office=office, root_cause=root_cause
    )
    if errors:
        raise ValidationError(errors)
    current = locked.status
    if current == ComplaintStatus.AWAITING_COMPLAINANT:
        locked.pauses.filter(ended_at__isnull=True).update(ended_at=now)
    if to == ComplaintStatus.AWAITING_COMPLAINANT:
        ComplaintPause.objects.create(complaint=locked, started_at=now, reason=reason.strip()[:255])
    if to == ComplaintStatus.ROUTED:
        locked.responsible_office = office  # the owner (首诉负责人) stays the first receiver
    if to == ComplaintStatus.RESOLVED:
        locked.resolution = resolution.strip()
        locked.resolved_at = now
        locked.on_the_spot = current == ComplaintStatus.RECEIVED
    if to == ComplaintStatus.CONFIRMED:
        locked.confirmed_at = now
    if to == ComplaintStatus.CLOSED:
        locked.closed_at = now
        locked.root_cause = root_cause or locked.root_cause
    if to == ComplaintStatus.INVESTIGATING and current in REOPENABLE:
        locked.closed_at = locked.confirmed_at = None
    why = (
        reason.strip()
        or (office.name if to == ComplaintStatus.ROUTED and office else "")
        or resolution.strip()
    )
    transition_apply(
        lifecycle=LIFECYCLE, obj=locked, to=to, actor=actor, reason=why, at=now, update_fields=_CASE_FIELDS
    )
    deadlines_refresh(complaint=locked, now=now)
    audit_record(
        actor=actor,
        action=f"complaint.{to}",
        obj=locked,
        summary=f"{locked.reference}: {_label(current)} → {_label(to)}",
        changes={"status": [current, to], "reason": why[:200]},
    )
    return locked


def complaint_route(
    *,
    complaint: Complaint,
    actor: Actor,
    office: Department | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Complaint:
    """Hand a complaint to the office responsible for its category (首诉负责制 keeps the first owner)."""
    return complaint_transition(
        complaint=complaint, to=ComplaintStatus.ROUTED, actor=actor, office=office, reason=note, at=at
    )
