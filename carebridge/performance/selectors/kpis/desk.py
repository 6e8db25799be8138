"""Computed KPIs of the service desk: complaints closed within the legal deadline, first-contact
resolution of inquiries and the inquiry answer time.

``complaints_in_time`` — complaints (kind = complaint) whose feedback deadline (反馈时限: 5 working days, 10
when several departments are involved, 《医疗机构投诉管理办法》 2019) falls in the span and has either passed
or been met by closing the case; numerator: those closed (``closed_at``) no later than the deadline. A case
still open before its deadline is not judged yet; closing it on time adds it to both counts of the month
of its deadline. Department scorecards count the cases that involve the department; staff scorecards the
cases the person owns (首诉负责制).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import DeadlineKind, FeedbackKind
from carebridge.complaints.models import Complaint, ComplaintDeadline
from carebridge.frontdesk.models import Inquiry
from carebridge.performance.models.scorecards import KpiAggregation, KpiDirection, KpiUnit
from carebridge.performance.selectors.kpis.registry import (
    PART_NUMERATOR,
    KpiScope,
    KpiValue,
    mean,
    register_kpi,
    register_rate_kpi,
)


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _feedback_deadline() -> Any:
    return ComplaintDeadline.objects.filter(complaint=OuterRef("pk"), kind=DeadlineKind.FEEDBACK).values(
        "due"
    )[:1]


def _complaints(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Complaint]:
    now = timezone.now()
    queryset = (
        Complaint.objects.filter(hospital_id=scope.hospital_id, kind=FeedbackKind.COMPLAINT)
        .annotate(feedback_due=_feedback_deadline())
        .filter(feedback_due__gte=start, feedback_due__lt=end)
        .filter(Q(feedback_due__lte=now) | Q(closed_at__isnull=False))
    )
    if scope.department_ids is not None:
        from carebridge.core.models import Department

        involved = Department.objects.filter(complaints=OuterRef("pk"), pk__in=scope.department_ids)
        queryset = queryset.filter(Exists(involved))
    if scope.user_id is not None:
        queryset = queryset.filter(owner_id=scope.user_id)
    return queryset


register_rate_kpi(
    "complaints_in_time",
    name=_("Complaints closed within the deadline"),
    base=_complaints,
    numerator=lambda scope: Q(closed_at__isnull=False, closed_at__lte=F("feedback_due")),
    definition=_(
        "Complaints whose feedback deadline falls in the period (passed, or met by closing the case): "
        "the share closed no later than the deadline."
    ),
    numerator_text=_("complaints closed by their feedback deadline"),
    denominator_text=_("complaints whose feedback deadline fell in the period"),
    columns=(
        (_("Reference"), lambda c: c.reference or f"#{c.pk}"),
        (_("Received"), lambda c: _local(c.received_at)),
        (_("Feedback due"), lambda c: _local(c.feedback_due)),
        (_("Closed"), lambda c: _local(c.closed_at)),
        (_("Status"), lambda c: c.get_status_display()),
    ),
)


# --- inquiries -------------------------------------------------------------------------------------

FCR_MINUTES = 30


def _inquiries(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Inquiry]:
    queryset = Inquiry.objects.filter(
        hospital_id=scope.hospital_id, received_at__gte=start, received_at__lt=end
    )
    if scope.department_ids is not None:
        queryset = queryset.filter(recommended_department_id__in=scope.department_ids)
    if scope.user_id is not None:
        queryset = queryset.filter(received_by_id=scope.user_id)
    return queryset


def _first_contact(scope: KpiScope) -> Q:
    minutes = int(scope.parameters.get("minutes", FCR_MINUTES))
    return Q(
        answered_at__isnull=False,
        answered_by_id=F("received_by_id"),
        answered_at__lte=F("received_at") + dt.timedelta(minutes=minutes),
    )


_INQUIRY_COLUMNS = (
    (_("Received"), lambda i: _local(i.received_at)),
    (_("Channel"), lambda i: i.get_channel_display()),
    (_("Category"), lambda i: i.get_category_display()),
    (_("Answered"), lambda i: _local(i.answered_at)),
)

register_rate_kpi(
    "inquiry_first_contact",
    name=_("First-contact resolution of inquiries"),
    base=_inquiries,
    numerator=_first_contact,
    definition=_(
        "Inquiries received in the period: the share answered by the person who received them within "
        "the set minutes (30 by default), without a call-back."
    ),
    numerator_text=_("inquiries answered at the first contact"),
    denominator_text=_("inquiries received"),
    parameters={"minutes": FCR_MINUTES},
    columns=_INQUIRY_COLUMNS,
)


def _answered(scope: KpiScope, start: dt.datetime, end: dt.datetime, part: str = "") -> QuerySet[Inquiry]:
    return _inquiries(scope, start, end).filter(answered_at__isnull=False)


@register_kpi(
    "inquiry_answer_minutes",
    name=_("Inquiry answer time (minutes)"),
    rows=_answered,
    unit=KpiUnit.MINUTES,
    direction=KpiDirection.LOWER,
    aggregation=KpiAggregation.RATE,
    definition=_("Mean minutes from receiving an inquiry to its answer, over the inquiries answered."),
    numerator_text=_("minutes to answer, summed"),
    denominator_text=_("inquiries answered"),
    columns=_INQUIRY_COLUMNS,
)
def inquiry_answer_minutes(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> KpiValue:
    waited = ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField())
    figures = _answered(scope, start, end).order_by().aggregate(n=Count("pk"), avg=Avg(waited))
    n = figures["n"] or 0
    average = figures["avg"]
    if not n or average is None:
        return mean(0, 0)
    minutes = (average.total_seconds() if isinstance(average, dt.timedelta) else float(average) / 1e6) / 60
    return mean(minutes * n, n)


__all__ = ["PART_NUMERATOR", "inquiry_answer_minutes"]
