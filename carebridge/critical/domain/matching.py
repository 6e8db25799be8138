"""Does a result meet a critical-result rule? Pure logic, so the detection service, the demo and the
boundary tests agree on what each operator means.

Every comparison is in the item's canonical unit (the result was converted when it was filed), and the
operators are exactly the seed's: ``≤ 3.0`` fires at 3.0, ``< 90`` does not fire at 90.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from carebridge.checkup.choices import GRADES, SexScope
from carebridge.critical.choices import RuleOperator, Severity


@dataclass(frozen=True)
class ResultFacts:
    """One result as the rules see it."""

    item_id: int
    item_code: str
    category: str
    value_numeric: Decimal | None
    value_text: str
    ref_high: Decimal | None
    sex: str
    age: int | None
    # The item's coded findings in their order (graded microscopy: ``0-1`` … ``满视野``).
    coded_order: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class RuleSpec:
    rule_id: int
    code: str
    severity: str
    operator: str
    item_id: int | None = None
    category: str = ""
    threshold: Decimal | None = None
    grade: str = ""
    codes: Sequence[str] = field(default_factory=tuple)
    sex: str = SexScope.ANY
    age_min: int | None = None
    age_max: int | None = None


def applies(rule: RuleSpec, facts: ResultFacts) -> bool:
    """The rule concerns this item (or its category) and this person's sex and age."""
    if rule.item_id is not None and rule.item_id != facts.item_id:
        return False
    if rule.item_id is None and rule.category and rule.category != facts.category:
        return False
    if rule.item_id is None and not rule.category and rule.operator != RuleOperator.CODED_IN:
        return False
    if rule.sex not in (SexScope.ANY, facts.sex):
        return False
    if facts.age is None:
        return rule.age_min is None and rule.age_max is None
    return (rule.age_min is None or facts.age >= rule.age_min) and (
        rule.age_max is None or facts.age < rule.age_max
    )


def _numeric(operator: str, value: Decimal | None, threshold: Decimal | None) -> bool:
    if value is None or threshold is None:
        return False
    if operator == RuleOperator.LT:
        return value < threshold
    if operator == RuleOperator.LTE:
        return value <= threshold
    if operator == RuleOperator.GT:
        return value > threshold
    return operator == RuleOperator.GTE and value >= threshold


def matches(rule: RuleSpec, facts: ResultFacts) -> bool:  # noqa: PLR0911 - one return per operator
    if not applies(rule, facts):
        return False
    operator = rule.operator
    if operator in (RuleOperator.LT, RuleOperator.LTE, RuleOperator.GT, RuleOperator.GTE):
        return _numeric(operator, facts.value_numeric, rule.threshold)
    if operator == RuleOperator.ABOVE_REFERENCE:
        return _numeric(RuleOperator.GT, facts.value_numeric, facts.ref_high)
    if operator == RuleOperator.GRADE_GTE:
        if facts.value_text not in GRADES or rule.grade not in GRADES:
            return False
        return GRADES.index(facts.value_text) >= GRADES.index(rule.grade)
    if operator == RuleOperator.CODED_ABOVE:
        order = list(facts.coded_order)
        if facts.value_text not in order or rule.grade not in order:
            return False
        return order.index(facts.value_text) > order.index(rule.grade)
    if operator == RuleOperator.POSITIVE:
        return facts.value_text == "positive"
    if operator == RuleOperator.CODED_IN:
        return facts.value_text in rule.codes or f"{facts.item_code}:{facts.value_text}" in rule.codes
    return False


def matching(rules: Iterable[RuleSpec], facts: ResultFacts) -> list[RuleSpec]:
    return [rule for rule in rules if matches(rule, facts)]


def worst(severities: Iterable[str]) -> str:
    """Class A if any finding is A."""
    return Severity.A if Severity.A in set(severities) else Severity.B
