"""Reads of the patient access log and of the data-quality reports."""

from __future__ import annotations

from django.db.models import QuerySet

from carebridge.core.scope import restrict, scope_for
from carebridge.core.types import Actor
from carebridge.patients.models import DataQualityReport, PatientAccessLog


def access_log_list(*, user: Actor) -> QuerySet[PatientAccessLog]:
    return restrict(PatientAccessLog.objects.select_related("user", "patient"), user, "view")


def latest_quality_report(*, user: Actor) -> DataQualityReport | None:
    """The newest data-quality report of the user's hospitals (for the home page; no permission needed)."""
    return (
        scope_for(user)
        .filter(DataQualityReport.objects.all(), hospital="hospital", department=None)
        .order_by("-run_at")
        .first()
    )
