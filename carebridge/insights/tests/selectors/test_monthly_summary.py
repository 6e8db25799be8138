"""The dashboard aggregate of the monthly report: a month with a single answer has no SD (it used to
crash SQLite's STDDEV_SAMP and with it the report of every department head), and the SD of a month with
many answers is the sample SD (n − 1), as R's ``sd()`` gives it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from carebridge.insights.selectors.report import monthly_summary
from carebridge.surveys.models import Response

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")


def _single_august_answer(report_data) -> Response:
    first = Response.objects.filter(department=report_data.departments["PEDI"]).order_by("id").first()
    assert first is not None
    first.pk = None
    first.invitation = None
    first.submitted_at = dt.datetime(2026, 8, 10, 2, tzinfo=dt.UTC)
    first.save()
    return first


def test_a_month_of_one_answer_has_no_sd_and_the_others_the_sample_sd(report_data):
    single = _single_august_answer(report_data)
    cells = monthly_summary(
        responses=Response.objects.all(),
        start=dt.datetime(2026, 7, 31, 16, tzinfo=dt.UTC),
        end=dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC),
        zone=ZONE,
        by_department=True,
    )
    august = [c for c in cells if c.month == dt.date(2026, 8, 1)]
    assert [(c.department_id, c.n, c.sd, c.ci) for c in august] == [
        (report_data.departments["PEDI"].pk, 1, None, None)
    ]
    assert august[0].mean == pytest.approx(single.score)
    october_pedi = next(
        c
        for c in cells
        if c.month == dt.date(2026, 10, 1) and c.department_id == report_data.departments["PEDI"].pk
    )
    scores = list(
        Response.objects.filter(
            department=report_data.departments["PEDI"],
            submitted_at__gte=dt.datetime(2026, 9, 30, 16, tzinfo=dt.UTC),
            submitted_at__lt=dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC),
        ).values_list("score", flat=True)
    )
    assert october_pedi.n == len(scores) == 60
    assert october_pedi.sd == pytest.approx(float(np.std(scores, ddof=1)), rel=1e-9)
