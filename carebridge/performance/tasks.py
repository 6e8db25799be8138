"""Celery tasks of the performance app: thin and idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from carebridge.performance.services.actions import actions_remind_and_escalate
from carebridge.performance.services.inspections import findings_escalate_overdue
from carebridge.performance.services.precompute import kpi_last_month_refresh, kpi_month_values_refresh
from carebridge.performance.services.training import mandatory_training_remind


@shared_task(name="carebridge.performance.tasks.kpi_month_values_refresh")
def kpi_month_values_refresh_task() -> int:
    """Beat: nightly. Stores the computed KPIs of the 18 months before this one for the cockpit."""
    return kpi_month_values_refresh()


@shared_task(name="carebridge.performance.tasks.kpi_last_month_refresh")
def kpi_last_month_refresh_task() -> int:
    """Beat: every quarter of an hour. Recounts last month's computed KPIs (the cockpit's month)."""
    return kpi_last_month_refresh()


@shared_task(name="carebridge.performance.tasks.findings_escalate")
def findings_escalate() -> int:
    """Beat: hourly. A finding past its deadline is escalated once however often this runs."""
    return findings_escalate_overdue()


@shared_task(name="carebridge.performance.tasks.training_remind")
def training_remind() -> int:
    """Beat: Mondays. Each due mandatory course is reminded once per person and due date."""
    return mandatory_training_remind()


@shared_task
def actions_sweep() -> dict[str, int]:
    """Beat: daily. Remind owners of due and late actions; escalate each action late by over a week once."""
    return actions_remind_and_escalate()
