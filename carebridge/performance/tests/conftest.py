"""Fixtures of the performance tests: a department head of paediatrics, an action raised from a complaint's
root cause, and satisfaction answers of a department on given days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from carebridge.core.tests.factories import make_persona


@pytest.fixture(autouse=True)
def _english_and_outbox(settings, tmp_path):
    sms = {**settings.CAREBRIDGE["SMS"], "BACKEND": "file", "FILE_DIR": str(tmp_path / "outbox")}
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SMS": sms}
    with translation.override("en"):
        yield


@pytest.fixture
def head_he(hospital, paediatrics):
    """Department head He (儿科主任), scoped to paediatrics."""
    user = make_persona("he", "dept_head", hospital, departments=[paediatrics])
    user.staff.home_department = paediatrics
    user.staff.phone = "13700001111"
    user.staff.save()
    return user


@pytest.fixture
def nurse_owner(hospital, paediatrics):
    from carebridge.core.tests.factories import StaffFactory

    return StaffFactory(hospital=hospital, name="护士长刘", home_department=paediatrics, phone="13600002222")


@pytest.fixture
def answers(hospital):
    """``answers(department, day, scores)``: survey responses of ``department`` submitted on ``day``."""
    from carebridge.surveys.models import Response
    from carebridge.surveys.tests.factories import published_version

    version = published_version(hospital=hospital)

    def make(department, day: dt.datetime, scores):
        Response.objects.bulk_create(
            Response(
                hospital=hospital,
                version=version,
                department=department,
                mode="web",
                submitted_at=day,
                answers={},
                score=float(score),
            )
            for score in scores
        )

    return make
