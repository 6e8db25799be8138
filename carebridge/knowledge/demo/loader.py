"""Fills the demo hospitals' living dictionaries through the services (so the search index is built too)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import Department, Hospital, Staff
from carebridge.knowledge.choices import ClinicType, HalfDay
from carebridge.knowledge.demo import catalog, places
from carebridge.knowledge.models import DepartmentProfile, Doctor, ExternalHospital, Faq, Service
from carebridge.knowledge.services.catalogue import service_create
from carebridge.knowledge.services.doctors import SessionInput, doctor_create, staff_doctor_values
from carebridge.knowledge.services.faq import faq_create
from carebridge.knowledge.services.profiles import department_profile_save, hospital_profile_save
from carebridge.knowledge.services.referrals import external_hospital_create

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# Weekly sessions by title: senior doctors hold expert clinics, junior ones general clinics.
_SESSIONS_BY_TITLE = {
    "主任医师": (2, ClinicType.EXPERT),
    "副主任医师": (2, ClinicType.EXPERT),
    "主治医师": (3, ClinicType.GENERAL),
    "住院医师": (2, ClinicType.GENERAL),
}


def _sessions(context: DemoContext, title: str, place: str) -> list[SessionInput]:
    count, clinic_type = _SESSIONS_BY_TITLE.get(title, (2, ClinicType.GENERAL))
    slots = [
        (day, half)
        for day in range(1, 7)
        for half in (HalfDay.MORNING, HalfDay.AFTERNOON)
        if not (day == 6 and half == HalfDay.AFTERNOON)
    ]
    chosen = sorted(context.rng.sample(slots, count))
    room = f"{place}{context.rng.randint(1, 12):02d}诊室"
    sessions = []
    for index, (day, half) in enumerate(chosen):
        kind = clinic_type
        if clinic_type == ClinicType.EXPERT and index == 1:
            kind = context.rng.choice([ClinicType.EXPERT, ClinicType.DISEASE, ClinicType.PREMIUM])
        sessions.append(SessionInput(day, half, kind, room))
    return sessions


def _departments(
    context: DemoContext,
    hospital: Hospital,
    departments: dict[str, Department],
    staff: dict[str, dict[str, list[Staff]]],
) -> tuple[int, int]:
    service_count = doctor_count = 0
    for code, spec in catalog.PROFILES.items():
        department = departments.get(code)
        if department is None:
            continue
        for item in spec.services:
            service_create(
                hospital=hospital,
                actor=None,
                values={
                    "department": department,
                    "name": item.name,
                    "synonyms": item.synonyms,
                    "approach": item.approach,
                    "offered_here": item.offered_here,
                    "description": item.description,
                    "note": item.note,
                },
            )
            service_count += 1
        department_profile_save(
            department=department,
            actor=None,
            values={
                "introduction": spec.intro,
                "treatment_scope": spec.scope,
                "special_techniques": spec.techniques,
                "equipment": spec.equipment,
                "non_surgical_option": spec.non_surgical,
                "building": spec.building,
                "floor": spec.floor,
                "location": f"{spec.building}{spec.floor}{department.name}",
                "phone": f"025-8300{context.rng.randint(1000, 9999)}",
            },
        )
        place = f"{spec.building}{spec.floor}"
        for person in staff.get(code, {}).get("doctor", [])[:4]:
            specialties = "、".join(context.rng.sample(spec.specialties, min(2, len(spec.specialties))))
            doctor_create(
                hospital=hospital,
                actor=None,
                values={
                    **staff_doctor_values(person),
                    "department": department,
                    "specialties": specialties,
                    "introduction": f"{person.title}，从事{department.name}临床工作多年，擅长{specialties}。",
                },
                sessions=_sessions(context, person.title, place),
            )
            doctor_count += 1
    return service_count, doctor_count


def _externals(hospital: Hospital) -> None:
    for spec in places.EXTERNAL_HOSPITALS:
        latitude, longitude = spec.coordinates or (None, None)
        external_hospital_create(
            hospital=hospital,
            actor=None,
            values={
                "name": spec.name,
                "level": spec.level,
                "region": spec.region,
                "address": spec.address,
                "latitude": Decimal(f"{latitude:.6f}") if latitude is not None else None,
                "longitude": Decimal(f"{longitude:.6f}") if longitude is not None else None,
                "phone": spec.phone,
                "reputation": spec.reputation,
                "services_offered": spec.services,
                "specialties": spec.specialties,
            },
        )


def _faqs(hospital: Hospital) -> None:
    for category, question, answer, keywords in places.FAQS:
        faq_create(
            hospital=hospital,
            actor=None,
            values={
                "category": category,
                "question": question,
                "answer": answer,
                "keywords": keywords,
            },
        )


def _age_verifications(context: DemoContext, hospital: Hospital) -> None:
    """Spread the "last verified" dates over the past 14 months, so some entries show as stale."""
    as_of = dt.datetime.combine(context.as_of, dt.time(9, 0), tzinfo=SHANGHAI)
    for model in (DepartmentProfile, Service, Doctor, ExternalHospital, Faq):
        for pk in model.objects.filter(hospital=hospital).order_by("pk").values_list("pk", flat=True):
            days = context.rng.choice([3, 10, 30, 45, 60, 90, 120, 150, 200, 400])
            model.objects.filter(pk=pk).update(last_verified_at=as_of - dt.timedelta(days=days))


@register_step(30, "knowledge")
def seed_knowledge(context: DemoContext) -> None:
    """Every hospital gets department profiles, services, doctors' schedules and FAQ; the main one also
    the external hospitals for referral."""
    for index, (hospital, departments, _wards, staff) in enumerate(context.data["hospitals"]):
        with transaction.atomic():
            intro, address, latitude, longitude, phone = places.HOSPITAL_PROFILES.get(
                hospital.code, ("", "", None, None, "")
            )
            values: dict[str, Any] = {
                "introduction": intro,
                "address": address,
                "phone": phone,
                "latitude": Decimal(f"{latitude:.6f}") if latitude is not None else None,
                "longitude": Decimal(f"{longitude:.6f}") if longitude is not None else None,
            }
            hospital_profile_save(hospital=hospital, actor=None, values=values)
            service_count, doctor_count = _departments(context, hospital, departments, staff)
            if index == 0:
                _externals(hospital)
            _faqs(hospital)
            _age_verifications(context, hospital)
        context.log(f"knowledge {hospital.code}: {service_count} services, {doctor_count} doctors")
