"""The person opens the report from the one-time link on a phone: the first opening works (and the PDF
from that page), a second browser with the same link sees a page that says why it shows nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from carebridge.checkup.services.reports import report_release
from carebridge.checkup.tests.support.pages import visible_text
from carebridge.checkup.tests.support.people import examined, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(site):
    visit = examined(
        centre=site.centre,
        actor=site.staff,
        catalogue=site.catalogue,
        values={"GLU": "6.4", "BMI": "25.2"},
        patient=site.customer,
    )
    return report_release(visit=signed(visit=visit, examiner=site.examiner), actor=site.examiner)


def test_the_first_opening_shows_the_report_and_its_pdf(release):
    phone = Client()
    page = phone.get(f"/r/{release.token}/")
    assert (
        page.status_code == 200 and page["X-Robots-Tag"] == "noindex" and "no-store" in page["Cache-Control"]
    )
    text = visible_text(page.content.decode())
    assert "王建国" in text and "空腹血糖" in text and "空腹血糖受损" in text
    assert phone.get(f"/r/{release.token}/").status_code == 200  # the same phone may reload
    pdf = phone.get(f"/r/{release.token}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    release.refresh_from_db()
    assert release.opened_at is not None


def test_the_link_works_once_only(release):
    Client().get(f"/r/{release.token}/")
    other = Client().get(f"/r/{release.token}/")
    assert other.status_code == 410 and "王建国" not in other.content.decode()
    assert Client().get(f"/r/{release.token}/report.pdf").status_code == 410


def test_an_unknown_token_is_a_plain_404(db):
    assert Client().get("/r/not-a-token/").status_code == 404
