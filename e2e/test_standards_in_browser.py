"""双创 inspection in a real browser: the inspector records a finding with a photo on the round's page →
it is assigned to the orthopaedics head, who finds it on "my findings", rectifies it with a photo of the
cleaned place → the inspector verifies it on the spot."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from PIL import Image

from carebridge.core.tests.factories import PASSWORD, DepartmentFactory, HospitalFactory, make_persona
from carebridge.performance.choices import FindingStatus, PhotoStage, RoundKind
from carebridge.performance.models import Finding, InspectionArea
from carebridge.performance.services.inspections import round_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "gray").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def inspection(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    hospital = HospitalFactory(name="连心桥示范医院")
    orthopaedics = DepartmentFactory(hospital=hospital, code="ORTH", name="骨科")
    inspector = make_persona("qian", "quality_officer", hospital)
    make_persona("guo", "dept_head", hospital, departments=[orthopaedics])
    area = InspectionArea.objects.create(
        hospital=hospital, name="骨科病区", department=orthopaedics, checklist=["地面"]
    )
    return round_create(
        hospital_id=hospital.pk,
        kind=RoundKind.TUESDAY,
        held_on=timezone.localdate(),
        actor=inspector,
        areas=[area],
    )


def _log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def test_inspector_records_head_rectifies_inspector_verifies(page, live_server, browser, inspection):
    page.set_default_timeout(60_000)  # a shared, loaded machine
    photo = {"name": "floor.png", "mimeType": "image/png", "buffer": _png()}

    _log_in(page, live_server, "qian")
    page.goto(f"{live_server.url}/performance/inspections/{inspection.pk}/")
    page.select_option("#id_area", label="骨科病区")
    page.fill("#id_description", "楼道堆放杂物")
    page.set_input_files("#id_photos", files=[photo])
    with page.expect_navigation():
        page.locator("#record-finding").click()
    assert "楼道堆放杂物" in page.locator("#round-findings").inner_text()
    finding = Finding.objects.get()
    assert finding.responsible.username == "guo"
    assert finding.photos.get().stage == PhotoStage.FINDING

    head = browser.new_context(viewport={"width": 1366, "height": 900})
    head_page = head.new_page()
    head_page.set_default_timeout(60_000)
    _log_in(head_page, live_server, "guo")
    head_page.goto(f"{live_server.url}/performance/findings/mine/")
    with head_page.expect_navigation():
        head_page.locator("#my-findings a", has_text="楼道堆放杂物").click()
    head_page.fill("#id_note", "已清理，设置物品存放区")
    head_page.set_input_files("#id_photos", files=[{**photo, "name": "after.png"}])
    with head_page.expect_navigation():
        head_page.locator("#rectify").click()
    head.close()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFIED

    page.goto(f"{live_server.url}/performance/findings/{finding.pk}/")
    assert page.locator("#photos img").count() == 2
    page.select_option("#id_decision", "accept")
    with page.expect_navigation():
        page.locator("#verify").click()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.VERIFIED
    assert finding.verified_by.username == "qian"
    assert page.locator("#verify").count() == 0
