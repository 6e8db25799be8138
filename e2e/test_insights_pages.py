"""The satisfaction analysis pages in a real browser: the charts are drawn (ECharts renders SVG)."""

from __future__ import annotations

import pytest

from carebridge.core.tests.factories import PASSWORD, DepartmentFactory, HospitalFactory, make_persona
from carebridge.insights.tests.support.analysis_data import add_responses, definition_rated
from carebridge.surveys.tests.factories import published_version

# serialized_rollback: the regions and role groups created by data migrations survive each test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def analysed(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    version = published_version(hospital=hospital, definition=definition_rated())
    for code, name, shift in (("CARD", "心血管内科", 0.3), ("PEDI", "儿科", -0.2)):
        department = DepartmentFactory(hospital=hospital, code=code, name=name)
        add_responses(version, department=department, n=60, seed=len(code) + int(shift * 10), shift=shift)
    return make_persona("qian", "quality_officer", hospital)


def test_the_analysis_pages_draw_their_charts(live_server, page, analysed):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "qian")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # each role lands on its start page
    for path, chart in (
        ("/insights/", "#dimension-chart"),
        ("/insights/items/", "#items-chart"),
        ("/insights/ipa/", "#ipa-chart"),
        ("/insights/trends/", "#trend-chart"),
        ("/insights/benchmark/", "#benchmark-chart"),
    ):
        page.goto(live_server.url + path)
        page.locator(f"{chart} svg").first.wait_for()
        assert page.locator(f"{chart} svg path").count() > 0, path
    assert "心血管内科" in page.locator("#benchmark-table").inner_text()
