"""The demo's group reports: four employers of different age/sex mixes examined three years running, so
that crude and standardised ranks differ and the report says why; the reference prevalences are flagged
as illustrative; the young men's unit looks healthier crude than standardised and its blood pressure
worsens significantly among the people examined both years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from carebridge.checkup.models import EmployerGroup
from carebridge.checkup.selectors.groupreport_text import report_payload
from carebridge.checkup.selectors.groupreports import group_report
from carebridge.checkup.tests.support.demo import centre_steps
from carebridge.core.tests.support.demo import demo_steps

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 3, 12)
EMPLOYERS = ["G901", "G902", "G903", "G904"]


@pytest.fixture
def demo(db):
    return demo_steps(patients=400, seed=7, as_of=AS_OF, wanted=centre_steps)


def test_the_demo_employers_show_what_standardisation_is_for(demo):  # one demo build: it takes a while
    user = get_user_model().objects.get(username="chief_examiner")
    payloads = {
        group.code: report_payload(group_report(user=user, group=group, year=2024))
        for group in EmployerGroup.objects.filter(code__in=EMPLOYERS).order_by("code")
    }
    changed = []
    for code, payload in payloads.items():
        assert payload["participants"] >= 80
        assert payload["previous_year"] == 2023
        assert payload["reference"]["illustrative"] is True
        for finding in payload["findings"]:
            if finding["rank"] and finding["rank"] != finding["crude_rank"]:
                changed.append((code, finding["code"]))
                assert any(
                    sentence.startswith(finding["name"]) and "because" in sentence
                    for sentence in payload["summary"]
                )
    assert changed, "no unit's rank changed between crude and standardised comparison"

    tech = {f["code"]: f for f in payloads["G901"]["findings"]}
    assert tech["HTN"]["standardised"]["prevalence"] > tech["HTN"]["prevalence"]
    older = {f["code"]: f for f in payloads["G902"]["findings"]}
    assert older["HTN"]["standardised"]["prevalence"] < older["HTN"]["prevalence"]
    # Blood pressure worsens among the young men examined both years, and only significant changes speak.
    assert any("McNemar" in sentence for sentence in payloads["G901"]["changes"])
