"""The demo's group reports: four employers of different age/sex mixes examined three years running, so
that crude and standardised ranks differ and the report says why; the reference data are flagged as
illustrative where they are."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model

from carebridge.checkup.models import EmployerGroup
from carebridge.checkup.selectors.groupreport_text import report_payload
from carebridge.checkup.selectors.groupreports import group_report
from carebridge.core.demo.steps import DemoContext, steps

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 3, 12)


@pytest.fixture
def demo(db):
    rng = random.Random(7)  # noqa: S311 - deterministic demo data
    context = DemoContext(seed=7, as_of=AS_OF, patients=400, rng=rng, log=lambda _line: None)
    for _order, name, step in steps():
        if name in ("organisation", "patients") or name.startswith("checkup centre"):
            step(context)
    return context


def _examiner():
    return get_user_model().objects.get(username="chief_examiner")


def test_crude_and_standardised_ranks_differ_and_the_report_says_why(demo):
    user = _examiner()
    changed = []
    for group in EmployerGroup.objects.filter(code__in=["G901", "G902", "G903", "G904"]).order_by("code"):
        payload = report_payload(group_report(user=user, group=group, year=2024))
        assert payload["participants"] >= 80
        assert payload["reference"]["illustrative"] is True
        for finding in payload["findings"]:
            if finding["rank"] and finding["rank"] != finding["crude_rank"]:
                changed.append((group.code, finding["code"]))
                assert any(
                    finding["name"] in sentence and "because" in sentence for sentence in payload["summary"]
                )
    assert changed, "no unit's rank changed between crude and standardised comparison"


def test_the_young_men_look_healthier_crude_than_standardised(demo):
    user = _examiner()
    tech = EmployerGroup.objects.get(code="G901")
    payload = report_payload(group_report(user=user, group=tech, year=2024))
    hypertension = next(f for f in payload["findings"] if f["code"] == "HTN")
    assert hypertension["standardised"]["prevalence"] > hypertension["prevalence"]
    assert payload["previous_year"] == 2023
