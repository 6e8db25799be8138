"""The demo loader's bulk writer (``core/demo/bulk.py``): the values it writes are Django's, taken as they are
only where Django would write them unchanged, and its demo users share one hash of the demo password."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from carebridge.core.demo.bulk import (
    ANALYSE_AFTER_ROWS,
    analyse_changed,
    bulk_insert,
    insert_rows,
    row_values,
)
from carebridge.core.demo.steps import DEMO_PASSWORD, demo_password
from carebridge.core.models import AuditEvent, OutboxMessage
from carebridge.core.tests.support.values import mixed_message

NOW = dt.datetime(2026, 12, 6, 1, 2, 3, tzinfo=dt.UTC)


def _djangos(obj, fields):
    return [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]


@pytest.mark.django_db
def test_every_value_is_the_one_django_writes():
    message = mixed_message(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
    fields = [f for f in OutboxMessage._meta.concrete_fields if f.column]
    with (
        mock.patch("django.utils.timezone.now", return_value=NOW),
        pytest.warns(RuntimeWarning, match="naive datetime"),  # the date, made a naive midnight
    ):
        ours = row_values(fields)(message)
        theirs = _djangos(message, fields)
    assert ours == tuple(theirs)
    by_name = dict(zip([f.name for f in fields], ours, strict=True))
    assert by_name["created_at"] is not None  # auto_now_add stamped
    assert by_name["status"] == "pending"
    assert isinstance(by_name["attempts"], int) and by_name["attempts"] == 2  # numpy's is no int
    if connection.vendor == "postgresql":
        assert by_name["created_at"] == NOW
        assert by_name["next_attempt_at"] is message.next_attempt_at  # taken as it is


@pytest.mark.django_db
def test_rows_written_in_bulk_read_back_as_written():
    written = bulk_insert(
        [
            AuditEvent(action="demo.seed", object_type="patient", object_id="1", summary="中文摘要"),
            AuditEvent(
                action="demo.seed", object_type="patient", object_id="2", changes={"phone": ["a", "b"]}
            ),
        ]
    )
    assert all(event.pk is not None for event in written)
    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in written]).order_by("pk"))
    assert [(e.object_id, e.summary, e.changes) for e in stored] == [
        ("1", "中文摘要", {}),
        ("2", "", {"phone": ["a", "b"]}),
    ]
    assert all(e.at is not None for e in stored)


def _message(n, **fields):
    return OutboxMessage(
        kind="survey.sms",
        reference=f"S-{n}",
        channel="sms",
        to="138",
        text="问卷",
        next_attempt_at=NOW,
        **fields,
    )


@pytest.mark.django_db
def test_a_stamped_field_keeps_the_moment_the_instance_carries():
    then = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        written = bulk_insert(
            [_message(1, created_at=then), _message(2, created_at=then + dt.timedelta(days=1))],
            stamped=("created_at",),
        )
        unstamped = bulk_insert([_message(3, created_at=then)])
    assert [m.created_at for m in written] == [then, then + dt.timedelta(days=1)]
    stored = OutboxMessage.objects.filter(pk__in=[m.pk for m in [*written, *unstamped]]).order_by("pk")
    assert [(m.reference, m.created_at) for m in stored] == [
        ("S-1", then),
        ("S-2", then + dt.timedelta(days=1)),
        ("S-3", NOW),  # not named: auto_now_add stamps the time of the load, as Django would
    ]


@pytest.mark.django_db
def test_a_row_takes_the_key_of_a_parent_saved_after_it_was_built_and_refuses_an_unsaved_one():
    user = get_user_model()(username="demo_link_check")
    event = AuditEvent(action="demo.seed", object_type="patient", object_id="1", actor=user)
    # COPY's own linking on PostgreSQL; bulk_create's elsewhere.
    writer = "bulk_insert" if connection.vendor == "postgresql" else "bulk_create"
    with pytest.raises(ValueError, match=rf"^{writer}\(\) prohibited .* unsaved related object 'actor'"):
        bulk_insert([event])
    assert not AuditEvent.objects.filter(actor__username="demo_link_check").exists()
    user.save()
    bulk_insert([event])
    assert AuditEvent.objects.get(pk=event.pk).actor_id == user.pk


@pytest.mark.django_db
def test_plain_tuples_are_inserted_with_their_fields_values_and_defaults():
    first, second = bulk_insert([_message(1), _message(2)])
    insert_rows(
        AuditEvent,
        ("action", "object_type", "object_id", "summary", "at", "changes"),
        [
            ("demo.seed", "outbox", str(first.pk), "中文摘要", NOW, {}),
            ("demo.seed", "outbox", str(second.pk), "", NOW - dt.timedelta(hours=1), {"a": [1, 2]}),
        ],
    )
    with mock.patch("django.utils.timezone.now", return_value=NOW + dt.timedelta(days=1)):
        # Unnamed columns take a new instance's values: the default, "", the load's time for a stamp.
        insert_rows(AuditEvent, ("action", "object_type", "object_id"), [("demo.seed", "outbox", "x")])
    stored = AuditEvent.objects.filter(object_type="outbox").order_by("object_id")
    assert [(e.object_id, e.summary, e.at, e.changes, e.actor_id) for e in stored] == sorted(
        [
            (str(first.pk), "中文摘要", NOW, {}, None),
            (str(second.pk), "", NOW - dt.timedelta(hours=1), {"a": [1, 2]}, None),
            ("x", "", NOW + dt.timedelta(days=1), {}, None),
        ]
    )


@pytest.mark.django_db
def test_demo_users_share_one_hash_of_the_demo_password():
    assert demo_password() is demo_password()
    user = get_user_model().objects.create(username="demo_hash_check", password=demo_password())
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert not user.check_password("wrong")


def _analyses(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.analyze_count, GREATEST(c.reltuples, 0) FROM pg_stat_user_tables s"
            " JOIN pg_class c ON c.oid = s.relid WHERE s.relname = %s",
            [table],
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_table_filled_in_bulk_is_analysed_once():
    if connection.vendor != "postgresql":
        bulk_insert(AuditEvent(action="demo.seed", object_type="patient", object_id="1") for _ in range(10))
        assert analyse_changed() == []  # SQLite: the load's final ANALYZE is enough
        return
    analyse_changed()  # what earlier tests left changed
    count, rows = _analyses("core_auditevent")
    # Enough rows to cross the threshold whatever an earlier ANALYZE (not undone by a rollback) counted.
    bulk_insert(
        AuditEvent(action="demo.seed", object_type="patient", object_id=str(n))
        for n in range(ANALYSE_AFTER_ROWS + int(rows / 10) + 200)
    )
    assert "core_auditevent" in analyse_changed()
    assert _analyses("core_auditevent")[0] == count + 1
    assert "core_auditevent" not in analyse_changed()  # nothing changed since
    assert _analyses("core_auditevent")[0] == count + 1
