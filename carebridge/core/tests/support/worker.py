"""A real Celery worker for tests, and a way to wait for its tasks without touching the database.

The tests that prove background work runs end to end start a worker in a thread (``start_worker``) and
send it a message through the configured broker. Waiting by polling the database would race the worker
on SQLite: the suite's in-memory database is shared between threads in *shared-cache* mode, where a
write that meets another thread's read fails at once with "database table is locked" instead of
waiting. So the test thread waits for the worker's own ``task_postrun`` signal and reads the database
only once the task has finished; a task that raised is reported with its exception.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_failure, task_postrun
from django.conf import settings


@dataclass
class TaskLog:
    """What the worker finished, by task name: its final state and, for a failure, the exception."""

    finished: dict[str, list[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def on_postrun(self, sender: Any = None, state: str | None = None, **_: Any) -> None:
        with self._changed:
            self.finished.setdefault(sender.name, []).append(state or "")
            self._changed.notify_all()

    def on_failure(self, sender: Any = None, exception: BaseException | None = None, **_: Any) -> None:
        with self._changed:
            self.failures.append(f"{sender.name}: {exception!r}")

    def wait_for(self, name: str, *, timeout: float = 60) -> str:
        """Block until the worker has finished task ``name``; return its state (SUCCESS, FAILURE…)."""
        with self._changed:
            if not self._changed.wait_for(lambda: name in self.finished, timeout=timeout):
                raise AssertionError(f"the worker did not finish {name} within {timeout} s")
            state = self.finished[name][-1]
        assert state == "SUCCESS", f"{name} ended in {state}: {self.failures}"
        return state


@contextmanager
def running_worker(app: Celery) -> Iterator[TaskLog]:
    """A solo worker in a thread, consuming from the broker ``app`` is configured for."""
    log = TaskLog()
    task_postrun.connect(log.on_postrun, weak=False)
    task_failure.connect(log.on_failure, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield log
    finally:
        task_postrun.disconnect(log.on_postrun)
        task_failure.disconnect(log.on_failure)


def use_private_queue(app: Celery, folder: Path, monkeypatch: Any) -> None:
    """In embedded mode, give the broker a queue folder of its own, so that a demo worker running on the
    same machine cannot take the test's message. Producers pooled earlier would still publish to the old
    folder, so the app forgets them here, and the caller's teardown calls ``forget_pooled_connections``
    again once the setting is restored."""
    if settings.REDIS_URL:
        return
    (folder / "in").mkdir()
    monkeypatch.setitem(
        app.conf,
        "broker_transport_options",
        {
            "data_folder_in": str(folder / "in"),
            "data_folder_out": str(folder / "in"),
            "store_processed": False,
        },
    )
    forget_pooled_connections(app)


def forget_pooled_connections(app: Celery) -> None:
    """Drop the app's broker connection and producer pools so the next send uses the current settings.

    This is what Celery does in a forked child (``Celery._after_fork``). Not ``app.close()``: that also
    removes the app from Celery's registry, after which ``shared_task`` modules imported later no longer
    register their tasks with it, and a worker discards their messages as unregistered.
    """
    app._after_fork()
