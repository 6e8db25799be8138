"""Left over from the survey issue (issue 17, defect 11; issue 19, item 9): an invitation not yet sent is
refused like an expired one (a QR card handed out early included), a met quota stops sending and
reminding, the do-not-contact page lists its entries, and the public pages' rate limits are counted
where every worker process sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from carebridge.surveys.choices import Channel, InvitationStatus, ResponseMode
from carebridge.surveys.models import Exclusion, Stratum
from carebridge.surveys.services.do_not_contact import do_not_contact_add
from carebridge.surveys.services.invitations import invitation_send
from carebridge.surveys.services.responses import NOT_YET, SubmissionRefused, response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave
from carebridge.surveys.views import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(hospital, quality_officer_qian):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


def _not_sent_yet(invitation, *, hours=6):
    invitation.status, invitation.sent_at = InvitationStatus.PENDING, None
    invitation.send_after = timezone.now() + dt.timedelta(hours=hours)
    invitation.save(update_fields=["status", "sent_at", "send_after"])
    return invitation


@pytest.mark.parametrize("channel", [Channel.QR, Channel.SMS])
def test_an_invitation_not_yet_sent_cannot_be_answered(wave, cardiology, channel):
    invitation = _not_sent_yet(invite(wave, department=cardiology, channel=channel))
    with pytest.raises(SubmissionRefused) as refused:
        response_submit(
            invitation=invitation, answers=GOOD, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
        )
    assert refused.value.reason == NOT_YET
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_public_page_of_a_card_handed_out_early_says_it_cannot_be_answered_yet(client, wave, cardiology):
    invitation = _not_sent_yet(invite(wave, department=cardiology, channel=Channel.QR))
    page = client.get(f"/s/{invitation.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be answered yet" in page.content.decode() or "尚不能作答" in page.content.decode()
    assert 'name="q1"' not in page.content.decode()


def test_a_met_quota_stops_sending_the_strata_other_invitations(wave, cardiology):
    stratum = Stratum.objects.create(wave=wave, key="CARD", target=3, quota=1)
    answered = invite(wave, department=cardiology)
    answered.stratum = stratum
    answered.save(update_fields=["stratum"])
    response_submit(
        invitation=answered, answers=GOOD, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
    )
    waiting = invite(wave, department=cardiology, status=InvitationStatus.PENDING)
    waiting.stratum = stratum
    waiting.sent_at = None
    waiting.save(update_fields=["stratum", "sent_at"])

    assert invitation_send(invitation_id=waiting.pk) == "withdrawn:quota_met"
    waiting.refresh_from_db()
    assert waiting.status == InvitationStatus.WITHDRAWN
    assert Exclusion.objects.filter(wave=wave, reason="quota_met").count() == 1


def test_the_do_not_contact_page_lists_its_entries_with_phones_masked(client, hospital, quality_officer_qian):
    from django.contrib.auth.models import Permission

    quality_officer_qian.user_permissions.add(Permission.objects.get(codename="add_donotcontact"))
    do_not_contact_add(
        hospital=hospital, actor=quality_officer_qian, phone="13812345678", reason="不愿被打扰"
    )
    client.force_login(quality_officer_qian)
    page = client.get("/surveys/do-not-contact/new/").content.decode()
    assert "不愿被打扰" in page and "138****5678" in page
    assert "13812345678" not in page


def test_rate_limits_are_counted_in_a_cache_every_worker_shares():
    shared = settings.CACHES["shared"]["BACKEND"]
    assert "locmem" not in shared  # a per-process memory let N workers admit N times the limit
    request = RequestFactory().post("/s/x/", REMOTE_ADDR="10.0.0.9")
    ratelimit.over_limit(request, "token-x")
    if "db.DatabaseCache" in shared:
        table = settings.CACHES["shared"]["LOCATION"]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - the table name is our setting
            assert cursor.fetchone()[0] >= 2
    caches["shared"].clear()
