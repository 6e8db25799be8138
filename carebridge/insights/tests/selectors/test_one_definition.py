"""One definition of each number (issue #10): the benchmark page and the monthly report give a
department the same adjusted score, and the report and the overview the same response rate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from carebridge.insights.domain.analysis.benchmark import unit_scores
from carebridge.insights.domain.analysis.common import number
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.selectors.analysis.frame import load_frame
from carebridge.insights.selectors.analysis.selection import responses_for
from carebridge.insights.selectors.report_document import build_report
from carebridge.insights.tests.support.report_data import MONTH
from carebridge.surveys.models import Invitation

pytestmark = pytest.mark.django_db

OCTOBER = {"date_from": dt.date(2026, 10, 1), "date_to": dt.date(2026, 10, 31)}


def test_the_benchmark_and_the_report_give_a_department_the_same_adjusted_score(
    client, report_data, executive_zhao
):
    report = build_report(user=executive_zhao, month=MONTH)
    rows = {row.department_id: row for row in report.departments.rows}
    cardiology = rows[report_data.departments["CARD"].pk]
    # Cardiology's patients are the oldest: adjusting for age moves its score down by points.
    assert cardiology.raw is not None and cardiology.adjusted is not None
    assert cardiology.adjusted < cardiology.raw.mean - 1

    selection = Selection(instrument_id=report_data.instrument.pk, **OCTOBER)
    scores = unit_scores(load_frame(responses_for(user=executive_zhao, selection=selection)))
    assert scores.adjusted[cardiology.department_id] == cardiology.adjusted
    assert {d: scores.adjusted[d] for d in rows} == {d: row.adjusted for d, row in rows.items()}

    client.force_login(executive_zhao)
    query = {"instrument": report_data.instrument.pk, **{k: v.isoformat() for k, v in OCTOBER.items()}}
    page = client.get(reverse("insights:benchmark"), query).context["result"]
    shown = {unit["key"]: unit["adjusted"] for unit in page["units"]}
    assert shown[cardiology.department_id] == number(cardiology.adjusted, 2)


def test_the_report_and_the_overview_show_the_same_response_rate(client, report_data, executive_zhao):
    wave, cardiology = report_data.wave, report_data.departments["CARD"]
    # Besides 180 completed and 20 sent: 5 failed deliveries count as sent, 3 waiting and 2 withdrawn
    # invitations do not (the overview used to leave failed deliveries out, the report did not).
    for i, status in enumerate(["failed"] * 5 + ["pending"] * 3 + ["withdrawn"] * 2):
        Invitation.objects.create(
            wave=wave,
            token=f"tok-rate-{i}",
            status=status,
            channel="sms",
            department=cardiology,
            send_after=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
            expires_at=dt.datetime(2026, 10, 15, tzinfo=dt.UTC),
        )
    report = build_report(user=executive_zhao, month=MONTH)
    client.force_login(executive_zhao)
    overview = client.get(
        reverse("insights:overview"), {"instrument": report_data.instrument.pk, "wave": wave.pk}
    )
    shown = overview.context["response_rate"]
    assert report.response_rate == shown["rate"] == 180 / 205
    assert (shown["completed"], shown["reached"]) == (180, 205)
    assert [(r.completed, r.sent) for r in report.rates] == [(180, 205)]
