"""factory_boy factories of the organisation, and personas with a role and a data scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from carebridge.core.models import Department, Hospital, Region, Staff, Ward

PASSWORD = "persona-pass-2026"


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital

    code = factory.Sequence(lambda n: f"h{n}")
    name = factory.Sequence(lambda n: f"测试医院{n}")
    level = "3A"
    region = factory.LazyFunction(lambda: Region.objects.get(code="320106"))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    hospital = factory.SubFactory(HospitalFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"科室{n}")
    kind = "clinical"


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"W{n}")
    name = factory.Sequence(lambda n: f"病区{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    hospital = factory.SubFactory(HospitalFactory)
    name = factory.Sequence(lambda n: f"医生{n}")
    kind = "doctor"
    title = "主治医师"


def make_persona(
    username: str,
    role: str,
    hospital: Hospital,
    *,
    departments: Iterable[Department] = (),
    **user_fields: Any,
) -> Any:
    """A user in the role's group, with a staff record in ``hospital`` scoped to ``departments``."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **user_fields)
    user.groups.add(Group.objects.get(name=role))
    staff = Staff.objects.create(hospital=hospital, user=user, name=username.title(), kind="agent")
    staff.departments.set(list(departments))
    return user
