"""``restrict()``: the model's permission first, then the rows in the user's data scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured

from carebridge.core.models import AuditEvent, Department
from carebridge.core.scope import restrict
from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory


@pytest.fixture
def other_hospital_department(db):
    return DepartmentFactory(hospital=HospitalFactory(code="other"), code="X", name="外院科室")


def _names(user):
    return sorted(restrict(Department.objects.all(), user, "view").values_list("name", flat=True))


def test_a_department_scoped_user_sees_only_their_departments(
    ward_manager_wang, cardiology, other_hospital_department
):
    assert _names(ward_manager_wang) == ["儿科"]


def test_a_hospital_wide_user_sees_every_department_of_their_hospital_only(
    agent_ann, paediatrics, cardiology, other_hospital_department
):
    assert _names(agent_ann) == ["儿科", "心血管内科"]


def test_without_the_model_permission_nothing_is_seen(ward_manager_wang, paediatrics):
    view = Permission.objects.get(codename="view_department", content_type__app_label="core")
    for group in ward_manager_wang.groups.all():
        group.permissions.remove(view)
    ward_manager_wang = type(ward_manager_wang).objects.get(pk=ward_manager_wang.pk)  # fresh permission cache
    assert _names(ward_manager_wang) == []


def test_a_user_without_a_staff_record_sees_nothing(outsider, paediatrics):
    outsider.is_superuser = False
    assert _names(outsider) == []


def test_a_model_that_declares_no_scope_is_refused_not_shown(agent_ann, admin_sun):
    with pytest.raises(ImproperlyConfigured, match="scope_lookups"):
        restrict(AuditEvent.objects.all(), admin_sun, "view")


def test_a_page_may_require_another_permission_than_the_models(ward_manager_wang, paediatrics):
    assert restrict(Department.objects.all(), ward_manager_wang, permission="core.add_hospital").count() == 0
    assert (
        restrict(Department.objects.all(), ward_manager_wang, permission="core.view_department").count() == 1
    )
