"""The outbox: a message is a row written with the sender's change, delivered after commit by a real
worker, retried with back-off when the gateway refuses, and reported to its sender once it is settled."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from carebridge.celery import app
from carebridge.core.choices import OutboxStatus
from carebridge.core.messaging import MessageResult
from carebridge.core.models import OutboxMessage
from carebridge.core.services import outbox as outbox_module
from carebridge.core.services.outbox import (
    MAX_ATTEMPTS,
    on_result,
    outbox_deliver_one,
    outbox_due,
    outbox_enqueue,
)
from carebridge.core.tests.support.worker import running_worker


@pytest.fixture
def file_gateway(settings, tmp_path):
    settings.CAREBRIDGE = {
        **settings.CAREBRIDGE,
        "SMS": {**settings.CAREBRIDGE["SMS"], "BACKEND": "file", "FILE_DIR": str(tmp_path)},
    }
    return tmp_path


@pytest.fixture
def refusing_gateway(settings):
    """An http gateway on a local port nobody listens on: every send is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sms = {
        **settings.CAREBRIDGE["SMS"],
        "BACKEND": "http",
        "HTTP_URL": f"http://127.0.0.1:{port}/sms",
        "HTTP_TIMEOUT": 1.0,
    }
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SMS": sms}


@pytest.fixture
def results(monkeypatch):
    seen: list[tuple[str, bool]] = []
    monkeypatch.setattr(outbox_module, "_handlers", {})

    @on_result("tests.reminder")
    def record(message: OutboxMessage, result: MessageResult) -> None:
        seen.append((message.reference, result.accepted))

    return seen


def _sent_lines(folder) -> list[dict]:
    path = folder / "sms.jsonl"
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


@pytest.mark.django_db
def test_a_message_is_queued_only_when_its_transaction_commits(
    file_gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = outbox_enqueue(kind="tests.reminder", reference="r-1", to="13812345678", text="复诊提醒")
    assert len(callbacks) == 1
    assert message.status == OutboxStatus.PENDING
    assert _sent_lines(file_gateway) == []


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_message(file_gateway):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(kind="tests.reminder", reference="r-2", to="13812345678", text="复诊提醒")
        raise RuntimeError("the sender's change failed")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_same_reference_is_enqueued_once(file_gateway):
    first = outbox_enqueue(kind="tests.reminder", reference="r-3", to="13812345678", text="a")
    second = outbox_enqueue(kind="tests.reminder", reference="r-3", to="13812345678", text="a")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_delivery_sends_once_and_tells_the_sender(file_gateway, results):
    message = outbox_enqueue(kind="tests.reminder", reference="r-4", to="13812345678", text="复诊提醒")
    delivered = outbox_deliver_one(message_id=message.pk)
    again = outbox_deliver_one(message_id=message.pk)
    assert delivered is not None and delivered.status == OutboxStatus.SENT
    assert again is None
    assert [line["reference"] for line in _sent_lines(file_gateway)] == ["r-4"]
    assert results == [("r-4", True)]


@pytest.mark.django_db
def test_a_refused_message_is_retried_with_back_off_and_fails_after_the_last_attempt(
    refusing_gateway, results
):
    message = outbox_enqueue(kind="tests.reminder", reference="r-5", to="13812345678", text="复诊提醒")
    attempts_at = []
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1), tick=False) as clock:
        for _attempt in range(MAX_ATTEMPTS):
            assert outbox_due() == [message.pk]
            outbox_deliver_one(message_id=message.pk)
            message.refresh_from_db()
            attempts_at.append(message.attempts)
            assert outbox_due() == []  # not due again before its back-off has passed
            clock.shift(message.next_attempt_at - timezone.now() + dt.timedelta(seconds=1))
    assert attempts_at == list(range(1, MAX_ATTEMPTS + 1))
    assert message.status == OutboxStatus.FAILED
    assert message.error
    assert results == [("r-5", False)]  # told once, when it is settled


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_what_a_committed_transaction_enqueued(file_gateway, private_queue):
    with running_worker(app) as worker:
        with transaction.atomic():
            message = outbox_enqueue(
                kind="tests.reminder", reference="r-6", to="13812345678", text="复诊提醒"
            )
        worker.wait_for("carebridge.core.tasks.outbox_deliver", timeout=30)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert [line["text"] for line in _sent_lines(file_gateway)] == ["复诊提醒"]
