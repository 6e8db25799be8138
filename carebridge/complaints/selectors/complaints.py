"""Reads of complaints, through ``restrict()`` and the complaint's scope rule (``Complaint.scope_lookups``):
the complaint office, agents, the quality office and administrators see the whole hospital
(``core.hospital_wide_scope``); department-scoped roles see the cases that involve one of their departments
or that their department handles; anyone sees the cases they own. Leaders have no
``complaints.view_complaint``: they see statistics only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from carebridge.complaints.choices import DeadlineKind
from carebridge.complaints.domain.policy import deadline_specs
from carebridge.complaints.models import Complaint, ComplaintDeadline, ComplaintPause
from carebridge.complaints.selectors.overdue import overdue_complaints
from carebridge.core.deadlines import WorkCalendar
from carebridge.core.scope import restrict, scope_for
from carebridge.core.types import Actor


def complaint_list(*, user: Actor) -> QuerySet[Complaint]:
    """Cases the user may see: ``complaints.view_complaint``, in the user's scope."""
    return restrict(Complaint.objects.all(), user, "view")


def complaints_in_scope(*, user: Actor) -> QuerySet[Complaint]:
    """Cases in the user's scope whatever the user's permissions, for reads that check a permission of
    their own (the statistics)."""
    scope = scope_for(user)
    rule = Complaint.scope_lookups.rule
    if scope.is_empty or rule is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(rule(scope, user))


def complaint_list_for_display(*, user: Actor) -> QuerySet[Complaint]:
    return (
        complaint_list(user=user)
        .select_related("hospital", "owner", "responsible_office", "patient", "escalated_to")
        .prefetch_related(
            "departments",
            Prefetch("deadlines", queryset=ComplaintDeadline.objects.order_by("due")),
            Prefetch("pauses", queryset=ComplaintPause.objects.order_by("started_at")),
        )
    )


def complaint_get(*, user: Actor, pk: int) -> Complaint:
    """One case in the user's scope, or 404 (out of scope looks the same as absent)."""
    complaint = (
        complaint_list_for_display(user=user)
        .prefetch_related("staff", "transitions__actor", "notes__author", "recovery_actions", "attachments")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404("No such complaint in your scope.")
    return complaint


@dataclass(frozen=True)
class DeadlineView:
    kind: str
    label: str
    due: dt.datetime
    working_days: int
    met_at: dt.datetime | None
    overdue: bool
    paused: bool


def deadline_views(
    complaint: Complaint, *, now: dt.datetime | None = None, calendar: WorkCalendar | None = None
) -> list[DeadlineView]:
    """Every deadline of a case as shown. While the clock is stopped the due dates move with "now"
    (an open pause ends now), so they are recomputed rather than read. Uses prefetched rows."""
    now = now or timezone.now()
    stored = list(complaint.deadlines.all())
    pauses = list(complaint.pauses.all())
    paused = any(p.ended_at is None for p in pauses)
    dues = {d.kind: d.due for d in stored}
    if paused:
        specs = deadline_specs(
            complaint=complaint,
            department_count=len(complaint.departments.all()),
            pauses=pauses,
            now=now,
            calendar=calendar or WorkCalendar.from_database(),
            zone=complaint.hospital.time_zone,
        )
        dues.update({spec.kind: spec.due for spec in specs})
    return [
        DeadlineView(
            kind=d.kind,
            label=str(DeadlineKind(d.kind).label),
            due=dues[d.kind],
            working_days=d.working_days,
            met_at=d.met_at,
            overdue=d.met_at is None and not paused and dues[d.kind] < now,
            paused=paused,
        )
        for d in sorted(stored, key=lambda row: dues[row.kind])
    ]


def overdue_list(*, user: Actor, now: dt.datetime | None = None) -> QuerySet[Complaint]:
    """The overdue queue: the user's cases with a deadline passed unmet (``overdue_q``), oldest first."""
    now = now or timezone.now()
    return (
        complaint_list_for_display(user=user)
        .filter(pk__in=overdue_complaints(now=now).values("pk"))
        .order_by("received_at")
    )


OFFICE_ROLE = "complaint_officer"


def complaint_office_receiver(*, hospital: Any) -> Any | None:
    """The user who receives a case no person at the desk took (a survey's service-recovery case): the
    complaint office (医患办) is its first receiver. The office head named in the hospital's complaint
    policy when they may receive complaints, else the first active member of the complaint-office role
    at the hospital (by name), else ``None``."""
    from django.contrib.auth import get_user_model

    from carebridge.complaints.models import ComplaintPolicy

    policy = ComplaintPolicy.objects.filter(hospital=hospital).select_related("office_head__user").first()
    head = policy.office_head.user if policy and policy.office_head else None
    if head is not None and head.is_active and head.has_perm("complaints.add_complaint"):
        return head
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=OFFICE_ROLE,
            staff__hospital=hospital,
            staff__is_active=True,
        )
        .order_by("staff__name", "pk")
        .first()
    )
