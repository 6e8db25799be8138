"""Background jobs of the insights app. Tasks are thin: they take an id and call a service."""

from __future__ import annotations

from celery import shared_task

from carebridge.insights.services.runs import RUN_EXECUTE_TASK, run_execute, runs_expire_stale


@shared_task(name=RUN_EXECUTE_TASK)
def analysis_run_execute(run_id: int) -> str | None:
    """Compute one queued analysis run (queued on commit by ``run_request``)."""
    run = run_execute(run_id=run_id)
    return run.status if run is not None else None


@shared_task(name="carebridge.insights.tasks.analysis_runs_expire_stale")
def analysis_runs_expire_stale() -> int:
    """Every 30 minutes (beat schedule in settings): fail runs whose worker died."""
    return runs_expire_stale()
