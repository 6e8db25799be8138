"""factory_boy factories of the checkup centre, and a realistic centre built from the starter catalogue.

Customers are registry patients made here (with a valid national ID) so these tests do not lean on the
registry's own test helpers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from carebridge.checkup.models import (
    ContractClass,
    EmployerGroup,
    GroupContract,
    Item,
    Package,
    ReferenceRange,
    Room,
)
from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory
from carebridge.core.validators import national_id_check_digit
from carebridge.patients.models import Patient, PatientPhone


def national_id(birth: dt.date, sequence: int, *, sex: str = "M", region: str = "320106") -> str:
    """A valid resident ID (GB 11643) for the birth date and sex (odd 17th digit for men)."""
    serial = sequence * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + national_id_check_digit(first17)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    hospital = factory.SubFactory(HospitalFactory)
    mrn = factory.Sequence(lambda n: f"CK{n + 1:07d}")
    name = "王建国"
    sex = "M"
    birth_date = dt.date(1975, 6, 1)
    national_id = factory.LazyAttributeSequence(lambda o, n: national_id(o.birth_date, n + 1, sex=o.sex))
    region_id = "320106"
    contact_consent = True
    survey_consent = True


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientPhone

    patient = factory.SubFactory(CustomerFactory)
    number = factory.Sequence(lambda n: f"139{n:08d}")
    tail = factory.LazyAttribute(lambda o: o.number[-4:])
    is_primary = True


class CentreFactory(DepartmentFactory):
    code = factory.Sequence(lambda n: f"CHK{n}")
    name = "体检中心"
    kind = "medical_technical"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    department = factory.SubFactory(CentreFactory)
    hospital = factory.LazyAttribute(lambda o: o.department.hospital)
    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"检查室{n}")
    stations = 1
    service_minutes = 5
    sequence = factory.Sequence(lambda n: n)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    room = factory.SubFactory(RoomFactory)
    hospital = factory.LazyAttribute(lambda o: o.room.hospital)
    code = factory.Sequence(lambda n: f"I{n}")
    name = factory.Sequence(lambda n: f"项目{n}")
    kind = "numeric"
    category = "physical"
    unit = "mmol/L"
    price = Decimal("10")
    preparations = factory.LazyFunction(list)


class RangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceRange

    item = factory.SubFactory(ItemFactory)
    sex = "any"


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    hospital = factory.SubFactory(HospitalFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"套餐{n}")
    price = Decimal("500")

    @factory.post_generation
    def items(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.items.set(extracted)


class EmployerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerGroup

    department = factory.SubFactory(CentreFactory)
    hospital = factory.LazyAttribute(lambda o: o.department.hospital)
    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"单位{n}")
    channel = "employer"
    occupation_class = "civil_servant"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupContract

    group = factory.SubFactory(EmployerGroupFactory)
    name = "2025年度职工体检"
    starts_on = dt.date(2025, 1, 1)
    ends_on = dt.date(2025, 12, 31)


class ContractClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractClass

    contract = factory.SubFactory(ContractFactory)
    name = "在职男"
    package = factory.SubFactory(PackageFactory)
    price = Decimal("600")
