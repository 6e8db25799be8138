"""The chief examiner (issue #11): signing without having seen the person needs a reason; the quality
checks stop a signature; risk levels follow the versioned rules, each level's rule shows its source;
a changed level keeps the rules' level and the reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.checkup.domain.events import signoff_checking
from carebridge.checkup.models import VisitFinding
from carebridge.checkup.services.review import (
    advice_suggestions,
    findings_adopt,
    signoff_problems,
    visit_examiner_saw,
    visit_risk_override,
    visit_sign,
    visit_unsign,
)
from carebridge.checkup.services.visits import visit_leave
from carebridge.checkup.tests.support.people import checked_in, examined, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

NORMAL = {"GLU": "5.1", "TC": "4.6", "BMI": "22.0", "SBP": "118", "AFP": "2.1", "USABD": "normal"}


@pytest.fixture
def ready(catalogue, centre, staff_chen, customer):
    return examined(centre=centre, actor=staff_chen, catalogue=catalogue, values=NORMAL, patient=customer)


def test_signing_without_having_seen_the_person_needs_a_reason(ready, examiner_he):
    with pytest.raises(ValidationError) as refused:
        visit_sign(visit=ready, actor=examiner_he, summary="未见明显异常。")
    assert "unseen_reason" in refused.value.message_dict
    visit = visit_sign(
        visit=ready,
        actor=examiner_he,
        summary="未见明显异常。",
        unseen_reason="受检者已离院，结果均在正常范围",
    )
    assert visit.status == "signed" and visit.examiner_saw_at is None
    assert visit.unseen_reason == "受检者已离院，结果均在正常范围"
    assert visit.transitions.last().reason == "受检者已离院，结果均在正常范围"


def test_having_seen_the_person_is_recorded_with_the_time_and_needs_no_reason(ready, examiner_he, clock):
    visit = visit_examiner_saw(visit=ready, actor=examiner_he)
    visit = visit_sign(visit=visit, actor=examiner_he, summary="未见明显异常。")
    assert visit.examiner_saw_at is not None and visit.unseen_reason == ""
    assert visit.examiner == examiner_he


def test_a_normal_visit_is_level_5_with_no_rule(ready, examiner_he):
    visit = visit_sign(
        visit=visit_examiner_saw(visit=ready, actor=examiner_he), actor=examiner_he, summary="正常"
    )
    assert visit.risk_level == visit.risk_level_computed == 5 and visit.risk_rule is None
    assert visit.risk_ruleset.version == 1


@pytest.mark.parametrize(
    ("values", "level", "rule"),
    [
        ({"USABD": "mass"}, 1, "影像不能排除恶性（腹部）"),
        ({"GLU": "12.0"}, 1, "严重高血糖"),
        ({"AFP": "25.3"}, 2, "甲胎蛋白升高"),
        ({"GLU": "7.4"}, 2, "糖尿病水平空腹血糖"),
        ({"SBP": "145"}, 3, "1级高血压（收缩压）"),
        ({"USABD": "fatty_liver"}, 3, "脂肪肝"),
        ({"BMI": "26.1"}, 4, "超重或肥胖"),
    ],
)
def test_risk_levels_follow_the_rules_and_each_rule_shows_its_source(site, values, level, rule):
    examiner_he = site.examiner
    visit = examined(
        centre=site.centre,
        actor=site.staff,
        catalogue=site.catalogue,
        values={**NORMAL, **values},
        patient=site.customer,
    )
    visit = visit_sign(
        visit=visit_examiner_saw(visit=visit, actor=examiner_he), actor=examiner_he, summary="见结论"
    )
    assert visit.risk_level == level
    assert visit.risk_rule.name == rule and visit.risk_rule.citation
    worst = visit.risk_matches[0]
    assert worst["name"] == rule and worst["level"] == level
    assert worst["citation"] == visit.risk_rule.citation and worst["source"]


def test_the_most_serious_rule_decides_and_every_match_is_kept(
    catalogue, centre, staff_chen, examiner_he, customer
):
    values = {**NORMAL, "BMI": "29.0", "SBP": "165", "AFP": "12.0"}
    visit = examined(centre=centre, actor=staff_chen, catalogue=catalogue, values=values, patient=customer)
    visit = visit_sign(
        visit=visit_examiner_saw(visit=visit, actor=examiner_he), actor=examiner_he, summary="见结论"
    )
    assert visit.risk_level == 2
    assert [m["level"] for m in visit.risk_matches] == sorted(m["level"] for m in visit.risk_matches)
    assert {m["name"] for m in visit.risk_matches} >= {"甲胎蛋白升高", "2级高血压", "超重或肥胖"}


def test_a_changed_risk_level_needs_a_reason_and_keeps_the_rules_level(ready, examiner_he):
    visit = visit_sign(
        visit=visit_examiner_saw(visit=ready, actor=examiner_he), actor=examiner_he, summary="正常"
    )
    with pytest.raises(ValidationError):
        visit_risk_override(visit=visit, actor=examiner_he, level=3, reason="")
    visit = visit_risk_override(visit=visit, actor=examiner_he, level=3, reason="既往高血压病史，服药控制中")
    assert (visit.risk_level, visit.risk_level_computed) == (3, 5)
    assert visit.risk_override_reason == "既往高血压病史，服药控制中"


def test_quality_checks_stop_the_signature_until_items_and_rooms_are_done(
    catalogue, centre, staff_chen, examiner_he, customer
):
    visit = checked_in(
        centre=centre,
        actor=staff_chen,
        patient=customer,
        items=[catalogue.items["GLU"], catalogue.items["ECG"]],
    )
    record(visit, "GLU", "5.0", staff_chen)
    visit = visit_leave(visit=visit, actor=staff_chen)
    problems = signoff_problems(visit)
    assert any("心电图" in p for p in problems)  # missing item
    assert any("采血室" in p for p in problems)  # a room with results has not signed
    with pytest.raises(ValidationError) as refused:
        visit_sign(visit=visit, actor=examiner_he, summary="x", unseen_reason="y")
    assert any("心电图" in m for m in refused.value.message_dict["visit"])


def test_an_app_above_can_stop_the_signature_through_the_announced_check(ready, examiner_he):
    def unnotified(sender, visit, **kwargs):
        return ["危急值尚未通知到本人"]

    signoff_checking.connect(unnotified, dispatch_uid="test-critical")
    try:
        with pytest.raises(ValidationError, match="危急值尚未通知到本人"):
            visit_sign(visit=ready, actor=examiner_he, summary="x", unseen_reason="y")
    finally:
        signoff_checking.disconnect(dispatch_uid="test-critical")


def test_the_library_suggests_conclusions_with_advice_and_prescriptions(
    catalogue, centre, staff_chen, examiner_he, customer
):
    values = {**NORMAL, "GLU": "6.5", "BMI": "26.0", "USABD": "fatty_liver"}
    visit = examined(centre=centre, actor=staff_chen, catalogue=catalogue, values=values, patient=customer)
    findings = {s.finding for s in advice_suggestions(visit)}
    assert {"空腹血糖受损", "超重", "脂肪肝"} <= findings
    added = findings_adopt(visit=visit, actor=examiner_he)
    assert {line.finding for line in added} == findings
    visit.refresh_from_db()
    assert {"diet", "exercise", "weight"} <= set(visit.prescriptions)
    assert findings_adopt(visit=visit, actor=examiner_he) == []  # adopting twice adds nothing
    assert VisitFinding.objects.filter(visit=visit).count() == len(findings)


def test_only_the_chief_examiner_signs(ready, staff_chen):
    with pytest.raises(PermissionDenied):
        visit_sign(visit=ready, actor=staff_chen, summary="x", unseen_reason="y")


def test_a_signature_is_withdrawn_with_a_reason_before_release(ready, examiner_he):
    visit = visit_sign(visit=ready, actor=examiner_he, summary="x", unseen_reason="y")
    visit = visit_unsign(visit=visit, actor=examiner_he, reason="补充总检结论")
    assert visit.status == "examined" and visit.signed_at is None
