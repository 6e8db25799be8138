"""Background analysis runs: request (or reuse) a run, and execute it in a Celery worker.

The request writes the run row and its audit row in one transaction and queues the task only on
commit, so a worker never looks for a run that is not there. The task is sent by its name
(:data:`RUN_EXECUTE_TASK`): ``tasks`` imports this module, never the reverse. The worker claims the
run with an atomic ``UPDATE … WHERE status = 'queued'`` (two workers never compute the same run),
reports progress as it goes, and stores the result or the error. A run is reused while its selection
hash and data version match, and the database holds one queued or running run per hash and version
(``analysisrun_one_active``): of two requests that arrive together, the second shares the first's run.

A worker can die mid-run (SIGKILL, out of memory, a restart). The task is acknowledged late and
rejected when its worker is lost, so the broker delivers it again; while it computes, the worker bumps
``heartbeat_at`` every ``HEARTBEAT_EVERY`` from a thread. A running run whose heartbeat has been silent
for ``HEARTBEAT_STALE`` (minutes, ``selectors.runs``) is claimed again by the redelivered message (the
run restarts and finishes), is never reused by a new request (which starts a fresh run), and is failed
by :func:`runs_expire_stale` (every minute) when nothing reclaimed it. A run still queued after
``STALE_AFTER`` is failed the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.insights.choices import RUN_TRANSITIONS, RunFailure, RunKind, RunStatus
from carebridge.insights.domain.analysis.kinds import clean_parameters
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.models import AnalysisRun
from carebridge.insights.selectors.analysis.results import analyse
from carebridge.insights.selectors.analysis.selection import (
    COMMENTS_PERMISSION,
    data_version,
    responses_for,
    selection_key,
)
from carebridge.insights.selectors.runs import HEARTBEAT_EVERY, HEARTBEAT_STALE, run_reusable, stale_runs
from carebridge.lib.stats.errors import StatsInputError

logger = logging.getLogger(__name__)
# The Celery task that computes a run (``tasks.analysis_run_execute`` registers under this name).
RUN_EXECUTE_TASK = "carebridge.insights.tasks.analysis_run_execute"


def _move(run_id: int, source: str, target: str, **fields: Any) -> bool:
    """Compare-and-set the status (only along RUN_TRANSITIONS); False when another worker moved it."""
    if target not in RUN_TRANSITIONS[source]:
        raise ValueError(f"A run cannot go from {source} to {target}.")
    return bool(AnalysisRun.objects.filter(pk=run_id, status=source).update(status=target, **fields))


@transaction.atomic
def run_request(
    *, user: Any, kind: str, selection: Selection, parameters: dict[str, Any] | None = None
) -> AnalysisRun:
    """The run of analysis ``kind`` on ``selection`` as ``user`` may see it: an existing one for the same
    key and data (queued, running or done), or a new queued run sent to the workers on commit."""
    if kind not in RunKind.values:
        raise ValidationError({"kind": [_("This analysis does not run in the background.")]})
    try:
        cleaned = clean_parameters(kind, parameters)
    except StatsInputError as error:
        raise ValidationError({"parameters": [str(error)]}) from error
    responses = responses_for(user=user, selection=selection)
    version = data_version(responses)
    key = selection_key(user=user, kind=kind, selection=selection, parameters=cleaned)
    existing = run_reusable(key=key, version=version)
    if existing is not None:
        return existing
    # A stale run (its worker gone, not yet failed by the minute's sweep) would hold the key's one
    # active place (the ``analysisrun_one_active`` constraint): it fails now, as the sweep would fail it.
    runs_expire_stale(key=key, version=version)
    staff = getattr(user, "staff", None)
    stored: dict[str, Any] = {
        "selection": selection.as_json(),
        "parameters": cleaned,
        "language": translation.get_language() or "zh-hans",
    }
    if kind == RunKind.COMMENTS:
        # Whether the result may quote comments is the requester's right when asked — it is in the run's
        # key — not when a worker gets to it; readers of the run need the same right (``run_get``).
        stored["examples"] = bool(user.has_perm(COMMENTS_PERMISSION))
    try:
        with transaction.atomic():
            run = AnalysisRun.objects.create(
                hospital=getattr(staff, "hospital", None),
                kind=kind,
                parameters=stored,
                selection_hash=key,
                data_version=version,
                requested_by=user,
            )
    except IntegrityError:
        # A request for the same figures created the run between the read above and this write: the
        # constraint made this insert wait for it and refuse; that run is the one to share.
        existing = run_reusable(key=key, version=version)
        if existing is None:
            raise
        return existing
    audit_record(actor=user, action="insights.run_request", obj=run, summary=f"{kind} {version}")
    transaction.on_commit(lambda: _queue(run.pk))
    return run


def _queue(run_id: int) -> None:
    """Send the run to the workers by the task's name; compute it at once in eager mode (debugging),
    as ``delay`` would."""
    if current_app.conf.task_always_eager:
        run_execute(run_id=run_id)
    else:
        current_app.send_task(RUN_EXECUTE_TASK, args=[run_id])


def run_claim(*, run_id: int, now: dt.datetime | None = None) -> bool:
    """Claim a run for this worker: a queued one, or a running one whose worker fell silent (restart).
    One atomic UPDATE, so two workers never compute the same run."""
    now = now or timezone.now()
    silent = now - HEARTBEAT_STALE
    lost = Q(status=RunStatus.RUNNING) & (
        Q(heartbeat_at__lt=silent) | Q(heartbeat_at__isnull=True, started_at__lt=silent)
    )
    claimed = AnalysisRun.objects.filter(Q(status=RunStatus.QUEUED) | lost, pk=run_id).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, progress=1
    )
    return bool(claimed)


def run_is_busy(*, run_id: int, now: dt.datetime | None = None) -> bool:
    """Whether another worker is computing the run right now (running, heartbeat fresh)."""
    silent = (now or timezone.now()) - HEARTBEAT_STALE
    return AnalysisRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, heartbeat_at__gte=silent).exists()


class _Heartbeat:
    """A daemon thread that bumps the run's ``heartbeat_at`` until stopped (it dies with the process,
    which is the point: a killed worker's run falls silent)."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"run-{run_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_EVERY.total_seconds()):
                AnalysisRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except DatabaseError:  # the database went away: the run will look silent, as it should
            logger.warning("Heartbeat of analysis run %s stopped", self.run_id)
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


def run_execute(*, run_id: int) -> AnalysisRun | None:
    """Compute a queued run, or restart one whose worker died (the Celery task calls this). Returns the
    run, or None when there was nothing to claim (another worker has it, or it finished or expired)."""
    if not run_claim(run_id=run_id):
        return None
    run = AnalysisRun.objects.select_related("requested_by").get(pk=run_id)

    def progress(percent: int) -> None:
        AnalysisRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            progress=max(1, min(99, percent)), heartbeat_at=timezone.now()
        )

    user = run.requested_by or get_user_model()()  # a deleted requester sees nothing: the run fails
    try:
        with _Heartbeat(run_id), translation.override(run.parameters.get("language") or "zh-hans"):
            result = analyse(
                user=user,
                selection=Selection.from_json(run.parameters["selection"]),
                kind=run.kind,
                parameters=run.parameters.get("parameters"),
                progress=progress,
                include_examples=bool(run.parameters.get("examples", False)),
            )
    except StatsInputError as error:
        _move(
            run_id,
            RunStatus.RUNNING,
            RunStatus.FAILED,
            error=str(error),
            failure=RunFailure.DATA,
            finished_at=timezone.now(),
        )
    except PermissionDenied:
        # Not "you may not…": readers who share the run may well have the right (``run_failed_lately``).
        with translation.override(run.parameters.get("language") or "zh-hans"):
            denied = str(RunFailure.DENIED.label)
        _move(
            run_id,
            RunStatus.RUNNING,
            RunStatus.FAILED,
            error=denied,
            failure=RunFailure.DENIED,
            finished_at=timezone.now(),
        )
    except Exception as error:  # a bug: keep the worker alive, record it, and log the traceback
        logger.exception("Analysis run %s failed", run_id)
        message = _("Internal error (%(type)s); the administrators have been told.") % {
            "type": type(error).__name__
        }
        _move(
            run_id,
            RunStatus.RUNNING,
            RunStatus.FAILED,
            error=message,
            failure=RunFailure.INTERNAL,
            finished_at=timezone.now(),
        )
    else:
        _move(
            run_id, RunStatus.RUNNING, RunStatus.DONE, result=result, progress=100, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def runs_expire_stale(
    *, now: dt.datetime | None = None, key: str | None = None, version: str | None = None
) -> int:
    """Fail the runs whose worker died (queued past STALE_AFTER, or running with a heartbeat silent for
    HEARTBEAT_STALE) and nothing reclaimed; returns how many. ``key`` and ``version``: only those of
    that selection and data."""
    now = now or timezone.now()
    runs = AnalysisRun.objects.filter(stale_runs(now=now))
    if key is not None:
        runs = runs.filter(selection_hash=key, data_version=version)
    return runs.update(
        status=RunStatus.FAILED,
        error=_("Interrupted: no worker finished this run in time. Request it again."),
        failure=RunFailure.INTERRUPTED,
        finished_at=now,
    )


@transaction.atomic
def runs_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete the finished runs older than ``INSIGHTS_RUNS_KEEP_DAYS``, except a selection's newest done
    run (the figures a large selection shows until its next run is done); returns how many. A large
    selection's figures are computed up to every quarter of an hour while answers arrive, and each
    result is kept whole, so without this the table grows by the day."""
    keep = dt.timedelta(days=days if days is not None else settings.INSIGHTS_RUNS_KEEP_DAYS)
    cutoff = (now or timezone.now()) - keep
    newer = AnalysisRun.objects.filter(
        selection_hash=OuterRef("selection_hash"),
        status=RunStatus.DONE,
        finished_at__gt=OuterRef("finished_at"),
    )
    old = AnalysisRun.objects.filter(finished_at__lt=cutoff).filter(
        Q(status=RunStatus.FAILED) | Q(Exists(newer), status=RunStatus.DONE)
    )
    deleted, _by_model = old.delete()
    if deleted:
        audit_record(
            actor=None,
            action="insights.run.purge",
            object_type="insights.analysisrun",
            summary=f"{deleted} finished before {cutoff:%Y-%m-%d}",
        )
    return deleted
