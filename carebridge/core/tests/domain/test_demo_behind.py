"""Writing behind (``core/demo/behind.py``): on PostgreSQL the demo loader's batches are written by a second
thread on the caller's own connection and transaction while the caller goes on; elsewhere at once."""

from __future__ import annotations

import sys
import threading

import pytest
from django.db import connection, transaction

from carebridge.core.demo.behind import SWITCH_INTERVAL, WriteBehind
from carebridge.core.models import AuditEvent

THREADED = connection.vendor == "postgresql"


def _record(action: str, seen: list[int]) -> None:
    seen.append(threading.get_ident())
    AuditEvent.objects.create(action=action, object_type="demo", object_id="*")


def _actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="demo.behind")
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_writes_run_in_order_in_the_callers_transaction():
    seen: list[int] = []
    with transaction.atomic():
        with WriteBehind() as behind:
            behind(_record, "demo.behind.1", seen)
            behind(_record, "demo.behind.2", seen)
            behind(_record, "demo.behind.3", seen)
        assert _actions() == ["demo.behind.1", "demo.behind.2", "demo.behind.3"]
        # Another thread on PostgreSQL (the caller goes on meanwhile), the caller itself elsewhere.
        assert (threading.get_ident() not in seen) is THREADED
        assert len(set(seen)) == 1
        transaction.set_rollback(True)
    assert _actions() == []  # the writes were the caller's transaction's: rolled back with it


@pytest.mark.django_db
def test_the_caller_may_not_query_while_a_write_is_under_way():
    started, release = threading.Event(), threading.Event()

    def slow(seen: list[int]) -> None:
        started.set()
        assert release.wait(10)
        _record("demo.behind.slow", seen)

    seen: list[int] = []
    with WriteBehind() as behind:
        if not THREADED:
            release.set()  # the write runs at once, in the caller
        behind(slow, seen)
        if THREADED:
            try:
                assert started.wait(10)
                with pytest.raises(RuntimeError, match="call wait"):
                    AuditEvent.objects.count()
            finally:
                release.set()
        behind.wait()
        assert _actions() == ["demo.behind.slow"]  # after wait() the connection is the caller's again
    assert AuditEvent.objects.filter(action="demo.behind.slow").count() == 1


@transaction.atomic
def _half_then_fail(seen: list[int]) -> None:
    _record("demo.behind.half", seen)
    raise ValueError("bad batch")


def _unchanged_connection(interval: float) -> None:
    assert not [
        w for w in connection.execute_wrappers if isinstance(getattr(w, "__self__", None), WriteBehind)
    ]
    assert not connection.allow_thread_sharing
    assert sys.getswitchinterval() == interval


@pytest.mark.django_db
def test_a_failed_write_is_rolled_back_raises_in_the_caller_and_nothing_after_it_runs():
    seen: list[int] = []
    interval = sys.getswitchinterval()
    with pytest.raises(ValueError, match="bad batch"), WriteBehind() as behind:
        behind(_half_then_fail, seen)
        behind(_record, "demo.behind.after", seen)  # raises here (or at once in the caller)
    assert len(seen) == 1  # the failed write ran; the one after it did not
    assert _actions() == []  # the failed write's own row went with its transaction
    _unchanged_connection(interval)


@pytest.mark.django_db
def test_the_blocks_own_error_stays_the_one_raised_with_the_writes_as_a_note():
    seen: list[int] = []
    interval = sys.getswitchinterval()
    with pytest.raises(KeyError) as raised, WriteBehind() as behind:
        if not THREADED:
            behind(_record, "demo.behind.ok", seen)
            raise KeyError("the caller's own")
        behind(_half_then_fail, seen)
        raise KeyError("the caller's own")
    if THREADED:
        assert raised.value.__notes__ == ["and the last write behind failed: ValueError('bad batch')"]
    else:
        assert _actions() == ["demo.behind.ok"]
    _unchanged_connection(interval)


@pytest.mark.django_db
def test_the_block_waits_for_the_last_write_and_gives_the_connection_back():
    seen: list[int] = []
    interval = sys.getswitchinterval()
    with WriteBehind() as behind:
        assert (sys.getswitchinterval() == SWITCH_INTERVAL) is THREADED
        behind(_record, "demo.behind.last", seen)
    assert _actions() == ["demo.behind.last"]
    _unchanged_connection(interval)
    if THREADED:
        with pytest.raises(RuntimeError, match="context manager"):
            WriteBehind()(_record, "demo.behind.outside", seen)
