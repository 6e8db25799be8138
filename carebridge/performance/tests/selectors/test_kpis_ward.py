"""The ward programme's KPIs (seed 003 篇4) computed as the seed defines them, on stays built for each:
every figure equals the count of the rows it drills into."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from carebridge.core.tests.factories import DepartmentFactory, StaffFactory, WardFactory
from carebridge.followup.choices import TouchpointKind, TouchpointStatus
from carebridge.followup.tests.factories import SH, at, discharged, inpatient_stay
from carebridge.patients.models import Encounter
from carebridge.performance.domain.periods import parse_span
from carebridge.performance.models import Kpi, KpiAssignment
from carebridge.performance.models.scorecards import ScorecardLevel
from carebridge.performance.selectors.kpis.registry import PART_DENOMINATOR, PART_NUMERATOR
from carebridge.performance.selectors.scores import kpi_rows, scorecard_scores
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db
MARCH = parse_span("2026-03")
IN_STAY = (
    TouchpointKind.ADMISSION_INTERVIEW,
    TouchpointKind.MID_STAY_TALK,
    TouchpointKind.PRE_DISCHARGE_INTERVIEW,
)


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(dt.datetime(2026, 4, 15, 9, tzinfo=SH), tick=False):
        yield


@pytest.fixture
def ward(hospital, paediatrics):
    return WardFactory(department=paediatrics, code="PW1", name="儿科一病区")


@pytest.fixture
def doctor(hospital, paediatrics):
    return StaffFactory(hospital=hospital, name="李医生", home_department=paediatrics)


@pytest.fixture
def stay(hospital, ward, doctor):
    def make(codes=("J18.9",), started=None, ended=None, **fields):
        plan = inpatient_stay(
            hospital=hospital,
            ward=ward,
            doctor=doctor,
            codes=codes,
            started_at=started or at(2026, 3, 2, 9),
            **fields,
        )
        return discharged(plan, ended or at(2026, 3, 9, 15))

    return make


def _done(plan, kind, when, n=1):
    """Mark ``n`` touchpoints of ``kind`` done at ``when`` (creating the missing ones)."""
    existing = list(plan.touchpoints.filter(kind=kind).order_by("id"))
    for i in range(n):
        if i < len(existing):
            touchpoint = existing[i]
        else:
            touchpoint = plan.touchpoints.create(
                hospital=plan.hospital,
                patient=plan.patient,
                department=plan.department,
                kind=kind,
                sequence=i + 1,
                title=str(kind),
                owner_rule="ward_manager",
            )
        touchpoint.status, touchpoint.completed_at = TouchpointStatus.DONE, when
        touchpoint.save()


def _figure(card, code, span=MARCH):
    kpi = next(k for k in scorecard_scores(scorecard=card, span=span).kpis() if k.code == code)
    assignment = KpiAssignment.objects.get(objective__perspective__scorecard=card, kpi__code=code)
    den = kpi_rows(scorecard=card, assignment=assignment, span=span, part=PART_DENOMINATOR).count()
    num = kpi_rows(scorecard=card, assignment=assignment, span=span, part=PART_NUMERATOR).count()
    return kpi, num, den


def _card(admin, hospital, *codes, **options):
    return build_scorecard(actor=admin, hospital=hospital, kpis={code: {} for code in codes}, **options)


def test_three_communications_count_only_in_stay_touchpoints_done_during_the_stay(stay, admin_sun, hospital):
    full = stay()
    _done(full, TouchpointKind.ADMISSION_INTERVIEW, at(2026, 3, 2, 11))
    _done(full, TouchpointKind.MID_STAY_TALK, at(2026, 3, 5, 11))
    _done(full, TouchpointKind.PRE_DISCHARGE_INTERVIEW, at(2026, 3, 9, 10))
    with_a_call = stay()  # two in the stay and a call after discharge: not three during the stay
    _done(with_a_call, TouchpointKind.ADMISSION_INTERVIEW, at(2026, 3, 2, 11))
    _done(with_a_call, TouchpointKind.PRE_DISCHARGE_INTERVIEW, at(2026, 3, 9, 10))
    _done(with_a_call, TouchpointKind.POST_DISCHARGE_CALL, at(2026, 3, 12, 10))
    late = stay()  # the third talk recorded after discharge
    _done(late, TouchpointKind.ADMISSION_INTERVIEW, at(2026, 3, 2, 11))
    _done(late, TouchpointKind.MID_STAY_TALK, at(2026, 3, 4, 11))
    _done(late, TouchpointKind.PRE_DISCHARGE_INTERVIEW, at(2026, 3, 10, 10))
    stay(ended=at(2026, 4, 2, 10))  # discharged in April: not in March
    card = _card(admin_sun, hospital, "three_comms_stay")
    kpi, num, den = _figure(card, "three_comms_stay")
    assert (kpi.numerator, kpi.denominator) == (num, den) == (1, 3)
    assert kpi.value == pytest.approx(33.33, abs=0.01)


def test_critically_ill_discharged_patients_followed_up(stay, admin_sun, hospital):
    reached = stay(critical=True)
    _done(reached, TouchpointKind.POST_DISCHARGE_CALL, at(2026, 3, 12, 10))
    stay(critical=True)  # no call done
    other = stay()  # not critical: outside the KPI even with a call
    _done(other, TouchpointKind.POST_DISCHARGE_CALL, at(2026, 3, 12, 10))
    card = _card(admin_sun, hospital, "critical_followed_up")
    kpi, num, den = _figure(card, "critical_followed_up")
    assert (kpi.numerator, kpi.denominator, kpi.value) == (num, den, 50.0) == (1, 2, 50.0)


def test_specialty_disease_call_rate_uses_the_configurable_disease_group(stay, admin_sun, hospital):
    asthma = stay(codes=("J45.9",))
    _done(asthma, TouchpointKind.POST_DISCHARGE_CALL, at(2026, 3, 12, 10))
    stay(codes=("J18.0",))  # bronchopneumonia, never called
    pneumonia = stay(codes=("J18.9",))  # unspecified pneumonia: not in the default group
    _done(pneumonia, TouchpointKind.FOLLOW_UP_CALL, at(2026, 3, 13, 10))
    card = _card(admin_sun, hospital, "specialty_called")
    kpi, num, den = _figure(card, "specialty_called")
    assert (kpi.numerator, kpi.denominator, kpi.value) == (num, den, 50.0) == (1, 2, 50.0)
    Kpi.objects.filter(code="specialty_called").update(parameters={"icd10_prefixes": ["J45", "J18"]})
    kpi, num, den = _figure(card, "specialty_called")
    assert (kpi.numerator, kpi.denominator) == (num, den) == (2, 3)


def test_customer_files_count_the_admission_interviews_done_in_the_month(stay, admin_sun, hospital):
    for day in (2, 3):
        _done(stay(), TouchpointKind.ADMISSION_INTERVIEW, at(2026, 3, day, 11))
    _done(stay(), TouchpointKind.ADMISSION_INTERVIEW, at(2026, 2, 27, 11))
    stay()  # interview not done
    card = _card(admin_sun, hospital, "customer_files", level=ScorecardLevel.HOSPITAL)
    kpi, _num, den = _figure(card, "customer_files")
    assert kpi.value == den == 2
    # The target of a count is per month: a quarter's target is three times the month's.
    quarter = next(k for k in scorecard_scores(scorecard=card, span=parse_span("2026-Q1")).kpis())
    assert quarter.value == 3 and quarter.target == 3 * 95


def test_returning_customers_look_back_twelve_months_in_the_same_department(
    stay, admin_sun, hospital, paediatrics
):
    first = stay(started=at(2026, 3, 3, 9))
    Encounter.objects.create(  # the same child seen in the department ten months earlier
        hospital=hospital,
        patient=first.patient,
        kind="outpatient",
        department=paediatrics,
        started_at=at(2025, 5, 3),
    )
    old = stay(started=at(2026, 3, 4, 9))
    Encounter.objects.create(  # more than twelve months before: not a returning customer
        hospital=hospital,
        patient=old.patient,
        kind="outpatient",
        department=paediatrics,
        started_at=at(2025, 2, 1),
    )
    elsewhere = stay(started=at(2026, 3, 5, 9))
    Encounter.objects.create(  # another department
        hospital=hospital,
        patient=elsewhere.patient,
        kind="outpatient",
        department=DepartmentFactory(hospital=hospital),
        started_at=at(2025, 12, 1),
    )
    stay(started=at(2026, 3, 6, 9))
    card = _card(admin_sun, hospital, "returning_inpatients")
    kpi, num, den = _figure(card, "returning_inpatients")
    assert (kpi.numerator, kpi.denominator, kpi.value) == (num, den, 25.0) == (1, 4, 25.0)


def _respond(plan, answers, score=80.0):
    from carebridge.surveys.models import Instrument, InstrumentVersion, Response

    instrument, _ = Instrument.objects.get_or_create(
        hospital=plan.hospital, code="inp", defaults={"name": "住院体验", "kind": "inpatient"}
    )
    version, _ = InstrumentVersion.objects.get_or_create(
        instrument=instrument,
        number=1,
        defaults={"status": "published", "definition": {}, "content_hash": "y" * 64},
    )
    return Response.objects.create(
        hospital=plan.hospital,
        version=version,
        patient=plan.patient,
        encounter=plan.encounter,
        department=plan.department,
        mode="web",
        answers=answers,
        score=score,
        submitted_at=at(2026, 3, 12),
    )


def test_share_satisfied_and_would_come_back_are_shares_at_or_above_the_threshold(stay, admin_sun, hospital):
    _respond(stay(), {"overall": 10, "come_back": 9})
    _respond(stay(), {"overall": 7, "come_back": 6})
    _respond(stay(), {"overall": 6})  # unsatisfied; no answer to the come-back item
    _respond(stay(), {"recommend": 9}, score=None)  # answered neither item
    card = _card(admin_sun, hospital, "share_satisfied", "would_come_back", "satisfaction_index")
    satisfied, num, den = _figure(card, "share_satisfied")
    assert (satisfied.numerator, satisfied.denominator) == (num, den) == (2, 3)
    assert satisfied.value == pytest.approx(66.67, abs=0.01)
    back, num, den = _figure(card, "would_come_back")
    assert (back.numerator, back.denominator, back.value) == (num, den, 50.0) == (1, 2, 50.0)
    index, _num, den = _figure(card, "satisfaction_index")
    assert index.value == 80.0 and den == 3  # the mean of the three scored responses


def test_a_department_scorecard_counts_only_its_department(
    stay, admin_sun, hospital, paediatrics, cardiology
):
    _done(stay(critical=True), TouchpointKind.POST_DISCHARGE_CALL, at(2026, 3, 12, 10))
    card = _card(
        admin_sun,
        hospital,
        "critical_followed_up",
        level=ScorecardLevel.DEPARTMENT,
        department=cardiology,
        name="心内科",
    )
    kpi, num, den = _figure(card, "critical_followed_up")
    assert kpi.value is None and kpi.band == "missing" and num == den == 0  # missing, not zero


def test_the_come_back_kpi_reads_an_item_the_inpatient_questionnaire_asks():
    from carebridge.performance.selectors.kpis.ward import COME_BACK_DEFAULT, SATISFIED_DEFAULT
    from carebridge.surveys.domain.instruments import iter_items
    from carebridge.surveys.domain.library.documents import library_document

    specs = {s.code: s for s in iter_items(library_document("inpatient-experience")["definition"])}
    for default in (SATISFIED_DEFAULT, COME_BACK_DEFAULT):
        assert specs[default["item"]].item_type == "scale_0_10"


def test_a_project_managers_staff_scorecard_counts_only_the_stays_they_own(
    stay, admin_sun, hospital, ward_manager_wang, doctor
):
    """The project manager's KPIs (issue 21) on a staff scorecard: Wang owns two stays, one with a stay
    plan agreed within 24 h; a third stay owned by another project manager counts on the hospital card."""
    from carebridge.followup.models import StayPlan

    paediatrics = doctor.home_department
    nurse = StaffFactory(hospital=hospital, name="赵护士", kind="nurse", home_department=paediatrics)
    mine = [stay(), stay()]
    other = stay()
    other.owner = StaffFactory(hospital=hospital, name="刘经理", home_department=paediatrics)
    other.save()
    for plan in (mine[0], other):
        StayPlan.objects.create(
            plan=plan, hospital=hospital, department=plan.department, doctor=doctor, nurse=nurse,
            agreed_at=plan.admitted_at + dt.timedelta(hours=20),
        )  # fmt: skip
    assert all(plan.owner == ward_manager_wang.staff for plan in mine)
    staff_card = _card(
        admin_sun, hospital, "pm_stay_plan_24h", level=ScorecardLevel.STAFF, staff=ward_manager_wang.staff,
        name="王经理",
    )  # fmt: skip
    kpi, num, den = _figure(staff_card, "pm_stay_plan_24h")
    assert (kpi.numerator, kpi.denominator, kpi.value) == (num, den, 50.0) == (1, 2, 50.0)
    hospital_card = _card(admin_sun, hospital, "pm_stay_plan_24h")
    kpi, num, den = _figure(hospital_card, "pm_stay_plan_24h")
    assert (kpi.numerator, kpi.denominator) == (num, den) == (2, 3)
