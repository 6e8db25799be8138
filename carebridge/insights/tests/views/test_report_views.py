"""The report's pages and downloads: permission, scope (a department head sees a department report),
bad input answered with 400. ``carebridge/insights/urls.py`` mounts them under /insights/report/."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from carebridge.core.models import AuditEvent
from carebridge.core.tests.support.pdf import characters
from carebridge.insights.tests.support.report_data import MONTH, make_report_data
from carebridge.insights.tests.support.report_tasks import record_report_builds, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(hospital, quality_officer_qian, cardiology, paediatrics):
    return make_report_data(hospital, quality_officer_qian, cardiology, paediatrics)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_executive_sees_the_hospital_report_with_its_download_buttons(data, executive_zhao):
    response = _client(executive_zhao).get(f"/insights/report/?month={MONTH}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年10月患者满意度测评报告" in page and "范围：全院" in page
    assert f"/insights/report/pdf/?month={MONTH}&amp;instrument=inpatient-test" in page
    assert f"/insights/report/xlsx/?month={MONTH}&amp;instrument=inpatient-test" in page
    assert "调整病例组合后，心血管内科的排名由第1位变为第3位" in page
    assert page.count("<svg") >= 5


def test_a_department_head_gets_a_report_of_their_department_only(data, paediatrics_head):
    client = _client(paediatrics_head)
    page = client.get(f"/insights/report/?month={MONTH}").content.decode()
    assert "范围：儿科" in page and "答卷 60 份" in page
    assert "心血管内科" not in page and "骨科" not in page
    book = load_workbook(io.BytesIO(client.get(f"/insights/report/xlsx/?month={MONTH}").content))
    assert [r[0] for r in book["科室比较"].iter_rows(min_row=2, values_only=True)] == ["儿科"]
    summary = {r[0]: r[1] for r in book["摘要"].iter_rows(min_row=2, values_only=True)}
    assert summary["答卷数"] == 60


def test_the_pdf_and_excel_downloads_answer_with_their_files_and_are_logged(data, quality_officer_qian):
    client = _client(quality_officer_qian)
    pdf = client.get(f"/insights/report/pdf/?month={MONTH}")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    xlsx = client.get(f"/insights/report/xlsx/?month={MONTH}")
    assert (
        xlsx.status_code == 200
        and 'filename="satisfaction-report-2026-10.xlsx"' in xlsx["Content-Disposition"]
    )
    assert AuditEvent.objects.filter(action="insights.report_download").count() == 2


@pytest.mark.parametrize("query", ["month=2026-13", "month=october", f"month={MONTH}&instrument=nope"])
def test_bad_input_is_a_400_with_the_reason(data, executive_zhao, query):
    response = _client(executive_zhao).get(f"/insights/report/?{query}")
    assert response.status_code == 400
    assert 'class="alert alert-danger"' in response.content.decode()
    assert _client(executive_zhao).get(f"/insights/report/xlsx/?{query}").status_code == 400


def test_people_without_the_analysis_permission_are_refused(data, agent_ann, outsider):
    assert _client(agent_ann).get(f"/insights/report/?month={MONTH}").status_code == 403
    assert _client(outsider).get(f"/insights/report/pdf/?month={MONTH}").status_code == 403
    assert Client().get(f"/insights/report/?month={MONTH}").status_code == 302  # to the login page


def test_a_month_without_responses_is_an_empty_report_not_an_error(data, executive_zhao):
    response = _client(executive_zhao).get("/insights/report/?month=2025-01")
    assert response.status_code == 200
    assert "本月没有可分析的答卷" in response.content.decode()


def test_a_department_head_whose_department_has_a_month_of_one_answer_gets_the_report(
    data, paediatrics_head, executive_zhao
):
    # One answer in August: the trend's cell for that month has no SD. It used to be a 500 on SQLite.
    first = data.version.responses.filter(department=data.departments["PEDI"]).order_by("id").first()
    first.pk = None
    first.invitation = None
    first.submitted_at = first.submitted_at.replace(month=8)
    first.save()
    for user in (paediatrics_head, executive_zhao):
        response = _client(user).get(f"/insights/report/?month={MONTH}")
        assert response.status_code == 200


@pytest.fixture
def large(settings, monkeypatch):
    """The executive's October (180 responses) is a worker's to compute; the builds sent are recorded."""
    return record_report_builds(settings, monkeypatch)


def _later(user) -> None:
    """A quarter of an hour on: the build lock of the executive's October report has expired (a cache
    entry's own clock, which travelling in time does not move in Redis)."""
    from django.core.cache import caches

    from carebridge.insights.selectors.report_document import report_plan

    caches["shared"].delete(f"{report_plan(user=user, month=MONTH).base_key}:building")


def test_a_large_months_first_report_is_prepared_in_the_background(
    data, executive_zhao, large, django_capture_on_commit_callbacks
):
    client = _client(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(f"/insights/report/?month={MONTH}")
    assert first.status_code == 200 and first.context["preparing"] is True
    page = first.content.decode()
    assert 'id="report-preparing"' in page and "<svg" not in page
    assert 'value="2026-10"' in page  # the month picker still shows the month asked for
    assert [kwargs for _name, kwargs in large] == [
        {"user_id": executive_zhao.pk, "month": MONTH, "instrument": "inpatient-test", "language": "en"}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/insights/report/?month={MONTH}")  # the page polling
        pdf = client.get(f"/insights/report/pdf/?month={MONTH}")
    assert len(large) == 1  # asked for lately: not asked again
    assert pdf.status_code == 302
    assert pdf["Location"] == f"/insights/report/?month={MONTH}&instrument=inpatient-test"

    work(large)
    # Kept in the shared cache, which the web processes read (a worker's own memory is not theirs).
    from django.core.cache import caches

    from carebridge.insights.selectors.report_document import report_plan

    plan = report_plan(user=executive_zhao, month=MONTH)
    assert caches["shared"].get(plan.latest_key)[0] == plan.fingerprint
    ready = client.get(f"/insights/report/?month={MONTH}")
    assert (ready.context["current"], ready.context["preparing"]) == (True, False)
    assert "调整病例组合后，心血管内科的排名由第1位变为第3位" in ready.content.decode()
    assert 'id="report-updating"' not in ready.content.decode()
    assert client.get(f"/insights/report/pdf/?month={MONTH}").content.startswith(b"%PDF")


@pytest.fixture
def pdf_pages(monkeypatch) -> list[str]:
    """The HTML each PDF download was made from, in order (the real renderer, read on its way)."""
    from carebridge.insights import exports

    made: list[str] = []
    real = exports.report_html

    def recorded(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(exports, "report_html", recorded)
    return made


@pytest.mark.usefixtures("data")
def test_a_large_months_report_stays_on_screen_while_the_answers_it_counts_change(
    executive_zhao, paediatrics_head, large, pdf_pages, django_capture_on_commit_callbacks
):
    from carebridge.surveys.models import Response

    client = _client(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/insights/report/?month={MONTH}")
    work(large)
    october = Response.objects.filter(submitted_at__year=2026, submitted_at__month=10).order_by("id")
    october.first().delete()  # an administrator removes an answer: the month's answers changed
    with django_capture_on_commit_callbacks(execute=True):
        stale = client.get(f"/insights/report/?month={MONTH}")
    assert (stale.context["current"], stale.context["preparing"]) == (False, False)
    assert 'id="report-updating"' in stale.content.decode() and "答卷 180 份" in stale.content.decode()
    assert large == []  # a build was asked for less than a quarter of an hour ago: not again yet
    # Downloaded now, the report says on itself that it predates the month's latest answers.
    book = load_workbook(io.BytesIO(client.get(f"/insights/report/xlsx/?month={MONTH}").content))
    first = next(book["摘要"].iter_rows(min_row=2, values_only=True))
    assert first[0] == "注意" and "此后本月答卷有变化：本报告不含之后的答卷" in first[1]
    stale_pdf = characters(client.get(f"/insights/report/pdf/?month={MONTH}").content)
    assert set("此后本月答卷有变化：本报告不含之后的答卷") <= stale_pdf
    assert 'id="cover-stale"' in pdf_pages[-1] and "本报告不含之后的答卷" in pdf_pages[-1]

    _later(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/insights/report/?month={MONTH}")
    work(large)
    fresh = client.get(f"/insights/report/?month={MONTH}").content.decode()
    assert "答卷 179 份" in fresh and 'id="report-updating"' not in fresh
    book = load_workbook(io.BytesIO(client.get(f"/insights/report/xlsx/?month={MONTH}").content))
    assert next(book["摘要"].iter_rows(min_row=2, values_only=True))[0] == "医院"
    assert client.get(f"/insights/report/pdf/?month={MONTH}").content.startswith(b"%PDF")
    assert 'id="cover-stale"' not in pdf_pages[-1] and "答卷 179 份" in pdf_pages[-1]
    # A department head's 60 answers are under the limit: computed on the request, nothing sent.
    assert _client(paediatrics_head).get(f"/insights/report/?month={MONTH}").context["current"] is True
    assert large == []


def test_the_same_answers_report_is_current_and_refreshed_quietly_after_an_hour(
    data, executive_zhao, large, django_capture_on_commit_callbacks
):
    """Nothing in the month changed: the report is shown as current however old; after an hour a worker
    computes it again (complaints closed since, say, are not in the answers' fingerprint)."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    client = _client(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/insights/report/?month={MONTH}")
    work(large)
    _later(executive_zhao)
    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=59)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.get(f"/insights/report/?month={MONTH}").context["current"] is True
    assert large == []
    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=61)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.get(f"/insights/report/?month={MONTH}")
    assert page.context["current"] is True and 'id="report-updating"' not in page.content.decode()
    assert len(large) == 1


def test_a_report_that_cannot_be_computed_says_why_instead_of_preparing_for_ever(
    data, executive_zhao, large, django_capture_on_commit_callbacks, monkeypatch
):
    from carebridge.insights.selectors import report_document
    from carebridge.insights.tasks import report_build_task

    client = _client(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/insights/report/?month={MONTH}")

    def broken(plan, *, user):
        raise ZeroDivisionError

    monkeypatch.setattr(report_document, "report_versions", broken)
    assert report_build_task(**large.pop()[1]) is False  # the worker: the report could not be computed
    page = client.get(f"/insights/report/?month={MONTH}")
    html = page.content.decode()
    assert page.context["computed"] is False and page.context["preparing"] is False
    assert 'id="report-failed"' in html and "ZeroDivisionError" in html
    assert 'id="report-preparing"' not in html  # no polling
    assert client.get(f"/insights/report/xlsx/?month={MONTH}").status_code == 302


def test_workers_out_of_reach_are_said_and_asked_again_next_time(
    data, executive_zhao, large, django_capture_on_commit_callbacks, monkeypatch
):
    from celery import current_app

    def refused(name, kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(current_app, "send_task", refused)
    client = _client(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(f"/insights/report/?month={MONTH}")
    assert first.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/insights/report/?month={MONTH}")
    assert "The workers cannot be reached." in page.content.decode()
    assert 'id="report-preparing"' not in page.content.decode()  # said, not polled
    monkeypatch.setattr(current_app, "send_task", lambda name, kwargs: large.append((name, kwargs)))
    _later(executive_zhao)  # a minute on, the refused send's short lock has expired
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/insights/report/?month={MONTH}")
    assert len(large) == 1  # asked again
    assert client.get(f"/insights/report/?month={MONTH}").context["preparing"] is True  # sent: preparing


def test_a_first_report_no_worker_reports_on_is_said_late_not_prepared_for_ever(
    data, executive_zhao, large, django_capture_on_commit_callbacks
):
    """A worker killed mid-build, or none running: after half an hour with no report and no failure the
    page says so instead of polling."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    client = _client(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/insights/report/?month={MONTH}")
    assert len(large) == 1  # sent, and never run
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=29)):
        assert client.get(f"/insights/report/?month={MONTH}").context["preparing"] is True
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        late = client.get(f"/insights/report/?month={MONTH}")
    assert late.context["preparing"] is False and late.context["computed"] is False
    assert "Not computed in 31 minutes" in late.content.decode()


def test_a_month_that_grows_past_the_limit_goes_on_showing_its_report_while_a_worker_computes_it(
    data, executive_zhao, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Near the limit (from half of it) a report computed on the request is kept as the latest too: the
    day the month reaches the limit, the page shows it, marked as earlier, instead of "being prepared"."""
    from django.core.cache import caches

    from carebridge.insights.selectors.report_document import report_plan
    from carebridge.surveys.models import Response

    sent = record_report_builds(settings, monkeypatch, limit=400)  # 180 answers: under half the limit
    client = _client(executive_zhao)
    assert client.get(f"/insights/report/?month={MONTH}").context["current"] is True
    latest_key = report_plan(user=executive_zhao, month=MONTH).latest_key
    assert caches["shared"].get(latest_key) is None

    settings.INSIGHTS_INLINE_RESPONSES = 300  # 180 answers: within reach of the limit
    inline = client.get(f"/insights/report/?month={MONTH}")
    assert (inline.context["current"], sent) == (True, [])
    assert caches["shared"].get(latest_key)[1].n == 180
    # The version with quotes too, for a reader who may read comments once the month crosses the limit.
    plan = report_plan(user=executive_zhao, month=MONTH)
    assert (plan.latest_key, plan.quotes) == (plan.latest_key_of(False), False)
    assert caches["shared"].get(plan.latest_key_of(True))[1].quotes is True

    settings.INSIGHTS_INLINE_RESPONSES = 100  # the month has reached the limit, and its answers changed
    Response.objects.filter(submitted_at__year=2026, submitted_at__month=10).order_by("id").first().delete()
    with django_capture_on_commit_callbacks(execute=True):
        crossed = client.get(f"/insights/report/?month={MONTH}")
    assert (crossed.context["current"], crossed.context["preparing"]) == (False, False)
    assert "答卷 180 份" in crossed.content.decode() and 'id="report-updating"' in crossed.content.decode()
    work(sent)
    assert "答卷 179 份" in client.get(f"/insights/report/?month={MONTH}").content.decode()


def test_readers_with_and_without_the_comments_right_share_one_build_of_a_large_month(
    data, executive_zhao, quality_officer_qian, large, django_capture_on_commit_callbacks
):
    """The quality office's report quotes comments and the executive's does not; one worker build keeps
    both versions, so the second reader neither waits nor queues a build of their own."""
    qian, zhao = _client(quality_officer_qian), _client(executive_zhao)
    with django_capture_on_commit_callbacks(execute=True):
        assert qian.get(f"/insights/report/?month={MONTH}").context["preparing"] is True
        assert zhao.get(f"/insights/report/?month={MONTH}").context["preparing"] is True
    assert len(large) == 1  # one build for both
    work(large)

    with django_capture_on_commit_callbacks(execute=True):
        quoted, counted = (
            qian.get(f"/insights/report/?month={MONTH}"),
            zhao.get(f"/insights/report/?month={MONTH}"),
        )
    assert (quoted.context["current"], counted.context["current"]) == (True, True)
    assert (quoted.context["report"].quotes, counted.context["report"].quotes) == (True, False)
    assert 'id="quotes-withheld"' in counted.content.decode()
    assert 'id="quotes-withheld"' not in quoted.content.decode() and "负面示例" in quoted.content.decode()
    assert large == []
