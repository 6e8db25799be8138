"""Entries of the living dictionary for tests, written through the services so the search index is built."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from carebridge.core.models import Department, Hospital
from carebridge.core.tests.factories import DepartmentFactory
from carebridge.knowledge.models import (
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    HospitalProfile,
    Service,
)
from carebridge.knowledge.services.catalogue import service_create
from carebridge.knowledge.services.doctors import SessionInput, doctor_create
from carebridge.knowledge.services.faq import faq_create
from carebridge.knowledge.services.profiles import department_profile_save, hospital_profile_save
from carebridge.knowledge.services.referrals import external_hospital_create


def hospital_profile(
    hospital: Hospital, *, latitude: float | None = 32.0584, longitude: float | None = 118.779, **values: Any
) -> HospitalProfile:
    coordinates = {
        "latitude": Decimal(f"{latitude:.6f}") if latitude is not None else None,
        "longitude": Decimal(f"{longitude:.6f}") if longitude is not None else None,
    }
    return hospital_profile_save(hospital=hospital, actor=None, values={**coordinates, **values})


def department(
    hospital: Hospital, code: str, name: str, **profile: Any
) -> tuple[Department, DepartmentProfile]:
    """A department with its profile."""
    dept = DepartmentFactory(hospital=hospital, code=code, name=name)
    return dept, department_profile_save(department=dept, actor=None, values=profile)


def service(hospital: Hospital, name: str, department: Department | None = None, **values: Any) -> Service:
    return service_create(
        hospital=hospital, actor=None, values={"name": name, "department": department, **values}
    )


def doctor(
    hospital: Hospital,
    name: str,
    department: Department,
    sessions: tuple[SessionInput, ...] = (),
    **values: Any,
) -> Doctor:
    return doctor_create(
        hospital=hospital,
        actor=None,
        sessions=sessions,
        values={"name": name, "department": department, **values},
    )


def external(
    hospital: Hospital,
    name: str,
    *,
    coordinates: tuple[float, float] | None = None,
    region: str = "",
    reputation: int = 50,
    services_offered: str = "",
    level: str = "3A",
    **values: Any,
) -> ExternalHospital:
    latitude, longitude = coordinates or (None, None)
    return external_hospital_create(
        hospital=hospital,
        actor=None,
        values={
            "name": name,
            "level": level,
            "region": region,
            "reputation": reputation,
            "services_offered": services_offered,
            "latitude": Decimal(f"{latitude:.6f}") if latitude is not None else None,
            "longitude": Decimal(f"{longitude:.6f}") if longitude is not None else None,
            **values,
        },
    )


def faq(hospital: Hospital, question: str, answer: str, **values: Any) -> Faq:
    return faq_create(
        hospital=hospital, actor=None, values={"question": question, "answer": answer, **values}
    )
