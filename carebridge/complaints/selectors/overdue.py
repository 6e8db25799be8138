"""The one definition of an overdue complaint (已超期), read by every page and task that counts them.

A case is overdue when **any** of its deadlines — acknowledgement (受理确认) or feedback (反馈) — has passed
unmet while its clock runs (a case waiting for the complainant has its clock stopped). The register and
the case page flag each deadline with the same rule (``deadline_views``), the handover carries the same
cases, and the overdue page, the workspace counter, the register's "overdue" filter, the escalation task
and the report's recovery summary all count them through :func:`overdue_q`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from carebridge.complaints.choices import RUNNING_STATUSES, FeedbackKind
from carebridge.complaints.models import Complaint, ComplaintDeadline


def overdue_q(*, now: dt.datetime, prefix: str = "") -> Q:
    """A condition on complaints (or, with ``prefix="complaint__"``, on rows pointing at one): a deadline
    passed unmet and the clock running."""
    late = ComplaintDeadline.objects.filter(
        complaint=OuterRef(f"{prefix}pk"), met_at__isnull=True, due__lt=now
    )
    return Q(Exists(late)) & Q(**{f"{prefix}status__in": RUNNING_STATUSES})


def overdue_complaints(*, now: dt.datetime) -> QuerySet[Complaint]:
    """Overdue complaints of all hospitals, unscoped (for the escalation task; pages scope them first)."""
    return Complaint.objects.filter(kind=FeedbackKind.COMPLAINT).filter(overdue_q(now=now))
