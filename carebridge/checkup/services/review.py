"""The chief examiner (总检): seeing the person, conclusion lines (from the advice library or written by
hand), the quality checks, the signature with the risk level computed by the active rules, a changed
risk level with its reason, and a signature withdrawn before release.

篇8 names the defect this prevents: "主检医生根据检查结果，在未见受检人员的情况下做出体检结论".
Signing without having seen the person is possible only with a reason, which is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carebridge.checkup.choices import Prescription, RiskLevel, VisitStatus
from carebridge.checkup.domain.events import signoff_checking
from carebridge.checkup.domain.rules import (
    AdviceRuleSpec,
    Condition,
    Fact,
    RiskAssessment,
    RiskRuleSpec,
    SuggestedFinding,
    assess_risk,
    suggest_findings,
)
from carebridge.checkup.models import AdviceRule, Result, RiskRule, RiskRuleSet, Visit, VisitFinding
from carebridge.checkup.services.base import moment, require_centre, require_permission
from carebridge.checkup.services.visits import VISIT
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import transition_apply
from carebridge.core.types import Actor

_SIGN = "checkup.sign_visit"


def _deny_message() -> str:
    return _("Only the chief examiner concludes and signs.")


def facts_of(results: Iterable[Result]) -> list[Fact]:
    return [
        Fact(
            result_id=r.pk,
            item_id=r.item_id,
            item_name=r.item.name,
            flag=r.flag,
            value_numeric=r.value_numeric,
            value_text=r.value_text,
            display=r.display_value,
        )
        for r in results
    ]


def visit_results(visit: Visit) -> QuerySet[Result]:
    return (
        visit.results.select_related("item")
        .prefetch_related("item__coded_values")
        .order_by("item__sequence", "id")
    )


def active_ruleset(visit: Visit) -> RiskRuleSet | None:
    """The rule set in force on the visit's day (the highest active version already effective)."""
    return (
        RiskRuleSet.objects.filter(
            hospital_id=visit.hospital_id, is_active=True, effective_from__lte=visit.scheduled_for
        )
        .order_by("-version")
        .first()
    )


def risk_rules_of(ruleset: RiskRuleSet) -> list[RiskRuleSpec]:
    return [
        RiskRuleSpec(
            rule_id=rule.pk,
            level=rule.level,
            name=rule.name,
            condition=Condition(rule.item_id, rule.operator, rule.threshold, tuple(rule.codes)),
            source=rule.citation,
        )
        for rule in RiskRule.objects.filter(ruleset=ruleset).order_by("level", "sequence", "id")
    ]


def risk_assess(visit: Visit) -> tuple[RiskAssessment, RiskRuleSet | None]:
    ruleset = active_ruleset(visit)
    if ruleset is None:
        return RiskAssessment(level=RiskLevel.LEVEL_5, rule_id=None, matches=()), None
    return assess_risk(risk_rules_of(ruleset), facts_of(visit_results(visit))), ruleset


def advice_suggestions(visit: Visit) -> list[SuggestedFinding]:
    """The advice library's suggestions for the visit's results (in the library's order)."""
    rules = [
        AdviceRuleSpec(
            rule_id=rule.pk,
            finding=rule.finding,
            conclusion=rule.conclusion,
            advice=rule.advice,
            prescriptions=tuple(rule.prescriptions),
            condition=Condition(rule.item_id, rule.operator, rule.threshold, tuple(rule.codes)),
        )
        for rule in AdviceRule.objects.filter(hospital_id=visit.hospital_id, is_active=True).order_by(
            "sequence", "code", "id"
        )
    ]
    return suggest_findings(rules, facts_of(visit_results(visit)))


def signoff_problems(visit: Visit) -> list[str]:
    """What stops the signature: items neither resulted nor waived, rooms with results they have not
    signed, and whatever the apps above report (``domain.events.signoff_checking``: e.g. critical
    results not yet notified)."""
    problems: list[str] = []
    orders = list(visit.orders.select_related("item__room"))
    missing = [o.item.name for o in orders if o.status == "ordered"]
    if missing:
        problems.append(_("Without a result or a waiver: %(items)s.") % {"items": "、".join(missing)})
    resulted_rooms = {o.item.room_id: o.item.room.name for o in orders if o.status == "resulted"}
    signed = set(visit.room_signoffs.values_list("room_id", flat=True))
    unsigned = [name for room_id, name in resulted_rooms.items() if room_id not in signed]
    if unsigned:
        problems.append(_("Rooms that have not signed: %(rooms)s.") % {"rooms": "、".join(sorted(unsigned))})
    for _receiver, answer in signoff_checking.send(sender=Visit, visit=visit):
        problems.extend(str(text) for text in answer or ())
    return problems


@transaction.atomic
def visit_examiner_saw(*, visit: Visit, actor: Actor, at: dt.datetime | None = None) -> Visit:
    """The chief examiner records having seen the person (face to face), now or at ``at``."""
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, visit.department)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status not in (VisitStatus.CHECKED_IN, VisitStatus.EXAMINED):
        raise ValidationError({"visit": [_("The person can be seen between check-in and the signature.")]})
    locked.examiner = actor  # type: ignore[assignment]
    locked.examiner_saw_at = moment(at)
    locked.save(update_fields=["examiner", "examiner_saw_at"])
    audit_record(
        actor=actor, action="checkup.review.saw", obj=locked, summary=f"{locked.examiner_saw_at:%H:%M}"
    )
    return locked


def _editable(visit: Visit) -> None:
    if visit.status not in (VisitStatus.CHECKED_IN, VisitStatus.EXAMINED):
        raise ValidationError({"visit": [_("The conclusion is written before the signature.")]})


@transaction.atomic
def finding_add(
    *,
    visit: Visit,
    actor: Actor,
    finding: str,
    conclusion: str = "",
    advice: str = "",
    rule: AdviceRule | None = None,
    result: Result | None = None,
) -> VisitFinding:
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, visit.department)
    _editable(visit)
    if not finding.strip():
        raise ValidationError({"finding": [_("Name the finding.")]})
    last = visit.findings.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    line = VisitFinding.objects.create(
        visit=visit,
        sequence=last + 1,
        finding=finding.strip()[:128],
        conclusion=conclusion.strip(),
        advice=advice.strip(),
        rule=rule,
        result=result,
    )
    audit_record(actor=actor, action="checkup.finding.add", obj=line, summary=line.finding)
    return line


@transaction.atomic
def findings_adopt(*, visit: Visit, actor: Actor) -> list[VisitFinding]:
    """Take the library's suggestions as conclusion lines (those not already there) and add their
    health prescriptions to the visit's."""
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, visit.department)
    _editable(visit)
    present = set(visit.findings.exclude(rule=None).values_list("rule_id", flat=True))
    added = []
    prescriptions = list(visit.prescriptions)
    for suggestion in advice_suggestions(visit):
        prescriptions += [p for p in suggestion.prescriptions if p not in prescriptions]
        if suggestion.rule_id in present:
            continue
        added.append(
            finding_add(
                visit=visit,
                actor=actor,
                finding=suggestion.finding,
                conclusion=f"{suggestion.conclusion}（{suggestion.evidence}）",
                advice=suggestion.advice,
                rule=AdviceRule.objects.get(pk=suggestion.rule_id),
                result=Result.objects.get(pk=suggestion.result_id),
            )
        )
    Visit.objects.filter(pk=visit.pk).update(prescriptions=prescriptions)
    visit.prescriptions = prescriptions
    return added


@transaction.atomic
def finding_update(
    *, line: VisitFinding, actor: Actor, finding: str, conclusion: str, advice: str
) -> VisitFinding:
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, line.visit.department)
    _editable(line.visit)
    if not finding.strip():
        raise ValidationError({"finding": [_("Name the finding.")]})
    line.finding, line.conclusion, line.advice = finding.strip()[:128], conclusion.strip(), advice.strip()
    line.save(update_fields=["finding", "conclusion", "advice"])
    audit_record(actor=actor, action="checkup.finding.update", obj=line, summary=line.finding)
    return line


@transaction.atomic
def finding_delete(*, line: VisitFinding, actor: Actor) -> None:
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, line.visit.department)
    _editable(line.visit)
    audit_record(actor=actor, action="checkup.finding.delete", obj=line, summary=line.finding)
    line.delete()


def _clean_prescriptions(codes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(code for code in codes if code))
    unknown = [code for code in chosen if code not in Prescription.values]
    if unknown:
        raise ValidationError(
            {"prescriptions": [_("Unknown prescription: %(codes)s") % {"codes": ", ".join(unknown)}]}
        )
    return chosen


@transaction.atomic
def visit_sign(
    *,
    visit: Visit,
    actor: Actor,
    summary: str,
    prescriptions: Iterable[str] = (),
    unseen_reason: str = "",
    at: dt.datetime | None = None,
) -> Visit:
    """Sign the visit (总检签字): the quality checks must pass, the overall conclusion is written, the
    person was seen (or the reason why not is given); the risk level is computed now by the rules in
    force, and the matched rules are kept with it."""
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, visit.department)
    now = moment(at)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    errors: dict[str, list[str]] = {}
    if locked.status != VisitStatus.EXAMINED:
        errors["visit"] = [_("A visit is signed after the person has left the centre.")]
    problems = signoff_problems(locked)
    if problems:
        errors.setdefault("visit", []).extend(problems)
    if not summary.strip():
        errors["summary"] = [_("Write the overall conclusion.")]
    if locked.examiner_saw_at is None and not unseen_reason.strip():
        errors["unseen_reason"] = [
            _("You have not recorded seeing the person: say why you sign without having seen them.")
        ]
    chosen = _clean_prescriptions(prescriptions)
    if errors:
        raise ValidationError(errors)
    assessment, ruleset = risk_assess(locked)
    rules = {
        rule.pk: rule for rule in RiskRule.objects.filter(pk__in=[m.rule_id for m in assessment.matches])
    }
    locked.summary = summary.strip()
    locked.prescriptions = chosen
    locked.unseen_reason = unseen_reason.strip() if locked.examiner_saw_at is None else ""
    locked.examiner = actor  # type: ignore[assignment]
    locked.signed_at = now
    locked.risk_level = locked.risk_level_computed = assessment.level
    locked.risk_rule_id = assessment.rule_id
    locked.risk_ruleset = ruleset
    locked.risk_override_reason = ""
    locked.risk_matches = [
        {
            "rule": m.rule_id,
            "level": m.level,
            "name": m.rule_name,
            "item": m.item_name,
            "value": m.display,
            "source": rules[m.rule_id].get_source_display() if m.rule_id in rules else "",
            "citation": rules[m.rule_id].citation if m.rule_id in rules else "",
        }
        for m in assessment.matches
    ]
    transition_apply(
        lifecycle=VISIT,
        obj=locked,
        to=VisitStatus.SIGNED,
        actor=actor,
        at=now,
        reason=locked.unseen_reason,
        update_fields=[
            "summary",
            "prescriptions",
            "unseen_reason",
            "examiner",
            "signed_at",
            "risk_level",
            "risk_level_computed",
            "risk_rule",
            "risk_ruleset",
            "risk_override_reason",
            "risk_matches",
        ],
    )
    audit_record(
        actor=actor,
        action="checkup.visit.sign",
        obj=locked,
        summary=f"{locked.number} {_('risk level')} {assessment.level}",
        changes={"seen": locked.examiner_saw_at is not None, "risk_level": assessment.level},
    )
    from carebridge.checkup.services.aftercare import aftercare_hand_off

    visit_id = locked.pk
    transaction.on_commit(lambda: aftercare_hand_off(visit_id=visit_id))
    return locked


@transaction.atomic
def visit_risk_override(*, visit: Visit, actor: Actor, level: int, reason: str) -> Visit:
    """Change the signed risk level by hand; the rules' level stays beside it, with the reason."""
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, visit.department)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    errors: dict[str, list[str]] = {}
    if locked.status != VisitStatus.SIGNED:
        errors["visit"] = [_("The risk level is changed after the signature and before the release.")]
    if level not in RiskLevel.values:
        errors["level"] = [_("Choose a level from 1 to 5.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the level differs from the rules.")]
    if errors:
        raise ValidationError(errors)
    before = locked.risk_level
    locked.risk_level = level
    locked.risk_override_reason = reason.strip() if level != locked.risk_level_computed else ""
    locked.save(update_fields=["risk_level", "risk_override_reason"])
    audit_record(
        actor=actor,
        action="checkup.visit.risk_override",
        obj=locked,
        summary=f"{before} → {level}: {reason.strip()}"[:255],
        changes={"risk_level": [before, level]},
    )
    return locked


@transaction.atomic
def visit_unsign(*, visit: Visit, actor: Actor, reason: str, at: dt.datetime | None = None) -> Visit:
    """Withdraw a signature before the report is released (to correct it), with a reason."""
    require_permission(actor, _SIGN, _deny_message())
    require_centre(actor, visit.department)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason.")]})
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    locked.signed_at = None
    transition_apply(
        lifecycle=VISIT,
        obj=locked,
        to=VisitStatus.EXAMINED,
        actor=actor,
        at=moment(at),
        reason=reason.strip(),
        update_fields=["signed_at"],
    )
    audit_record(actor=actor, action="checkup.visit.unsign", obj=locked, summary=reason.strip()[:200])
    return locked
