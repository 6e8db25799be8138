"""The survey demo step: 18 months of waves whose rows are what the services would have stored."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import F
from django.utils import timezone

from carebridge.complaints.choices import Channel as DeskChannel
from carebridge.surveys.choices import InvitationStatus, WaveStatus
from carebridge.surveys.demo.generator import PRE_DISCHARGE_DEPARTMENTS
from carebridge.surveys.domain import instruments
from carebridge.surveys.domain.library.documents import LIBRARY_CODES
from carebridge.surveys.models import (
    Answer,
    Invitation,
    InvitationTransition,
    Message,
    RecoveryCase,
    RecoveryTrigger,
    Response,
    Wave,
)
from carebridge.surveys.services.recovery import recovery_matches
from carebridge.surveys.tests.support.demo import demo_in_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from demo_in_transaction(django_db_blocker, patients=400, seed=5)


def test_every_library_instrument_has_18_monthly_waves_at_the_demo_hospital(demo):
    waves = Wave.objects.filter(hospital__code="lxq-demo").select_related("version__instrument")
    per_instrument = Counter(w.version.instrument.code for w in waves)
    # The inpatient questionnaire is asked twice a month: after discharge (SMS, phone) and before it (paper).
    assert per_instrument == {**dict.fromkeys(LIBRARY_CODES, 18), "inpatient-experience": 36}
    assert all(w.version.instrument.hospital_id is None for w in waves)  # the library versions, used directly
    starts = sorted({w.period_start for w in waves})
    assert len(starts) == 18 and starts[-1] == demo.as_of.replace(day=1)
    assert (
        waves.filter(status=WaveStatus.OPEN).exists() and waves.filter(status=WaveStatus.CLOSED).count() > 90
    )
    for wave in waves.filter(status=WaveStatus.CLOSED)[:10]:
        assert list(wave.transitions.values_list("to_status", flat=True)) == [
            WaveStatus.OPEN,
            WaveStatus.CLOSED,
        ]
    assert waves.get(version__instrument__code="staff-satisfaction", period_start=starts[0]).anonymous


def test_completed_named_invitations_have_their_response_and_no_other_does(demo):
    named = Invitation.objects.filter(wave__anonymous=False)
    completed = named.filter(status=InvitationStatus.COMPLETED)
    assert completed.count() > 100
    assert Response.objects.filter(invitation__in=completed).count() == completed.count()
    assert not Response.objects.filter(
        invitation__in=named.exclude(status=InvitationStatus.COMPLETED)
    ).exists()
    statuses = set(named.values_list("status", flat=True))
    assert statuses <= {"pending", "sent", "failed", "opened", "completed", "expired"}
    for invitation in named.exclude(status=InvitationStatus.PENDING).order_by("?")[:60]:
        history = list(invitation.transitions.values_list("to_status", flat=True))
        assert history[0] == InvitationStatus.SENT and history[-1] == invitation.status


def test_every_invitation_history_runs_forward_in_time_in_the_order_it_was_written(demo):
    """The rows of a history are written in order with times that never go back (an SMS is opened after
    it was sent; an anonymous completion, kept at 00:00 of its day, still comes after that day's moves),
    so reading by ("at", "id") gives the same order on every database."""
    previous: dict[int, tuple] = {}
    for invitation_id, moment, pk in InvitationTransition.objects.order_by("invitation_id", "id").values_list(
        "invitation_id", "at", "id"
    ):
        if invitation_id in previous:
            assert moment >= previous[invitation_id][0], (invitation_id, pk)
        previous[invitation_id] = (moment, pk)
    assert len(previous) > 1000


def test_anonymous_staff_responses_keep_no_link_to_the_person(demo):
    responses = Response.objects.filter(wave__anonymous=True)
    assert responses.count() > 50
    assert not responses.filter(invitation__isnull=False).exists()
    assert not responses.filter(patient__isnull=False).exists()
    for response in responses[:30]:
        local = timezone.localtime(response.submitted_at)
        assert (local.hour, local.minute, response.started_at) == (0, 0, None)
        assert set(response.adjusters) == {"service_line"}
    completed = Invitation.objects.filter(wave__anonymous=True, status=InvitationStatus.COMPLETED)
    assert completed.count() == responses.count()


def test_stored_indexes_and_answer_rows_are_what_the_answering_service_stores(demo):
    for response in Response.objects.select_related("version").order_by("?")[:150]:
        definition = response.version.definition
        assert instruments.clean_answers(definition, response.answers)[1] == {}
        assert (response.score, response.dimension_scores) == instruments.score(definition, response.answers)
        scored = {s.code for s in instruments.iter_items(definition) if s.scored}
        rows = {a.item.code: a for a in Answer.objects.filter(response=response).select_related("item")}
        assert set(rows) == scored & set(response.answers)
        for code, row in rows.items():
            value = response.answers[code]
            assert (row.value, row.not_applicable) == (
                (None, True) if value == "na" else (float(value), False)
            )


def test_rows_are_dated_when_they_happened_not_when_the_demo_was_loaded(demo):
    invitations = Invitation.objects.filter(wave__hospital__code="lxq-demo")
    assert invitations.count() > 1000
    assert not invitations.exclude(created_at=F("send_after")).exists()
    responses = Response.objects.filter(hospital__code="lxq-demo")
    assert not responses.exclude(created_at=F("submitted_at")).exists()
    messages = Message.objects.filter(invitation__wave__hospital__code="lxq-demo")
    assert messages.count() > 100 and not messages.exclude(created_at=F("sent_at")).exists()
    # Eighteen months of history: the first rows are over a year older than the load.
    assert invitations.order_by("created_at").first().created_at < timezone.now() - dt.timedelta(days=365)


def test_named_responses_carry_the_case_mix_adjusters(demo):
    responses = Response.objects.filter(
        wave__anonymous=False, version__instrument__code="inpatient-experience"
    )
    assert responses.count() > 20
    for response in responses.order_by("id")[:40]:
        adjusters = response.adjusters
        assert {"service_line", "age_band", "sex", "lag_days", "srh", "edu"} <= set(adjusters)
        assert adjusters["service_line"] == response.department.code
        assert adjusters["srh"] in range(1, 6)
        assert adjusters["age_band"] == _band(response)
        if response.mode == "paper":  # the pre-discharge questionnaire, answered on the day of discharge
            assert adjusters["lag_days"] == 0
        else:  # post-discharge, no earlier than 48 hours after discharge
            assert adjusters["lag_days"] >= 2


def test_the_pre_discharge_wave_is_answered_on_paper_on_the_ward_before_discharge(demo):
    paper = Response.objects.filter(mode="paper").select_related("invitation", "encounter", "wave")
    assert paper.count() > 20
    assert {tuple(channels) for channels in paper.values_list("wave__channels", flat=True)} == {("paper",)}
    assert all(w.endswith("（出院前）") for w in paper.values_list("wave__name", flat=True))
    for response in paper.order_by("id")[:40]:
        assert response.department.code in PRE_DISCHARGE_DEPARTMENTS
        assert response.invitation.channel == "paper" and response.interviewer_id is None
        assert response.invitation.sent_at < response.submitted_at < response.encounter.ended_at
    handed = Invitation.objects.filter(channel="paper").exclude(status=InvitationStatus.PENDING)
    returned = handed.filter(status=InvitationStatus.COMPLETED).count() / handed.count()
    assert 0.75 <= returned <= 0.95  # most patients fill it in before they leave
    # Surveyed on the ward, they are not surveyed again by SMS or phone within 30 days.
    surveyed = set(paper.values_list("patient_id", flat=True))
    later = Invitation.objects.filter(
        patient_id__in=surveyed, wave__version__instrument__code="inpatient-experience"
    ).exclude(channel="paper")
    for invitation in later:
        handed = paper.filter(patient_id=invitation.patient_id).values_list("invitation__sent_at", flat=True)
        assert all(abs(invitation.send_after - moment) >= dt.timedelta(days=30) for moment in handed)


def _band(response: Response) -> str:
    from carebridge.surveys.services.responses import age_band

    return age_band(response.patient.birth_date, timezone.localdate(response.submitted_at))


def test_response_rates_are_realistic_by_channel(demo):
    finished = Invitation.objects.filter(
        wave__anonymous=False, status__in=[InvitationStatus.COMPLETED, InvitationStatus.EXPIRED]
    )
    rates = {}
    for channel in ("sms", "phone"):
        invited = finished.filter(channel=channel)
        rates[channel] = invited.filter(status=InvitationStatus.COMPLETED).count() / invited.count()
    assert 0.25 < rates["sms"] < 0.45 and 0.45 < rates["phone"] < 0.72, rates
    assert Response.objects.filter(mode="phone", interviewer__username="agent").exists()
    assert not Response.objects.filter(mode="web", interviewer__isnull=False).exists()


def test_low_scoring_recent_responses_opened_recovery_cases_in_the_desk(demo):
    assert RecoveryTrigger.objects.filter(hospital__code="lxq-demo").count() == 3
    cases = RecoveryCase.objects.select_related("response__version", "complaint")
    assert cases.exists()
    triggers = list(RecoveryTrigger.objects.filter(hospital__code="lxq-demo"))
    for case in cases:
        assert case.complaint.channel == DeskChannel.SURVEY
        assert recovery_matches(response=case.response, triggers=triggers)
