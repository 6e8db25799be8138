"""Escalation of overdue complaints to the office head, exactly once per case.

"Overdue" is the one definition of ``complaints.selectors.overdue``: any deadline passed unmet.

The beat task (``carebridge.complaints.tasks.complaints_escalate_overdue``, every 15 minutes) lists the
candidates, then claims each with an atomic ``UPDATE … WHERE escalated_at IS NULL``: two workers, or
two runs, never escalate one case twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from carebridge.complaints.domain.policy import office_head_for
from carebridge.complaints.models import Complaint
from carebridge.complaints.selectors.overdue import overdue_complaints
from carebridge.core.services.audit import audit_record

logger = logging.getLogger(__name__)


@transaction.atomic
def complaint_escalate(*, complaint_id: int, now: dt.datetime, actor: Any = None) -> bool:
    """Escalate one overdue case to the office head; ``False`` when someone else already did."""
    claimed = Complaint.objects.filter(pk=complaint_id, escalated_at__isnull=True).update(escalated_at=now)
    if not claimed:
        return False
    complaint = Complaint.objects.select_related("hospital").get(pk=complaint_id)
    head = office_head_for(complaint)
    if head is not None:
        Complaint.objects.filter(pk=complaint_id).update(escalated_to=head)
    audit_record(
        actor=actor,
        action="complaint.escalate",
        obj=complaint,
        summary=f"{complaint.reference}: overdue, escalated to {head or '—'}",
        changes={"escalated_to": head.pk if head else None},
    )
    # The notification itself (SMS, WeChat) goes out after commit; until a gateway exists, it is logged.
    transaction.on_commit(
        lambda: logger.warning(
            "Complaint %s is overdue; escalated to staff %s.", complaint.reference, head.pk if head else None
        )
    )
    return True


def complaints_escalate_overdue(*, now: dt.datetime | None = None) -> list[int]:
    """Escalate every overdue, not yet escalated case; the ids escalated by this run."""
    now = now or timezone.now()
    candidates = overdue_complaints(now=now).filter(escalated_at__isnull=True).values_list("pk", flat=True)
    return [pk for pk in list(candidates) if complaint_escalate(complaint_id=pk, now=now)]
