"""The demo hospital's living dictionary: complete, deterministic, and it answers the seed's two cases."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from carebridge.core.demo.steps import DemoContext
from carebridge.core.models import Department
from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.demo import catalog, places
from carebridge.knowledge.demo.loader import seed_knowledge
from carebridge.knowledge.models import (
    ClinicSession,
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    Service,
)
from carebridge.knowledge.selectors.search import knowledge_search
from carebridge.patients.demo.loader import seed_organisation

pytestmark = pytest.mark.django_db


def _load(seed: int = 5) -> DemoContext:
    context = DemoContext(
        seed=seed,
        as_of=dt.date(2026, 11, 1),
        patients=1,
        rng=random.Random(seed),  # noqa: S311 - deterministic demo data
        log=lambda message: None,
    )
    seed_organisation(context)
    seed_knowledge(context)
    return context


@pytest.fixture
def demo():
    context = _load()
    return context.data["hospitals"][0][0], get_user_model().objects.get(username="agent")


def test_every_clinical_department_of_the_demo_hospital_has_a_profile(demo):
    hospital, _agent = demo
    clinical = Department.objects.filter(hospital=hospital, kind="clinical")
    profiled = set(
        DepartmentProfile.objects.filter(hospital=hospital).values_list("department__code", flat=True)
    )
    assert set(clinical.values_list("code", flat=True)) <= profiled
    assert Service.objects.filter(hospital=hospital).count() >= 60
    assert ExternalHospital.objects.filter(hospital=hospital).count() >= 10
    assert Faq.objects.filter(hospital=hospital).count() >= 30
    assert (
        ClinicSession.objects.filter(doctor__hospital=hospital).count()
        >= 2 * Doctor.objects.filter(hospital=hospital).count()
    )


def test_the_demo_answers_the_spinal_stenosis_case(demo):
    _hospital, agent = demo
    departments = knowledge_search(user=agent, query="腰椎管狭窄").group(EntryKind.DEPARTMENT)
    assert departments[0].entry.department.code == "ORTH"
    non_surgical = {hit.entry.department.code for hit in departments if "non_surgical" in hit.badges}
    assert {"TUINA", "TCM"} <= non_surgical


def test_the_demo_refers_lithotripsy_to_the_nearest_and_the_best_known_hospital(demo):
    _hospital, agent = demo
    referral = knowledge_search(user=agent, query="碎石").referral
    assert referral is not None
    assert referral.nearest[0].hospital.name == "金陵泌尿专科医院"
    assert referral.best_known[0].hospital.name == "钟山医科大学第一附属医院"
    assert all("碎石" in option.hospital.services_offered for option in referral.nearest)


def test_some_demo_entries_are_stale_and_most_are_not(demo):
    hospital, _agent = demo
    faqs = list(Faq.objects.filter(hospital=hospital))
    stale = [faq for faq in faqs if faq.is_stale]
    assert 0 < len(stale) < len(faqs) / 2


def _snapshot(seed: int) -> tuple[list, list]:
    with transaction.atomic():
        _load(seed)
        sessions = sorted(
            ClinicSession.objects.values_list("doctor__name", "weekday", "half_day", "clinic_type")
        )
        verified = sorted(Faq.objects.values_list("question", "last_verified_at"))
        transaction.set_rollback(True)
    return sessions, verified


def test_the_demo_dictionary_is_deterministic():
    first = _snapshot(9)
    assert first[0] and first[1]
    assert _snapshot(9) == first
    assert _snapshot(10)[0] != first[0]


def test_the_catalogue_names_only_departments_of_the_registry_catalogue():
    from carebridge.patients.demo.catalog import DEPARTMENTS_BY_CODE

    assert set(catalog.PROFILES) <= set(DEPARTMENTS_BY_CODE)
    assert len({spec.name for spec in places.EXTERNAL_HOSPITALS}) == len(places.EXTERNAL_HOSPITALS)
    assert sum("体外冲击波碎石" in spec.services for spec in places.EXTERNAL_HOSPITALS) >= 4
