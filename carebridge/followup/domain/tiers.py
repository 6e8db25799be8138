"""The tier policy (回访级别): the first active rule whose every condition holds decides a stay's follow-up
tier at discharge; the facts it saw are kept with the plan so the choice can be explained."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from carebridge.followup.models import TierFacts, TierRule
from carebridge.patients.models import Encounter


def _normalise_code(code: str) -> str:
    return code.replace(".", "").strip().upper()


def tier_facts(*, encounter: Encounter, medication_flags: Iterable[str]) -> TierFacts:
    """What the tier policy looks at, as stored with the plan."""
    return TierFacts(
        icd10=[_normalise_code(d.code) for d in encounter.diagnoses.all()],
        department=encounter.department.code,
        surgery_grade=encounter.surgery_grade,
        critical=bool(encounter.critical),
        medication_flags=sorted(set(medication_flags)),
    )


@dataclass(frozen=True)
class TierDecision:
    tier: str
    rule: TierRule | None
    reason: str
    facts: TierFacts


def _rule_matches(rule: TierRule, facts: TierFacts, department_ids: set[int], department_id: int) -> bool:
    prefixes = [_normalise_code(p) for p in rule.icd10_prefixes or [] if str(p).strip()]
    if prefixes and not any(code.startswith(p) for code in facts.get("icd10", []) for p in prefixes):
        return False
    grade = facts.get("surgery_grade")
    if rule.surgery_grade_min is not None and (grade is None or grade < rule.surgery_grade_min):
        return False
    if rule.critical is not None and bool(facts.get("critical")) != rule.critical:
        return False
    if department_ids and department_id not in department_ids:
        return False
    wanted = set(rule.medication_flags or [])
    return not (wanted and not wanted & set(facts.get("medication_flags", [])))


def tier_rules(*, hospital_id: int) -> list[TierRule]:
    """The hospital's active rules in the order they are tried, with their departments."""
    return list(
        TierRule.objects.filter(hospital_id=hospital_id, is_active=True)
        .prefetch_related("departments")
        .order_by("priority", "id")
    )


def tier_decide(
    *,
    encounter: Encounter,
    medication_flags: Iterable[str],
    default_tier: str,
    rules: Sequence[TierRule] | None = None,
) -> TierDecision:
    """The first active rule (by priority) whose every set condition holds; else the default tier.

    ``rules``: the hospital's :func:`tier_rules`, read once by a caller deciding many stays (the demo
    loader re-read them per stay: issue 18 measured 47 % of its follow-up time there)."""
    facts = tier_facts(encounter=encounter, medication_flags=medication_flags)
    if rules is None:
        rules = tier_rules(hospital_id=encounter.hospital_id)
    for rule in rules:
        department_ids = {d.pk for d in rule.departments.all()}
        if _rule_matches(rule, facts, department_ids, encounter.department_id):
            return TierDecision(
                tier=rule.tier,
                rule=rule,
                reason=_("Rule %(priority)s “%(name)s”") % {"priority": rule.priority, "name": rule.name},
                facts=facts,
            )
    return TierDecision(
        tier=default_tier, rule=None, reason=_("No rule matched: the default tier"), facts=facts
    )
