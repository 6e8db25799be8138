"""After the visit (issue #11, 篇8 2.3 and 篇7 2.2.4): a signed visit with abnormal, non-critical findings
gets a phone follow-up call in the ordinary call queue, as soon and at the rank its risk level says;
a normal visit gets none; results the critical-result app follows up are left out."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.checkup.domain.aftercare import AFTERCARE_BY_LEVEL, aftercare_call
from carebridge.checkup.domain.events import aftercare_excluding
from carebridge.checkup.models import Result
from carebridge.checkup.services.aftercare import aftercare_calls
from carebridge.checkup.services.review import visit_examiner_saw, visit_sign, visit_unsign
from carebridge.checkup.tests.support.people import examined
from carebridge.followup.choices import StandaloneReason, TouchpointKind
from carebridge.followup.selectors.calls import call_queue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

NORMAL = {"GLU": "5.1", "TC": "4.6", "BMI": "22.0", "SBP": "118", "AFP": "2.1", "USABD": "normal"}


@pytest.fixture
def sign(site, django_capture_on_commit_callbacks):
    """``sign(values)``: a visit examined with ``values`` and signed (after-commit hooks run)."""

    def make(values):
        visit = examined(
            centre=site.centre,
            actor=site.staff,
            catalogue=site.catalogue,
            values={**NORMAL, **values},
            patient=site.customer,
        )
        with django_capture_on_commit_callbacks(execute=True):
            return visit_sign(
                visit=visit_examiner_saw(visit=visit, actor=site.examiner),
                actor=site.examiner,
                summary="见结论",
            )

    return make


def test_the_table_calls_sooner_and_first_for_higher_risk_and_never_for_level_5():
    assert [(c.due_days, c.rank) for c in (AFTERCARE_BY_LEVEL[level] for level in (1, 2, 3, 4))] == [
        (1, 1),
        (7, 1),
        (30, 2),
        (90, 3),
    ]
    assert aftercare_call(risk_level=5, findings=3) is None
    assert aftercare_call(risk_level=1, findings=0) is None
    assert aftercare_call(risk_level=None, findings=1) == AFTERCARE_BY_LEVEL[3]


def test_a_level_2_finding_enters_the_call_queue_due_within_a_week(sign, agent_ann, centre, examiner_he):
    # Grade 2 hypertension: level 2 and not on the critical-result list (a fasting glucose ≥ 7.0 is, and
    # the critical-result app follows it up itself).
    visit = sign({"SBP": "165"})
    assert visit.risk_level == 2
    [call] = aftercare_calls(visit)
    assert (call.kind, call.reason, call.plan) == (TouchpointKind.STANDALONE_CALL, "checkup_abnormal", None)
    assert call.origin == visit and call.patient == visit.patient and call.department == centre
    assert call.due_at == visit.signed_at + dt.timedelta(days=7)
    assert call.tier_rank == 1
    assert "收缩压" in call.notes
    assert visit.number in call.origin_label
    assert call in call_queue(user=agent_ann, now=call.available_at)
    assert call.transitions.get().actor == examiner_he


def test_a_level_4_risk_factor_is_called_within_three_months_at_the_lowest_rank(sign):
    visit = sign({"BMI": "26.1"})
    assert visit.risk_level == 4
    [call] = aftercare_calls(visit)
    assert (call.due_at - visit.signed_at, call.tier_rank) == (dt.timedelta(days=90), 3)
    assert call.available_at >= call.due_at - dt.timedelta(days=7)  # not in today's queue


def test_a_normal_visit_gets_no_call(sign):
    visit = sign({})
    assert visit.risk_level == 5
    assert aftercare_calls(visit) == []


def test_results_the_critical_result_app_follows_up_are_left_out(sign):
    def critical(sender, visit, **kwargs):
        return list(Result.objects.filter(visit=visit, item__code="GLU").values_list("pk", flat=True))

    aftercare_excluding.connect(critical, dispatch_uid="test-critical")
    try:
        visit = sign({"GLU": "12.0"})
    finally:
        aftercare_excluding.disconnect(dispatch_uid="test-critical")
    assert visit.risk_level == 1
    assert aftercare_calls(visit) == []


def test_signing_again_after_a_correction_keeps_the_one_call(
    sign, examiner_he, django_capture_on_commit_callbacks
):
    visit = sign({"SBP": "145"})
    [first] = aftercare_calls(visit)
    visit = visit_unsign(visit=visit, actor=examiner_he, reason="更正结论")
    with django_capture_on_commit_callbacks(execute=True):
        visit = visit_sign(visit=visit, actor=examiner_he, summary="更正后的结论")
    assert aftercare_calls(visit) == [first]
    assert first.reason == StandaloneReason.CHECKUP_ABNORMAL
