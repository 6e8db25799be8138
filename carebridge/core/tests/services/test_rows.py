"""A new row and the rows that point at it, in one statement on PostgreSQL (``core.services.rows``); the
same rows through the ORM on SQLite. Each test runs on the suite's database, so CI runs both paths."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection
from django.db.models import Value
from django.utils import timezone

from carebridge.core.choices import DepartmentKind
from carebridge.core.models import AuditEvent, Department, Hospital, Region
from carebridge.core.services.rows import Child, insert_together

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
