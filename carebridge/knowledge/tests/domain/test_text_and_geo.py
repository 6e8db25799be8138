"""The search's Chinese text pipeline and the distances of referrals (no database)."""

from __future__ import annotations

import pytest

from carebridge.knowledge.choices import Proximity
from carebridge.knowledge.domain import text
from carebridge.knowledge.domain.geo import haversine_km, proximity


def test_query_terms_expand_synonyms_and_related_words_with_lower_weight():
    terms = {term.token: term for term in text.query_terms("腰椎管狭窄")}
    assert terms["腰椎管狭窄"].factor == 1.0 and terms["椎管狭窄"].source == "synonym"
    assert terms["腰腿痛"].source == "related" and terms["腰腿痛"].factor < 1.0
    assert "腰椎管狭窄" in text.tokens_for_index("适用于腰椎管狭窄症的患者")


def test_haversine_and_region_proximity():
    assert haversine_km(32.0584, 118.779, 31.2304, 121.4737) == pytest.approx(271, abs=3)  # 南京 → 上海
    assert proximity("320106", "320106") == Proximity.SAME_COUNTY
    assert proximity("320106", "320115") == Proximity.SAME_CITY
    assert proximity("320106", "321183") == Proximity.SAME_PROVINCE
    assert proximity("320106", "340503") == Proximity.ELSEWHERE
    assert proximity(None, "320106") == Proximity.ELSEWHERE
