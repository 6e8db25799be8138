"""Background jobs of the insights app. Tasks are thin: they take an id and call a service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from carebridge.insights.selectors.runs import HEARTBEAT_STALE
from carebridge.insights.services.aggregates import RESPONSE_MONTHS_REFRESH_TASK, response_months_refresh
from carebridge.insights.services.reports import REPORT_BUILD_TASK, report_build
from carebridge.insights.services.runs import (
    RUN_EXECUTE_TASK,
    run_execute,
    run_is_busy,
    runs_expire_stale,
    runs_purge,
)


@shared_task(
    bind=True,
    name=RUN_EXECUTE_TASK,
    acks_late=True,
    reject_on_worker_lost=True,  # a killed worker's message goes back to the queue
    max_retries=10,
)
def analysis_run_execute(self: Any, run_id: int) -> str | None:
    """Compute one queued analysis run (queued on commit by ``run_request``). A redelivered message
    whose run still looks busy (its worker died a moment ago, the heartbeat not yet silent) waits for
    the heartbeat to go stale and then restarts the run."""
    run = run_execute(run_id=run_id)
    if run is None and run_is_busy(run_id=run_id) and self.request.delivery_info.get("redelivered"):
        raise self.retry(countdown=int(HEARTBEAT_STALE.total_seconds()) + 5)
    return run.status if run is not None else None


@shared_task(name="carebridge.insights.tasks.analysis_runs_expire_stale")
def analysis_runs_expire_stale() -> int:
    """Every minute (beat schedule in settings): fail runs whose worker died and nothing reclaimed."""
    return runs_expire_stale()


@shared_task(name="carebridge.insights.tasks.analysis_runs_purge")
def analysis_runs_purge() -> int:
    """Beat: nightly. Deletes finished runs past ``INSIGHTS_RUNS_KEEP_DAYS`` but each selection's newest."""
    return runs_purge()


@shared_task(name=REPORT_BUILD_TASK)
def report_build_task(*, user_id: int, month: str, instrument: str | None, language: str) -> bool:
    """Compute a monthly report too large for its page's request (queued by ``services.reports``)."""
    return report_build(user_id=user_id, month=month, instrument=instrument, language=language)


@shared_task(name=RESPONSE_MONTHS_REFRESH_TASK)
def response_months_refresh_task() -> int:
    """Beat: nightly, and after imports (``hooks.py``). Recounts the monthly satisfaction aggregate the
    dashboards read for closed months; returns its rows."""
    return response_months_refresh().rows
