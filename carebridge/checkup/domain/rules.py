"""Rules over one result: the advice library (finding → conclusion → advice and 健康处方) and the five
risk levels (篇7 2.2.4) both say "this item, this condition". Matching is here, so the chief examiner's
suggestions, the risk level computed at sign-off and the tests agree on what a rule means.

Risk: every rule that matches contributes its level; the visit's level is the most serious one (the
lowest number). No match is level 5 ("none of the above … give normal guidance", 篇7 2.2.4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from carebridge.checkup.choices import Operator, ResultFlag, RiskLevel
from carebridge.checkup.domain.ranges import grade_rank


@dataclass(frozen=True)
class Fact:
    """One result as the rules see it."""

    result_id: int
    item_id: int
    item_name: str
    flag: str
    value_numeric: Decimal | None
    value_text: str
    display: str = ""


@dataclass(frozen=True)
class Condition:
    item_id: int
    operator: str
    threshold: Decimal | None = None
    codes: Sequence[str] = field(default_factory=tuple)


def matches(condition: Condition, fact: Fact) -> bool:  # noqa: PLR0911 - one return per operator
    """Does ``fact`` satisfy ``condition``? A rule never matches another item's result."""
    if fact.item_id != condition.item_id:
        return False
    operator, threshold = condition.operator, condition.threshold
    if operator == Operator.HIGH:
        return fact.flag == ResultFlag.HIGH
    if operator == Operator.LOW:
        return fact.flag == ResultFlag.LOW
    if operator == Operator.ABNORMAL:
        return fact.flag != ResultFlag.NORMAL
    if operator == Operator.POSITIVE:
        return fact.value_text == "positive"
    if operator == Operator.CODED_IN:
        return fact.value_text in condition.codes
    if operator == Operator.GRADE_GTE:
        if not condition.codes or fact.value_text not in {"-", "±", "+", "++", "+++", "++++"}:
            return False
        return grade_rank(fact.value_text) >= grade_rank(condition.codes[0])
    value = fact.value_numeric
    if value is None or threshold is None:
        return False
    if operator == Operator.GTE:
        return value >= threshold
    if operator == Operator.GT:
        return value > threshold
    if operator == Operator.LTE:
        return value <= threshold
    return operator == Operator.LT and value < threshold


def _by_item(facts: Iterable[Fact]) -> dict[int, list[Fact]]:
    """The facts by item, each item's in their order: a rule only ever matches its own item's results,
    so a visit's ~60 results are not each tried against every rule of the library."""
    by_item: dict[int, list[Fact]] = {}
    for fact in facts:
        by_item.setdefault(fact.item_id, []).append(fact)
    return by_item


@dataclass(frozen=True)
class RiskRuleSpec:
    rule_id: int
    level: int
    name: str
    condition: Condition
    source: str = ""


@dataclass(frozen=True)
class RiskMatch:
    rule_id: int
    level: int
    rule_name: str
    result_id: int
    item_name: str
    display: str


@dataclass(frozen=True)
class RiskAssessment:
    level: int
    rule_id: int | None
    matches: tuple[RiskMatch, ...]


def assess_risk(rules: Iterable[RiskRuleSpec], facts: Iterable[Fact]) -> RiskAssessment:
    """The visit's level: the most serious matching rule (ties: the rule listed first), else level 5."""
    by_item = _by_item(facts)
    found: list[RiskMatch] = []
    for rule in rules:
        for fact in by_item.get(rule.condition.item_id, ()):
            if matches(rule.condition, fact):
                found.append(
                    RiskMatch(
                        rule.rule_id, rule.level, rule.name, fact.result_id, fact.item_name, fact.display
                    )
                )
    if not found:
        return RiskAssessment(level=RiskLevel.LEVEL_5, rule_id=None, matches=())
    worst = min(found, key=lambda m: m.level)
    return RiskAssessment(
        level=worst.level, rule_id=worst.rule_id, matches=tuple(sorted(found, key=lambda m: m.level))
    )


@dataclass(frozen=True)
class AdviceRuleSpec:
    rule_id: int
    finding: str
    conclusion: str
    advice: str
    prescriptions: Sequence[str]
    condition: Condition


@dataclass(frozen=True)
class SuggestedFinding:
    rule_id: int
    result_id: int
    finding: str
    conclusion: str
    advice: str
    prescriptions: tuple[str, ...]
    evidence: str


def suggest_findings(rules: Iterable[AdviceRuleSpec], facts: Iterable[Fact]) -> list[SuggestedFinding]:
    """One suggestion per rule that matches (in the library's order); a rule matching several results
    is suggested once, with the first result as its evidence."""
    by_item = _by_item(facts)
    suggestions: list[SuggestedFinding] = []
    for rule in rules:
        candidates = by_item.get(rule.condition.item_id, ())
        hit = next((fact for fact in candidates if matches(rule.condition, fact)), None)
        if hit is not None:
            suggestions.append(
                SuggestedFinding(
                    rule_id=rule.rule_id,
                    result_id=hit.result_id,
                    finding=rule.finding,
                    conclusion=rule.conclusion,
                    advice=rule.advice,
                    prescriptions=tuple(rule.prescriptions),
                    evidence=f"{hit.item_name} {hit.display}".strip(),
                )
            )
    return suggestions


def prescriptions_of(suggestions: Iterable[SuggestedFinding]) -> list[str]:
    """The union of the suggestions' prescriptions, in first-seen order."""
    return list(dict.fromkeys(code for s in suggestions for code in s.prescriptions))
