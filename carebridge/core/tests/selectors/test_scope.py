"""The data scope decides, in one place, which departments' records a user sees."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from carebridge.core.scope import scope_for
from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, make_persona

pytestmark = pytest.mark.django_db


def test_it_gives_hospital_wide_roles_every_department_of_their_hospital(agent_ann, hospital):
    scope = scope_for(agent_ann)
    assert scope.hospital_ids == frozenset({hospital.pk})
    assert scope.department_ids is None


def test_it_limits_ward_managers_to_their_departments(ward_manager_wang, paediatrics, cardiology):
    scope = scope_for(ward_manager_wang)
    assert scope.department_ids == frozenset({paediatrics.pk})
    assert scope.allows_department(paediatrics.pk, paediatrics.hospital_id)
    assert not scope.allows_department(cardiology.pk, cardiology.hospital_id)


def test_it_rejects_other_hospitals_even_for_hospital_wide_roles(agent_ann):
    other = DepartmentFactory(hospital=HospitalFactory())
    assert not scope_for(agent_ann).allows_department(other.pk, other.hospital_id)


def test_it_gives_users_without_a_staff_record_nothing(outsider):
    assert scope_for(outsider).is_empty


def test_it_gives_superusers_everything(db):
    root = get_user_model().objects.create_superuser("root", password="root-pass-2026")
    assert scope_for(root).is_unrestricted


def test_it_gives_inactive_staff_nothing(hospital, paediatrics):
    user = make_persona("gone", "ward_manager", hospital, departments=[paediatrics])
    user.staff.is_active = False
    user.staff.save()
    assert scope_for(user).is_empty
