"""The category is suggested from the text by jieba and the editable lexicon, with the terms that made it."""

from __future__ import annotations

import pytest

from carebridge.complaints.choices import CATEGORY_DOMAIN, Category, HcatDomain
from carebridge.complaints.domain.lexicon import suggest_category
from carebridge.complaints.models import CategoryKeyword

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("门诊护士态度冷漠，问了两遍都不耐烦", Category.ATTITUDE),
        ("出院结算发现多收了两项检查费，要求退费", Category.FEES),
        ("在骨科排队等了三个多小时才看上病", Category.WAITING),
        ("有医生暗示要红包才能尽快安排手术", Category.ETHICS),
        ("医生没说清手术风险，也不告诉我们后果", Category.COMMUNICATION),
        ("病房夜里按呼叫铃半小时没人来，输液鼓针了", Category.NURSING),
        ("怀疑误诊，病情加重", Category.MEDICAL_QUALITY),
        ("住院楼卫生间很脏，有异味", Category.ENVIRONMENT),
    ],
)
def test_the_category_is_suggested_from_the_text(text, category):
    assert suggest_category(text).category == category


def test_the_suggestion_says_why():
    suggestion = suggest_category("收费处多收了钱，还不给退费")
    terms = {e.term for e in suggestion.evidence if e.category == Category.FEES}
    assert {"收费", "多收", "退费"} <= terms
    assert suggestion.evidence[0].category == Category.FEES


def test_text_without_a_known_term_suggests_other():
    suggestion = suggest_category("今天天气不错")
    assert suggestion.category == Category.OTHER and not suggestion.matched


def test_an_administrator_can_teach_the_lexicon_a_new_term():
    assert suggest_category("保安拦着不让进").category == Category.OTHER
    CategoryKeyword.objects.create(term="保安", category=Category.ENVIRONMENT, weight=2)
    assert suggest_category("保安拦着不让进").category == Category.ENVIRONMENT


def test_a_deactivated_term_no_longer_counts():
    CategoryKeyword.objects.filter(term="红包").update(is_active=False)
    assert suggest_category("要红包").category != Category.ETHICS


def test_the_intake_keeps_the_suggestion_and_the_receivers_choice(receive, agent_ann):
    suggested = receive(agent_ann, content="排队等了两个小时")
    assert suggested.category == suggested.suggested_category == Category.WAITING
    assert any(e["term"] == "排队" for e in suggested.suggestion_evidence)
    chosen = receive(agent_ann, content="排队等了两个小时", category=Category.COMMUNICATION)
    assert chosen.category == Category.COMMUNICATION and chosen.suggested_category == Category.WAITING


def test_every_category_has_an_hcat_domain():
    assert set(CATEGORY_DOMAIN) == set(Category.values)
    assert set(CATEGORY_DOMAIN.values()) == set(HcatDomain.values)
