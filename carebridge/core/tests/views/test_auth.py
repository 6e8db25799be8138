"""Log-in (Chinese by default), lock-out after repeated failures, API tokens and the health check."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from carebridge.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The token endpoint's throttle counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def test_the_login_page_is_chinese_by_default(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_browser_language_does_not_switch_the_ui_to_english(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_language_the_user_chose_is_kept(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(LOGIN)
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_a_persona_logs_in_with_the_password(client, agent_ann):
    response = client.post(LOGIN, {"username": "ann", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(agent_ann.pk)


def test_the_login_page_locks_the_account_after_five_failures(client, agent_ann):
    for _attempt in range(4):
        response = client.post(LOGIN, {"username": "ann", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with an error
        assert "_auth_user_id" not in client.session
    client.post(LOGIN, {"username": "ann", "password": "wrong-password"})

    response = client.post(LOGIN, {"username": "ann", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert 'class="alert alert-danger' in response.content.decode()


def test_the_lock_out_is_per_account_not_per_address(client, agent_ann, complaint_officer_li):
    for _attempt in range(5):
        client.post(LOGIN, {"username": "ann", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "li", "password": PASSWORD})
    assert response.status_code == 302


def test_the_token_endpoint_returns_a_token_for_good_credentials(client, agent_ann):
    response = client.post(TOKEN, {"username": "ann", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=agent_ann).key


def test_the_token_endpoint_returns_the_same_token_twice(client, agent_ann):
    first = client.post(TOKEN, {"username": "ann", "password": PASSWORD}, content_type="application/json")
    second = client.post(TOKEN, {"username": "ann", "password": PASSWORD}, content_type="application/json")
    assert first.json()["token"] == second.json()["token"]


def test_the_token_endpoint_refuses_bad_credentials_with_400(client, agent_ann):
    response = client.post(TOKEN, {"username": "ann", "password": "nope"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert not Token.objects.exists()


def test_the_token_endpoint_names_missing_fields(client):
    response = client.post(TOKEN, {"username": "ann"}, content_type="application/json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_the_token_endpoint_refuses_an_inactive_user(client, agent_ann):
    agent_ann.is_active = False
    agent_ann.save()
    response = client.post(TOKEN, {"username": "ann", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_the_token_endpoint_locks_the_account_after_five_failures(client, agent_ann):
    for _attempt in range(4):
        response = client.post(
            TOKEN, {"username": "ann", "password": "wrong"}, content_type="application/json"
        )
        assert response.status_code == 400
    client.post(TOKEN, {"username": "ann", "password": "wrong"}, content_type="application/json")

    response = client.post(TOKEN, {"username": "ann", "password": PASSWORD}, content_type="application/json")

    assert response.status_code == 403
    assert "locked" in response.json()["non_field_errors"][0]
    assert not Token.objects.exists()


def test_failures_on_the_token_endpoint_also_lock_the_login_page(client, agent_ann):
    for _attempt in range(5):
        client.post(TOKEN, {"username": "ann", "password": "wrong"}, content_type="application/json")
    response = client.post(LOGIN, {"username": "ann", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_token_authenticates_api_requests(client, agent_ann):
    token = Token.objects.create(user=agent_ann)
    assert client.get("/api/v1/departments/").status_code in {401, 403}
    response = client.get("/api/v1/departments/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_an_unknown_token_or_an_inactive_users_token_is_refused_in_chinese(client, agent_ann):
    token = Token.objects.create(user=agent_ann)
    unknown = client.get("/api/v1/departments/", HTTP_AUTHORIZATION=f"Token {token.key[:-1]}x")
    assert (unknown.status_code, unknown.json()["detail"]) == (401, "认证令牌无效。")
    agent_ann.is_active = False
    agent_ann.save()
    inactive = client.get("/api/v1/departments/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert (inactive.status_code, inactive.json()["detail"]) == (401, "用户未激活或已删除。")


def test_pages_need_a_login(client):
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LOGIN)


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert "no-cache" in response.headers["Cache-Control"]
