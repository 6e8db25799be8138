"""Closing the loop: a low score or a complaint in a comment opens a desk case in the same transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from carebridge.complaints.models import Complaint
from carebridge.surveys.choices import ResponseMode, TriggerKind
from carebridge.surveys.models import RecoveryCase, RecoveryTrigger, Response
from carebridge.surveys.services.recovery import recovery_trigger_save, recovery_triggers_install_defaults
from carebridge.surveys.services.responses import response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def wave(hospital, quality_officer_qian):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


def submit(invitation, answers):
    return response_submit(
        invitation=invitation, answers=answers, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
    )


def test_a_low_score_on_a_named_response_opens_a_desk_case_within_the_request(
    client, wave, cardiology, quality_officer_qian
):
    invitation = invite(wave, department=cardiology)
    url = reverse("answer:answer", args=[invitation.token])
    client.post(url, {"page": 1, "action": "next", "lang": "en", "a-q1": 1, "a-q2": 5, "a-q3": 2})
    done = client.post(url, {"page": 2, "action": "next", "lang": "en", "a-nps": 8})
    assert done.status_code == 302 and "thanks" in done["Location"]
    # By the end of the request the case exists, linked to the response.
    case = RecoveryCase.objects.select_related("complaint", "response").get()
    complaint = case.complaint
    assert complaint.channel == "survey" and complaint.owner == quality_officer_qian
    assert complaint.patient == invitation.patient and list(complaint.departments.all()) == [cardiology]
    assert (
        "q1" in complaint.content
        and "q3" in complaint.content
        and "医生向您解释病情清楚吗" in complaint.content
    )
    assert case.response == Response.objects.get() and case.trigger.kind == TriggerKind.ITEM_AT_OR_BELOW
    assert "q1" in case.evidence


def test_the_complaint_office_receives_a_survey_case_with_the_respondents_comment(
    wave, cardiology, quality_officer_qian, complaint_officer_li
):
    # Low scores fire; the comment itself is mild, but the office calls back about what was written too.
    submit(invite(wave, department=cardiology), {**GOOD, "q1": 1, "nps": 5, "comment": "希望增加周末门诊"})
    complaint = RecoveryCase.objects.select_related("complaint").get().complaint
    assert complaint.owner == complaint_officer_li
    assert complaint.owner != quality_officer_qian
    assert "希望增加周末门诊" in complaint.content and "受访者留言" in complaint.content


def test_without_a_complaint_office_the_wave_owner_receives_the_case(wave, cardiology, quality_officer_qian):
    submit(invite(wave, department=cardiology), {**GOOD, "q1": 1})
    assert RecoveryCase.objects.select_related("complaint").get().complaint.owner == quality_officer_qian


def test_an_anonymous_low_score_opens_no_case(hospital, quality_officer_qian, cardiology):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian, anonymous=True)
    submit(
        invite(wave, department=cardiology),
        {"q1": 1, "q2": 5, "q3": 1, "nps": 0, "comment": "护士态度很差，我要投诉"},
    )
    assert Response.objects.count() == 1
    assert not RecoveryCase.objects.exists() and not Complaint.objects.exists()


def test_good_answers_open_nothing(wave, cardiology):
    submit(invite(wave, department=cardiology), GOOD)
    assert not Complaint.objects.exists()


def test_a_detractor_opens_a_case(wave, cardiology):
    response = submit(invite(wave, department=cardiology), {**GOOD, "nps": 5})
    case = response.recovery_cases.get()
    assert {"nps"} == {part.split("「")[0] for part in case.evidence.split("; ")}
    assert case.trigger.kind == TriggerKind.DETRACTOR


def test_a_comment_that_reads_like_a_complaint_opens_a_case_with_its_category(wave, cardiology):
    recovery_triggers_install_defaults(hospital=wave.hospital)
    RecoveryTrigger.objects.exclude(kind=TriggerKind.COMPLAINT_TEXT).update(enabled=False)
    response = submit(
        invite(wave, department=cardiology), {**GOOD, "nps": 6, "comment": "护士态度很差，等了三个小时"}
    )
    complaint = response.recovery_cases.get().complaint
    assert "护士态度很差" in complaint.content
    assert complaint.suggested_category in ("attitude", "nursing", "waiting")


def test_a_kind_comment_opens_nothing(wave, cardiology):
    recovery_triggers_install_defaults(hospital=wave.hospital)
    RecoveryTrigger.objects.exclude(kind=TriggerKind.COMPLAINT_TEXT).update(enabled=False)
    submit(invite(wave, department=cardiology), {**GOOD, "nps": 6, "comment": "医生很好，非常满意"})
    assert not Complaint.objects.exists()


def test_an_item_trigger_uses_the_items_own_scale(wave, cardiology, quality_officer_qian):
    recovery_triggers_install_defaults(hospital=wave.hospital)
    RecoveryTrigger.objects.update(enabled=False)
    recovery_trigger_save(
        hospital=wave.hospital,
        actor=quality_officer_qian,
        kind=TriggerKind.ITEM_AT_OR_BELOW,
        item_code="q3",
        threshold=3,
        instrument=wave.version.instrument,
    )
    assert not submit(invite(wave, department=cardiology), {**GOOD, "q3": 4}).recovery_cases.exists()
    assert submit(invite(wave, department=cardiology), {**GOOD, "q3": 3}).recovery_cases.exists()


def test_defaults_are_installed_once(hospital):
    first = recovery_triggers_install_defaults(hospital=hospital)
    again = recovery_triggers_install_defaults(hospital=hospital)
    assert len(first) == 3 and {t.pk for t in again} == {t.pk for t in first}


def test_bad_triggers_are_refused(hospital, quality_officer_qian, wave):
    with pytest.raises(ValidationError) as refused:
        recovery_trigger_save(
            hospital=hospital,
            actor=quality_officer_qian,
            kind="nonsense",
            item_code="zz",
            instrument=wave.version.instrument,
        )
    assert set(refused.value.message_dict) == {"kind", "item_code", "threshold"}
    assert not RecoveryTrigger.objects.exists()
