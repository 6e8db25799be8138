"""Pages: the queue and its self-refreshing rows, claim → the notification page (script, masked contacts,
reveal with reason), recording a read-back, the record on the visit page, the individual report and the
patient's timeline; the dashboard's numbers drill to their rows; the export is escaped Excel; an outsider
sees nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from carebridge.checkup.exports import report_data, report_html
from carebridge.checkup.tests.support.people import record
from carebridge.critical.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def notification(visit, staff_chen):
    record(visit, "HGB", "75", staff_chen)
    return Notification.objects.get()


def _read_back(client, notification):
    return client.post(
        reverse("critical:attempt", args=[notification.pk]),
        {
            "step": "person",
            "number": "13912345678",
            "outcome": "read_back",
            "answered_by": "王建国本人",
            "read_back": "血红蛋白75",
            "advice": "就近复查血常规",
        },
    )


def test_the_queue_rows_show_a_new_notification_without_the_page(client, staff_chen, visit):
    client.force_login(staff_chen)
    page = client.get(reverse("critical:queue")).content.decode()
    assert 'hx-get="/critical/rows/"' in page and "every 3s" in page
    assert visit.number not in page
    record(visit, "HGB", "75", staff_chen)
    rows = client.get(reverse("critical:queue_rows")).content.decode()
    assert visit.number in rows and "血红蛋白 &lt; 90 g/L" in rows and "<html" not in rows


def test_claim_opens_the_script_with_masked_contacts_and_the_reveal_is_logged(
    client, staff_chen, notification
):
    client.force_login(staff_chen)
    response = client.post(reverse("critical:claim", args=[notification.pk]))
    assert response.status_code == 302 and response.url == reverse(
        "critical:notification", args=[notification.pk]
    )
    page = client.get(response.url).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert "75 g/L" in page and "115–150" not in page  # a man: 130–175
    assert "130–175" in page and "尽快复查血常规" in page
    revealed = client.post(reverse("critical:reveal", args=[notification.pk]), {"reason": "危急值通知"})
    assert "13912345678" in revealed.content.decode()
    refused = client.post(reverse("critical:reveal", args=[notification.pk]), {"reason": ""})
    assert refused.status_code == 400 and "13912345678" not in refused.content.decode()


def test_a_read_back_closes_and_the_record_shows_on_visit_report_and_timeline(
    client, staff_chen, notification, visit
):
    client.force_login(staff_chen)
    client.post(reverse("critical:claim", args=[notification.pk]))
    response = _read_back(client, notification)
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == "read_back"
    visit_page = client.get(reverse("checkup:visit_detail", args=[visit.pk])).content.decode()
    assert 'id="visit-notes"' in visit_page and "Communicated to 王建国本人" in visit_page
    assert "bi-telephone-forward" in visit_page  # beside the result
    assert "王建国本人" in report_html(report_data(visit, user=None))
    timeline = client.get(reverse("patients:detail", args=[visit.patient_id])).content.decode()
    assert "Communicated to 王建国本人" in timeline


def test_an_incomplete_read_back_is_refused_with_the_form_and_nothing_changes(
    client, staff_chen, notification
):
    client.force_login(staff_chen)
    response = client.post(
        reverse("critical:attempt", args=[notification.pk]),
        {"step": "person", "number": "139", "outcome": "read_back"},
    )
    assert response.status_code == 400 and "Say who answered." in response.content.decode()
    assert not notification.attempts.exists()


def test_an_outsider_sees_no_queue_and_no_notification(client, clinician_zhou, notification):
    client.force_login(clinician_zhou)
    assert notification.visit.number not in client.get(reverse("critical:queue_rows")).content.decode()
    assert client.get(reverse("critical:notification", args=[notification.pk])).status_code == 404


def test_the_dashboard_counts_and_drills_to_the_rows(client, staff_chen, notification):
    client.force_login(staff_chen)
    page = client.get(reverse("critical:dashboard")).content.decode()
    assert 'href="/critical/notifications/?class=A">1<' in page
    assert "?rule=HB-LOW" in page
    rows = client.get(reverse("critical:list"), {"class": "A"}).content.decode()
    assert notification.visit.number in rows
    assert (
        notification.visit.number not in client.get(reverse("critical:list"), {"class": "B"}).content.decode()
    )


def test_the_export_is_an_excel_file_with_formula_cells_escaped(client, staff_chen, notification):
    Notification.objects.filter(pk=notification.pk).update(read_back_to="=HYPERLINK(1)")
    client.force_login(staff_chen)
    response = client.get(reverse("critical:dashboard_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == notification.visit.number and rows[1][1] == "王**"
    assert rows[1][10] == "'=HYPERLINK(1)"


def test_an_escalated_notification_says_so_in_the_queue(client, staff_chen, notification, clock):
    import datetime as dt

    from carebridge.critical.tasks import notifications_escalate

    client.force_login(staff_chen)
    assert "Escalated to the supervisor" not in client.get(reverse("critical:queue_rows")).content.decode()
    clock.shift(dt.timedelta(minutes=16))
    notifications_escalate()
    rows = client.get(reverse("critical:queue_rows")).content.decode()
    assert "Escalated to the supervisor" in rows and "Overdue" in rows
