"""Enumerations of the insights app: the life cycle of a background analysis run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A run moves forward only; a failed one is never retried in place (a new request makes a new run).
RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING, RunStatus.FAILED}),
    RunStatus.RUNNING: frozenset({RunStatus.DONE, RunStatus.FAILED}),
    RunStatus.DONE: frozenset(),
    RunStatus.FAILED: frozenset(),
}


class RunKind(models.TextChoices):
    """The analyses slow enough on a large selection to run in the background. The indexes (overview
    and dimensions) are computed on the request up to ``INSIGHTS_INLINE_RESPONSES`` responses and in the
    background above it."""

    INDEXES = "indexes", _("Satisfaction indexes (overview, dimensions)")
    PSYCHOMETRICS = "psychometrics", _("Psychometric panel (reliability, CFA)")
    CSI = "csi", _("CSI model (PLS path model with bootstrap)")
    DRIVERS = "drivers", _("Key drivers (relative weights with bootstrap)")
