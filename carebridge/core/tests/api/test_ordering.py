"""The API's ``?ordering=`` (``core.api.filters.Ordering``): rows without a value last ascending and first
descending on every database, a related record still ordered by its own model's ordering."""

from __future__ import annotations

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from carebridge.core.api.filters import Ordering
from carebridge.core.models import Department
from carebridge.core.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


class _View:
    ordering_fields = ["code", "parent", "parent_id", "parent__code"]


def _ordered(ordering: str) -> list[str]:
    request = Request(APIRequestFactory().get("/", {"ordering": ordering}))
    rows = Ordering().filter_queryset(request, Department.objects.all(), _View())
    return [department.code for department in rows]


@pytest.fixture
def departments(hospital):
    # Parents whose ids run against their codes: ordering by the parent record (its code) and by the
    # parent's key give opposite orders.
    late = DepartmentFactory(hospital=hospital, code="Z-PARENT")
    early = DepartmentFactory(hospital=hospital, code="A-PARENT")
    DepartmentFactory(hospital=hospital, code="CHILD-OF-Z", parent=late)
    DepartmentFactory(hospital=hospital, code="CHILD-OF-A", parent=early)


def test_rows_without_a_value_come_last_ascending_and_first_descending(departments):
    assert _ordered("parent_id,code") == ["CHILD-OF-Z", "CHILD-OF-A", "A-PARENT", "Z-PARENT"]
    assert _ordered("-parent_id,code") == ["A-PARENT", "Z-PARENT", "CHILD-OF-A", "CHILD-OF-Z"]
    assert _ordered("parent__code,code") == ["CHILD-OF-A", "CHILD-OF-Z", "A-PARENT", "Z-PARENT"]


def test_a_related_record_is_ordered_by_its_own_ordering_not_by_its_key(departments):
    # Department's own ordering is (hospital, code): the child of A-PARENT first, whatever the ids.
    children = [code for code in _ordered("parent,code") if code.startswith("CHILD")]
    assert children == ["CHILD-OF-A", "CHILD-OF-Z"]
    children = [code for code in _ordered("-parent,code") if code.startswith("CHILD")]
    assert children == ["CHILD-OF-Z", "CHILD-OF-A"]


def test_a_field_not_offered_leaves_the_queryset_s_own_order(departments):
    assert _ordered("name") == list(Department.objects.values_list("code", flat=True))
