"""The report builds a page sends to the workers, recorded instead of reaching the broker, and run by
the test as a Celery worker runs them (``services.reports``)."""

from __future__ import annotations

from typing import Any

from carebridge.insights.services.reports import REPORT_BUILD_TASK

Sent = list[tuple[str, dict[str, Any]]]


def record_report_builds(settings: Any, monkeypatch: Any, *, limit: int = 100) -> Sent:
    """From ``limit`` responses in a month the report is a worker's; returns the list the sends fill."""
    from celery import current_app

    settings.INSIGHTS_INLINE_RESPONSES = limit
    sent: Sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, kwargs: sent.append((name, kwargs)))
    return sent


def work(sent: Sent) -> None:
    """What the Celery worker does with the builds sent (each must succeed), and the queue emptied."""
    from carebridge.insights.tasks import report_build_task

    for name, kwargs in sent:
        assert name == REPORT_BUILD_TASK
        assert report_build_task(**kwargs) is True
    sent.clear()
