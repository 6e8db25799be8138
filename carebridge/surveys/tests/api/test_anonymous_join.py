"""The re-identification attack of issue 19 on generated data: the quality officer joins an anonymous
wave's invitation list (masked invitee, department, status, send and completion times) to its responses
(department, submission time, mode, adjusters) through the API, and must find no response that fits
exactly one invitee."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from carebridge.core.tests.factories import DepartmentFactory
from carebridge.surveys.choices import Channel, ResponseMode
from carebridge.surveys.models import Response
from carebridge.surveys.services.responses import response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave
from carebridge.surveys.tests.support.waves import at

pytestmark = pytest.mark.django_db

# Department → invitees who answer; spread over two months, one of them by phone.
ANSWERS = {"CARD": 14, "PEDI": 3, "ORTH": 1, "NEUR": 6}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _all(client, url):
    rows = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def _period(submitted: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The window a shown submission time stands for: its month when it is a month's first midnight."""
    local = submitted.astimezone(at(1, 1).tzinfo)
    if (local.day, local.hour, local.minute) == (1, 0, 0):
        nxt = (local.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return local, nxt
    return local, local + dt.timedelta(days=1)


def _fits(response: dict, invitation: dict) -> bool:
    if invitation["status"] != "completed":
        return False
    department = response["department"] or response["adjusters"].get("service_line")
    if department and invitation["department"] != department:
        return False
    mode = response["mode"]
    if mode and (mode == ResponseMode.PHONE) != (invitation["channel"] == Channel.PHONE):
        return False
    if response["submitted_at"]:
        start, end = _period(parse_datetime(response["submitted_at"]))
        if invitation["sent_at"] and parse_datetime(invitation["sent_at"]) >= end:
            return False
        if parse_datetime(invitation["expires_at"]) < start:
            return False
        if invitation["completed_at"]:
            completed = parse_datetime(invitation["completed_at"])
            if not start <= completed < end:
                return False
    return True


def test_no_anonymous_response_joins_to_exactly_one_invitee(
    api_client, hospital, *, cardiology, paediatrics, quality_officer_qian, agent_ann
):
    departments = {
        "CARD": cardiology,
        "PEDI": paediatrics,
        "ORTH": DepartmentFactory(hospital=hospital, code="ORTH"),
        "NEUR": DepartmentFactory(hospital=hospital, code="NEUR"),
    }
    wave = open_wave(hospital=hospital, owner=quality_officer_qian, anonymous=True, min_report_group=5)
    generator = random.Random(19)  # noqa: S311 - deterministic test data
    moments = sorted(at(10, 1) + dt.timedelta(hours=generator.randint(0, 24 * 50)) for _ in range(30))
    plan = [code for code, n in ANSWERS.items() for _ in range(n)]
    generator.shuffle(plan)
    for n, (code, moment) in enumerate(zip(plan, moments, strict=False)):
        phone = n == 7
        with time_machine.travel(moment - dt.timedelta(days=1), tick=False):
            invitation = invite(
                wave, department=departments[code], channel=Channel.PHONE if phone else Channel.SMS
            )
        with time_machine.travel(moment, tick=False):
            response_submit(
                invitation=invitation,
                answers=GOOD,
                language="zh-hans",
                mode=ResponseMode.PHONE if phone else ResponseMode.WEB,
                interviewer=agent_ann if phone else None,
                now=moment,
            )
    for code in ("CARD", "PEDI"):  # invitees who never answer
        with time_machine.travel(moments[0], tick=False):
            invite(wave, department=departments[code])

    client = api_client(quality_officer_qian)
    invitations = _all(client, f"/api/v1/surveys/waves/{wave.pk}/invitations/")
    responses = _all(client, f"/api/v1/surveys/responses/?wave={wave.pk}")
    details = [client.get(f"/api/v1/surveys/responses/{r['id']}/").json() for r in responses]

    assert len(invitations) == sum(ANSWERS.values()) + 2 and len(responses) == sum(ANSWERS.values())
    assert any(r["department"] for r in responses), "the large department still shows"
    for response in [*responses, *details]:
        fits = [i["id"] for i in invitations if _fits(response, i)]
        assert len(fits) >= 2, (response, fits)
    assert all(d["interviewer"] == "" and d["duration_seconds"] is None for d in details)


def test_a_wave_below_its_smallest_group_lists_no_response(
    api_client, client, hospital, cardiology, quality_officer_qian
):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian, anonymous=True, min_report_group=5)
    for _ in range(4):
        response_submit(
            invitation=invite(wave, department=cardiology),
            answers=GOOD,
            language="zh-hans",
            mode=ResponseMode.WEB,
            now=timezone.now(),
        )
    api = api_client(quality_officer_qian)
    assert api.get(f"/api/v1/surveys/responses/?wave={wave.pk}").json()["count"] == 0
    one = Response.objects.filter(wave=wave).order_by("pk").first()
    assert api.get(f"/api/v1/surveys/responses/{one.pk}/").status_code == 404
    client.force_login(quality_officer_qian)
    assert client.get(f"/surveys/responses/{one.pk}/").status_code == 404
