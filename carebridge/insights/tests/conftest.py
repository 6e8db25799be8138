"""Fixtures of the insights tests: the rated questionnaire with two departments' answers, a draft
version for the AHP editor, the monthly report's data, and a department head of 儿科 (the other
personas come from the project's conftest)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from carebridge.core.tests.factories import make_persona
from carebridge.insights.tests.support.analysis_data import (
    definition_rated,
    make_rated_version,
    make_survey_data,
)
from carebridge.insights.tests.support.report_data import make_report_data
from carebridge.surveys.domain.instruments import content_hash
from carebridge.surveys.models import Instrument, InstrumentVersion


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Reports and analyses are cached under keys made of ids, which a rolled-back test may hand out again.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rated_version(hospital):
    return make_rated_version(hospital)


@pytest.fixture
def survey_data(rated_version, cardiology, paediatrics):
    return make_survey_data(rated_version, cardiology, paediatrics)


@pytest.fixture
def draft(hospital):
    instrument = Instrument.objects.create(hospital=hospital, code="rated", name="住院体验", kind="inpatient")
    body = definition_rated()
    return InstrumentVersion.objects.create(
        instrument=instrument, number=1, definition=body, content_hash=content_hash(body)
    )


@pytest.fixture
def report_data(hospital, quality_officer_qian, cardiology, paediatrics):
    """Two months of answers by three departments whose case mix differs (``support/report_data``)."""
    return make_report_data(hospital, quality_officer_qian, cardiology, paediatrics)


@pytest.fixture
def paediatrics_head(hospital, paediatrics):
    return make_persona("liu", "dept_head", hospital, departments=[paediatrics])
