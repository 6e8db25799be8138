"""The scorecard pages, the cockpit as the executive's start page, and the API: figures drill into their
rows, bands and targets show, scopes hold, bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from carebridge.complaints.tests.factories import make_offices, receive_case
from carebridge.core.tests.factories import make_persona
from carebridge.followup.tests.factories import SH
from carebridge.performance.models import Kpi, Perspective
from carebridge.performance.models.scorecards import ScorecardLevel
from carebridge.performance.services.scorecards import kpi_create, kpi_entry_save, scorecard_activate
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(dt.datetime(2026, 4, 15, 9, tzinfo=SH), tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def card(admin_sun, hospital, agent_ann):
    make_offices(hospital)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=SH), tick=False):
        for _ in range(3):
            receive_case(hospital, agent_ann)  # none closed: their deadlines pass open in March
    kpi_create(actor=admin_sun, code="hr_attendance", name="出勤率", aggregation="mean")
    card = build_scorecard(
        actor=admin_sun,
        hospital=hospital,
        kpis={
            "complaints_in_time": {"target": 95, "minimum": 80},
            "hr_attendance": {"target": 98, "minimum": 90},
        },
    )
    scorecard_activate(actor=admin_sun, scorecard=card)
    kpi_entry_save(
        actor=admin_sun,
        scorecard=card,
        kpi=Kpi.objects.get(code="hr_attendance"),
        month=dt.date(2026, 3, 1),
        value=Decimal(97),
    )
    return card


def test_the_executive_starts_on_the_cockpit_and_drills_from_a_red_kpi_to_its_rows(executive_zhao, card):
    client = client_for(executive_zhao)
    landing = client.get("/", follow=True)
    assert landing.redirect_chain[-1][0] == "/reports/cockpit/"
    html = landing.content.decode()
    assert "Leadership cockpit" in html and 'data-code="complaints_in_time" data-band="red"' in html
    rows_url = f"/performance/scorecards/{card.pk}/kpis/"
    assert rows_url in html
    assignment = card.perspectives.get().objectives.get().assignments.get(kpi__code="complaints_in_time")
    rows = client.get(f"{rows_url}{assignment.pk}/rows/?period=2026-03")
    assert rows.status_code == 200
    page = rows.content.decode()
    assert (
        page.count('class="kpi-source-row"') == 3
        and 'id="den-count">3<' in page
        and 'id="num-count">0<' in page
    )
    assert "13812345678" not in page and "王先生" not in page  # no complainant on the rows page


def test_the_scorecard_page_shows_value_target_band_and_how_it_is_computed(admin_sun, card):
    html = client_for(admin_sun).get(f"/performance/scorecards/{card.pk}/?period=2026-03").content.decode()
    assert 'data-code="hr_attendance" data-band="amber"' in html  # 97: between 90 and 98
    assert 'data-code="complaints_in_time" data-band="red"' in html
    assert "Complaints whose feedback deadline falls in the period" in html
    quarter = client_for(admin_sun).get(f"/performance/scorecards/{card.pk}/?period=2026-Q1").content.decode()
    assert "Months missing" in quarter


def test_a_department_head_sees_only_scorecards_of_their_departments(
    admin_sun, hospital, paediatrics, cardiology, card
):
    paeds = build_scorecard(
        actor=admin_sun,
        hospital=hospital,
        kpis={"complaints_in_time": {}},
        level=ScorecardLevel.DEPARTMENT,
        department=paediatrics,
        name="儿科计分卡",
    )
    head = make_persona("head", "dept_head", hospital, departments=[cardiology])
    client = client_for(head)
    assert client.get(f"/performance/scorecards/{paeds.pk}/").status_code == 404
    assert client.get(f"/performance/scorecards/{card.pk}/").status_code == 404  # the hospital's: not theirs
    assert "儿科计分卡" not in client.get("/performance/scorecards/").content.decode()


def test_weights_not_summing_to_100_are_refused_on_the_page_with_the_reason(admin_sun, card):
    perspective = Perspective.objects.get(scorecard=card)
    response = client_for(admin_sun).post(
        f"/performance/scorecards/{card.pk}/weights/", {"level": "perspectives", f"w-{perspective.pk}": "90"}
    )
    assert response.status_code == 200
    assert "These weights sum to 90; the weights of one level must sum to 100." in response.content.decode()
    perspective.refresh_from_db()
    assert perspective.weight == Decimal(100)


def test_the_bonus_table_exports_excel(admin_sun, hospital, card):
    response = client_for(admin_sun).get("/performance/scorecards/bonus/?period=2026-03&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_the_api_gives_each_kpis_value_target_score_band_and_rows(executive_zhao, card):
    api = APIClient()
    api.force_authenticate(executive_zhao)
    assert api.get("/api/v1/performance/kpis/").status_code == 200
    cards = api.get("/api/v1/performance/scorecards/").json()
    assert (
        [c["id"] for c in cards["results"]] == [card.pk]
        if "results" in cards
        else [c["id"] for c in cards] == [card.pk]
    )
    scores = api.get(f"/api/v1/performance/scorecards/{card.pk}/scores/?period=2026-03").json()
    kpis = {k["code"]: k for p in scores["perspectives"] for o in p["objectives"] for k in o["kpis"]}
    assert kpis["complaints_in_time"]["value"] == 0.0 and kpis["complaints_in_time"]["band"] == "red"
    assert kpis["complaints_in_time"]["rows_url"].startswith("http://testserver/performance/scorecards/")
    assert kpis["hr_attendance"]["target"] == 98.0 and kpis["hr_attendance"]["source"] == "manual"
    bad = api.get(f"/api/v1/performance/scorecards/{card.pk}/scores/?period=March")
    assert bad.status_code == 400 and "period" in bad.json()


def test_someone_without_the_permission_is_refused(agent_ann, card):
    assert client_for(agent_ann).get(f"/performance/scorecards/{card.pk}/").status_code == 403
    api = APIClient()
    api.force_authenticate(agent_ann)
    assert api.get("/api/v1/performance/scorecards/").status_code == 403
