"""The improvement loop in a real browser (issue 21): a department head opens her department's scorecard,
sees a red KPI (first-contact resolution of inquiries, 50 % against a target of 95 %), turns it into an
improvement action, starts it; two months later she checks its effect — the KPI before and after with its
test — and closes the action; the scorecard shows it under its objective."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from carebridge.core.tests.factories import (
    PASSWORD,
    DepartmentFactory,
    HospitalFactory,
    StaffFactory,
    make_persona,
)
from carebridge.frontdesk.models import Inquiry
from carebridge.performance.models import ImprovementAction
from carebridge.performance.models.scorecards import ScorecardLevel
from carebridge.performance.tests.factories import build_scorecard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _inquiries(hospital, department, agent, day, *, first_contact: int, total: int) -> None:
    Inquiry.objects.bulk_create(
        Inquiry(
            hospital=hospital,
            channel="phone",
            category="other",
            question="挂号咨询",
            recommended_department=department,
            received_at=day,
            received_by=agent,
            answered_at=day + (dt.timedelta(minutes=5) if i < first_contact else dt.timedelta(days=1)),
            answered_by=agent if i < first_contact else None,
        )
        for i in range(total)
    )


@pytest.fixture
def ward(db):
    now = timezone.now()
    hospital = HospitalFactory(name="连心桥示范医院")
    paediatrics = DepartmentFactory(hospital=hospital, code="PEDI", name="儿科")
    head = make_persona("he", "dept_head", hospital, departments=[paediatrics])
    # Scorecard reading comes with the scorecard's roles (issue 15); granted here until they are merged.
    head.user_permissions.add(Permission.objects.get(codename="view_scorecards"))
    admin = make_persona("sun", "admin", hospital)
    agent = make_persona("ann", "agent", hospital)
    owner = StaffFactory(hospital=hospital, name="护士长刘", home_department=paediatrics)
    card = build_scorecard(
        actor=admin, hospital=hospital, kpis={"inquiry_first_contact": {}},
        level=ScorecardLevel.DEPARTMENT, department=paediatrics, name="儿科计分卡",
    )  # fmt: skip
    # This month so far: 30 of 60 inquiries resolved at the first contact (red); after the action, six weeks
    # later (in the 30 days before the check, two months on), 45 of 60.
    _inquiries(hospital, paediatrics, agent, now - dt.timedelta(hours=1), first_contact=30, total=60)
    _inquiries(hospital, paediatrics, agent, now + dt.timedelta(days=45), first_contact=45, total=60)
    return {"card": card, "owner": owner, "now": now}


def _log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def test_a_department_head_turns_a_red_kpi_into_an_action_closes_it_and_sees_the_effect(
    page, live_server, ward
):
    page.set_default_timeout(60_000)  # a shared, loaded machine: the first request compiles templates
    card, now = ward["card"], ward["now"]
    period = timezone.localtime(now).strftime("%Y-%m")
    _log_in(page, live_server, "he")
    page.goto(f"{live_server.url}/performance/scorecards/{card.pk}/?period={period}")
    row = page.locator("tr.kpi-row[data-code=inquiry_first_contact]")
    assert row.get_attribute("data-band") == "red"
    with page.expect_navigation():
        row.locator("a.raise-action").click()

    page.select_option("#id_owner", str(ward["owner"].pk))
    page.fill("#id_due_date", (timezone.localdate() + dt.timedelta(days=40)).isoformat())
    page.fill("#id_plan", "首问负责制培训；接听后30分钟内答复")
    with page.expect_navigation():
        page.locator("#action-form button[type=submit]").click()
    action = ImprovementAction.objects.get()
    assert page.url.endswith(f"/performance/actions/{action.pk}/")
    page.select_option("#id_to", "doing")
    with page.expect_navigation():
        page.locator("#move-form button[type=submit]").click()
    assert page.locator("#check-form").count() == 1

    with time_machine.travel(now + dt.timedelta(days=61), tick=True):
        _log_in(page, live_server, "he")  # the session of two months ago has expired
        page.goto(f"{live_server.url}/performance/actions/{action.pk}/")
        with page.expect_navigation():
            page.locator("#check-form button[type=submit]").click()
        effect = page.locator("#effect").inner_text()
        assert "50.0%" in effect and "75.0%" in effect and "p = 0.00468" in effect
        assert "χ² = 8.000" in effect
        page.select_option("#id_to", "done")
        with page.expect_navigation():
            page.locator("#move-form button[type=submit]").click()
        action.refresh_from_db()
        assert action.status == "done" and action.verdict == "improved"
        assert "p = 0.00468" in page.locator("#effect").inner_text()
        page.goto(f"{live_server.url}/performance/scorecards/{card.pk}/?period={period}")
        assert action.title in page.locator("tr.objective-actions").inner_text()
