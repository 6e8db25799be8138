"""The measures an improvement action can name, and their samples in a window (for the effect check).

Each measure reads the rows of one department in ``[start, end)`` — the system's own data, never typed
in — and returns a :class:`~carebridge.performance.domain.effect.MeanSample` or ``ShareSample``. KPIs of
the scorecard that are one of these measures are checked the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import DeadlineKind
from carebridge.complaints.models import Complaint, ComplaintDeadline
from carebridge.core.models import Department
from carebridge.followup.choices import TouchpointKind, TouchpointStatus
from carebridge.followup.models import Touchpoint
from carebridge.performance.domain.effect import MeanSample, Sample, ShareSample
from carebridge.surveys.models import Response

Sampler = Callable[[Department, dt.datetime, dt.datetime], Sample]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str | Promise
    higher_is_better: bool
    sample: Sampler


def _satisfaction(department: Department, start: dt.datetime, end: dt.datetime) -> Sample:
    scores = Response.objects.filter(
        department=department, submitted_at__gte=start, submitted_at__lt=end, score__isnull=False
    ).values_list("score", flat=True)
    return MeanSample(values=[float(score) for score in scores if score is not None])


def _feedback_in_time(department: Department, start: dt.datetime, end: dt.datetime) -> Sample:
    deadlines = ComplaintDeadline.objects.filter(
        kind=DeadlineKind.FEEDBACK,
        complaint__in=Complaint.objects.filter(departments=department).values("pk"),
        due__gte=start,
        due__lt=end,
    )
    met = deadlines.filter(met_at__isnull=False, met_at__lte=F("due")).count()
    return ShareSample(hits=met, n=deadlines.count())


def _complainant_satisfied(department: Department, start: dt.datetime, end: dt.datetime) -> Sample:
    answered = Complaint.objects.filter(
        departments=department,
        confirmed_at__gte=start,
        confirmed_at__lt=end,
        complainant_satisfied__isnull=False,
    )
    return ShareSample(hits=answered.filter(complainant_satisfied=True).count(), n=answered.count())


def _calls_in_time(department: Department, start: dt.datetime, end: dt.datetime) -> Sample:
    calls = Touchpoint.objects.filter(
        department=department,
        kind__in=(TouchpointKind.POST_DISCHARGE_CALL, TouchpointKind.FOLLOW_UP_CALL),
        due_at__gte=start,
        due_at__lt=end,
    ).exclude(status__in=(TouchpointStatus.CANCELLED, TouchpointStatus.SKIPPED, TouchpointStatus.DECEASED))
    done = calls.filter(Q(status=TouchpointStatus.DONE) & Q(completed_at__lte=F("due_at"))).count()
    return ShareSample(hits=done, n=calls.count())


MEASURES: dict[str, Measure] = {
    measure.key: measure
    for measure in (
        Measure("satisfaction", _("Satisfaction index (0–100)"), True, _satisfaction),
        Measure("feedback_in_time", _("Complaints answered within the deadline"), True, _feedback_in_time),
        Measure(
            "complainant_satisfied",
            _("Complainants satisfied with the outcome"),
            True,
            _complainant_satisfied,
        ),
        Measure("calls_in_time", _("Follow-up calls made within their window"), True, _calls_in_time),
    )
}


def measure_choices() -> list[tuple[str, str]]:
    return [(key, str(measure.label)) for key, measure in MEASURES.items()]


def measure_register(measure: Measure) -> Measure:
    """Add a measure (a scorecard KPI, another app's rate) under its key."""
    MEASURES[measure.key] = measure
    return measure
