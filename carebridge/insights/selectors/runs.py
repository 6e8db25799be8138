"""Reads of background analysis runs: the run a request would reuse, and a run a user may read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.insights.choices import RunFailure, RunKind, RunStatus
from carebridge.insights.domain.analysis.kinds import clean_parameters
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.models import AnalysisRun
from carebridge.insights.selectors.analysis.selection import (
    COMMENTS_PERMISSION,
    data_version,
    responses_for,
    scope_signature,
    selection_key,
)
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION

# A run still queued after this has lost its message (the broker or the worker that held it died).
STALE_AFTER = dt.timedelta(minutes=30)
# A running run's worker bumps ``heartbeat_at`` every HEARTBEAT_EVERY; silent for HEARTBEAT_STALE, the
# worker is gone (a SIGKILL leaves no trace but this): the run is claimed again or failed, never reused.
HEARTBEAT_EVERY = dt.timedelta(seconds=15)
HEARTBEAT_STALE = dt.timedelta(minutes=2)
# A page that asks for runs by itself (the indexes of a large selection) shows a failed run's error for
# this long before asking again.
RETRY_FAILED_AFTER = dt.timedelta(minutes=10)


def stale_runs(*, now: dt.datetime | None = None) -> Q:
    """The runs whose worker is gone: queued longer than STALE_AFTER, or running with a silent heartbeat."""
    now = now or timezone.now()
    silent = now - HEARTBEAT_STALE
    return Q(status=RunStatus.QUEUED, created_at__lt=now - STALE_AFTER) | Q(
        Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, started_at__lt=silent),
        status=RunStatus.RUNNING,
    )


def run_reusable(*, key: str, version: str, now: dt.datetime | None = None) -> AnalysisRun | None:
    """The newest run for the key and data version that is done, or queued/running and not stale."""
    return (
        AnalysisRun.objects.filter(selection_hash=key, data_version=version)
        .exclude(status=RunStatus.FAILED)
        .exclude(stale_runs(now=now))
        .order_by("-created_at", "-id")
        .first()
    )


def run_failed_lately(*, key: str, now: dt.datetime | None = None) -> AnalysisRun | None:
    """The newest run for the key, whatever answers it analysed, if it failed within
    ``RETRY_FAILED_AFTER``: a page shows its error instead of asking again at once — nor at each new
    answer, which would load the whole selection again to fail again; later it asks again (e.g. after an
    interruption)."""
    since = (now or timezone.now()) - RETRY_FAILED_AFTER
    newest = AnalysisRun.objects.filter(selection_hash=key).order_by("-id").first()
    if newest is None or newest.status != RunStatus.FAILED or (newest.finished_at or since) < since:
        return None
    if newest.failure == RunFailure.DENIED:  # its requester's loss, not the selection's
        return None
    return newest


def run_active(*, key: str, now: dt.datetime | None = None) -> AnalysisRun | None:
    """The newest queued or running run for the key, whatever answers it analyses (not stale)."""
    return (
        AnalysisRun.objects.filter(selection_hash=key, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
        .exclude(stale_runs(now=now))
        .order_by("-created_at", "-id")
        .first()
    )


def run_latest_done(*, key: str) -> AnalysisRun | None:
    """The newest finished run for the key, whatever answers it analysed (the figures a page shows,
    marked as earlier ones, while the run for the current answers computes)."""
    return (
        AnalysisRun.objects.filter(selection_hash=key, status=RunStatus.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )


def run_current(
    *, user: Actor, kind: str, selection: Selection, parameters: dict[str, Any] | None = None
) -> AnalysisRun | None:
    """The run a request would reuse (same key and data; not failed, not stale), or None."""
    cleaned = clean_parameters(kind, parameters)
    key = selection_key(user=user, kind=kind, selection=selection, parameters=cleaned)
    return run_reusable(key=key, version=data_version(responses_for(user=user, selection=selection)))


def run_get(*, user: Actor, pk: int) -> AnalysisRun:
    """A run the user may read: one whose requester had exactly the user's data scope, and for a comments
    run that quotes comments, a user who may read them; else 404."""
    run = AnalysisRun.objects.filter(pk=pk).select_related("requested_by").first()
    if run is None or not user.has_perm(ANALYSE_PERMISSION):
        raise Http404("No such analysis run.")
    quotes = run.kind == RunKind.COMMENTS and run.parameters.get("examples", True)
    if quotes and not user.has_perm(COMMENTS_PERMISSION):
        raise Http404("No such analysis run.")
    if run.requested_by_id != user.pk:
        requester = run.requested_by
        if requester is None or scope_signature(scope_for(requester)) != scope_signature(scope_for(user)):
            raise Http404("No such analysis run.")
    return run
