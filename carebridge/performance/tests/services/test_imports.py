"""Hand-entered figures imported from Excel: all rows stored, or none with every bad row's reason."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from carebridge.performance.models import KpiEntry
from carebridge.performance.services.imports import kpi_entries_import
from carebridge.performance.services.scorecards import kpi_create
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db


def _sheet(*rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["KPI code", "month", "value", "numerator", "denominator", "note"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


@pytest.fixture
def card(admin_sun, hospital):
    kpi_create(actor=admin_sun, code="hr_attendance", name="出勤率", aggregation="mean")
    return build_scorecard(
        actor=admin_sun,
        hospital=hospital,
        kpis={"hr_attendance": {"target": 98, "minimum": 90}, "complaints_in_time": {}},
    )


def test_a_good_sheet_is_stored_as_imported_figures(admin_sun, card):
    count = kpi_entries_import(
        actor=admin_sun,
        scorecard=card,
        upload=_sheet(("hr_attendance", "2026-01", 97.5), ("hr_attendance", "2026-02", "96")),
    )
    assert count == 2
    assert list(KpiEntry.objects.order_by("month").values_list("value", "source")) == [
        (97.5, "imported"),
        (96, "imported"),
    ]


def test_a_sheet_with_a_bad_row_is_refused_whole_with_each_reason(admin_sun, card):
    upload = _sheet(
        ("hr_attendance", "2026-01", 97.5),
        ("complaints_in_time", "2026-01", 90),
        ("hr_attendance", "January", 90),
        ("hr_attendance", "2026-02", "n/a"),
    )
    with pytest.raises(ValidationError) as refused:
        kpi_entries_import(actor=admin_sun, scorecard=card, upload=upload)
    assert refused.value.messages == [
        "Row 3: “complaints_in_time” is computed by the platform.",
        "Row 4: the month must read YYYY-MM.",
        "Row 5: the value must be a number.",
    ]
    assert not KpiEntry.objects.exists()
