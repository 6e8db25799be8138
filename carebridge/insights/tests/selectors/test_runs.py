"""Which background run a request reuses: a done or fresh one for the same key and answers; never a
failed one, nor one queued so long ago that its worker must have died."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.insights.choices import RunStatus
from carebridge.insights.models import AnalysisRun
from carebridge.insights.selectors.runs import STALE_AFTER, run_reusable
from carebridge.insights.tests.factories import AnalysisRunFactory

pytestmark = pytest.mark.django_db


def test_a_done_run_is_reused_for_the_same_key_and_answers_only():
    run = AnalysisRunFactory()
    assert run_reusable(key=run.selection_hash, version=run.data_version) == run
    assert run_reusable(key=run.selection_hash, version="11:12") is None


def test_a_failed_run_is_never_reused():
    run = AnalysisRunFactory(status=RunStatus.FAILED, error="boom")
    assert run_reusable(key=run.selection_hash, version=run.data_version) is None


def test_a_queued_run_is_reused_until_it_is_stale():
    run = AnalysisRunFactory(status=RunStatus.QUEUED, progress=0, result=None)
    assert run_reusable(key=run.selection_hash, version=run.data_version) == run
    later = timezone.now() + STALE_AFTER + dt.timedelta(minutes=1)
    assert run_reusable(key=run.selection_hash, version=run.data_version, now=later) is None
    assert AnalysisRun.objects.get().status == RunStatus.QUEUED  # reading changes nothing
