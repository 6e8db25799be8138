"""The desk's own matters a shift carries over (交班), read for the handover document of one hospital.

Registered as providers of :mod:`carebridge.frontdesk.domain.carryover` by ``frontdesk.hooks``. "Near the
deadline" means an unmet complaint deadline within :data:`COMPLAINT_HORIZON` (or already past) on a case
whose clock is running; unanswered inquiries are due for a call-back within :data:`CALLBACK_WITHIN` of
their receipt. Providers read unscoped: the handover document is for hospital-wide desk roles only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.complaints.choices import RUNNING_STATUSES
from carebridge.complaints.models import Complaint, ComplaintDeadline
from carebridge.frontdesk.choices import ESCORT_OPEN, HandoverItemKind
from carebridge.frontdesk.domain.carryover import CarriedItem
from carebridge.frontdesk.models import Escort, Inquiry

COMPLAINT_HORIZON = dt.timedelta(days=2)
ESCORT_HORIZON = dt.timedelta(hours=16)
CALLBACK_WITHIN = dt.timedelta(hours=24)
_LIMIT = 100  # a handover longer than this is unread; the lists behind the links hold the rest


def complaints_near_deadline(hospital: Any, now: dt.datetime) -> Iterator[CarriedItem]:
    """Complaints whose nearest deadline unmet at ``now`` falls within the horizon (or has passed), their
    clock running (a case waiting for the complainant is not carried)."""
    nearest = (
        ComplaintDeadline.objects.filter(complaint__hospital=hospital, complaint__received_at__lte=now)
        .filter(Q(met_at__isnull=True, complaint__status__in=RUNNING_STATUSES) | Q(met_at__gt=now))
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
