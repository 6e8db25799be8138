"""Follow-up KPIs: every figure on the dashboard is a count over the list it drills into, the definitions hold
when recomputed by hand, and the scope decides which plans count.

The fixture is generated: the demo hospital's organisation, a few hundred patients and the follow-up demo
step (18 months of plans, touchpoints and calls), plus discharge surveys linked to some stays."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from html import unescape

import pytest
from django.db.models import Count
from openpyxl import load_workbook

from carebridge.core.demo.steps import DemoContext
from carebridge.core.models import Department, Hospital
from carebridge.followup.choices import TouchpointKind, TouchpointStatus
from carebridge.followup.demo.loader import demo_now, seed_followup
from carebridge.followup.models import CarePlan, Touchpoint
from carebridge.followup.selectors import kpis
from carebridge.followup.tests.support.clients import client_for
from carebridge.patients.demo.loader import seed_organisation, seed_patients
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 10, 20)


def _responses(seed: int) -> None:
    """Discharge surveys for about 60% of the discharged stays (index 0–100, recommend 0–10), and one
    anonymous response that must never count."""
    from carebridge.surveys.models import Instrument, InstrumentVersion, Response

    rng = random.Random(seed)  # noqa: S311 - deterministic test data
    hospital = Hospital.objects.get(code="lxq-demo")
    instrument = Instrument.objects.create(
        hospital=hospital, code="inpatient", name="住院患者体验", kind="inpatient"
    )
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=1, status="published", definition={}, content_hash="x" * 64
    )
    rows = []
    for plan in CarePlan.objects.filter(discharged_at__isnull=False).select_related("encounter"):
        if rng.random() < 0.6:
            answers = {"q1": 4}
            if rng.random() < 0.9:
                answers["recommend"] = rng.choice((3, 6, 7, 8, 9, 9, 10, 10))
            rows.append(
                Response(
                    hospital=plan.hospital,
                    version=version,
                    patient=plan.patient,
                    encounter=plan.encounter,
                    department=plan.department,
                    mode="web",
                    answers=answers,
                    score=rng.uniform(55, 100) if rng.random() < 0.95 else None,
                    submitted_at=plan.discharged_at + dt.timedelta(days=3),
                )
            )
    rows.append(
        Response(
            hospital=hospital,
            version=version,
            mode="web",
            answers={"recommend": 0},
            score=0,
            submitted_at=demo_now(AS_OF) - dt.timedelta(days=30),
        )
    )
    Response.objects.bulk_create(rows)


@pytest.fixture
def generated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # demo users, fast
    context = DemoContext(seed=11, as_of=AS_OF, patients=320, rng=random.Random(11), log=lambda _m: None)  # noqa: S311 - deterministic test data
    seed_organisation(context)
    seed_patients(context)
    seed_followup(context)
    _responses(11)
    return context


def _period(months: int = 18) -> kpis.Period:
    now = demo_now(AS_OF)
    return kpis.default_period(zone="Asia/Shanghai", now=now, months=months)


def _quality_officer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="quality_officer")


def test_every_kpi_in_every_group_equals_a_count_over_the_rows_it_drills_into(generated):
    user = _quality_officer()
    plans = kpis.kpi_plans(user=user)
    period = _period()
    checked = 0
    for by in kpis.DIMENSIONS:
        table = kpis.kpi_table(plans=plans, period=period, by=by)
        assert table
        # several groups per dimension: the largest, the smallest and a few in between
        groups = sorted(table, key=lambda r: -sum(c.denominator for c in r.cells.values()))
        for row in groups[:4] + groups[-2:]:
            for code, cell in row.cells.items():
                spec = kpis.KPIS[code]
                den = kpis.kpi_rows(plans=plans, period=period, kpi=code, part="den", by=by, key=row.key)
                assert den.count() == cell.denominator, (by, row.key, code)
                if spec.is_mean:
                    scores = [r.score for r in den]
                    mean = sum(scores) / len(scores) if scores else None
                    assert cell.mean == pytest.approx(mean), (by, row.key, code)
                else:
                    num = kpis.kpi_rows(plans=plans, period=period, kpi=code, part="num", by=by, key=row.key)
                    assert num.count() == cell.numerator, (by, row.key, code)
                    assert set(num.values_list("pk", flat=True)) <= set(den.values_list("pk", flat=True))
                if spec.has_detractors:
                    det = kpis.kpi_rows(plans=plans, period=period, kpi=code, part="det", by=by, key=row.key)
                    assert det.count() == cell.detractors
                checked += 1
    totals = kpis.kpi_totals(plans=plans, period=period)
    for code, cell in totals.items():
        assert kpis.kpi_rows(plans=plans, period=period, kpi=code).count() == cell.denominator
        # the groups of a dimension partition the whole: the month rows add up to the total
        by_month = kpis.kpi_table(plans=plans, period=period, by="month", codes=[code])
        assert sum(r.cells[code].denominator for r in by_month) == cell.denominator
    assert checked > 150
    assert totals["followup_A"].denominator > 20 and totals["satisfaction"].denominator > 20


def test_the_figures_match_their_definitions_recomputed_by_hand(generated):
    user = _quality_officer()
    period = _period(12)
    plans = kpis.kpi_plans(user=user)
    totals = kpis.kpi_totals(plans=plans, period=period)
    start, end, now = period.start, period.end, period.now
    for tier in "ABC":
        due = [
            t
            for t in Touchpoint.objects.filter(
                kind=TouchpointKind.FOLLOW_UP_CALL, tier=tier, plan__hospital__code="lxq-demo"
            )
            if start <= t.due_at < end and t.due_at <= now and t.status not in ("cancelled", "skipped")
        ]
        on_time = [t for t in due if t.status == "done" and t.completed_at <= t.due_at]
        assert (totals[f"followup_{tier}"].denominator, totals[f"followup_{tier}"].numerator) == (
            len(due),
            len(on_time),
        )
    discharged = [
        p
        for p in CarePlan.objects.filter(hospital__code="lxq-demo")
        if p.discharged_at and start <= p.discharged_at < end
    ]
    three = [p for p in discharged if p.touchpoints.filter(status=TouchpointStatus.DONE).count() >= 3]
    assert (totals["three_comms"].denominator, totals["three_comms"].numerator) == (
        len(discharged),
        len(three),
    )
    returned = [
        p
        for p in discharged
        if Encounter.objects.filter(
            patient=p.patient,
            department=p.department,
            started_at__gt=p.discharged_at,
            started_at__lte=p.discharged_at + dt.timedelta(days=365),
        ).exists()
    ]
    assert totals["returning"].numerator == len(returned)


def test_the_dashboard_page_links_every_figure_to_a_list_of_that_many_rows(generated):
    client = client_for(_quality_officer())
    response = client.get("/followup/kpis/", {"start": "2025-05", "end": "2026-10", "by": "ward"})
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'<a href="([^"]+)" data-part="(num|den|det)">−?(\d+)</a>', html)
    assert len(links) > 100
    for href, _part, shown in random.Random(3).sample(links, 25):  # noqa: S311 - deterministic test data
        page = client.get(unescape(href))
        assert page.status_code == 200
        count = re.search(r'<p id="row-count"><strong>(\d+)', page.content.decode())
        assert count is not None and count.group(1) == shown, href


def test_the_excel_export_has_a_row_per_ward_with_numerators_and_denominators(generated):
    client = client_for(_quality_officer())
    response = client.get("/followup/kpis/export/", {"start": "2025-05", "end": "2026-10", "by": "ward"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Ward", "Follow-up rate, tier A", "numerator", "denominator"]
    table = kpis.kpi_table(
        plans=kpis.kpi_plans(user=_quality_officer()),
        period=kpis.Period(
            first=dt.date(2025, 5, 1),
            last=dt.date(2026, 10, 1),
            zone="Asia/Shanghai",
            now=dt.datetime.now(dt.UTC),
        ),
        by="ward",
    )
    assert sheet.max_row == len(table) + 1
    first = table[0].cells["followup_A"]
    assert [sheet.cell(2, 3).value, sheet.cell(2, 4).value] == [first.numerator, first.denominator]


def test_a_ward_manager_sees_only_the_plans_of_their_departments(generated):
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username="ward_manager")  # 儿科 + 新生儿科
    own = set(
        Department.objects.filter(code__in=("PEDI", "NEON"), hospital__code="lxq-demo").values_list(
            "pk", flat=True
        )
    )
    plans = kpis.kpi_plans(user=manager)
    assert plans.exists() and set(plans.values_list("department_id", flat=True)) <= own
    table = kpis.kpi_table(plans=plans, period=_period(), by="department")
    assert {row.label for row in table} <= {"儿科", "新生儿科"}
    rows = kpis.kpi_rows(plans=plans, period=_period(), kpi="contact")
    assert set(rows.values_list("plan__department_id", flat=True)) <= own
    page = client_for(manager).get(
        "/followup/kpis/rows/", {"kpi": "contact", "start": "2025-05", "end": "2026-10"}
    )
    assert "骨科" not in page.content.decode()


def test_leaders_see_the_figures_and_the_lists_without_any_patient(generated):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    executive = User.objects.get(username="executive")
    client = client_for(executive)
    assert client.get("/followup/kpis/", {"start": "2025-05", "end": "2026-10"}).status_code == 200
    page = client.get("/followup/kpis/rows/", {"kpi": "three_comms", "start": "2025-05", "end": "2026-10"})
    html = page.content.decode()
    names = CarePlan.objects.values_list("patient__name", flat=True)[:50]
    assert page.status_code == 200 and "#" in html
    assert not any(name in html for name in names)
    assert "/followup/customers/" not in html
    api = client.get(
        "/api/v1/followup/kpis/rows/", {"kpi": "three_comms", "start": "2025-05", "end": "2026-10"}
    )
    assert (
        api.status_code == 200
        and api.json()["results"]
        and all(r["patient"] is None for r in api.json()["results"])
    )
    for username in ("agent", "clinician"):
        assert client_for(User.objects.get(username=username)).get("/followup/kpis/").status_code == 403


def test_the_api_returns_the_dashboard_figures(generated):
    client = client_for(_quality_officer())
    data = client.get("/api/v1/followup/kpis/", {"start": "2025-05", "end": "2026-10", "by": "month"}).json()
    totals = kpis.kpi_totals(
        plans=kpis.kpi_plans(user=_quality_officer()),
        period=kpis.Period(
            first=dt.date(2025, 5, 1),
            last=dt.date(2026, 10, 1),
            zone="Asia/Shanghai",
            now=dt.datetime.now(dt.UTC),
        ),
    )
    assert data["totals"]["lost"]["denominator"] == totals["lost"].denominator
    assert len(data["rows"]) == 18
    assert sum(r["cells"]["returning"]["numerator"] for r in data["rows"]) == totals["returning"].numerator
    bad = client.get("/api/v1/followup/kpis/", {"start": "2026-13"})
    assert bad.status_code == 400


def test_anonymous_responses_never_count(generated):
    from carebridge.surveys.models import Response

    anonymous = Response.objects.filter(encounter__isnull=True)
    assert anonymous.count() == 1
    rows = kpis.kpi_rows(plans=kpis.kpi_plans(user=_quality_officer()), period=_period(), kpi="loyalty")
    assert not rows.filter(pk__in=anonymous.values("pk")).exists()
    assert rows.aggregate(n=Count("pk"))["n"] > 0


def test_the_trend_says_how_many_rows_each_point_counts_and_which_month_is_under_way(generated):
    period = _period()
    plans = kpis.kpi_plans(user=_quality_officer())
    trend = kpis.trend(plans=plans, period=period, codes=("followup_A", "satisfaction"))
    table = {row.key: row for row in kpis.kpi_table(plans=plans, period=period, by="month")}
    for series in trend["series"]:
        assert len(series["n"]) == len(trend["months"]) == len(series["data"])
        assert series["n"] == [table[month].cells[series["code"]].denominator for month in trend["months"]]
    now_month = period.now.astimezone(period.tz).strftime("%Y-%m")
    assert trend["partial_month"] == (now_month if now_month in trend["months"] else None)
    assert trend["small_n"] == kpis.TREND_SMALL_N
    finished = kpis.Period(first=period.first, last=period.first, zone=period.zone, now=period.now)
    assert kpis.trend(plans=plans, period=finished, codes=("followup_A",))["partial_month"] is None
