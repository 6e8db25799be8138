"""factory_boy factories of the registry. National IDs are generated valid (GB 11643 check digit)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory
from carebridge.core.validators import national_id_check_digit
from carebridge.patients.models import Diagnosis, Encounter, Patient, PatientPhone


def valid_national_id(birth: dt.date, sequence: int = 123, region: str = "320106") -> str:
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + national_id_check_digit(first17)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    hospital = factory.SubFactory(HospitalFactory)
    mrn = factory.Sequence(lambda n: f"{n + 1:08d}")
    name = "张伟"
    name_initials = "zw"
    sex = "M"
    birth_date = dt.date(1980, 5, 17)
    national_id = factory.Sequence(
        lambda n: valid_national_id(dt.date(1980, 5, 17), sequence=(n % 400) * 2 + 1)
    )
    region_id = "320106"
    contact_consent = True
    survey_consent = True


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientPhone

    patient = factory.SubFactory(PatientFactory)
    number = factory.Sequence(lambda n: f"138{n:08d}")
    tail = factory.LazyAttribute(lambda o: o.number[-4:])
    is_primary = True


class EncounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Encounter

    patient = factory.SubFactory(PatientFactory)
    hospital = factory.LazyAttribute(lambda o: o.patient.hospital)
    department = factory.SubFactory(DepartmentFactory, hospital=factory.SelfAttribute("..hospital"))
    kind = "outpatient"
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnosis

    encounter = factory.SubFactory(EncounterFactory)
    code = "I10"
    name = "原发性高血压"
    category = "I10"
    chapter = 9
    is_primary = True
