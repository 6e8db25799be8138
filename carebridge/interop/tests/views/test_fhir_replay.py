"""A failed FHIR Bundle is in the dead-letter list like a failed HL7 message and, after its mapping is
added, replays once (issue #12, scope 4): filed as the account that sent it, the log row updated rather
than duplicated, a second replay refused; the transaction stays all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from carebridge.checkup.models import Item, Result
from carebridge.interop.models import InboundMessage
from carebridge.interop.services.fhir import bundle_receive
from carebridge.interop.services.messages import message_replay
from carebridge.interop.tests.support.messages import MRN_SYSTEM

pytestmark = pytest.mark.django_db


def _bundle(visit):
    subject = {"reference": f"Patient?identifier={MRN_SYSTEM}|{visit.patient.mrn}"}
    observations = [
        ("GLU", "urn:carebridge:item", 5.6, "mmol/L"),
        ("XTG-99", "LOCAL-LIS", 1.1, "mmol/L"),  # unknown until its mapping is added
    ]
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "id": "lab-replay-1",
        "entry": [
            {
                "fullUrl": f"urn:uuid:o{i}",
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [{"system": system, "code": code}]},
                    "subject": subject,
                    "encounter": {"identifier": {"value": visit.number}},
                    "valueQuantity": {"value": value, "unit": unit},
                    "effectiveDateTime": "2025-03-12T07:20:00+08:00",
                },
                "request": {"method": "POST", "url": "Observation"},
            }
            for i, (code, system, value, unit) in enumerate(observations)
        ],
    }


@pytest.fixture
def failed(open_visit, lis):
    outcome = bundle_receive(body=_bundle(open_visit), actor=lis.account)
    assert outcome.status == 422 and "XTG-99" in outcome.issues[0]
    return InboundMessage.objects.get(channel="fhir")


def test_a_failed_bundle_is_in_the_dead_letter_list_and_replays_once_after_its_mapping(
    client, failed, admin_sun
):
    assert failed.status == "failed" and not Result.objects.exists()  # all or nothing
    client.force_login(admin_sun)
    assert "lab-replay-1" in client.get("/interop/").content.decode()
    detail = client.get(f"/interop/messages/{failed.pk}/").content.decode()
    assert f"/interop/messages/{failed.pk}/replay/" in detail

    triglycerides = Item.objects.get(code="TG")
    client.post(
        "/interop/mappings/",
        {"system": "LOCAL-LIS", "code": "XTG-99", "item": triglycerides.pk, "message": failed.pk},
    )
    client.post(f"/interop/messages/{failed.pk}/replay/")
    client.post(f"/interop/messages/{failed.pk}/replay/")  # a second click changes nothing

    failed.refresh_from_db()
    assert failed.status == "accepted" and failed.attempts == 2
    assert InboundMessage.objects.filter(channel="fhir").count() == 1
    assert Result.objects.filter(item=triglycerides).count() == 1
    assert Result.objects.filter(item__code="GLU").count() == 1
    assert "lab-replay-1" not in client.get("/interop/").content.decode()


def test_a_replay_that_still_fails_keeps_the_bundle_in_the_dead_letter_list(failed, admin_sun):
    replayed = message_replay(message=failed, actor=admin_sun)
    assert replayed.status == "failed" and "XTG-99" in replayed.error
    assert not Result.objects.exists()
    replayed.status = "accepted"
    replayed.save()
    with pytest.raises(ValidationError):
        message_replay(message=replayed, actor=admin_sun)
