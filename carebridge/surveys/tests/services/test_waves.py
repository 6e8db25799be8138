"""Waves: the draw (timing, exclusions by reason, the 30-day cap, sampling, idempotency), respondent classes
beyond patients, editing drafts and the life cycle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from carebridge.core.tests.factories import DepartmentFactory, StaffFactory, WardFactory
from carebridge.patients.models import Customer
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory
from carebridge.surveys.models import Exclusion, Invitation, Stratum, Wave, WaveTransition
from carebridge.surveys.services.do_not_contact import do_not_contact_add
from carebridge.surveys.services.draws import wave_draw
from carebridge.surveys.services.waves import (
    StratumSpec,
    wave_input_from,
    wave_transition,
    wave_update,
    waves_open_close_due,
)
from carebridge.surveys.tests.factories import published_version
from carebridge.surveys.tests.support.waves import SH, at, discharge, make_wave

pytestmark = pytest.mark.django_db

DRAW = at(4, 2, 15)  # the quality office draws on 2 April 2025 at 15:00


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def reasons(wave) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason in Exclusion.objects.filter(wave=wave).values_list("reason", flat=True):
        counts[reason] = counts.get(reason, 0) + 1
    return counts


# --- Timing --------------------------------------------------------------------------------------------


def test_an_invitation_waits_48_hours_after_discharge_and_for_the_end_of_quiet_hours(
    hospital, cardiology, quality_officer_qian
):
    afternoon = discharge(cardiology, at(4, 1, 14, 30))  # 48 h later: 3 April 14:30
    late_evening = discharge(cardiology, at(3, 31, 22, 30))  # 48 h later: 2 April 22:30, quiet
    week_ago = discharge(cardiology, at(3, 25, 9))  # long enough ago: now
    wave = make_wave(hospital, quality_officer_qian, period_end=dt.date(2025, 4, 30))
    result = wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert result.invited == 3 and result.excluded == {}
    send_after = {i.encounter_id: i.send_after for i in Invitation.objects.filter(wave=wave)}
    assert send_after[afternoon.pk] == at(4, 3, 14, 30)
    assert send_after[late_evening.pk] == at(4, 3, 8, 0)
    assert send_after[week_ago.pk] == DRAW
    for invitation in Invitation.objects.filter(wave=wave):
        assert invitation.expires_at == invitation.send_after + dt.timedelta(days=14)
        assert len(invitation.token) == 32 and invitation.status == "pending"


def test_a_discharge_more_than_six_weeks_ago_is_outside_the_window(
    hospital, cardiology, quality_officer_qian
):
    discharge(cardiology, DRAW - dt.timedelta(days=42, minutes=1))
    inside = discharge(cardiology, DRAW - dt.timedelta(days=41, hours=23))
    wave = make_wave(hospital, quality_officer_qian, period_start=dt.date(2025, 2, 1))
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert list(Invitation.objects.filter(wave=wave).values_list("encounter_id", flat=True)) == [inside.pk]
    assert reasons(wave) == {"outside_window": 1}


def test_only_the_latest_stay_in_the_period_is_surveyed(hospital, cardiology, quality_officer_qian):
    first = discharge(cardiology, at(3, 5))
    second = discharge(cardiology, at(3, 20), patient=first.patient)
    wave = make_wave(hospital, quality_officer_qian)
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert list(Invitation.objects.filter(wave=wave).values_list("encounter_id", flat=True)) == [second.pk]


# --- Exclusions ----------------------------------------------------------------------------------------


def test_people_who_may_not_be_surveyed_are_excluded_and_counted_by_reason(
    hospital, cardiology, quality_officer_qian
):
    invited = discharge(cardiology, at(3, 20))
    discharge(cardiology, at(3, 20), survey_consent=False)
    discharge(cardiology, at(3, 20), deceased_at=at(3, 25))
    on_list = discharge(cardiology, at(3, 20))
    do_not_contact_add(hospital=hospital, actor=quality_officer_qian, patient=on_list.patient)
    discharge(cardiology, at(3, 20), phone="13900001111")
    do_not_contact_add(hospital=hospital, actor=quality_officer_qian, phone="139 0000 1111", reason="拒绝")
    readmitted = discharge(cardiology, at(3, 20))
    EncounterFactory(
        patient=readmitted.patient,
        department=cardiology,
        kind="inpatient",
        started_at=at(3, 30),
        ended_at=None,
    )
    discharge(cardiology, at(3, 20), phone=None)  # no number: SMS cannot reach them
    wave = make_wave(hospital, quality_officer_qian)
    result = wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    expected = {
        "no_survey_consent": 1,
        "deceased": 1,
        "do_not_contact": 2,
        "in_treatment": 1,
        "no_contact_route": 1,
    }
    assert result.excluded == expected and reasons(wave) == expected
    assert list(Invitation.objects.filter(wave=wave).values_list("patient_id", flat=True)) == [
        invited.patient_id
    ]


def test_a_person_without_a_mobile_gets_the_next_channel(hospital, cardiology, quality_officer_qian):
    discharge(cardiology, at(3, 20), phone=None)
    discharge(cardiology, at(3, 20))
    wave = make_wave(hospital, quality_officer_qian, channels=["sms", "qr"])
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert sorted(Invitation.objects.filter(wave=wave).values_list("channel", flat=True)) == ["qr", "sms"]


# --- The 30-day cap across waves -----------------------------------------------------------------------


def test_a_second_wave_within_30_days_does_not_invite_the_same_person_again(
    hospital, cardiology, paediatrics, quality_officer_qian
):
    stay = discharge(cardiology, at(3, 20))
    first = make_wave(hospital, quality_officer_qian, name="出院调查")
    wave_draw(wave=first, actor=quality_officer_qian, now=DRAW)
    # An outpatient visit a week later, and a second (outpatient) wave drawn then.
    EncounterFactory(patient=stay.patient, department=paediatrics, kind="outpatient", started_at=at(3, 28))
    second = make_wave(
        hospital, quality_officer_qian, name="门诊调查", population="outpatients", min_hours_after_discharge=0
    )
    result = wave_draw(wave=second, actor=quality_officer_qian, now=DRAW + dt.timedelta(days=7))
    assert result.invited == 0 and reasons(second) == {"recently_surveyed": 1}
    # Thirty days after the first invitation the person may be asked again.
    third = make_wave(
        hospital,
        quality_officer_qian,
        name="门诊调查（五月）",
        population="outpatients",
        min_hours_after_discharge=0,
        max_days_after_discharge=60,
    )
    assert wave_draw(wave=third, actor=quality_officer_qian, now=DRAW + dt.timedelta(days=30)).invited == 1


# --- Idempotency ---------------------------------------------------------------------------------------


def test_drawing_twice_does_not_duplicate_and_a_census_adds_only_newcomers(
    hospital, cardiology, quality_officer_qian
):
    discharge(cardiology, at(3, 10))
    discharge(cardiology, at(3, 11), survey_consent=False)
    wave = make_wave(hospital, quality_officer_qian)
    assert wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW).invited == 1
    again = wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW + dt.timedelta(hours=1))
    assert (again.invited, again.excluded, again.repeat) == (0, {}, True)
    assert (
        Invitation.objects.filter(wave=wave).count() == 1 and Exclusion.objects.filter(wave=wave).count() == 1
    )
    discharge(cardiology, at(3, 30))
    assert wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW + dt.timedelta(days=1)).invited == 1
    assert Invitation.objects.filter(wave=wave).count() == 2


def test_a_sampled_wave_keeps_the_sample_it_drew(hospital, cardiology, quality_officer_qian):
    for day in range(1, 11):
        discharge(cardiology, at(3, day + 10))
    wave = make_wave(hospital, quality_officer_qian, sampling="simple_random", sample_size=4, seed=11)
    first = wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert first.invited == 4 and first.excluded == {"not_sampled": 6}
    discharge(cardiology, at(3, 25))
    assert wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW).repeat
    assert Invitation.objects.filter(wave=wave).count() == 4


# --- Stratified sampling -------------------------------------------------------------------------------


def _departments_with_discharges(hospital, sizes: dict[str, int]):
    made = {}
    for code, size in sizes.items():
        department = DepartmentFactory(hospital=hospital, code=code, name=f"{code}科")
        for n in range(size):
            discharge(department, at(3, 1 + n % 28, 9))
        made[code] = department
    return made


def _invitees(wave) -> set[int]:
    return set(Invitation.objects.filter(wave=wave).values_list("patient_id", flat=True))


def test_a_stratified_sample_meets_its_targets_and_is_the_same_for_the_same_seed(
    hospital, quality_officer_qian
):
    _departments_with_discharges(hospital, {"CARD": 30, "PEDI": 20, "ORTH": 10})
    plan = [StratumSpec("CARD", 8, 5), StratumSpec("PEDI", 6, 4), StratumSpec("ORTH", 3)]
    fields = {"sampling": "stratified", "strata": plan, "min_days_between_surveys": 0}
    first = make_wave(hospital, quality_officer_qian, seed=2025, name="A", **fields)
    wave_draw(wave=first, actor=quality_officer_qian, now=DRAW)
    per_stratum = {s.key: s.invitations.count() for s in Stratum.objects.filter(wave=first)}
    assert per_stratum == {"CARD": 8, "PEDI": 6, "ORTH": 3}
    for invitation in Invitation.objects.filter(wave=first).select_related("stratum", "department"):
        assert invitation.stratum.key == invitation.department.code
    assert Stratum.objects.get(wave=first, key="CARD").quota == 5
    assert reasons(first) == {"not_sampled": 60 - 17}

    same_seed = make_wave(hospital, quality_officer_qian, seed=2025, name="B", **fields)
    wave_draw(wave=same_seed, actor=quality_officer_qian, now=DRAW)
    other_seed = make_wave(hospital, quality_officer_qian, seed=2026, name="C", **fields)
    wave_draw(wave=other_seed, actor=quality_officer_qian, now=DRAW)
    assert _invitees(same_seed) == _invitees(first)
    assert _invitees(other_seed) != _invitees(first) and len(_invitees(other_seed)) == 17


def test_without_a_plan_the_sample_size_is_split_in_proportion_to_the_strata(hospital, quality_officer_qian):
    _departments_with_discharges(hospital, {"CARD": 30, "PEDI": 10})
    wave = make_wave(hospital, quality_officer_qian, sampling="stratified", sample_size=8)
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    targets = dict(Stratum.objects.filter(wave=wave).values_list("key", "target"))
    assert targets == {"CARD": 6, "PEDI": 2}
    assert Invitation.objects.filter(wave=wave).count() == 8


def test_strata_by_ward(hospital, cardiology, quality_officer_qian):
    east = WardFactory(department=cardiology, code="E", name="东病区")
    west = WardFactory(department=cardiology, code="W", name="西病区")
    for n in range(6):
        discharge(cardiology, at(3, 10 + n), ward=east if n % 2 else west)
    wave = make_wave(
        hospital,
        quality_officer_qian,
        departments=[cardiology],
        sampling="stratified",
        population_filter={"stratify_by": "ward"},
        strata=[StratumSpec("CARD/E", 2), StratumSpec("CARD/W", 1)],
    )
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert sorted(Invitation.objects.filter(wave=wave).values_list("ward__code", flat=True)) == [
        "E",
        "E",
        "W",
    ]


# --- Respondent classes beyond patients ----------------------------------------------------------------


def test_a_staff_wave_is_anonymous_by_default_and_invites_staff_of_the_departments(
    hospital, cardiology, paediatrics, quality_officer_qian
):
    nurse = StaffFactory(hospital=hospital, home_department=cardiology, phone="13700001234", kind="nurse")
    StaffFactory(hospital=hospital, home_department=cardiology, phone="", kind="doctor")
    StaffFactory(hospital=hospital, home_department=paediatrics, phone="13700005678")
    wave = make_wave(
        hospital,
        quality_officer_qian,
        population="staff",
        respondent_class="staff",
        departments=[cardiology],
        period_start=None,
        period_end=None,
        version=published_version(hospital=hospital, respondent_class="staff"),
    )
    assert wave.anonymous
    result = wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert result.invited == 1 and result.excluded == {"no_contact_route": 1}
    invitation = Invitation.objects.get(wave=wave)
    assert (invitation.staff, invitation.department, invitation.patient) == (nurse, cardiology, None)
    assert invitation.send_after == DRAW  # no discharge: only quiet hours apply


def test_a_wave_of_registered_family_members(hospital, quality_officer_qian):
    family = Customer.objects.create(
        hospital=hospital, customer_class="family", name="李女士", phone="13600001111"
    )
    Customer.objects.create(hospital=hospital, customer_class="payer", name="某保险公司", phone="13600002222")
    wave = make_wave(
        hospital,
        quality_officer_qian,
        population="customers",
        respondent_class="family",
        period_start=None,
        period_end=None,
    )
    assert not wave.anonymous
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert list(Invitation.objects.filter(wave=wave).values_list("customer", flat=True)) == [family.pk]


def test_checkup_customers_of_one_employer(hospital, quality_officer_qian):
    checkup = DepartmentFactory(hospital=hospital, code="TJ", name="体检中心")
    employed, other = PatientFactory(hospital=hospital), PatientFactory(hospital=hospital)
    for patient in (employed, other):
        PhoneFactory(patient=patient)
        EncounterFactory(patient=patient, department=checkup, kind="checkup", started_at=at(3, 12, 9))
    Customer.objects.create(
        hospital=hospital, customer_class="payer", name="工会", organisation="南京某公司", patient=employed
    )
    wave = make_wave(
        hospital,
        quality_officer_qian,
        population="checkup_customers",
        population_filter={"employer": "南京某公司"},
    )
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert list(Invitation.objects.filter(wave=wave).values_list("patient", flat=True)) == [employed.pk]


# --- Drafts, validation and the life cycle -------------------------------------------------------------


def test_bad_plans_are_refused_with_field_errors_and_nothing_is_created(hospital, quality_officer_qian):
    with pytest.raises(ValidationError) as refused:
        make_wave(
            hospital,
            quality_officer_qian,
            period_start=dt.date(2025, 4, 1),
            sampling="simple_random",
            channels=["fax"],
            reminder_days=[7, 3],
            seed=-1,
        )
    assert set(refused.value.message_dict) == {
        "period_end",
        "sample_size",
        "channels",
        "reminder_days",
        "seed",
    }
    assert not Wave.objects.exists()


def test_a_draft_version_cannot_be_used(hospital, quality_officer_qian):
    version = published_version(hospital=hospital)
    version.status = "draft"
    version.save()
    with pytest.raises(ValidationError) as refused:
        make_wave(hospital, quality_officer_qian, version=version)
    assert "version" in refused.value.message_dict


def test_a_draft_can_be_changed_until_it_is_drawn(hospital, cardiology, quality_officer_qian):
    from dataclasses import replace

    wave = make_wave(hospital, quality_officer_qian)
    wave_update(
        wave=wave, actor=quality_officer_qian, data=replace(wave_input_from(wave), quiet_end=dt.time(9, 0))
    )
    wave.refresh_from_db()
    assert wave.quiet_end == dt.time(9, 0)
    discharge(cardiology, at(3, 20))
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    with pytest.raises(ValidationError, match="fixed"):
        wave_update(wave=wave, actor=quality_officer_qian, data=replace(wave_input_from(wave), seed=3))


def test_the_life_cycle_is_explicit_and_recorded(hospital, quality_officer_qian):
    wave = make_wave(hospital, quality_officer_qian)
    with pytest.raises(ValidationError, match="cannot be moved"):
        wave_transition(wave=wave, to="closed", actor=quality_officer_qian)
    wave_transition(wave=wave, to="open", actor=quality_officer_qian)
    wave_transition(wave=wave, to="closed", actor=quality_officer_qian)
    with pytest.raises(ValidationError, match="reopened"):
        wave_transition(wave=wave, to="open", actor=quality_officer_qian)
    wave_transition(wave=wave, to="open", actor=quality_officer_qian, reason="补充样本")
    moves = list(WaveTransition.objects.filter(wave=wave).values_list("from_status", "to_status"))
    assert moves == [("", "draft"), ("draft", "open"), ("open", "closed"), ("closed", "open")]
    with pytest.raises(ValidationError, match="closed wave"):
        wave_transition(wave=wave, to="closed", actor=quality_officer_qian)
        wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)


def test_waves_open_and_close_on_schedule(hospital, quality_officer_qian):
    wave = make_wave(hospital, quality_officer_qian, opens_at=at(4, 1, 8), closes_at=at(4, 30, 18))
    assert waves_open_close_due(now=at(4, 1, 7)) == {"opened": [], "closed": []}
    assert waves_open_close_due(now=at(4, 1, 8)) == {"opened": [wave.pk], "closed": []}
    assert waves_open_close_due(now=at(4, 30, 18)) == {"opened": [], "closed": [wave.pk]}
    wave.refresh_from_db()
    assert wave.status == "closed"
    assert WaveTransition.objects.filter(wave=wave, actor__isnull=True).count() == 2


def test_times_are_kept_in_utc_and_read_in_the_hospital_zone(hospital, cardiology, quality_officer_qian):
    discharge(cardiology, at(3, 31, 22, 30))
    wave = make_wave(hospital, quality_officer_qian, period_end=dt.date(2025, 4, 30))
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    send_after = Invitation.objects.get(wave=wave).send_after
    assert send_after.astimezone(SH).hour == 8 and send_after.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("invitation_valid_days", 366, "邀请最多有效 365 天。"),
        ("invitation_valid_days", 2**31 - 1, "邀请最多有效 365 天。"),
        ("max_days_after_discharge", 3651, "最多 3650 天。"),
        ("min_days_between_surveys", 3651, "最多 3650 天。"),
    ],
)
def test_a_timing_setting_past_what_a_calendar_holds_is_refused(
    hospital, quality_officer_qian, field, value, message
):
    # A validity of two billion days was once accepted; every draw and send of the waves then failed.
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        make_wave(hospital, quality_officer_qian, **{field: value})
    assert refused.value.message_dict == {field: [message]}
    assert not Wave.objects.exists()
    assert make_wave(hospital, quality_officer_qian, **{field: 365}).pk
