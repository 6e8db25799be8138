"""Entries of the living dictionary for tests, written through the services so the search index is built."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from carebridge.core.models import Department, Hospital
from carebridge.core.tests.factories import DepartmentFactory
from carebridge.knowledge import services
from carebridge.knowledge.models import (
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    HospitalProfile,
    Service,
)


def hospital_profile(
    hospital: Hospital, *, latitude: float | None = 32.0584, longitude: float | None = 118.779, **values: Any
) -> HospitalProfile:
    coordinates = {
        "latitude": Decimal(f"{latitude:.6f}") if latitude is not None else None,
        "longitude": Decimal(f"{longitude:.6f}") if longitude is not None else None,
    }
    return services.hospital_profile_save(hospital=hospital, actor=None, values={**coordinates, **values})


def department(
    hospital: Hospital, code: str, name: str, **profile: Any
) -> tuple[Department, DepartmentProfile]:
    """A department with its profile."""
    dept = DepartmentFactory(hospital=hospital, code=code, name=name)
    return dept, services.department_profile_save(department=dept, actor=None, values=profile)


def service(hospital: Hospital, name: str, department: Department | None = None, **values: Any) -> Service:
    return services.service_create(
        hospital=hospital, actor=None, values={"name": name, "department": department, **values}
    )


def doctor(
    hospital: Hospital,
    name: str,
    department: Department,
    sessions: tuple[services.SessionInput, ...] = (),
    **values: Any,
) -> Doctor:
    return services.doctor_create(
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
    return services.external_hospital_create(
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
    return services.faq_create(
        hospital=hospital, actor=None, values={"question": question, "answer": answer, **values}
    )
