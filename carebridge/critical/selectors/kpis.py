"""The critical-result dashboard: notifications by class, rule and month; minutes result → first attempt
and → read-back (p50/p90/max) and the share within target, per class; unable to reach; open and overdue
now. Each number carries the filters of its rows (the list page and the Excel export use them). The
scorecard reads :func:`critical_kpis`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from carebridge.core.scope import restrict
from carebridge.critical.choices import OPEN_STATUSES, NotificationStatus, Severity
from carebridge.critical.domain.timeliness import Spread, spread
from carebridge.critical.models import Finding, Notification

PERMISSION = "critical.view_critical_kpis"


def kpi_notifications(
    *, user: Any, start: dt.date, end: dt.date, population: str | None = None
) -> QuerySet[Notification]:
    """Notifications detected in ``[start, end]`` (local dates) that ``user`` may count; ``population``
    (``RulePopulation``) keeps those judged by that population's rule set (the checkup centre's own)."""
    rows = restrict(Notification.objects.all(), user, permission=PERMISSION).filter(
        detected_at__date__gte=start, detected_at__date__lte=end
    )
    return rows if population is None else rows.filter(rule_set__population=population)


@dataclass
class ClassRow:
    severity: str
    label: str
    count: int
    first_attempt: Spread
    read_back: Spread
    unreachable: int


@dataclass
class Dashboard:
    start: dt.date
    end: dt.date
    total: int
    classes: list[ClassRow]
    by_rule: list[tuple[str, str, int]]  # (code, name, count)
    by_month: list[tuple[str, int, int]]  # (YYYY-MM, class A, class B)
    open_now: int
    overdue_now: int
    unreachable: int
    extra: dict[str, Any] = field(default_factory=dict)


def _minutes(later: dt.datetime, earlier: dt.datetime) -> float:
    return round((later - earlier).total_seconds() / 60, 1)


def critical_kpis(
    *, user: Any, start: dt.date, end: dt.date, now: dt.datetime | None = None, population: str | None = None
) -> Dashboard:
    now = now or timezone.now()
    rows = list(
        kpi_notifications(user=user, start=start, end=end, population=population).only(
            "id",
            "severity",
            "status",
            "detected_at",
            "first_attempt_due",
            "read_back_due",
            "first_attempt_at",
            "read_back_at",
        )
    )
    labels = dict(Severity.choices)
    classes = []
    for severity in (Severity.A, Severity.B):
        mine = [n for n in rows if n.severity == severity]
        attempted = [n for n in mine if n.first_attempt_at is not None]
        read = [n for n in mine if n.read_back_at is not None]
        classes.append(
            ClassRow(
                severity=severity,
                label=str(labels[severity]),
                count=len(mine),
                first_attempt=spread(
                    [_minutes(n.first_attempt_at, n.detected_at) for n in attempted],  # type: ignore[arg-type]
                    [_minutes(n.first_attempt_due, n.detected_at) for n in attempted],
                ),
                read_back=spread(
                    [_minutes(n.read_back_at, n.detected_at) for n in read],  # type: ignore[arg-type]
                    [_minutes(n.read_back_due, n.detected_at) for n in read],
                ),
                unreachable=sum(1 for n in mine if n.status == NotificationStatus.UNREACHABLE),
            )
        )
    ids = [n.pk for n in rows]
    triples = (
        Finding.objects.filter(notification_id__in=ids)
        .values_list("rule__code", "rule__name", "notification_id")
        .distinct()
    )
    by_rule_counter: Counter[tuple[str, str]] = Counter((code, name) for code, name, _n in triples)
    months: dict[str, list[int]] = {}
    for n in rows:
        key = f"{timezone.localtime(n.detected_at):%Y-%m}"
        months.setdefault(key, [0, 0])[0 if n.severity == Severity.A else 1] += 1
    open_rows = [n for n in rows if n.status in OPEN_STATUSES]
    overdue = [
        n
        for n in open_rows
        if (n.first_attempt_at is None and n.first_attempt_due < now) or n.read_back_due < now
    ]
    return Dashboard(
        start=start,
        end=end,
        total=len(rows),
        classes=classes,
        by_rule=sorted(((c, nm, k) for (c, nm), k in by_rule_counter.items()), key=lambda r: (-r[2], r[0])),
        by_month=[(key, a, b) for key, (a, b) in sorted(months.items())],
        open_now=len(open_rows),
        overdue_now=len(overdue),
        unreachable=sum(c.unreachable for c in classes),
    )


def rule_ppv(*, user: Any, start: dt.date, end: dt.date) -> list[tuple[str, str, int, int]]:
    """Per rule: rechecks recorded and confirmed (positive predictive value = confirmed / seen)."""
    ids = list(kpi_notifications(user=user, start=start, end=end).values_list("id", flat=True))
    seen: Counter[tuple[str, str]] = Counter()
    confirmed: Counter[tuple[str, str]] = Counter()
    pairs = (
        Finding.objects.filter(notification_id__in=ids, notification__recheck__isnull=False)
        .exclude(notification__recheck__outcome="not_seen")
        .values_list("rule__code", "rule__name", "notification_id", "notification__recheck__outcome")
        .distinct()
    )
    for code, name, _nid, outcome in pairs:
        seen[(code, name)] += 1
        confirmed[(code, name)] += outcome == "confirmed"
    return sorted(((c, nm, seen[(c, nm)], confirmed[(c, nm)]) for (c, nm) in seen), key=lambda r: r[0])
