"""Enumerations of the insights app: the life cycle of a background analysis run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunFailure(models.TextChoices):
    """Why a run failed: the data cannot support the analysis (asking again changes nothing until the
    answers do), a fault of the program, a worker that died before finishing, or a requester who lost
    the right to these data while the run waited (a reader who has it asks again at once)."""

    DATA = "data", _("The data cannot support the analysis")
    INTERNAL = "internal", _("Internal error")
    INTERRUPTED = "interrupted", _("Interrupted")
    DENIED = "denied", _("The requester may no longer read these data")


# A run moves forward only; a failed one is never retried in place (a new request makes a new run).
RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING, RunStatus.FAILED}),
    RunStatus.RUNNING: frozenset({RunStatus.DONE, RunStatus.FAILED}),
    RunStatus.DONE: frozenset(),
    RunStatus.FAILED: frozenset(),
}


class RunKind(models.TextChoices):
    """The analyses computed in the background: the slow ones always (psychometrics, CSI, drivers); the
    fast ones — the tabs' indexes, item distributions, trends, benchmarking, importance–performance
    and comments — on the request up to ``INSIGHTS_INLINE_RESPONSES`` responses and in the background
    above it (``services.analyses``)."""

    INDEXES = "indexes", _("Satisfaction indexes (overview, dimensions)")
    DISTRIBUTIONS = "distributions", _("Item distributions")
    TRENDS = "trends", _("Trends")
    BENCHMARK = "benchmark", _("Benchmarking")
    IPA = "ipa", _("Importance–performance")
    COMMENTS = "comments", _("Comments")
    PSYCHOMETRICS = "psychometrics", _("Psychometric panel (reliability, CFA)")
    CSI = "csi", _("CSI model (PLS path model with bootstrap)")
    DRIVERS = "drivers", _("Key drivers (relative weights with bootstrap)")
