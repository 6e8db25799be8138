"""Risk levels and advice suggestions over a visit's results: a rule matches only its own item's results,
in the results' order, and the library's order decides ties (篇7 2.2.4)."""

from __future__ import annotations

from decimal import Decimal

from carebridge.checkup.choices import Operator, ResultFlag, RiskLevel
from carebridge.checkup.domain.rules import (
    AdviceRuleSpec,
    Condition,
    Fact,
    RiskRuleSpec,
    assess_risk,
    suggest_findings,
)

GLUCOSE, LDL, CEA = 11, 12, 13
FACTS = [
    Fact(101, GLUCOSE, "空腹血糖", ResultFlag.HIGH, Decimal("7.4"), "", "7.4 mmol/L"),
    Fact(102, LDL, "低密度脂蛋白", ResultFlag.NORMAL, Decimal("3.1"), "", "3.1 mmol/L"),
    Fact(103, CEA, "癌胚抗原", ResultFlag.HIGH, Decimal("12.0"), "", "12.0 ng/mL"),
    Fact(104, GLUCOSE, "空腹血糖（复查）", ResultFlag.HIGH, Decimal("8.1"), "", "8.1 mmol/L"),
]


def _risk(rule_id, level, item, operator, threshold=None):
    condition = Condition(item_id=item, operator=operator, threshold=threshold)
    return RiskRuleSpec(rule_id=rule_id, level=level, name=f"rule {rule_id}", condition=condition)


def _advice(rule_id, item, operator, threshold=None, prescriptions=()):
    condition = Condition(item_id=item, operator=operator, threshold=threshold)
    return AdviceRuleSpec(rule_id, f"finding {rule_id}", "", "", prescriptions, condition)


def test_the_most_serious_matching_rule_sets_the_level_and_every_match_is_kept_in_order():
    rules = [
        _risk(1, RiskLevel.LEVEL_3, GLUCOSE, Operator.GTE, Decimal("7.0")),
        _risk(2, RiskLevel.LEVEL_2, CEA, Operator.GT, Decimal("10")),
        _risk(3, RiskLevel.LEVEL_1, LDL, Operator.HIGH),  # LDL is normal: no match
        _risk(4, RiskLevel.LEVEL_2, GLUCOSE, Operator.GTE, Decimal("8.0")),
    ]
    assessment = assess_risk(rules, FACTS)
    assert (assessment.level, assessment.rule_id) == (RiskLevel.LEVEL_2, 2)  # rule 2 listed before 4
    assert [(m.rule_id, m.result_id) for m in assessment.matches] == [(2, 103), (4, 104), (1, 101), (1, 104)]
    assert assessment.matches[0].item_name == "癌胚抗原"


def test_a_rule_never_matches_another_items_result():
    # CEA's 12.0 is above the threshold, but the rule is about LDL, whose value is 3.1.
    assessment = assess_risk([_risk(1, RiskLevel.LEVEL_1, LDL, Operator.GT, Decimal("10"))], FACTS)
    assert (assessment.level, assessment.rule_id, assessment.matches) == (RiskLevel.LEVEL_5, None, ())
    assert suggest_findings([_advice(1, LDL, Operator.HIGH)], FACTS) == []


def test_a_suggestion_per_matching_rule_with_its_items_first_matching_result_as_evidence():
    rules = [
        _advice(7, GLUCOSE, Operator.GTE, Decimal("8.0"), ("diet",)),
        _advice(8, CEA, Operator.HIGH),
        _advice(9, GLUCOSE, Operator.HIGH, prescriptions=("diet", "exercise")),
        _advice(10, LDL, Operator.LT, Decimal("3.0")),
    ]
    found = suggest_findings(rules, iter(FACTS))  # any iterable of facts, read once
    assert [(s.rule_id, s.result_id, s.evidence) for s in found] == [
        (7, 104, "空腹血糖（复查） 8.1 mmol/L"),
        (8, 103, "癌胚抗原 12.0 ng/mL"),
        (9, 101, "空腹血糖 7.4 mmol/L"),
    ]
    assert found[2].prescriptions == ("diet", "exercise")
