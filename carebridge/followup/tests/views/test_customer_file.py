"""The customer file: one scoped view of the relationship with a patient — stays, touchpoints, calls with
their recordings, complaints, surveys, preferences and contacts, classified by specialty, disease and
region; opening it is logged like the patient page; phones are masked; anonymous answers never show."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.followup.choices import CallOutcome, TouchpointKind
from carebridge.followup.models import CallAttempt
from carebridge.followup.services.plans import touchpoint_complete
from carebridge.followup.tests.factories import at
from carebridge.followup.tests.support.clients import client_for
from carebridge.patients.models import PatientAccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def relationship(stay, discharge, ward_manager_wang, hospital):
    """A paediatric stay: interview with a customer file, discharge, a reached call with a recording, and a
    survey about the stay plus an anonymous one."""
    from carebridge.surveys.models import Instrument, InstrumentVersion, Response

    plan = stay("pedi", codes=("J45.9",))
    interview = plan.touchpoints.get(kind=TouchpointKind.ADMISSION_INTERVIEW)
    touchpoint_complete(
        touchpoint=interview,
        actor=ward_manager_wang,
        notes="入院面谈",
        customer_file={
            "needs": ["陪护床位", "饮食指导"],
            "expectations": "早日出院",
            "preferences": "上午10点后电话联系",
            "contacts": [{"name": "王女士", "relationship": "母亲", "phone": "13912345678"}],
        },
        at=at(2026, 3, 2, 15),
    )
    plan = discharge(plan)
    call = plan.touchpoints.filter(kind=TouchpointKind.FOLLOW_UP_CALL).first()
    CallAttempt.objects.create(
        touchpoint=call,
        at=at(2026, 3, 10, 10),
        channel="phone",
        step="phone",
        outcome=CallOutcome.REACHED,
        call_id="pbx-1",
        recording_url="http://pbx.intranet/recordings/pbx-1.wav",
        duration_seconds=95,
    )
    instrument = Instrument.objects.create(hospital=hospital, code="inp", name="住院体验", kind="inpatient")
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=1, status="published", definition={}, content_hash="y" * 64
    )
    Response.objects.create(
        hospital=hospital,
        version=version,
        patient=plan.patient,
        encounter=plan.encounter,
        department=plan.department,
        mode="web",
        answers={"recommend": 10},
        score=87.5,
        submitted_at=at(2026, 3, 12),
    )
    Response.objects.create(
        hospital=hospital,
        version=version,
        mode="web",
        answers={"recommend": 2},
        score=12.25,
        submitted_at=at(2026, 3, 12),
    )
    return plan


def test_the_ward_manager_sees_the_whole_relationship_with_masked_phones(relationship, ward_manager_wang):
    patient = relationship.patient
    phone = patient.phones.first()
    response = client_for(ward_manager_wang).get(f"/followup/customers/{patient.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "儿科" in html and "J45" in html and "鼓楼区" in html
    assert "陪护床位" in html and "上午10点后电话联系" in html and "王女士" in html
    assert "139****5678" in html and "13912345678" not in html
    assert phone.masked in html and phone.number not in html
    assert "http://pbx.intranet/recordings/pbx-1.wav" in html and "95s" in html
    assert "87.5" in html and "12.2" not in html  # the anonymous response never shows
    assert (
        PatientAccessLog.objects.filter(patient=patient, user=ward_manager_wang, action="view").count() == 1
    )


def test_it_classifies_by_specialty_disease_chapter_and_region(relationship, ward_manager_wang):
    from carebridge.followup.selectors.customer import customer_file

    view = customer_file(user=ward_manager_wang, patient=relationship.patient)
    assert [item.label for item in view.specialties] == ["儿科"]
    assert len(view.diseases) == 1 and view.diseases[0].key == "10" and "J45" in view.diseases[0].label
    assert view.region[-1] == "鼓楼区" and "南京市" in view.region and len(view.region) == 3
    assert len(view.stays) == 1 and view.stays[0][1] == relationship


def test_it_refuses_patients_outside_the_scope_and_leaders(
    relationship, stay, clinician_zhou, executive_zhao
):
    patient = relationship.patient  # a paediatric patient: not in 心内科's scope
    assert client_for(clinician_zhou).get(f"/followup/customers/{patient.pk}/").status_code == 404
    assert client_for(executive_zhao).get(f"/followup/customers/{patient.pk}/").status_code == 403
    assert not PatientAccessLog.objects.filter(patient=patient).exists()
    cardiac = stay("card", codes=("I21.9",)).patient
    assert client_for(clinician_zhou).get(f"/followup/customers/{cardiac.pk}/").status_code == 200
    assert (
        dt.date(2026, 3, 2).isoformat()
        in client_for(clinician_zhou).get(f"/followup/customers/{cardiac.pk}/").content.decode()
    )
