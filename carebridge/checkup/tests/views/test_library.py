"""The advice library is edited by the chief examiner through its page; a condition that does not fit
the item is refused on the form."""

from __future__ import annotations

import pytest

from carebridge.checkup.models import AdviceRule
from carebridge.checkup.tests.support.pages import client_for

pytestmark = pytest.mark.django_db


def test_the_chief_examiner_adds_an_entry_with_its_prescription(site):
    client = client_for(site.examiner)
    response = client.post(
        "/checkup/advice/new/",
        {
            "code": "HDL-LOW",
            "finding": "高密度脂蛋白偏低",
            "item": site.catalogue.items["HDL"].pk,
            "operator": "low",
            "conclusion": "HDL-C低于参考范围。",
            "advice": "增加有氧运动，戒烟。",
            "sequence": 50,
            "is_active": "on",
            "prescriptions": ["exercise", "smoking_alcohol"],
        },
    )
    assert response.status_code == 302
    rule = AdviceRule.objects.get(code="HDL-LOW")
    assert rule.prescriptions == ["exercise", "smoking_alcohol"] and rule.hospital == site.centre.hospital


def test_a_coded_condition_needs_codes_of_the_item(site):
    client = client_for(site.examiner, language="en")
    response = client.post(
        "/checkup/advice/new/",
        {
            "code": "THY-X",
            "finding": "甲状腺结节",
            "item": site.catalogue.items["USTHY"].pk,
            "operator": "coded_in",
            "codes_text": "cancer",
            "conclusion": "x",
            "advice": "y",
            "sequence": 1,
        },
    )
    assert response.status_code == 200 and "Give codes of the item" in response.content.decode()
    assert not AdviceRule.objects.filter(code="THY-X").exists()


def test_the_library_belongs_to_the_chief_examiner_not_the_desk(site):
    assert client_for(site.staff).get("/checkup/advice/").status_code == 403
    assert client_for(site.examiner).get("/checkup/advice/").status_code == 200
