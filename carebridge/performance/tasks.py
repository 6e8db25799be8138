"""Background work of the performance app: the daily sweep of improvement actions (Celery beat)."""

from __future__ import annotations

from celery import shared_task

from carebridge.performance.services.actions import actions_remind_and_escalate


@shared_task
def actions_sweep() -> dict[str, int]:
    """Remind owners of due and late actions; escalate each action late by over a week once."""
    return actions_remind_and_escalate()
