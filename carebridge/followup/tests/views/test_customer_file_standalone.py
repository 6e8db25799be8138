"""The customer file shows the follow-up calls made outside any stay (an abnormal checkup finding, a
recheck after a critical result): reason, status, what the recheck found, with a link to the call; a
user who may not see the call's department does not see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.followup.choices import RecheckOutcome, StandaloneReason
from carebridge.followup.selectors.customer import customer_file
from carebridge.followup.services.calls import call_record
from carebridge.followup.services.standalone import RecheckAnswer, standalone_call_schedule
from carebridge.followup.tests.support.clients import client_for
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(hospital, paediatrics):
    person = PatientFactory(hospital=hospital, name="王芳")
    PhoneFactory(patient=person, number="13912345678")
    origin = EncounterFactory(patient=person, department=paediatrics)
    return standalone_call_schedule(
        patient=person,
        reason=StandaloneReason.CHECKUP_ABNORMAL,
        title="体检异常随访：空腹血糖偏高",
        origin=origin,
        origin_label="体检 2026-03-10",
        department=paediatrics,
    )


def test_the_customer_file_lists_a_standalone_call_with_its_recheck_outcome(call, agent_ann):
    call_record(
        touchpoint=call,
        actor=agent_ann,
        outcome="reached",
        recheck=RecheckAnswer(outcome=RecheckOutcome.CONFIRMED, saw_doctor=True, finding="2型糖尿病"),
    )
    page = client_for(agent_ann).get(reverse("followup:customer_file", args=[call.patient.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    section = html[html.index('id="standalone-calls"') : html.index('id="calls"')]
    assert "体检异常随访：空腹血糖偏高" in section and "体检 2026-03-10" in section
    assert "Abnormal checkup finding" in section and "finding confirmed" in section
    assert reverse("followup:call", args=[call.pk]) in section
    # Its attempt joins the calls-and-contacts list too.
    assert "139****5678" in html and "13912345678" not in html


def test_a_user_without_the_calls_department_does_not_see_it(call, ward_manager_wang, clinician_zhou):
    assert [t.pk for t in customer_file(user=ward_manager_wang, patient=call.patient).standalone_calls] == [
        call.pk
    ]
    assert customer_file(user=clinician_zhou, patient=call.patient).standalone_calls == []
