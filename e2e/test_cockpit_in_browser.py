"""The leadership cockpit in a real browser: the executive logs in, lands on the cockpit, sees a KPI out
of band (complaints closed within the deadline, red) and drills from it to the complaints it counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.complaints.models import ComplaintDeadline
from carebridge.complaints.tests.factories import make_offices, receive_case
from carebridge.core.tests.factories import PASSWORD, HospitalFactory, make_persona
from carebridge.lib.periods import add_months, month_start
from carebridge.performance.services.scorecards import scorecard_activate
from carebridge.performance.tests.factories import build_scorecard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def hospital_with_a_red_kpi(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    make_offices(hospital)
    agent = make_persona("ann", "agent", hospital)
    admin = make_persona("sun", "admin", hospital)
    make_persona("zhao", "executive", hospital)
    cases = [receive_case(hospital, agent) for _ in range(3)]
    # Their feedback deadlines fell last month and passed with the cases still open.
    last_month = add_months(month_start(timezone.localdate()), -1)
    due = timezone.make_aware(dt.datetime.combine(last_month.replace(day=10), dt.time(23, 59)))
    ComplaintDeadline.objects.filter(complaint__in=cases, kind="feedback").update(due=due)
    card = build_scorecard(
        actor=admin,
        hospital=hospital,
        kpis={"complaints_in_time": {"target": 95, "minimum": 80}},
        name="医院平衡计分卡",
    )
    scorecard_activate(actor=admin, scorecard=card)
    return cases


def test_the_executive_lands_on_the_cockpit_and_drills_from_a_red_kpi_to_its_rows(
    page, live_server, hospital_with_a_red_kpi
):
    page.set_default_timeout(60_000)  # a shared, loaded machine: the first request compiles templates
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "zhao")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    page.wait_for_url("**/reports/cockpit/**")
    tile = page.locator('.cockpit-tile[data-code="complaints_in_time"]')
    assert tile.get_attribute("data-band") == "red"
    assert "医院平衡计分卡" in page.content() or page.locator("#cockpit-total").is_visible()
    with page.expect_navigation():
        page.locator("#out-of-band a.red-kpi").first.click()
    assert "/kpis/" in page.url and "/rows/" in page.url
    assert page.locator("tr.kpi-source-row").count() == 3
    references = page.locator("#rows").inner_text()
    for case in hospital_with_a_red_kpi:
        assert case.reference in references
