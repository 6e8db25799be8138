"""The one definition of the responses a user may see (``response_list``) and of a wave's response rate
(``wave_response_rate``), which other apps call instead of writing their own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, make_persona
from carebridge.surveys.choices import InvitationStatus, ResponseMode
from carebridge.surveys.selectors.responses import response_list
from carebridge.surveys.selectors.waves import wave_response_rate, wave_stats
from carebridge.surveys.services.responses import response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db


def _answered(wave, department):
    invitation = invite(wave, department=department)
    return response_submit(
        invitation=invitation, answers=GOOD, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
    )


def test_response_list_is_what_the_permission_and_the_data_scope_allow(
    hospital, cardiology, paediatrics, quality_officer_qian, *, ward_manager_wang, outsider
):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    ours = {_answered(wave, cardiology).pk, _answered(wave, paediatrics).pk}
    elsewhere = HospitalFactory()
    other_wave = open_wave(hospital=elsewhere, owner=quality_officer_qian, code="elsewhere")
    _answered(other_wave, DepartmentFactory(hospital=elsewhere))

    assert set(response_list(user=quality_officer_qian).values_list("pk", flat=True)) == ours
    in_hospital = response_list(user=quality_officer_qian, hospital=hospital)
    assert set(in_hospital.values_list("pk", flat=True)) == ours
    assert not response_list(user=quality_officer_qian, hospital=elsewhere).exists()
    # Without surveys.view_response (a ward manager) or without a staff record, nothing.
    assert not response_list(user=ward_manager_wang).exists()
    assert not response_list(user=outsider).exists()
    # A department-scoped reader sees their departments' responses only.
    reader = make_persona("reader", "ward_manager", hospital, departments=[paediatrics])
    reader.user_permissions.add(Permission.objects.get(codename="view_response"))
    assert list(response_list(user=reader).values_list("department", flat=True)) == [paediatrics.pk]


def test_the_response_rate_counts_invitations_that_went_out(hospital, cardiology, quality_officer_qian):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    statuses = {
        InvitationStatus.COMPLETED: 2,
        InvitationStatus.SENT: 1,
        InvitationStatus.FAILED: 1,
        InvitationStatus.EXPIRED: 1,
        InvitationStatus.PENDING: 3,  # not sent yet: not in the denominator
        InvitationStatus.WITHDRAWN: 2,  # taken back before sending: not in the denominator
    }
    for status, count in statuses.items():
        for _ in range(count):
            invite(wave, department=cardiology, status=status)

    rate = wave_response_rate(wave=wave)
    assert (rate.completed, rate.sent, rate.rate) == (2, 5, pytest.approx(0.4))
    assert wave_stats(wave=wave).response_rate == pytest.approx(0.4)
    assert wave_response_rate(wave=wave, user=quality_officer_qian) == rate


def test_a_wave_with_nothing_sent_has_no_rate(hospital, cardiology, quality_officer_qian):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    invite(wave, department=cardiology, status=InvitationStatus.PENDING)
    assert wave_response_rate(wave=wave).rate is None
