"""On a small demo hospital (every app's demo step): the would-come-back KPI has a figure wherever the
share satisfied has one, and the two reports open for the demo's leaders and the centre's staff with
every link on them opening too (a demo user who follows a link may open it)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from carebridge.core.demo.steps import DemoContext, steps
from carebridge.lib.periods import add_months
from carebridge.performance.domain.periods import month_span
from carebridge.reports.selectors.cockpit import cockpit

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LINK = re.compile(r'href="(/[^"#]*)"')


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    with django_db_blocker.unblock(), transaction.atomic():
        context = DemoContext(
            seed=18,
            as_of=timezone.localdate() - dt.timedelta(days=1),
            patients=60,
            rng=random.Random(18),  # noqa: S311 - demo data
            log=lambda _line: None,
        )
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            for _order, _name, step in steps():
                step(context)
        yield context
        transaction.set_rollback(True)


def _last_month() -> Any:
    return month_span(add_months(timezone.localdate().replace(day=1), -1))


def test_would_come_back_has_a_figure_wherever_the_share_satisfied_has_one(demo):
    executive = get_user_model().objects.get(username="executive")
    board = cockpit(user=executive, span=_last_month())
    tiles = {t.kpi.code: t for block in board.areas for t in block.tiles}
    satisfied, back = tiles["share_satisfied"].trend, tiles["would_come_back"].trend
    months = [i for i, value in enumerate(satisfied) if value is not None]
    assert months, "the demo has discharge surveys"
    assert all(back[i] is not None for i in months)


@pytest.mark.parametrize("username", ["executive", "checkup_staff", "chief_examiner", "quality_officer"])
def test_the_reports_and_every_link_on_them_open_for_a_demo_user(demo, username):
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    month, year = _last_month().label, timezone.localdate().year - 1
    pages = [
        url
        for url, permission in (
            (f"/reports/leadership/?period={month}", "reports.view_leadership_report"),
            (f"/reports/checkup-centre/?period={month}", "reports.view_centre_report"),
            (f"/reports/checkup-centre/?period={year}", "reports.view_centre_report"),
        )
        if user.has_perm(permission)
    ]
    assert pages
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = answer.content.decode()
        links = {link.replace("&amp;", "&") for link in LINK.findall(body) if not link.startswith("/static/")}
        for link in sorted(links):
            if link.startswith(("/accounts/logout", "/i18n/")):
                continue
            assert client.get(link, follow=True).status_code == 200, f"{url} links {link}"


def test_the_leadership_summary_names_the_index_its_survey_sentences_speak_of(demo):
    from carebridge.insights.domain.report.sentences import change_sentences
    from carebridge.reports.selectors.leadership import leadership_report

    executive = get_user_model().objects.get(username="executive")
    report = leadership_report(user=executive, span=_last_month())
    assert report.satisfaction is not None and report.satisfaction.changes, (
        "the demo has two months of answers"
    )
    bare = change_sentences(report.satisfaction.changes)
    subject = f"{report.satisfaction.instrument.name}综合指数"
    assert bare and all(subject + sentence in report.summary for sentence in bare), report.summary
    assert not set(bare) & set(report.summary)
