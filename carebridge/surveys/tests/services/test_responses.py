"""Submitting a response: once per token, refusals that say why, scores, adjusters and anonymity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from carebridge.core.models import AuditEvent
from carebridge.surveys.choices import InvitationStatus, ResponseMode, WaveStatus
from carebridge.surveys.models import Answer, InvitationTransition, Response, ResponseDraft
from carebridge.surveys.services.responses import (
    ALREADY_ANSWERED,
    CLOSED,
    EXPIRED,
    WITHDRAWN,
    SubmissionRefused,
    age_band,
    answer_error_message,
    draft_save,
    invitation_open,
    response_submit,
)
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def wave(hospital, quality_officer_qian):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


def submit(invitation, answers=None, **kwargs):
    values = {"language": "zh-hans", "mode": ResponseMode.WEB, "now": timezone.now()}
    values.update(kwargs)
    return response_submit(invitation=invitation, answers=answers or GOOD, **values)


def test_a_token_answers_once(wave, cardiology):
    invitation = invite(wave, department=cardiology)
    response = submit(invitation)
    with pytest.raises(SubmissionRefused) as refused:
        submit(invitation, {**GOOD, "q3": 1})
    assert refused.value.reason == ALREADY_ANSWERED
    assert "already been answered" in refused.value.messages[0]
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.COMPLETED and response.invitation == invitation
    assert list(invitation.transitions.values_list("to_status", flat=True)) == ["completed"]


def test_it_stores_scores_answer_rows_and_the_invitations_context(wave, cardiology):
    invitation = invite(wave, department=cardiology)
    response = submit(
        invitation, {"q1": 5, "q2": "na", "q3": 3, "nps": 10, "comment": "hidden by skip logic"}
    )
    assert response.answers == {"q1": 5, "q2": "na", "q3": 3, "nps": 10}
    # care = (0.7 × 100 + 0.3 × 50) / 1.0 = 85; overall = 0.6 × 85 + 0.4 × 100 = 91
    assert response.dimension_scores == {"care": 85.0, "overall": 100.0}
    assert response.score == pytest.approx(91.0)
    rows = {a.item.code: (a.value, a.not_applicable) for a in Answer.objects.filter(response=response)}
    assert rows == {"q1": (5.0, False), "q2": (None, True), "q3": (3.0, False), "nps": (10.0, False)}
    assert response.department == cardiology and response.patient == invitation.patient
    assert response.encounter == invitation.encounter and response.mode == "web"
    assert response.adjusters["service_line"] == "CARD" and response.adjusters["sex"] == "M"
    assert response.adjusters["lag_days"] == 3 and response.adjusters["age_band"] == "45-54"
    # Written with the response (one statement on PostgreSQL): the audit row names it, the move is recorded.
    audit = AuditEvent.objects.get(action="survey.response.submit")
    assert (audit.object_type, audit.object_id) == ("surveys.response", str(response.pk))
    assert audit.changes == {"invitation": invitation.pk, "score": pytest.approx(91.0)}
    moves = InvitationTransition.objects.filter(invitation=invitation, to_status=InvitationStatus.COMPLETED)
    assert [(m.reason, m.at) for m in moves] == [("web", response.submitted_at)]


def test_time_taken_runs_from_the_first_draft(wave, cardiology):
    invitation = invite(wave, department=cardiology)
    start = timezone.now() - dt.timedelta(minutes=5)
    invitation_open(invitation=invitation, now=start)
    draft_save(invitation=invitation, answers={"q1": 4}, page=1, now=start + dt.timedelta(seconds=30))
    response = submit(invitation, now=start + dt.timedelta(minutes=4))
    assert response.started_at == start  # the draft starts from the first opening
    assert response.duration_seconds == 240
    assert not ResponseDraft.objects.exists()
    assert list(invitation.transitions.values_list("to_status", flat=True)) == ["opened", "completed"]


def test_an_expired_token_is_refused_and_marked_expired(wave, cardiology):
    invitation = invite(wave, department=cardiology, expires_in=dt.timedelta(days=-1))
    with pytest.raises(SubmissionRefused) as refused:
        submit(invitation)
    assert refused.value.reason == EXPIRED
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
    assert InvitationTransition.objects.filter(invitation=invitation, to_status="expired").count() == 1
    assert not Response.objects.exists()


def test_withdrawn_tokens_and_closed_waves_are_refused(wave, cardiology):
    withdrawn = invite(wave, department=cardiology, status=InvitationStatus.WITHDRAWN)
    with pytest.raises(SubmissionRefused) as refused:
        submit(withdrawn)
    assert refused.value.reason == WITHDRAWN
    open_one = invite(wave, department=cardiology)
    wave.status = WaveStatus.CLOSED
    wave.save()
    open_one.refresh_from_db()
    with pytest.raises(SubmissionRefused) as refused:
        submit(open_one)
    assert refused.value.reason == CLOSED
    assert not Response.objects.exists()


def test_bad_answers_are_refused_per_item_and_change_nothing(wave, cardiology):
    invitation = invite(wave, department=cardiology)
    with pytest.raises(ValidationError) as refused:
        submit(invitation, {"q1": 9, "q3": "x", "zz": 1})
    errors = refused.value.message_dict
    assert errors["q1"] == ["Choose a whole number from 1 to 5."]
    assert errors["nps"] == ["Please answer this question."]
    assert errors["zz"] == ["This question is not part of the questionnaire."]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT and not Response.objects.exists()


def test_every_error_of_clean_answers_has_a_message_of_its_own():
    errors = [
        "no such item",
        "an answer is required",
        "not one of the options",
        "choose among the options",
        "“not applicable” is not offered",
        "at most 4000 characters",
    ]
    messages = {answer_error_message(error) for error in errors}
    assert len(messages) == len(errors) and "This answer cannot be accepted." not in messages
    assert answer_error_message("a whole number from 0 to 10") == "Choose a whole number from 0 to 10."


def test_phone_entries_record_the_interviewer(wave, cardiology, agent_ann):
    invitation = invite(wave, department=cardiology, channel="phone")
    with pytest.raises(ValidationError):
        submit(invitation, mode=ResponseMode.PHONE)
    response = submit(invitation, mode=ResponseMode.PHONE, interviewer=agent_ann)
    assert response.mode == "phone" and response.interviewer == agent_ann


def test_anonymous_waves_keep_no_link_from_answer_to_person(hospital, quality_officer_qian, cardiology):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian, anonymous=True)
    invitation = invite(wave, department=cardiology)
    moment = timezone.now()
    response = submit(invitation, {**GOOD, "q1": 1, "nps": 0, "comment": "护士态度很差"}, now=moment)
    response.refresh_from_db()
    assert response.invitation is None and response.patient is None and response.encounter is None
    local = timezone.localtime(response.submitted_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert local.date() == timezone.localdate(moment) and response.created_at == response.submitted_at
    assert response.started_at is None
    assert set(response.adjusters) == {"service_line"}
    assert response.department == cardiology
    assert not response.recovery_cases.exists()
    audit = AuditEvent.objects.get(action="survey.response.submit")
    assert audit.object_type == "surveys.wave" and str(invitation.pk) not in str(audit.changes)
    # The token still answers once.
    with pytest.raises(SubmissionRefused):
        submit(invitation)


@pytest.mark.parametrize(
    ("birth", "band"),
    [
        (dt.date(2010, 1, 1), "0-17"),
        (dt.date(2001, 11, 24), "18-24"),
        (dt.date(1930, 1, 1), "85+"),
        (None, ""),
    ],
)
def test_age_bands(birth, band):
    assert age_band(birth, dt.date(2026, 11, 23)) == band
