"""Background analysis runs (后台分析任务): a slow analysis, its progress and its cached result.

A run is keyed by ``selection_hash`` (the analysis, its parameters, the selection, the requester's data
scope and language — see ``selectors.analysis.selection.selection_key``) and ``data_version`` (count
and last id of the responses analysed). A second request for the same key and data version reuses the
run, so a result is computed once until new answers arrive.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital
from carebridge.insights.choices import RunFailure, RunKind, RunStatus


class AnalysisRun(models.Model):
    """One background computation of an analysis on a selection of survey responses."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.CASCADE, null=True, blank=True, related_name="analysis_runs"
    )
    kind = models.CharField(_("analysis"), max_length=24, choices=RunKind.choices)
    # {"selection": Selection.as_json(), "parameters": {...}, "language": "zh-hans"}
    parameters = models.JSONField(_("parameters"), default=dict)
    selection_hash = models.CharField(_("selection hash"), max_length=64, db_index=True)
    data_version = models.CharField(_("data version"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    failure = models.CharField(_("failure"), max_length=12, choices=RunFailure.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Bumped every few seconds by the worker computing the run; a running run whose heartbeat stopped
    # lost its worker (killed, out of memory, machine restarted) and may be claimed again or failed.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        indexes = [
            models.Index(fields=["selection_hash", "data_version"], name="analysisrun_key_idx"),
        ]
        constraints = [
            # One queued or running run per selection and data: two requests that arrive together for
            # the same figures share one run (at 10,000,000 responses a run holds 15 GB for minutes).
            models.UniqueConstraint(
                fields=["selection_hash", "data_version"],
                condition=models.Q(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]),
                name="analysisrun_one_active",
            ),
        ]
        permissions = [("view_comments", _("Can read survey comments (masked)"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
