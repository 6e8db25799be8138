"""A new row and the rows that point at it, in one statement on PostgreSQL (``core.services.rows``); the
same rows through the ORM on SQLite. Each test runs on the suite's database, so CI runs both paths."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, DataError, IntegrityError, connection
from django.db.models import F, Value
from django.utils import timezone

from carebridge.core.choices import DepartmentKind, OutboxStatus
from carebridge.core.models import AuditEvent, Department, Hospital, OutboxMessage, Region
from carebridge.core.services import rows
from carebridge.core.services.rows import Child, insert_together, update_saved
from carebridge.core.tests.support.values import mixed_message

pytestmark = pytest.mark.django_db


def _hospital(code: str = "rows") -> Hospital:
    return Hospital(code=code, name="行测试医院", level="3A", region=Region.objects.get(code="320106"))


def _department(code: str) -> Department:
    return Department(code=code, name=f"科室{code}", kind=DepartmentKind.CLINICAL)


def test_a_parent_and_its_children_are_written_in_one_go(django_assert_num_queries):
    hospital = _hospital()
    departments = [_department("A"), _department("B")]
    audit = AuditEvent(action="rows.test", object_type="core.hospital", changes={"科室": ["甲", None]})
    unrelated = AuditEvent(action="rows.other", object_type="core.region", object_id="320106")
    before = timezone.now()
    # PostgreSQL: one INSERT … RETURNING with its CTEs; SQLite: the parent, then one insert per model.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3):
        insert_together(
            hospital,
            [
                *(Child(department, parent_key="hospital") for department in departments),
                Child(audit, parent_key="object_id"),
                Child(unrelated),
            ],
        )
    assert hospital.pk is not None
    assert hospital._state.adding is False
    assert departments[0].hospital_id == departments[1].hospital_id == hospital.pk
    assert audit.object_id == str(hospital.pk)
    stored = Hospital.objects.get(pk=hospital.pk)
    assert (stored.code, stored.name, stored.time_zone) == ("rows", "行测试医院", "Asia/Shanghai")
    assert sorted(
        Department.objects.filter(hospital=hospital).values_list("code", "name", "is_active", "parent")
    ) == [("A", "科室A", True, None), ("B", "科室B", True, None)]
    row = AuditEvent.objects.get(action="rows.test")
    assert row.object_id == str(hospital.pk)
    assert row.changes == {"科室": ["甲", None]}  # JSON, non-ASCII and null kept
    assert before <= row.at <= timezone.now()  # auto_now_add stamped, as the ORM would
    assert AuditEvent.objects.get(action="rows.other").object_id == "320106"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # no test transaction to roll back
def test_a_failing_child_writes_nothing():
    hospital = _hospital()
    with pytest.raises(IntegrityError):
        # The same code twice in one hospital breaks the departments' unique constraint.
        insert_together(
            hospital,
            [Child(_department("A"), parent_key="hospital"), Child(_department("A"), parent_key="hospital")],
        )
    assert not Hospital.objects.filter(code="rows").exists()
    assert not Department.objects.filter(name="科室A").exists()


def test_only_new_rows_and_existing_fields_are_taken(hospital):
    with pytest.raises(ValueError, match="new rows"):
        insert_together(hospital, [])
    with pytest.raises(FieldDoesNotExist):
        insert_together(_hospital(), [Child(_department("A"), parent_key="hospitl")])
    # What one database would take and the other not is refused on both.
    parent = _hospital()
    with pytest.raises(ValueError, match="holds the parent"):
        insert_together(parent, [Child(Department(hospital=parent, code="A", name="甲", kind="clinical"))])
    with pytest.raises(ValueError, match="does not point at"):
        insert_together(_hospital(), [Child(_department("A"), parent_key="parent")])
    with pytest.raises(ValueError, match="plain values"):
        insert_together(_hospital(), [Child(AuditEvent(action=Value("x"), object_type="x", object_id="1"))])
    assert not Hospital.objects.filter(code="rows").exists()


def test_a_child_may_hold_the_parent_in_the_field_that_takes_its_key():
    hospital = _hospital()
    department = Department(hospital=hospital, code="A", name="甲", kind=DepartmentKind.CLINICAL)
    insert_together(hospital, [Child(department, parent_key="hospital")])
    assert Department.objects.get(code="A", hospital=hospital).hospital_id == hospital.pk
    assert department.hospital is hospital


def test_a_related_row_set_on_a_child_gives_its_key(hospital):
    parent = Department(code="P", name="上级", kind=DepartmentKind.CLINICAL, hospital=hospital)
    parent.save()
    child = Department(code="C", name="下级", kind=DepartmentKind.CLINICAL, hospital=hospital, parent=parent)
    insert_together(_hospital("other"), [Child(child)])
    assert Department.objects.get(code="C").parent_id == parent.pk


def _saved_department(code: str) -> Department:
    hospital = _hospital(f"upd-{code}")
    hospital.save()
    department = _department(code)
    department.hospital = hospital
    department.save()
    return department


def test_a_saved_rows_named_fields_are_written_and_no_other(django_assert_num_queries):
    department = _saved_department("U1")
    parent = Department.objects.create(hospital=department.hospital, code="U0", name="大内科")
    # Another writer changes a column this save does not name: it is kept.
    Department.objects.filter(pk=department.pk).update(code="U1X")
    department.name, department.is_active, department.parent = "心血管内科（新）", False, parent

    # PostgreSQL: one UPDATE, compiled once; SQLite: the ORM's save.
    with django_assert_num_queries(1):
        update_saved(department, ["name", "is_active", "parent", "name"])

    stored = Department.objects.get(pk=department.pk)
    assert (stored.code, stored.name, stored.is_active, stored.parent_id) == (
        "U1X",
        "心血管内科（新）",
        False,
        parent.pk,
    )
    department.name = "心内科"
    update_saved(department, ["name"])  # the same statement again, other values
    assert Department.objects.get(pk=department.pk).name == "心内科"


def test_only_a_saved_rows_own_columns_with_plain_values_are_taken():
    department = _saved_department("U2")
    with pytest.raises(ValueError, match="saved row"):
        update_saved(_department("U3"), ["name"])
    with pytest.raises(ValueError, match="own columns"):
        update_saved(department, ["id"])
    with pytest.raises(FieldDoesNotExist):
        update_saved(department, ["nom"])
    department.name = F("code")
    with pytest.raises(ValueError, match="plain values"):
        update_saved(department, ["name"])
    department.name = "未保存"
    department.parent = _department("U4")  # unsaved: refused as the ORM refuses it
    with pytest.raises(ValueError, match="unsaved related object"):
        update_saved(department, ["name", "parent"])
    assert Department.objects.get(pk=department.pk).name == "科室U2"


def test_a_row_that_is_gone_is_an_error_as_with_the_orm():
    department = _saved_department("U5")
    Department.objects.filter(pk=department.pk).delete()
    department.name = "已删除"
    with pytest.raises(DatabaseError, match="did not affect any rows"):
        update_saved(department, ["name"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # a refused statement ends the transaction
def test_a_text_longer_than_its_column_is_refused_as_by_the_orm_not_cut():
    """PostgreSQL cuts a text cast to ``varchar(n)`` silently; stored in the column, it is refused."""
    department = _saved_department("U6")
    longest = Department._meta.get_field("code").max_length
    department.code = "X" * (longest + 5)
    new = _department("Y" * (longest + 5))
    new.hospital = department.hospital
    if connection.vendor == "postgresql":
        with pytest.raises(DataError):
            update_saved(department, ["code"])
        with pytest.raises(DataError):
            insert_together(new)
        assert Department.objects.get(pk=department.pk).code == "U6"
        assert not Department.objects.filter(code__startswith="YYY").exists()
    else:  # SQLite keeps any length, with the ORM as with these
        update_saved(department, ["code"])
        insert_together(new)
        assert Department.objects.get(pk=department.pk).code == department.code
    department.name = "不写"
    update_saved(department, [])  # nothing named: nothing written, as the ORM
    assert Department.objects.get(pk=department.pk).name == "科室U6"


def test_the_values_written_are_the_ones_the_orm_writes():
    """The values a statement takes are Django's own (``pre_save``, then ``get_db_prep_save``), those it
    writes unchanged taken as they are, whatever the type of the value handed in."""
    message = mixed_message(dt.datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    fields = [f for f in OutboxMessage._meta.local_concrete_fields if f is not OutboxMessage._meta.auto_field]
    now = dt.datetime(2026, 12, 6, 1, 2, 3, tzinfo=dt.UTC)
    with (
        mock.patch("django.utils.timezone.now", return_value=now),
        pytest.warns(RuntimeWarning, match="naive datetime"),  # the date, made a naive midnight
    ):
        ours = rows._values(message)
        theirs = [f.get_db_prep_save(f.pre_save(message, True), connection=connection) for f in fields]
    assert ours == theirs
    assert [type(value) for value in ours] == [type(value) for value in theirs]
    written = dict(zip([f.name for f in fields], ours, strict=True))
    if connection.vendor == "postgresql":  # (SQLite's are texts)
        assert written["created_at"] == now  # auto_now_add stamped
        assert written["next_attempt_at"] is message.next_attempt_at  # taken as it is
    assert not isinstance(written["attempts"], np.integer) and type(written["status"]) is OutboxStatus

    # A plain integer keeps Django's path: on PostgreSQL an integer field's value is typed (Int2 here),
    # which fixes the parameter's type for a prepared statement, where a bare int would be sent as
    # int2, int4 or int8 by its size.
    plain = mixed_message(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC), attempts=2, sent_at=None)
    attempts = rows._fields(OutboxMessage).index(OutboxMessage._meta.get_field("attempts"))
    written_attempts = rows._values(plain)[attempts]
    assert written_attempts == 2
    if connection.vendor == "postgresql":
        assert type(written_attempts) is not int

    saved = _saved_department("V1")
    saved.name, saved.is_active = "心内科", np.bool_(False)
    names = ("name", "is_active")
    chosen = [Department._meta.get_field(name) for name in names]
    assert rows._written(saved, rows._update_plan(connection.vendor, Department, names), add=False) == [
        f.get_db_prep_save(f.pre_save(saved, False), connection=connection) for f in chosen
    ]
