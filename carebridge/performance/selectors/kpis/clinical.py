"""Computed KPIs of critical results and the checkup centre.

``critical_read_back_in_time`` — critical-result notifications detected in the span whose read-back
    deadline has passed or was met; numerator: those read back (a person reached and the result read
    back) by the deadline of their class.
``checkup_turnaround`` — checkup visits whose report was released in the span; numerator: those released
    within the target (7 days by default, configurable) of check-in, counted in hours (days × 24).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.models import Visit
from carebridge.critical.models import Notification
from carebridge.performance.selectors.kpis.registry import KpiScope, register_rate_kpi

TURNAROUND_DAYS = 7


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _notifications(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(
        hospital_id=scope.hospital_id, detected_at__gte=start, detected_at__lt=end
    ).filter(Q(read_back_due__lte=timezone.now()) | Q(read_back_at__isnull=False))
    queryset = queryset.filter(scope.departments("department"))
    if scope.user_id is not None:
        queryset = queryset.filter(read_back_by_id=scope.user_id)
    return queryset


register_rate_kpi(
    "critical_read_back_in_time",
    name=_("Critical results read back in time"),
    base=_notifications,
    numerator=lambda scope: Q(read_back_at__isnull=False, read_back_at__lte=F("read_back_due")),
    definition=_(
        "Critical-result notifications detected in the period (judged once their read-back deadline "
        "has passed or was met): the share read back to a person by the deadline of their class."
    ),
    numerator_text=_("notifications read back by the deadline"),
    denominator_text=_("notifications detected"),
    columns=(
        (_("Class"), lambda n: n.get_severity_display()),
        (_("Detected"), lambda n: _local(n.detected_at)),
        (_("Read back"), lambda n: _local(n.read_back_at)),
        (_("Status"), lambda n: n.get_status_display()),
    ),
)


def _released(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Visit]:
    return Visit.objects.filter(
        hospital_id=scope.hospital_id,
        released_at__gte=start,
        released_at__lt=end,
        checked_in_at__isnull=False,
    ).filter(scope.departments("department"))


def _within(scope: KpiScope) -> Q:
    days = int(scope.parameters.get("days", TURNAROUND_DAYS))
    return Q(released_at__lte=F("checked_in_at") + dt.timedelta(days=days))


def _visit_columns() -> tuple[tuple[Any, Any], ...]:
    return (
        (_("Checked in"), lambda v: _local(v.checked_in_at)),
        (_("Report released"), lambda v: _local(v.released_at)),
    )


register_rate_kpi(
    "checkup_turnaround",
    name=_("Checkup reports released in time"),
    base=_released,
    numerator=_within,
    definition=_(
        "Checkup reports released in the period: the share released within the target days (7 by "
        "default) of check-in."
    ),
    numerator_text=_("reports released within the target"),
    denominator_text=_("reports released"),
    parameters={"days": TURNAROUND_DAYS},
    levels=frozenset({"hospital", "department"}),
    columns=_visit_columns(),
)
