"""Invitations: sending through the gateway (file backend) with every rule checked again at send time,
reminders, expiry, the status life cycle, delivery reports, and the do-not-contact list."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from carebridge.core.messaging import MessageResult
from carebridge.core.models import OutboxMessage
from carebridge.core.services import outbox as service
from carebridge.core.tests.factories import StaffFactory
from carebridge.patients.tests.factories import EncounterFactory
from carebridge.surveys.models import Exclusion, Invitation, InvitationTransition, Message
from carebridge.surveys.services.do_not_contact import do_not_contact_add
from carebridge.surveys.services.draws import wave_draw
from carebridge.surveys.services.invitations import (
    invitation_send,
    invitation_transition,
    invitation_url,
    invitations_expire,
    invitations_remind_due,
    invitations_send_due,
    message_reference,
    message_status_update,
)
from carebridge.surveys.services.waves import wave_transition
from carebridge.surveys.tests.support.waves import at, discharge, make_wave, outbox

pytestmark = pytest.mark.django_db

DRAW = at(4, 2, 15)
PHONE = "13812345678"
SECRET = "gateway-secret"


@pytest.fixture(autouse=True)
def _english_and_outbox(settings, tmp_path):
    sms = {**settings.CAREBRIDGE["SMS"], "BACKEND": "file", "FILE_DIR": str(tmp_path / "outbox")}
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SMS": sms, "PUBLIC_BASE_URL": "https://survey.example.cn"}
    with translation.override("en"):
        yield


@pytest.fixture
def drawn(hospital, cardiology, quality_officer_qian):
    """An open wave with one invitee discharged on 20 March (due since the draw), one reminder on day 3."""
    stay = discharge(cardiology, at(3, 20), phone=PHONE)
    wave = make_wave(hospital, quality_officer_qian, reminder_days=[3])
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    wave_transition(wave=wave, to="open", actor=quality_officer_qian)
    return Invitation.objects.get(wave=wave, patient=stay.patient)


def retry_until_given_up(invitation):
    """The outbox retries a refused SMS with back-off and gives up after its last attempt."""
    message = Message.objects.get(invitation=invitation)
    row = OutboxMessage.objects.get(reference=message_reference(message))
    for attempt in range(1, service.MAX_ATTEMPTS):
        service.outbox_deliver_one(message_id=row.pk, now=timezone.now() + dt.timedelta(hours=2 * attempt))


def deliver():
    """What the outbox worker does after commit: hand each due message to the gateway (real code path)."""
    for message_id in service.outbox_due():
        service.outbox_deliver_one(message_id=message_id)


def send(now, callbacks):
    with callbacks():
        outcome = invitations_send_due(now=now)
    deliver()
    return outcome


def test_the_invitation_sms_goes_through_the_gateway_and_only_masked_numbers_are_kept(
    drawn, tmp_path, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO)
    assert send(at(4, 3, 10), django_capture_on_commit_callbacks) == {"sent": 1}
    sent = outbox(tmp_path / "outbox")
    assert len(sent) == 1 and sent[0]["to"] == PHONE
    assert invitation_url(drawn) == f"https://survey.example.cn/s/{drawn.token}/"
    assert invitation_url(drawn) in sent[0]["text"]
    message = Message.objects.get(invitation=drawn)
    assert (message.kind, message.status, message.to_masked) == ("invitation", "sent", "138****5678")
    assert message.provider_id == sent[0]["id"] and message.backend == "file"
    drawn.refresh_from_db()
    assert drawn.status == "sent" and drawn.sent_at == at(4, 3, 10)
    assert drawn.expires_at == at(4, 17, 10)  # valid 14 days from sending
    assert PHONE not in caplog.text and "138****5678" in caplog.text
    assert PHONE not in str(list(Message.objects.values()))
    # The next run finds nothing left to send.
    assert send(at(4, 3, 10, 5), django_capture_on_commit_callbacks) == {}


def test_the_sms_waits_in_the_outbox_until_the_transaction_commits_and_a_worker_delivers_it(
    drawn, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        assert invitations_send_due(now=at(4, 3, 10)) == {"sent": 1}
    message = Message.objects.get(invitation=drawn)
    row = OutboxMessage.objects.get(reference=message_reference(message))
    assert (row.kind, row.to, row.status, len(callbacks)) == ("surveys.invitation", PHONE, "pending", 1)
    assert message.status == "queued" and outbox(tmp_path / "outbox") == []
    deliver()
    message.refresh_from_db()
    assert message.status == "sent" and len(outbox(tmp_path / "outbox")) == 1


def test_nothing_is_sent_before_the_invitation_is_due_or_while_the_wave_is_a_draft(
    hospital, cardiology, quality_officer_qian, django_capture_on_commit_callbacks
):
    discharge(cardiology, at(4, 1, 14, 30))
    wave = make_wave(hospital, quality_officer_qian, period_end=dt.date(2025, 4, 30))
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    assert send(at(4, 3, 14, 30), django_capture_on_commit_callbacks) == {}  # a draft sends nothing
    wave_transition(wave=wave, to="open", actor=quality_officer_qian)
    assert send(at(4, 3, 14, 29), django_capture_on_commit_callbacks) == {}  # 47 h 59 min
    assert send(at(4, 3, 14, 30), django_capture_on_commit_callbacks) == {"sent": 1}  # 48 h


def test_a_due_invitation_found_in_quiet_hours_waits_for_the_morning(
    drawn, tmp_path, django_capture_on_commit_callbacks
):
    drawn.send_after = at(4, 2, 20, 0)
    drawn.save()
    with django_capture_on_commit_callbacks():
        assert invitation_send(invitation_id=drawn.pk, now=at(4, 2, 23, 15)) == "postponed"
    deliver()
    drawn.refresh_from_db()
    assert drawn.status == "pending" and drawn.send_after == at(4, 3, 8, 0)
    assert outbox(tmp_path / "outbox") == [] and not Message.objects.exists()


def test_a_patient_back_in_hospital_at_send_time_is_not_sent_and_is_counted(
    drawn, cardiology, django_capture_on_commit_callbacks
):
    EncounterFactory(patient=drawn.patient, department=cardiology, kind="inpatient", started_at=at(4, 3, 9))
    assert send(at(4, 3, 10), django_capture_on_commit_callbacks) == {"withdrawn:in_treatment": 1}
    drawn.refresh_from_db()
    assert drawn.status == "withdrawn" and not Message.objects.exists()
    assert list(Exclusion.objects.filter(wave=drawn.wave).values_list("reason", flat=True)) == [
        "in_treatment"
    ]


def test_the_30_day_cap_is_checked_again_at_send_time(
    hospital, quality_officer_qian, django_capture_on_commit_callbacks
):
    """Wave A (30-day cap) plans a staff survey for 20 April; wave B, with a 7-day cap, is allowed to
    reach the same nurse on 3 April. On 20 April A finds B's SMS 17 days old and refuses."""
    nurse = StaffFactory(hospital=hospital, phone="13700001234")
    staff = {"population": "staff", "respondent_class": "staff", "period_start": None, "period_end": None}
    wave_a = make_wave(hospital, quality_officer_qian, name="A", opens_at=at(4, 20, 9), **staff)
    wave_b = make_wave(
        hospital, quality_officer_qian, name="B", opens_at=at(4, 3, 9), min_days_between_surveys=7, **staff
    )
    assert wave_draw(wave=wave_a, actor=quality_officer_qian, now=DRAW).invited == 1
    assert wave_draw(wave=wave_b, actor=quality_officer_qian, now=DRAW).invited == 1
    for wave in (wave_a, wave_b):
        wave_transition(wave=wave, to="open", actor=quality_officer_qian)
    assert send(at(4, 3, 9), django_capture_on_commit_callbacks) == {"sent": 1}
    assert send(at(4, 20, 9), django_capture_on_commit_callbacks) == {"withdrawn:recently_surveyed": 1}
    assert Invitation.objects.get(wave=wave_a, staff=nurse).status == "withdrawn"
    refused = Exclusion.objects.filter(wave=wave_a, staff=nurse).values_list("reason", flat=True)
    assert list(refused) == ["recently_surveyed"]
    assert Message.objects.filter(invitation__staff=nurse).count() == 1


def test_an_invitation_past_the_six_weeks_is_withdrawn(drawn, django_capture_on_commit_callbacks):
    assert send(at(5, 1, 10, 1), django_capture_on_commit_callbacks) == {"withdrawn:outside_window": 1}


def test_a_number_removed_since_the_draw_means_no_sms(drawn, django_capture_on_commit_callbacks):
    drawn.patient.phones.all().delete()
    assert send(at(4, 3, 10), django_capture_on_commit_callbacks) == {"withdrawn:no_contact_route": 1}


def test_the_do_not_contact_list_withdraws_unsent_invitations_at_once(drawn, hospital, agent_ann):
    entry = do_not_contact_add(
        hospital=hospital, actor=agent_ann, phone="+86 138 1234 5678", reason="来电拒绝"
    )
    assert entry.phone == PHONE
    drawn.refresh_from_db()
    assert drawn.status == "withdrawn"
    assert do_not_contact_add(hospital=hospital, actor=agent_ann, phone=PHONE) == entry  # once only
    with pytest.raises(ValidationError):
        do_not_contact_add(hospital=hospital, actor=agent_ann, phone="12345")


def test_a_refusing_gateway_leaves_a_failed_message_and_a_failed_invitation(
    drawn, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        service, "send_message", lambda **kw: MessageResult(False, "http", error="quota exceeded")
    )
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    retry_until_given_up(drawn)
    message = Message.objects.get(invitation=drawn)
    assert (message.status, message.error) == ("failed", "quota exceeded")
    drawn.refresh_from_db()
    assert drawn.status == "failed"


def test_a_broken_gateway_does_not_leave_the_message_queued(
    drawn, monkeypatch, django_capture_on_commit_callbacks
):
    def explode(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(service, "send_message", explode)
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    retry_until_given_up(drawn)
    assert Message.objects.get(invitation=drawn).status == "failed"


# --- Reminders -----------------------------------------------------------------------------------------


def test_one_reminder_on_day_three_outside_quiet_hours_and_none_after_completion(
    drawn, tmp_path, django_capture_on_commit_callbacks
):
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks():
        assert invitations_remind_due(now=at(4, 6, 9, 59)) == {}
        assert invitations_remind_due(now=at(4, 6, 22, 0)) == {"waiting": 1}  # due, but quiet hours
        assert invitations_remind_due(now=at(4, 7, 9, 0)) == {"reminded": 1}
        assert invitations_remind_due(now=at(4, 8, 9, 0)) == {}  # only one reminder planned
    deliver()
    kinds = list(Message.objects.filter(invitation=drawn).order_by("id").values_list("kind", "status"))
    assert kinds == [("invitation", "sent"), ("reminder", "sent")]
    assert len(outbox(tmp_path / "outbox")) == 2


def test_no_reminder_to_someone_who_answered(drawn, django_capture_on_commit_callbacks):
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    invitation_transition(invitation=drawn, to="completed", at=at(4, 4, 10))
    with django_capture_on_commit_callbacks():
        assert invitations_remind_due(now=at(4, 7, 9, 0)) == {}
    deliver()
    assert Message.objects.filter(invitation=drawn, kind="reminder").count() == 0


# --- Expiry and the life cycle -------------------------------------------------------------------------


def test_invitations_expire_once(drawn):
    assert invitations_expire(now=drawn.expires_at - dt.timedelta(seconds=1)) == 0
    assert invitations_expire(now=drawn.expires_at) == 1
    assert invitations_expire(now=drawn.expires_at) == 0
    drawn.refresh_from_db()
    assert drawn.status == "expired"
    row = InvitationTransition.objects.get(invitation=drawn)
    assert (row.from_status, row.to_status) == ("pending", "expired")


def test_transitions_are_checked_and_repeating_one_changes_nothing(drawn):
    invitation_transition(invitation=drawn, to="opened", at=at(4, 3, 11))
    invitation_transition(invitation=drawn, to="opened", at=at(4, 3, 12))
    assert drawn.opened_at == at(4, 3, 11)
    assert InvitationTransition.objects.filter(invitation=drawn).count() == 1
    invitation_transition(invitation=drawn, to="completed", at=at(4, 3, 12))
    with pytest.raises(ValidationError, match="cannot become"):
        invitation_transition(invitation=drawn, to="sent")
    drawn.refresh_from_db()
    assert drawn.status == "completed"


# --- Delivery reports ----------------------------------------------------------------------------------


def test_delivery_reports_move_message_and_invitation_forward_only(drawn, django_capture_on_commit_callbacks):
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    message = Message.objects.get(invitation=drawn)
    message_status_update(provider_id=message.provider_id, status="delivered", at=at(4, 3, 10, 1))
    message_status_update(provider_id=message.provider_id, status="sent")  # late, out of order
    message.refresh_from_db()
    drawn.refresh_from_db()
    assert (message.status, message.delivered_at, drawn.status) == ("delivered", at(4, 3, 10, 1), "delivered")
    with pytest.raises(Message.DoesNotExist):
        message_status_update(provider_id="nope", status="delivered")


@pytest.fixture
def webhook(settings, api_client):
    sms = {**settings.CAREBRIDGE["SMS"], "HTTP_TOKEN": SECRET}
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SMS": sms}

    def post(payload, token=SECRET):
        headers = {"HTTP_X_CAREBRIDGE_TOKEN": token} if token is not None else {}
        return api_client().post("/api/v1/surveys/messages/status/", payload, format="json", **headers)

    return post


def test_the_delivery_webhook_is_authenticated_idempotent_and_404s_unknown_ids(
    drawn, webhook, django_capture_on_commit_callbacks
):
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    message = Message.objects.get(invitation=drawn)
    report = {"id": message.provider_id, "status": "delivered"}
    assert webhook(report, token="wrong").status_code == 403
    assert webhook(report, token=None).status_code == 403
    first = webhook(report)
    assert first.status_code == 200 and first.json() == {"id": message.provider_id, "status": "delivered"}
    assert webhook(report).status_code == 200
    assert InvitationTransition.objects.filter(invitation=drawn, to_status="delivered").count() == 1
    assert webhook({"id": "file-unknown", "status": "delivered"}).status_code == 404
    assert webhook({"id": message.provider_id, "status": "lost"}).status_code == 400


def test_the_webhook_refuses_everything_when_no_secret_is_configured(settings, api_client):
    sms = {**settings.CAREBRIDGE["SMS"], "HTTP_TOKEN": ""}
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SMS": sms}
    response = api_client().post(
        "/api/v1/surveys/messages/status/",
        {"id": "x", "status": "delivered"},
        format="json",
        HTTP_X_CAREBRIDGE_TOKEN="",
    )
    assert response.status_code == 403


def test_a_failed_delivery_marks_the_invitation_failed(drawn, webhook, django_capture_on_commit_callbacks):
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    message = Message.objects.get(invitation=drawn)
    assert webhook({"id": message.provider_id, "status": "failed", "error": "空号"}).status_code == 200
    drawn.refresh_from_db()
    message.refresh_from_db()
    assert (drawn.status, message.status, message.error) == ("failed", "failed", "空号")


def test_the_outbox_file_is_the_only_place_with_the_whole_number(
    drawn, tmp_path, django_capture_on_commit_callbacks
):
    send(at(4, 3, 10), django_capture_on_commit_callbacks)
    assert Path(tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").count(PHONE) == 1
