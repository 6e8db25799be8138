"""Shared pytest fixtures: the personas every module's tests use.

Personas (STYLE §7): agent Ann (客服, hospital-wide), ward manager Wang (儿科 only), clinician Zhou
(心内科 only), complaint officer Li (hospital-wide), quality officer Qian (hospital-wide, no reveal),
executive Zhao (aggregates only), admin Sun, and an outsider with no staff record.
"""

from __future__ import annotations

import os

import pytest

from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, make_persona

# --- Parallel runs (pytest-xdist, ``make test``) ----------------------------------------------------
# A transactional test ends by emptying its database, reference rows of the data migrations included
# (regions, role groups). Run alone, pytest-django puts those tests after every other database test;
# in parallel, a worker could run a transactional test and then a file whose tests need those rows. So
# every transactional test is renamed into one group, scheduled as a single unit after the files of
# ordinary database tests; the other tests are scheduled by file (module fixtures are made once).
TRANSACTIONAL_GROUP = "@transactional"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        options = marker.kwargs if marker else {}
        flushes = options.get("transaction") or options.get("reset_sequences")
        if flushes or "transactional_db" in fixtures or "live_server" in fixtures:
            # As xdist's own ``loadgroup`` does; pytest 9 keeps the id as a structured ``_id``.
            item._id = type(item._id).parse(f"{item.nodeid}{TRANSACTIONAL_GROUP}")


@pytest.hookimpl(optionalhook=True)  # `-p no:xdist` runs without the plugin that defines the hook
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class TransactionalLastScheduling(LoadScopeScheduling):
        """By file, except the transactional tests, which are one unit (queued where the first of them
        stands: after every ordinary database test, as pytest-django sorts them)."""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.endswith(TRANSACTIONAL_GROUP):
                return TRANSACTIONAL_GROUP
            return nodeid.split("::", 1)[0]

    # Units in collection order, not largest first (xdist's default), or the transactional unit, the
    # largest, would run first and empty the database under the files after it.
    config.option.loadscopereorder = False
    return TransactionalLastScheduling(config, log)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas log in with a password; a fast hasher keeps the suite quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def private_queue(tmp_path, monkeypatch):
    """The Celery app with a broker queue folder of its own in embedded mode (``tests.support.worker``)."""
    from carebridge.celery import app
    from carebridge.core.tests.support.worker import forget_pooled_connections, use_private_queue

    use_private_queue(app, tmp_path, monkeypatch)
    yield app
    monkeypatch.undo()  # the folder setting first, so the pools made next use the configured one
    forget_pooled_connections(app)


@pytest.fixture
def hospital(db):
    return HospitalFactory()


@pytest.fixture
def cardiology(hospital):
    return DepartmentFactory(hospital=hospital, code="CARD", name="心血管内科", name_en="Cardiology")


@pytest.fixture
def paediatrics(hospital):
    return DepartmentFactory(hospital=hospital, code="PEDI", name="儿科", name_en="Paediatrics")


@pytest.fixture
def agent_ann(hospital):
    return make_persona("ann", "agent", hospital)


@pytest.fixture
def ward_manager_wang(hospital, paediatrics):
    return make_persona("wang", "ward_manager", hospital, departments=[paediatrics])


@pytest.fixture
def clinician_zhou(hospital, cardiology):
    return make_persona("zhou", "clinician", hospital, departments=[cardiology])


@pytest.fixture
def complaint_officer_li(hospital):
    return make_persona("li", "complaint_officer", hospital)


@pytest.fixture
def quality_officer_qian(hospital):
    return make_persona("qian", "quality_officer", hospital)


@pytest.fixture
def executive_zhao(hospital):
    return make_persona("zhao", "executive", hospital)


@pytest.fixture
def admin_sun(hospital):
    return make_persona("sun", "admin", hospital)


@pytest.fixture
def outsider(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="outsider", password="outsider-pass-123")


@pytest.fixture
def api_client():
    """``api_client(user)``: a DRF client authenticated with the user's token (``Authorization: Token``)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
