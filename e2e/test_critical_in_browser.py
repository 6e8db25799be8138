"""Critical results in a real browser: a critical haemoglobin arrives (filed through ``result_record`` as
an HL7 result would be) → the notification appears on the queue page without a reload → the staff member
claims it, sees the script, records "reached with read-back" → it closes → the visit page, the individual
report the person opens, and the patient's timeline show "communicated to … read back"."""

from __future__ import annotations

import pytest
from django.utils import timezone

from carebridge.checkup.demo.install import catalogue_install
from carebridge.checkup.models import ReportRelease
from carebridge.checkup.services.reports import report_release
from carebridge.checkup.services.results import result_record, room_sign
from carebridge.checkup.services.review import visit_examiner_saw, visit_sign
from carebridge.checkup.services.visits import visit_book, visit_check_in, visit_leave
from carebridge.checkup.tests.factories import CentreFactory, CustomerFactory, PhoneFactory
from carebridge.core.tests.factories import PASSWORD, HospitalFactory, make_persona
from carebridge.critical.models import Notification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def centre(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    department = CentreFactory(hospital=hospital, code="CHKP")
    catalogue = catalogue_install(department=department)
    staff = make_persona("chen", "checkup_staff", hospital, departments=[department], first_name="晓梅")
    examiner = make_persona("he", "chief_examiner", hospital, departments=[department])
    person = CustomerFactory(hospital=hospital, name="王建国", sex="M")
    PhoneFactory(patient=person, number="13912345678")
    visit = visit_book(
        patient=person,
        department=department,
        scheduled_for=timezone.localdate(),
        actor=staff,
        extra_items=[catalogue.items["HGB"]],
    )
    visit = visit_check_in(visit=visit, actor=staff, arrived_fasting=True)
    return {"visit": visit, "staff": staff, "examiner": examiner, "order": visit.orders.get()}


def _log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def test_a_critical_result_is_notified_read_back_and_recorded(page, live_server, browser, centre):
    visit = centre["visit"]
    page.set_default_timeout(60_000)  # a shared, loaded machine: the first request compiles templates
    _log_in(page, live_server, "chen")
    page.goto(live_server.url + "/critical/")
    assert visit.number not in page.locator("#critical-queue").inner_text()
    page.evaluate("window.__notReloaded = true")

    # The result arrives (as the HL7 intake files it) while the page is open.
    result_record(order=centre["order"], value="72", actor=None, source="hl7", source_key="MSG-1|OBX-1")
    row = page.locator("#critical-queue-rows tr", has_text=visit.number)
    row.wait_for(timeout=60_000)
    assert page.evaluate("window.__notReloaded === true")  # it came without a reload
    assert "血红蛋白" in row.inner_text()

    with page.expect_navigation():
        row.locator("button.claim-button").click()
    script = page.locator("#call-script").inner_text()
    assert "72" in script and "130–175" in script
    assert "139****5678" in page.locator("#contacts").inner_text()

    page.select_option("#id_step", "person")
    page.fill("#id_number", "13912345678")
    page.select_option("#id_outcome", "read_back")
    page.fill("#id_answered_by", "王建国本人")
    page.fill("#id_read_back", "血红蛋白72克每升，尽快复查")
    page.fill("#id_advice", "尽快在就近医院复查血常规，排除出血")
    with page.expect_navigation():
        page.locator("#attempt-form button[type=submit]").click()
    notification = Notification.objects.get(visit=visit)
    assert notification.status == "read_back" and notification.read_back_to == "王建国本人"
    assert page.locator("#communication").is_visible()
    assert page.locator("#attempts tbody tr").count() == 1

    # The visit page shows the record beside the result.
    page.goto(f"{live_server.url}/checkup/visits/{visit.pk}/")
    assert "王建国本人" in page.locator("#visit-notes").inner_text()

    # The patient's timeline.
    page.goto(f"{live_server.url}/patients/{visit.patient_id}/")
    assert "王建国本人" in page.content()

    # The individual report the person opens from the link.
    examiner = centre["examiner"]
    room_sign(visit=visit, room=centre["order"].item.room, actor=centre["staff"])
    visit_leave(visit=visit, actor=centre["staff"])
    visit_examiner_saw(visit=visit, actor=examiner)
    visit_sign(visit=visit, actor=examiner, summary="血红蛋白明显降低，已电话通知本人复查。")
    report_release(visit=visit, actor=examiner, send_sms=False)
    token = ReportRelease.objects.get(visit=visit).token
    phone = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN").new_page()
    phone.goto(f"{live_server.url}/r/{token}/")
    assert "王建国本人" in phone.locator("#report-page").inner_text()
    phone.context.close()
