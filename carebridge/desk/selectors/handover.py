"""Reads of shift handovers (交班), and the desk's providers of the matters a shift carries over.

The providers (registered with ``carebridge.desk.carryover``) read one hospital's records for the handover
document; "near the deadline" means an unmet complaint deadline within :data:`COMPLAINT_HORIZON` (or
already past) on a case whose clock is running; unanswered inquiries are due for a call-back within
:data:`CALLBACK_WITHIN` of their receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.core.scope import scope_for
from carebridge.desk.carryover import CarriedItem, register
from carebridge.desk.choices_work import ESCORT_OPEN, HandoverItemKind, HandoverStatus
from carebridge.desk.models import ComplaintDeadline, Escort, Handover, HandoverItem, Inquiry
from carebridge.desk.services.escalation import RUNNING

COMPLAINT_HORIZON = dt.timedelta(days=2)
ESCORT_HORIZON = dt.timedelta(hours=16)
CALLBACK_WITHIN = dt.timedelta(hours=24)
_LIMIT = 100  # a handover longer than this is unread; the lists behind the links hold the rest


def handover_list(*, user: Any) -> QuerySet[Handover]:
    if not user.has_perm("desk.view_handover"):
        return Handover.objects.none()
    return scope_for(user).filter(
        Handover.objects.select_related(
            "shift", "next_shift", "acknowledged_by", "handed_over_by", "hospital"
        ),
        hospital="hospital",
        department=None,
    )


def handover_get(*, user: Any, pk: int) -> Handover:
    handover = (
        handover_list(user=user)
        .prefetch_related(Prefetch("items", queryset=HandoverItem.objects.order_by("due", "id")))
        .filter(pk=pk)
        .first()
    )
    if handover is None:
        raise Http404("No such handover in your scope.")
    return handover


def handovers_to_acknowledge(*, user: Any) -> QuerySet[Handover]:
    """Open handovers of the user's hospital, for whoever may take over a shift."""
    if not user.has_perm("desk.acknowledge_handover"):
        return Handover.objects.none()
    return handover_list(user=user).filter(status=HandoverStatus.OPEN).order_by("handover_at")


# --- providers of carried-over matters ---------------------------------------------------------------


@register
def complaints_near_deadline(hospital: Any, now: dt.datetime) -> Iterator[CarriedItem]:
    """Complaints whose nearest deadline unmet at ``now`` falls within the horizon (or has passed), their
    clock running (a case waiting for the complainant is not carried)."""
    from carebridge.desk.models import Complaint

    nearest = (
        ComplaintDeadline.objects.filter(complaint__hospital=hospital, complaint__received_at__lte=now)
        .filter(Q(met_at__isnull=True, complaint__status__in=RUNNING) | Q(met_at__gt=now))
        .values("complaint_id")
        .annotate(due=Min("due"))
        .filter(due__lte=now + COMPLAINT_HORIZON)
        .order_by("due")[:_LIMIT]
    )
    dues = {row["complaint_id"]: row["due"] for row in nearest}
    complaints = Complaint.objects.filter(pk__in=dues).select_related("responsible_office")
    for complaint in complaints:
        due = dues[complaint.pk]
        late = _("overdue") if due < now else _("due soon")
        yield CarriedItem(
            kind=HandoverItemKind.COMPLAINT,
            object_key=str(complaint.pk),
            title=f"{complaint.reference} · {complaint.get_category_display()}",
            detail=f"{complaint.get_status_display()} · {late}"
            + (f" · {complaint.responsible_office.name}" if complaint.responsible_office else ""),
            due=due,
            url=reverse("desk:complaint_detail", args=[complaint.pk]),
        )


@register
def escorts_not_finished(hospital: Any, now: dt.datetime) -> Iterator[CarriedItem]:
    """Escorts not finished at ``now``: under way, or waiting or assigned and due within the horizon.

    Providers read "as of ``now``" (a later finish counts as not finished), so a handover opened late, or
    by the demo for a past shift, lists what was open at the handover time."""
    escorts = (
        Escort.objects.filter(hospital=hospital, requested_at__lte=now)
        .filter(Q(status__in=ESCORT_OPEN) | Q(done_at__gt=now) | Q(cancelled_at__gt=now))
        .exclude(started_at__isnull=True, scheduled_at__gt=now + ESCORT_HORIZON)
        .select_related("assigned_to")
        .order_by("scheduled_at")[:_LIMIT]
    )
    for escort in escorts:
        who = escort.assigned_to.name if escort.assigned_to else _("nobody assigned")
        yield CarriedItem(
            kind=HandoverItemKind.ESCORT,
            object_key=str(escort.pk),
            title=f"{escort.patient_name}: {escort.from_place} → {escort.to_place}",
            detail=f"{escort.get_status_display()} · {escort.get_mobility_display()} · {who}",
            due=escort.scheduled_at,
            url=reverse("desk:escort_detail", args=[escort.pk]),
        )


@register
def inquiries_unanswered(hospital: Any, now: dt.datetime) -> Iterator[CarriedItem]:
    """Inquiries left for a call-back (unanswered at ``now``)."""
    inquiries = (
        Inquiry.objects.filter(hospital=hospital, received_at__lte=now)
        .filter(Q(answered_at__isnull=True) | Q(answered_at__gt=now))
        .order_by("received_at")[:_LIMIT]
    )
    for inquiry in inquiries:
        yield CarriedItem(
            kind=HandoverItemKind.INQUIRY,
            object_key=str(inquiry.pk),
            title=f"{inquiry.get_category_display()}: {inquiry.question[:60]}",
            detail=f"{inquiry.get_channel_display()} · {inquiry.asker_name}".rstrip(" ·"),
            due=inquiry.received_at + CALLBACK_WITHIN,
            url=reverse("desk:inquiry_detail", args=[inquiry.pk]),
        )
