"""The agent's workspace: my open items across the desk, soonest deadline first, and the counters.

Items: complaints I own (首诉负责) or routed, open, with their nearest unmet deadline (shown as the
complaint pages show it, paused clocks included); escorts assigned to me and not finished, due at their
time; handovers waiting for me to take over, due at the handover time; and the inquiries I left for a
call-back; and what later modules register (``domain.workitems``), e.g. escalated critical results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.complaints.choices import OPEN_STATUSES, ComplaintStatus
from carebridge.complaints.models import ComplaintTransition
from carebridge.complaints.selectors.complaints import (
    complaint_list,
    complaint_list_for_display,
    deadline_views,
)
from carebridge.complaints.selectors.overdue import overdue_complaints
from carebridge.core.deadlines import WorkCalendar
from carebridge.frontdesk.choices import EscortStatus
from carebridge.frontdesk.domain.workitems import WorkItem, provided_items
from carebridge.frontdesk.selectors.carryover import CALLBACK_WITHIN
from carebridge.frontdesk.selectors.escorts import escort_list, escort_list_for_display
from carebridge.frontdesk.selectors.handover import handovers_to_acknowledge
from carebridge.frontdesk.selectors.inquiries import inquiries_of_day, inquiry_list

ITEM_LIMIT = 50


def _my_complaints(user: Any, now: dt.datetime) -> list[WorkItem]:
    if not user.has_perm("complaints.view_complaint"):
        return []
    routed_by_me = ComplaintTransition.objects.filter(actor=user, to_status=ComplaintStatus.ROUTED).values(
        "complaint_id"
    )
    complaints = (
        complaint_list_for_display(user=user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(owner=user) | Q(pk__in=routed_by_me))
        .order_by("received_at")[:ITEM_LIMIT]
    )
    calendar = WorkCalendar.from_database()
    items = []
    for complaint in complaints:
        pending = [d for d in deadline_views(complaint, now=now, calendar=calendar) if d.met_at is None]
        first = pending[0] if pending else None
        items.append(
            WorkItem(
                kind="complaint",
                kind_label=str(complaint.get_kind_display()),
                title=f"{complaint.reference} · {complaint.get_category_display()}",
                detail=f"{complaint.get_status_display()}"
                + (f" · {first.label}" if first else "")
                + (f" · {complaint.responsible_office.name}" if complaint.responsible_office else ""),
                due=first.due if first else None,
                url=reverse("desk:complaint_detail", args=[complaint.pk]),
                overdue=bool(first and first.overdue),
                paused=bool(first and first.paused),
            )
        )
    return items


def _my_escorts(user: Any, now: dt.datetime) -> list[WorkItem]:
    escorts = (
        escort_list_for_display(user=user)
        .filter(assigned_to__user=user, status__in=[EscortStatus.ASSIGNED, EscortStatus.UNDER_WAY])
        .order_by("scheduled_at")[:ITEM_LIMIT]
    )
    return [
        WorkItem(
            kind="escort",
            kind_label=_("Escort"),
            title=f"{e.patient_name}: {e.from_place} → {e.to_place}",
            detail=f"{e.get_status_display()} · {e.get_mobility_display()}",
            due=e.scheduled_at,
            url=reverse("desk:escort_detail", args=[e.pk]),
            overdue=e.status == EscortStatus.ASSIGNED and e.scheduled_at < now,
        )
        for e in escorts
    ]


def _my_handovers(user: Any, now: dt.datetime) -> list[WorkItem]:
    return [
        WorkItem(
            kind="handover",
            kind_label=_("Handover"),
            title=_("%(shift)s of %(date)s → %(next)s")
            % {"shift": h.shift.name, "date": h.shift_date.strftime("%Y-%m-%d"), "next": h.next_shift.name},
            detail=_("Take over: acknowledge the handover"),
            due=h.handover_at,
            url=reverse("desk:handover_detail", args=[h.pk]),
            overdue=h.handover_at < now,
        )
        for h in handovers_to_acknowledge(user=user)[:ITEM_LIMIT]
    ]


def _my_callbacks(user: Any, now: dt.datetime) -> list[WorkItem]:
    inquiries = (
        inquiry_list(user=user)
        .filter(received_by=user, answered_at__isnull=True)
        .order_by("received_at")[:ITEM_LIMIT]
    )
    return [
        WorkItem(
            kind="inquiry",
            kind_label=_("Call-back"),
            title=f"{i.get_category_display()}: {i.question[:60]}",
            detail=f"{i.get_channel_display()} {i.asker_name}".strip(),
            due=i.received_at + CALLBACK_WITHIN,
            url=reverse("desk:inquiry_detail", args=[i.pk]),
            overdue=i.received_at + CALLBACK_WITHIN < now,
        )
        for i in inquiries
    ]


def my_open_items(*, user: Any, now: dt.datetime) -> list[WorkItem]:
    """Every open item of the user, the soonest due first (items without a deadline last)."""
    items = [
        *_my_complaints(user, now),
        *_my_escorts(user, now),
        *_my_handovers(user, now),
        *_my_callbacks(user, now),
        *provided_items(user, now),  # what later modules register (e.g. escalated critical results)
    ]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda item: (item.due or far, item.kind, item.title))


def workspace_counters(*, user: Any, now: dt.datetime, zone: str = "Asia/Shanghai") -> dict[str, int]:
    today = inquiries_of_day(user=user, now=now, zone=zone)
    escorts = escort_list(user=user)
    return {
        "inquiries_today": today.count(),
        "my_inquiries_today": today.filter(received_by=user).count(),
        "unanswered": inquiry_list(user=user).filter(answered_at__isnull=True).count(),
        "escorts_waiting": escorts.filter(status=EscortStatus.REQUESTED).count(),
        "escorts_under_way": escorts.filter(status=EscortStatus.UNDER_WAY).count(),
        "complaints_overdue": complaint_list(user=user)
        .filter(pk__in=overdue_complaints(now=now).values("pk"))
        .count(),
        "handovers_waiting": handovers_to_acknowledge(user=user).count(),
    }
