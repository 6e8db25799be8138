"""The demo hospital: deterministic (same seed and date → same records), valid, and loadable once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from carebridge.core.demo.steps import DEMO_PASSWORD
from carebridge.core.models import Hospital, Staff
from carebridge.core.roles import ROLE_NAMES
from carebridge.core.tests.support.demo import rolled_back
from carebridge.core.validators import national_id_birth_date, national_id_sex, validate_national_id
from carebridge.patients.demo.generator import PatientGenerator
from carebridge.patients.domain import icd10
from carebridge.patients.models import Diagnosis, Encounter, Patient

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


def _people(seed: int, count: int = 200, as_of: dt.date = AS_OF):
    return list(PatientGenerator(seed=seed, as_of=as_of).patients(count))


# --- the generator ----------------------------------------------------------------------------------


def test_the_same_seed_and_date_give_identical_records():
    assert _people(7) == _people(7)


def test_another_seed_gives_other_records():
    first, other = _people(7), _people(8)
    assert [p.name for p in first] != [p.name for p in other]
    assert [p.national_id for p in first] != [p.national_id for p in other]


def test_another_as_of_date_moves_the_records():
    assert _people(7) != _people(7, as_of=dt.date(2025, 11, 1))


def test_every_generated_national_id_is_valid_and_agrees_with_the_record():
    people = _people(11, count=500)
    with_id = [p for p in people if p.national_id]
    assert len(with_id) > 400  # a few records have no ID, as at a real desk
    for person in with_id:
        validate_national_id(person.national_id)
        assert national_id_birth_date(person.national_id) == person.birth_date
        assert national_id_sex(person.national_id) == person.sex
        assert person.national_id.startswith(person.region)


def test_generated_encounters_lie_in_the_18_months_before_as_of_and_end_after_they_start():
    for person in _people(5):
        for encounter in person.encounters:
            assert AS_OF - dt.timedelta(days=550) <= encounter.started_at.date() < AS_OF
            assert encounter.ended_at is None or encounter.ended_at >= encounter.started_at
            assert encounter.diagnoses and all(
                icd10.is_valid(code) for code, _name, _primary in encounter.diagnoses
            )


def test_generated_mrns_are_unique_and_sequential():
    mrns = [p.mrn for p in _people(3, count=300)]
    assert len(set(mrns)) == len(mrns)
    assert mrns == sorted(mrns)


# --- seed_demo ------------------------------------------------------------------------------------


def _seed(**options):
    out = io.StringIO()
    call_command("seed_demo", patients=60, seed=3, as_of=AS_OF, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``seed_demo`` once for the module's tests (about 30 s), rolled back after them."""

    def load():
        _seed()
        return Hospital.objects.order_by("id")

    yield from rolled_back(django_db_blocker, load)


def test_seed_demo_loads_two_hospitals_with_patients_encounters_and_diagnoses(demo):
    main, second = list(demo)
    assert main.patients.count() >= 60
    assert second.patients.count() >= 12
    assert Encounter.objects.filter(hospital=main).count() > 60
    assert Diagnosis.objects.count() >= Encounter.objects.count()
    assert not Encounter.objects.filter(diagnoses__isnull=True).exists()
    # Every registry patient has a phone; residents screened at free clinics (registered by the checkup
    # centre, TJ…) may have given none.
    registry = Patient.objects.filter(hospital=main).exclude(mrn__startswith="TJ")
    assert registry.exclude(phones__isnull=True).count() == registry.count()


def test_every_demo_diagnosis_is_in_the_chapter_of_its_code(demo):
    rows = list(Diagnosis.objects.values_list("code", "category", "chapter"))
    assert rows
    for code, category, chapter in rows:
        assert category == code[:3]
        assert icd10.chapter_of(code).number == chapter, code


def test_seed_demo_creates_one_user_per_role_who_can_log_in(demo, client):
    User = get_user_model()
    assert set(User.objects.filter(username__in=ROLE_NAMES).values_list("username", flat=True)) == set(
        ROLE_NAMES
    )
    # The only other accounts are colleagues the demo needs (the desk's other agents, so that shifts
    # change hands); the demo password does not open them.
    for other in User.objects.exclude(username__in=ROLE_NAMES):
        assert not other.has_usable_password(), other.username
    for role in ROLE_NAMES:
        user = User.objects.get(username=role)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert Staff.objects.get(user=user).hospital == demo.first()
        response = client.post("/accounts/login/", {"username": role, "password": DEMO_PASSWORD})
        assert response.status_code == 302, role
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()


def test_the_demo_ward_manager_is_scoped_to_paediatrics(demo, client):
    client.post("/accounts/login/", {"username": "ward_manager", "password": DEMO_PASSWORD})
    listed = client.get("/patients/", {"page_size": 200}).context["page"].paginator.object_list
    for patient in listed:
        departments = set(patient.encounters.values_list("department__code", flat=True))
        assert not departments or departments & {"PEDI", "NEON"}


def test_seed_demo_refuses_to_load_twice(demo):
    before = Patient.objects.count()
    with pytest.raises(CommandError, match="already exist"):
        _seed()
    assert Patient.objects.count() == before


def test_seed_demo_if_empty_is_a_no_op_when_data_exist(demo):
    before = (Patient.objects.count(), Encounter.objects.count(), get_user_model().objects.count())
    out = _seed(if_empty=True)
    assert "nothing to do" in out
    assert (Patient.objects.count(), Encounter.objects.count(), get_user_model().objects.count()) == before


def test_seed_demo_loads_exactly_what_the_generator_yields(demo):
    """The database after the command equals a fresh generator run: so two runs with a seed agree."""
    main, second = list(demo)
    generator = PatientGenerator(seed=3 + 1, as_of=AS_OF)  # the loader's patient generator: seed + 1
    # ``--patients 60`` and, on top, 30 % as many recent inpatients of the busiest wards (MRNs from 121).
    main_records = [*generator.patients(60), *generator.recent_inpatients(18, mrn_start=121)]
    expected_main = [(p.mrn, p.name, p.national_id) for p in main_records]
    expected_second = [(p.mrn, p.name, p.national_id) for p in generator.patients(12)]
    # Residents screened at the free clinics (performance demo) are registered by the checkup centre (TJ…).
    registry = Patient.objects.filter(hospital=main).exclude(mrn__startswith="TJ")
    assert list(registry.order_by("mrn").values_list("mrn", "name", "national_id")) == expected_main
    assert (
        list(
            Patient.objects.filter(hospital=second).order_by("mrn").values_list("mrn", "name", "national_id")
        )
        == expected_second
    )


def test_seed_demo_rejects_a_patient_count_below_one():
    before = Hospital.objects.count()  # the module's demo may be loaded already: nothing is added to it
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_demo", patients=0, seed=3, as_of=AS_OF, stdout=io.StringIO())
    assert Hospital.objects.count() == before
