"""Writes the demo hospital: organisation, staff, demo users (one per role) and generated patients."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from carebridge.core.demo.behind import WriteBehind
from carebridge.core.demo.bulk import bulk_insert
from carebridge.core.demo.steps import (
    DemoContext,
    demo_password,
    register_check,
    register_finish,
    register_step,
)
from carebridge.core.models import AuditEvent, Department, Hospital, Region, Staff, Ward
from carebridge.patients.demo import catalog
from carebridge.patients.demo.generator import SHANGHAI, PatientGenerator, PatientRecord
from carebridge.patients.domain.names import name_initials
from carebridge.patients.models import Customer, Diagnosis, Encounter, Patient, PatientPhone, Tag
from carebridge.patients.services.departments import patient_departments_sync
from carebridge.patients.services.encounters import DiagnosisInput, diagnosis_from_input
from carebridge.patients.services.quality import registry_quality_check

STAFF_PER_DEPARTMENT = 6
BATCH = 5000

# Demo users: username = role; (home department, departments in scope or None for the whole hospital).
DEMO_USERS: dict[str, tuple[str, tuple[str, ...] | None, str, str]] = {
    "agent": ("CSC", None, "agent", "客服专员"),
    "ward_manager": ("PEDI", ("PEDI", "NEON"), "manager", "病区项目经理"),
    "clinician": ("CARD", ("CARD",), "doctor", "主治医师"),
    "checkup_staff": ("CHKP", ("CHKP",), "nurse", "主管护师"),
    "complaint_officer": ("PREL", None, "administrator", "科长"),
    "quality_officer": ("QCO", None, "administrator", "科员"),
    "dept_head": ("ORTH", ("ORTH",), "doctor", "主任医师"),
    "executive": ("MEDA", None, "administrator", "副院长"),
    "admin": ("MEDA", None, "administrator", "信息科工程师"),
}


def _hospital(spec: catalog.HospitalSpec) -> tuple[Hospital, dict[str, Department], dict[str, list[Ward]]]:
    hospital = Hospital.objects.create(
        code=spec.code,
        name=spec.name,
        level=spec.level,
        type=spec.hospital_type,
        region=Region.objects.get(code=spec.region),
    )
    departments: dict[str, Department] = {}
    wards: dict[str, list[Ward]] = defaultdict(list)
    for dept_spec in catalog.DEPARTMENTS:
        if dept_spec.code not in spec.department_codes:
            continue
        department = Department.objects.create(
            hospital=hospital,
            code=dept_spec.code,
            name=dept_spec.name,
            name_en=dept_spec.name_en,
            kind=dept_spec.kind,
            parent=departments.get(dept_spec.parent or ""),
        )
        departments[dept_spec.code] = department
        for index in range(dept_spec.wards):
            wards[dept_spec.code].append(
                Ward.objects.create(
                    department=department,
                    code=f"{dept_spec.code}-{index + 1}",
                    name=f"{dept_spec.name}{'一二三四'[index]}病区",
                    beds=40,
                )
            )
    return hospital, departments, wards


def _staff(
    context: DemoContext, hospital: Hospital, departments: dict[str, Department], generator: PatientGenerator
) -> dict[str, dict[str, list[Staff]]]:
    """Doctors and nurses of every clinical department (and the checkup centre)."""
    rows: list[tuple[Staff, Department]] = []
    for department in departments.values():
        if department.kind not in {"clinical", "medical_technical"}:
            continue
        for kind in ("doctor", "nurse"):
            for index in range(STAFF_PER_DEPARTMENT):
                sex = "F" if kind == "nurse" and context.rng.random() < 0.9 else context.rng.choice("MF")
                titles = catalog.STAFF_TITLES[kind]
                rows.append(
                    (
                        Staff(
                            hospital=hospital,
                            name=generator.name(sex),
                            kind=kind,
                            title=titles[min(index, len(titles) - 1)],
                            phone=generator.mobile(),
                            home_department=department,
                        ),
                        department,
                    )
                )
    created = Staff.objects.bulk_create([staff for staff, _ in rows])
    Through = Staff.departments.through
    Through.objects.bulk_create(
        Through(staff_id=s.pk, department_id=d.pk) for s, (_, d) in zip(created, rows, strict=True)
    )
    by_department: dict[str, dict[str, list[Staff]]] = defaultdict(lambda: defaultdict(list))
    for staff, (_, department) in zip(created, rows, strict=True):
        by_department[department.code][staff.kind].append(staff)
    return by_department


def _demo_users(hospital: Hospital, departments: dict[str, Department], generator: PatientGenerator) -> None:
    User = get_user_model()
    for username, (home, scope, kind, title) in DEMO_USERS.items():
        user = User.objects.create(username=username, password=demo_password(), is_staff=username == "admin")
        user.groups.add(Group.objects.get(name=username))
        staff = Staff.objects.create(
            hospital=hospital,
            user=user,
            name=generator.name("F"),
            kind=kind,
            title=title,
            phone=generator.mobile(),
            home_department=departments[home],
        )
        if scope is not None:
            staff.departments.set([departments[code] for code in scope])


@register_step(10, "organisation")
def seed_organisation(context: DemoContext) -> None:
    generator = PatientGenerator(seed=context.seed, as_of=context.as_of)
    hospital, departments, wards = _hospital(catalog.DEMO_HOSPITAL)
    second, second_departments, second_wards = _hospital(catalog.SECOND_HOSPITAL)
    context.data["hospitals"] = [
        (hospital, departments, wards, _staff(context, hospital, departments, generator)),
        (second, second_departments, second_wards, _staff(context, second, second_departments, generator)),
    ]
    _demo_users(hospital, departments, generator)
    context.log(f"organisation: 2 hospitals, {len(departments) + len(second_departments)} departments")


@register_step(20, "patients")
def seed_patients(context: DemoContext) -> None:
    """The main hospital gets ``--patients`` and, on top, 30 % as many recent inpatients of its
    busiest wards (``PatientGenerator.recent_inpatients``); the second, smaller hospital a fifth."""
    generator = PatientGenerator(
        seed=context.seed + 1, as_of=context.as_of, staff_per_department=STAFF_PER_DEPARTMENT
    )
    tags = {
        name: Tag.objects.get_or_create(name=name)[0]
        for name, _ in (("慢病", 0), ("老年", 0), ("VIP", 0), ("医保", 0), ("外地", 0), ("残障", 0))
    }
    for index, (hospital, departments, wards, staff) in enumerate(context.data["hospitals"]):
        count = context.patients if index == 0 else max(1, context.patients // 5)
        batch: list[PatientRecord] = []
        written = 0
        records = generator.patients(count)
        if index == 0:
            recent = generator.recent_inpatients(context.patients * 3 // 10, mrn_start=2 * count + 1)
            records = itertools.chain(records, recent)
        places = {"hospital": hospital, "departments": departments, "wards": wards, "staff": staff}
        # Each batch is written while the next is generated and made into rows (``WriteBehind``).
        with WriteBehind() as behind:
            for record in records:
                if record.encounters and any(e.department not in departments for e in record.encounters):
                    record.encounters = [e for e in record.encounters if e.department in departments]
                batch.append(record)
                if len(batch) >= BATCH:
                    behind(_write, _rows(batch, tags=tags, **places))
                    written += len(batch)
                    batch = []
                    context.log(f"{hospital.code}: {written} patients")
            behind(_write, _rows(batch, tags=tags, **places))
            written += len(batch)
        context.log(f"{hospital.code}: {written} patients")


@dataclass
class _Batch:
    """One batch of the registry's rows, made by the caller and written behind it (``_write``); the
    later rows point at the earlier ones, whose keys are set as they are written."""

    patients: list[Patient] = field(default_factory=list)
    phones: list[PatientPhone] = field(default_factory=list)
    tags: list[Any] = field(default_factory=list)  # Patient.tags.through
    customers: list[Customer] = field(default_factory=list)
    encounters: list[Encounter] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)


def _rows(
    records: list[PatientRecord],
    *,
    hospital: Hospital,
    departments: dict[str, Department],
    wards: dict[str, list[Ward]],
    staff: dict[str, dict[str, list[Staff]]],
    tags: dict[str, Tag],
) -> _Batch:
    batch = _Batch()
    now = dt.datetime.now(tz=SHANGHAI)
    TagLink = Patient.tags.through
    for r in records:
        patient = Patient(
            hospital=hospital,
            mrn=r.mrn,
            name=r.name,
            name_initials=name_initials(r.name),
            sex=r.sex,
            birth_date=r.birth_date,
            national_id=r.national_id,
            region_id=r.region,
            address=r.address,
            contact_consent=r.contact_consent,
            contact_consent_at=now if r.contact_consent else None,
            survey_consent=r.survey_consent,
            survey_consent_at=now if r.survey_consent else None,
        )
        batch.patients.append(patient)
        batch.phones.extend(
            PatientPhone(
                patient=patient, number=number, tail=number[-4:], kind=kind, label=label, is_primary=i == 0
            )
            for i, (number, kind, label) in enumerate(r.phones)
        )
        batch.tags.extend(TagLink(patient=patient, tag=tags[name]) for name in r.tags)
        batch.customers.extend(
            Customer(
                hospital=hospital,
                customer_class="family",
                name=f"{r.name}的{label}",
                phone=number,
                patient=patient,
                relationship=label,
            )
            for number, kind, label in r.phones
            if kind == "family"
        )
        for e in r.encounters:
            people = staff.get(e.department, {})
            doctors, nurses = people.get("doctor", []), people.get("nurse", [])
            encounter = Encounter(
                hospital=hospital,
                patient=patient,
                kind=e.kind,
                department=departments[e.department],
                ward=wards[e.department][e.ward_index % len(wards[e.department])]
                if e.ward_index is not None and wards.get(e.department)
                else None,
                attending_doctor=doctors[e.doctor_index % len(doctors)]
                if doctors and e.doctor_index is not None
                else None,
                primary_nurse=nurses[e.nurse_index % len(nurses)]
                if nurses and e.nurse_index is not None
                else None,
                started_at=e.started_at,
                ended_at=e.ended_at,
                surgery_grade=e.surgery_grade,
                critical=e.critical,
            )
            batch.encounters.append(encounter)
            batch.diagnoses.extend(
                diagnosis_from_input(encounter, DiagnosisInput(code=code, name=name, is_primary=primary))
                for code, name, primary in e.diagnoses
            )
    return batch


@transaction.atomic
def _write(batch: _Batch) -> None:
    """The batch's rows, each table's in one ``COPY``; then the patients' department links."""
    for rows in (
        batch.patients,
        batch.phones,
        batch.tags,
        batch.customers,
        batch.encounters,
        batch.diagnoses,
    ):
        bulk_insert(rows)
    patient_departments_sync(patient_ids=[p.pk for p in batch.patients])


@register_step(90, "data-quality check")
def seed_quality_reports(context: DemoContext) -> None:
    """Run the nightly check once, so the demo's home page shows its findings from the start."""
    for hospital, *_ in context.data["hospitals"]:
        registry_quality_check(hospital=hospital, broker="seed_demo")


@register_check("demo hospital")
def demo_exists() -> bool:
    return Hospital.objects.filter(code=catalog.DEMO_HOSPITAL.code).exists()


@register_finish(10, "planner statistics")
def analyse_after_load(_context: DemoContext) -> None:
    """Fresh statistics for the planner after a bulk load (PostgreSQL); SQLite's ANALYZE is cheap too."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@register_finish(20, "record of the seed")
def record_seed(context: DemoContext) -> None:
    AuditEvent.objects.create(
        action="demo.seed",
        object_type="core.hospital",
        object_id="*",
        summary=f"seed_demo --seed {context.seed} --patients {context.patients}",
    )
