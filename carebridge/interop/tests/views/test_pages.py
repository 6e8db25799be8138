"""The interface pages (issue #12): a failed message appears in the dead-letter list with its reason and
its identifiers masked; after its mapping is added on the page, a replay files it once; people without
the permission see nothing."""

from __future__ import annotations

import pytest

from carebridge.checkup.models import Item, Result
from carebridge.interop.models import InboundMessage
from carebridge.interop.services.messages import hl7_receive
from carebridge.interop.tests.support.messages import oru
from carebridge.patients.models import PatientAccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(open_visit, lis):
    visit = open_visit
    customer = visit.patient
    text = oru(
        control_id="R7",
        mrn=customer.mrn,
        visit=visit.number,
        observations=[("XTG-99", "LOCAL-LIS", "1.1", "mmol/L")],
    )
    hl7_receive(raw=text.encode())
    return InboundMessage.objects.get(control_id="R7")


def test_a_failed_message_is_in_the_dead_letter_list_masked_and_replays_once_after_its_mapping(
    client, failed, admin_sun
):
    client.force_login(admin_sun)
    # The row's link to the message, not the bare control id: "R7" can stand in a random CSRF token.
    row = f'href="/interop/messages/{failed.pk}/">R7</a>'
    listing = client.get("/interop/").content.decode()
    assert row in listing and "XTG-99" in listing

    detail = client.get(f"/interop/messages/{failed.pk}/").content.decode()
    assert "139****5678" in detail and "13912345678" not in detail
    assert PatientAccessLog.objects.get(user=admin_sun).patient.name == "王建国"

    triglycerides = Item.objects.get(code="TG")
    response = client.post(
        "/interop/mappings/",
        {"system": "LOCAL-LIS", "code": "XTG-99", "item": triglycerides.pk, "message": failed.pk},
    )
    assert response.status_code == 302
    client.post(f"/interop/messages/{failed.pk}/replay/")
    client.post(f"/interop/messages/{failed.pk}/replay/")  # a second click changes nothing

    failed.refresh_from_db()
    assert failed.status == "accepted" and Result.objects.filter(item=triglycerides).count() == 1
    assert row not in client.get("/interop/").content.decode()
    assert row in client.get("/interop/?view=all").content.decode()


def test_people_without_the_permission_see_nothing(client, failed, clinician_zhou):
    client.force_login(clinician_zhou)
    assert client.get("/interop/").status_code == 403
    assert client.get(f"/interop/messages/{failed.pk}/").status_code == 403
    client.post(f"/interop/messages/{failed.pk}/replay/")
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_checkup_staff_preview_and_import_a_result_file(client, open_visit, staff_chen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        f"mrn,visit_number,code,value,unit\n{open_visit.patient.mrn},{open_visit.number},GLU,5.6,mmol/L\n"
    )
    client.force_login(staff_chen)

    preview = client.post(
        "/interop/import/", {"file": SimpleUploadedFile("r.csv", content.encode()), "preview": "1"}
    )
    assert preview.status_code == 200 and "table-success" in preview.content.decode()
    assert not Result.objects.exists()

    client.post("/interop/import/", {"file": SimpleUploadedFile("r.csv", content.encode()), "import": "1"})
    assert Result.objects.get().item.code == "GLU"
