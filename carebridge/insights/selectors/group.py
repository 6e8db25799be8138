"""Comparison across a hospital group (篇3 4.5: across regions and hospital types): every hospital of the
installation compared on satisfaction (the same patient-mix adjustment and Welch tests as departments,
``domain.analysis.benchmark`` with ``by="hospital"``), complaints answered within the deadline and
follow-up calls made within their window (chi-square test of k proportions, R ``prop.test``).

Only aggregates leave a hospital: the reader's own hospital is named, every other one is shown by its
level and type as a benchmark, and a hospital with fewer than 30 cases is shown but not tested.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from carebridge.complaints.choices import DeadlineKind
from carebridge.complaints.models import ComplaintDeadline
from carebridge.core.models import Hospital
from carebridge.core.scope import scope_for
from carebridge.followup.choices import TouchpointKind, TouchpointStatus
from carebridge.followup.models import Touchpoint
from carebridge.insights.domain.analysis.names import UNIT_MINIMUM
from carebridge.insights.selectors.analysis.frame import load_frame
from carebridge.lib.stats.errors import StatsInputError
from carebridge.surveys.models import Response


def _label(hospital: Hospital, own: set[int]) -> str:
    if hospital.pk in own:
        return hospital.name
    return _("Benchmark: %(level)s %(type)s") % {
        "level": hospital.get_level_display(),
        "type": hospital.get_type_display(),
    }


def shares_compared(rows: list[tuple[str, int, int]]) -> dict[str, Any]:
    """``rows`` of (label, hits, n): each share, and the chi-square test across the hospitals with at
    least ``UNIT_MINIMUM`` cases (none when fewer than two qualify)."""
    units: list[dict[str, Any]] = [
        {"label": label, "hits": hits, "n": n, "share": hits / n if n else None, "small": n < UNIT_MINIMUM}
        for label, hits, n in rows
    ]
    from carebridge.lib.stats.compare import compare_proportions  # the statistics stack, when used

    tested = [u for u in units if not u["small"]]
    test = None
    if len(tested) >= 2:
        try:
            result = compare_proportions([u["hits"] for u in tested], [u["n"] for u in tested])
            test = {"statistic": result.statistic, "df": result.df, "p": result.p}
        except StatsInputError:
            test = None
    return {"units": units, "test": test}


def group_comparison(*, user: Any, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The comparison for ``user`` over ``[start, end)``; nothing for users without hospital-wide scope."""
    scope = scope_for(user)
    if scope.is_empty or scope.department_ids is not None or not user.has_perm("surveys.analyse_surveys"):
        return {"allowed": False}
    own = set(scope.hospital_ids) if scope.hospital_ids is not None else set()
    hospitals = list(Hospital.objects.order_by("name", "id"))
    labels = {h.pk: _label(h, own) for h in hospitals}
    satisfaction: dict[str, Any] | None
    from carebridge.insights.domain.analysis.benchmark import benchmark  # the statistics stack, when used

    try:
        frame = load_frame(
            Response.objects.filter(submitted_at__gte=start, submitted_at__lt=end, score__isnull=False)
        )
        satisfaction = benchmark(frame, by="hospital")
        for unit in satisfaction["units"]:
            unit["label"] = labels.get(unit["key"], unit["label"])
    except StatsInputError as error:
        satisfaction = {"error": str(error)}
    deadlines = (
        ComplaintDeadline.objects.filter(kind=DeadlineKind.FEEDBACK, due__gte=start, due__lt=end)
        .values("complaint__hospital_id")
        .annotate(n=Count("id"), hits=Count("id", filter=Q(met_at__isnull=False, met_at__lte=F("due"))))
    )
    complaints = {row["complaint__hospital_id"]: (row["hits"], row["n"]) for row in deadlines}
    calls = (
        Touchpoint.objects.filter(
            kind__in=(TouchpointKind.POST_DISCHARGE_CALL, TouchpointKind.FOLLOW_UP_CALL),
            due_at__gte=start,
            due_at__lt=end,
        )
        .exclude(status__in=(TouchpointStatus.CANCELLED, TouchpointStatus.SKIPPED, TouchpointStatus.DECEASED))
        .values("hospital_id")
        .annotate(
            n=Count("id"),
            hits=Count("id", filter=Q(status=TouchpointStatus.DONE, completed_at__lte=F("due_at"))),
        )
    )
    followup = {row["hospital_id"]: (row["hits"], row["n"]) for row in calls}
    return {
        "allowed": True,
        "hospitals": [
            {
                "label": labels[h.pk],
                "level": h.get_level_display(),
                "type": h.get_type_display(),
                "own": h.pk in own,
            }
            for h in hospitals
        ],
        "satisfaction": satisfaction,
        "complaints": shares_compared([(labels[h.pk], *complaints.get(h.pk, (0, 0))) for h in hospitals]),
        "followup": shares_compared([(labels[h.pk], *followup.get(h.pk, (0, 0))) for h in hospitals]),
    }
