"""The individual report: released through a one-time link (release time recorded, SMS through the
outbox), and a Chinese PDF with results, ranges, flags, conclusions, advice, the health prescription and
trend charts over the person's earlier visits."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from carebridge.checkup.exports import report_data, report_html, report_pdf
from carebridge.checkup.models import ReportRelease
from carebridge.checkup.services.reports import ReportLinkRefused, report_open, report_release
from carebridge.checkup.tests.conftest import MORNING
from carebridge.checkup.tests.support.people import examined, signed
from carebridge.core.models import OutboxMessage
from carebridge.core.tests.support.pdf import characters, streams

pytestmark = pytest.mark.django_db

FIRST = {"GLU": "5.4", "TC": "4.8", "BMI": "23.1", "SBP": "126", "USABD": "normal"}
THEN = {"GLU": "6.0", "TC": "5.6", "BMI": "24.8", "SBP": "134", "USABD": "normal"}
NOW = {"GLU": "6.6", "TC": "6.3", "BMI": "26.2", "SBP": "142", "USABD": "fatty_liver"}


@pytest.fixture
def three_years(site):
    """The same man examined in 2023, 2024 and now: trends exist."""
    visits = []
    for years_ago, values in ((2, FIRST), (1, THEN), (0, NOW)):
        site.clock.move_to(MORNING - dt.timedelta(days=365 * years_ago))
        visit = examined(
            centre=site.centre,
            actor=site.staff,
            catalogue=site.catalogue,
            values=values,
            patient=site.customer,
        )
        visits.append(signed(visit=visit, examiner=site.examiner))
    return visits


def test_release_records_the_time_and_sends_a_one_time_link_by_sms(three_years, examiner_he):
    visit = three_years[-1]
    release = report_release(visit=visit, actor=examiner_he)
    visit.refresh_from_db()
    assert visit.status == "released" and visit.released_at == release.released_at
    assert len(release.token) >= 40 and release.sent_to == "13912345678"
    message = OutboxMessage.objects.get(kind="checkup.report_link")
    assert release.token in message.text and message.to == "13912345678"


def test_the_link_opens_once(three_years, examiner_he):
    release = report_release(visit=three_years[-1], actor=examiner_he)
    assert report_open(token=release.token).opened_at is not None
    with pytest.raises(ReportLinkRefused) as refused:
        report_open(token=release.token)
    assert refused.value.reason == "used"


def test_a_new_link_revokes_the_unopened_one(three_years, examiner_he):
    first = report_release(visit=three_years[-1], actor=examiner_he)
    second = report_release(visit=three_years[-1], actor=examiner_he)
    with pytest.raises(ReportLinkRefused, match="revoked"):
        report_open(token=first.token)
    assert report_open(token=second.token).pk == second.pk


def test_an_unopened_link_expires(three_years, examiner_he, clock):
    release = report_release(visit=three_years[-1], actor=examiner_he)
    clock.shift(dt.timedelta(days=31))
    with pytest.raises(ReportLinkRefused, match="expired"):
        report_open(token=release.token)


def test_an_unsigned_visit_cannot_be_released(site):
    visit = examined(
        centre=site.centre, actor=site.staff, catalogue=site.catalogue, values=FIRST, patient=site.customer
    )
    with pytest.raises(ValidationError):
        report_release(visit=visit, actor=site.examiner)
    assert not ReportRelease.objects.exists()


def test_the_report_shows_results_ranges_flags_advice_prescription_and_trends(three_years):
    report = report_data(three_years[-1], user=None)
    html = report_html(report)
    assert "空腹血糖" in html and "6.60 mmol/L" in html and "3.9–6.1" in html
    assert "脂肪肝" in html and "控制体重" in html  # a conclusion line, its advice and the prescription
    assert html.count("<svg") >= 4  # glucose, cholesterol, BMI, blood pressure over three years
    trend = next(t for t in report.trends if t.item_name == "空腹血糖")
    assert [str(p.value) for p in trend.points] == ["5.4000", "6.0000", "6.6000"]


def test_the_pdf_renders_chinese_the_trends_and_the_advice(three_years):
    pdf = report_pdf(report_data(three_years[-1], user=None))
    assert pdf.startswith(b"%PDF")
    everything = pdf + b"".join(streams(pdf))
    assert b"NotoSansCJK" in everything and b"/FontFile" in everything
    found = characters(pdf)
    for phrase in ("王建国", "空腹血糖", "脂肪肝", "控制体重减肥", "戒烟限酒"):
        assert set(phrase) <= found, phrase
    pages = b"".join(streams(pdf))
    assert re.search(rb"0\.12\d* 0\.37\d* 0\.65\d* (RG|rg)", pages)  # the trend line's blue (#1f5fa8)
