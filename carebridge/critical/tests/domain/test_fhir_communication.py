"""The record served as FHIR R4 ``Communication``: validated with ``fhir.resources`` (R4B)."""

from __future__ import annotations

import pytest

from carebridge.checkup.tests.support.people import record
from carebridge.critical.exports import communication_fhir
from carebridge.critical.models import Notification
from carebridge.critical.services.attempts import attempt_record

pytestmark = pytest.mark.django_db


def test_a_read_back_is_a_completed_communication_about_the_observation(visit, staff_chen):
    from fhir.resources.R4B.communication import Communication

    result = record(visit, "HGB", "70", staff_chen)
    notification = Notification.objects.get()
    assert communication_fhir(notification)["status"] == "in-progress"
    attempt_record(
        notification=notification,
        actor=staff_chen,
        step="person",
        outcome="read_back",
        number="13912345678",
        answered_by="王建国本人",
        read_back="Hb 70",
        advice="复查",
    )
    notification.refresh_from_db()
    resource = communication_fhir(notification)
    Communication.parse_obj(resource)  # a valid R4B resource
    assert resource["status"] == "completed" and resource["priority"] == "stat"
    assert resource["about"] == [{"reference": f"Observation/{result.pk}"}]
    assert "王建国本人" in resource["payload"][0]["contentString"]
    assert "13912345678" not in str(resource)
