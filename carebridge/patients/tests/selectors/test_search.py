"""The desk's search box: what a query matches, within the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.patients.tests.factories import (
    valid_national_id,
)
from carebridge.patients.tests.support.pages import API_LIST, LIST
from carebridge.patients.tests.support.pages import api_listed as _api_listed
from carebridge.patients.tests.support.pages import listed as _listed

pytestmark = pytest.mark.django_db


# --- search -----------------------------------------------------------------------------------------


@pytest.fixture
def searchable(hospital, agent_ann):
    from carebridge.patients.services.patients import PhoneInput, patient_create

    zhang = patient_create(
        hospital=hospital,
        actor=agent_ann,
        values={
            "mrn": "ZY20260001",
            "name": "张伟",
            "national_id": valid_national_id(dt.date(1985, 2, 3), sequence=571),
        },
        phones=[PhoneInput(number="13812349876")],
    )
    zhao = patient_create(
        hospital=hospital,
        actor=agent_ann,
        values={
            "mrn": "ZY20260002",
            "name": "赵文",
            "national_id": valid_national_id(dt.date(1992, 7, 8), sequence=282),
        },
        phones=[PhoneInput(number="13900005555")],
    )
    li = patient_create(
        hospital=hospital,
        actor=agent_ann,
        values={"mrn": "MZ0099", "name": "李娜"},
        phones=[PhoneInput(number="025-83009876")],
    )
    return {"zhang": zhang, "zhao": zhao, "li": li}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张", {"zhang"}),
        ("张伟", {"zhang"}),
        ("zw", {"zhang", "zhao"}),  # 张伟 zw and 赵文 zw
        ("ZW", {"zhang", "zhao"}),
        ("ln", {"li"}),
        ("ZY20260002", {"zhao"}),
        ("zy2026", {"zhang", "zhao"}),
        ("9876", {"zhang", "li"}),  # the tail of a mobile and of a landline
        ("5555", {"zhao"}),
        ("13812349876", {"zhang"}),
        ("138 1234 9876", {"zhang"}),
        ("id:zhao", {"zhao"}),
        ("id-lower:zhang", {"zhang"}),
        ("王", set()),
    ],
)
def test_the_search_box_finds_patients(client, searchable, agent_ann, query, expected):
    if query.startswith("id:"):
        query = searchable[query[3:]].national_id
    elif query.startswith("id-lower:"):
        query = searchable[query[9:]].national_id.lower()
    client.force_login(agent_ann)
    found = _listed(client.get(LIST, {"q": query}))
    assert found == {searchable[key].pk for key in expected}


def test_search_respects_the_scope(client, api_client, registry, ward_manager_wang):
    client.force_login(ward_manager_wang)
    assert _listed(client.get(LIST, {"q": "2222"})) == set()  # 李心's phone tail, cardiology only
    assert _listed(client.get(LIST, {"q": "lx"})) == set()
    assert _listed(client.get(LIST, {"q": "4444"})) == {registry.child.pk}
    assert _api_listed(api_client(ward_manager_wang).get(API_LIST, {"q": "wxm"})) == {registry.child.pk}


def test_the_list_answers_htmx_with_the_rows_only(client, registry, agent_ann):
    client.force_login(agent_ann)
    response = client.get(LIST, {"q": "王"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="patient-table"' in html
    assert "<html" not in html
    assert "王小明" in html and "李心" not in html
