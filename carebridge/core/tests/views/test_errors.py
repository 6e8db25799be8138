"""Error pages are the product's own, in Chinese, and say what happened; no page is kept in a cache."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views.defaults import bad_request, permission_denied, server_error


def test_a_missing_page_answers_in_chinese_with_the_product_page(client, agent_ann):
    client.force_login(agent_ann)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面或记录不存在" in body
    assert 'lang="zh-hans"' in body


def test_a_refusal_says_why_in_chinese(agent_ann):
    request = RequestFactory().get("/somewhere/")
    request.user = agent_ann
    response = permission_denied(request, PermissionDenied())
    body = response.content.decode()
    assert response.status_code == 403
    assert "您无权打开此页面" in body


def test_a_bad_request_and_a_server_error_have_chinese_pages(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    request = rf.get("/x/")
    request.user = AnonymousUser()
    # Called without the middleware, so the language the middleware would choose is set here.
    with translation.override("zh-hans"):
        bad = bad_request(request, Exception()).content.decode()
        error = server_error(request)
    assert "无法理解" in bad
    assert error.status_code == 500
    assert "出错" in error.content.decode()


def test_pages_are_not_kept_in_a_browser_cache(client, agent_ann):
    client.force_login(agent_ann)
    response = client.get("/patients/overview/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
