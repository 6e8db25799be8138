"""The data scope of the registry, through the pages and the API: who sees which patients, encounters and
aggregates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from carebridge.core.tests.factories import DepartmentFactory, make_persona
from carebridge.patients.models import PatientAccessLog
from carebridge.patients.tests.factories import (
    EncounterFactory,
    PatientFactory,
)
from carebridge.patients.tests.support.pages import API_LIST, LIST
from carebridge.patients.tests.support.pages import api_detail_url as _api_detail
from carebridge.patients.tests.support.pages import api_listed as _api_listed
from carebridge.patients.tests.support.pages import detail_url as _detail
from carebridge.patients.tests.support.pages import listed as _listed

pytestmark = pytest.mark.django_db


# --- data scope -------------------------------------------------------------------------------------


def test_a_ward_manager_cannot_open_a_patient_seen_only_in_another_department(
    client, api_client, registry, ward_manager_wang
):
    client.force_login(ward_manager_wang)
    assert client.get(_detail(registry.card_only)).status_code == 404
    assert api_client(ward_manager_wang).get(_api_detail(registry.card_only)).status_code == 404
    assert not PatientAccessLog.objects.exists()


def test_a_ward_manager_lists_only_patients_of_their_department(
    client, api_client, registry, ward_manager_wang
):
    client.force_login(ward_manager_wang)
    expected = {registry.child.pk, registry.both.pk}
    assert _listed(client.get(LIST)) == expected
    assert _api_listed(api_client(ward_manager_wang).get(API_LIST)) == expected


def test_a_hospital_wide_agent_lists_every_patient(client, api_client, registry, agent_ann):
    client.force_login(agent_ann)
    expected = {registry.card_only.pk, registry.child.pk, registry.both.pk}
    assert _listed(client.get(LIST)) == expected
    assert _api_listed(api_client(agent_ann).get(API_LIST)) == expected


def test_a_patient_seen_in_both_departments_shows_the_ward_manager_only_paediatrics(
    client, api_client, registry, ward_manager_wang
):
    client.force_login(ward_manager_wang)
    response = client.get(_detail(registry.both))
    assert response.status_code == 200
    html = response.content.decode()
    assert "急性上呼吸道感染" in html
    assert "扩张型心肌病" not in html
    assert "I42.0" not in html
    assert "心血管内科" not in html
    assert [e.pk for e in response.context["encounters"]] == [registry.ped_visit.pk]

    api = api_client(ward_manager_wang)
    rows = api.get("/api/v1/encounters/", {"patient": registry.both.pk}).json()["results"]
    assert [row["id"] for row in rows] == [registry.ped_visit.pk]
    assert api.get(f"/api/v1/encounters/{registry.card_visit.pk}/").status_code == 404


def test_the_cardiology_clinician_sees_the_other_half(client, registry, clinician_zhou):
    client.force_login(clinician_zhou)
    html = client.get(_detail(registry.both)).content.decode()
    assert "扩张型心肌病" in html
    assert "急性上呼吸道感染" not in html


@pytest.mark.parametrize("query", [{"chapter": "9"}, {"icd10": "I42"}, {"icd10": "I"}, {"department": None}])
def test_filters_cannot_reveal_diagnoses_outside_the_scope(
    client, api_client, registry, ward_manager_wang, query
):
    if "department" in query:
        query = {"department": str(registry.card_visit.department_id)}
    client.force_login(ward_manager_wang)
    assert _listed(client.get(LIST, query)) == set()
    assert _api_listed(api_client(ward_manager_wang).get(API_LIST, query)) == set()


def test_the_same_filters_find_the_patients_for_a_hospital_wide_user(client, registry, agent_ann):
    client.force_login(agent_ann)
    assert _listed(client.get(LIST, {"chapter": "9"})) == {registry.card_only.pk, registry.both.pk}
    assert _listed(client.get(LIST, {"icd10": "i42"})) == {registry.both.pk}
    assert _listed(client.get(LIST, {"chapter": "10"})) == {registry.child.pk, registry.both.pk}


def test_an_in_scope_chapter_filter_works_for_the_ward_manager(client, registry, ward_manager_wang):
    client.force_login(ward_manager_wang)
    assert _listed(client.get(LIST, {"chapter": "10"})) == {registry.child.pk, registry.both.pk}
    assert _listed(client.get(LIST, {"icd10": "J18"})) == {registry.child.pk}


def test_a_patient_not_yet_seen_is_findable_by_a_scoped_user_who_registers_patients(client, hospital):
    checkup = DepartmentFactory(hospital=hospital, code="CHKP", name="体检中心")
    registrar = make_persona("chen", "checkup_staff", hospital, departments=[checkup])
    newcomer = PatientFactory(hospital=hospital, name="新患者")
    client.force_login(registrar)
    assert newcomer.pk in _listed(client.get(LIST))


def test_a_patient_not_yet_seen_stays_hidden_from_scoped_users_who_cannot_register(
    client, hospital, ward_manager_wang
):
    newcomer = PatientFactory(hospital=hospital, name="新患者")
    client.force_login(ward_manager_wang)
    assert newcomer.pk not in _listed(client.get(LIST))
    assert client.get(f"/patients/{newcomer.pk}/").status_code == 404


def test_patients_of_another_hospital_are_invisible_even_hospital_wide(client, registry, agent_ann):
    stranger = PatientFactory(name="外院患者")
    EncounterFactory(patient=stranger)
    client.force_login(agent_ann)
    assert stranger.pk not in _listed(client.get(LIST))
    assert client.get(_detail(stranger)).status_code == 404


def test_the_outsider_sees_nothing(client, api_client, registry, outsider):
    client.force_login(outsider)
    assert client.get(LIST).status_code == 403
    assert client.get(_detail(registry.child)).status_code == 403
    assert api_client(outsider).get(API_LIST).status_code == 403


def test_an_agent_without_a_staff_record_sees_no_patient(client, api_client, registry):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nostaff", password="x-pass-2026-long")
    user.groups.add(Group.objects.get(name="agent"))
    client.force_login(user)
    assert _listed(client.get(LIST)) == set()
    assert client.get(_detail(registry.child)).status_code == 404
    assert _api_listed(api_client(user).get(API_LIST)) == set()


def test_the_executive_gets_aggregates_but_no_patient_list(client, api_client, registry, executive_zhao):
    client.force_login(executive_zhao)
    assert client.get(LIST).status_code == 403
    assert client.get(_detail(registry.child)).status_code == 403
    assert api_client(executive_zhao).get(API_LIST).status_code == 403
    response = client.get("/patients/classification/")
    assert response.status_code == 200
    by_department = {row.label: row.patients for row in response.context["departments"]}
    assert by_department == {"心血管内科": 2, "儿科": 2}
    assert not response.context["can_drill"]
    html = response.content.decode()
    for name in ("李心", "王小明", "赵两科"):
        assert name not in html


def test_the_classification_of_a_ward_manager_counts_only_their_departments(
    client, registry, ward_manager_wang
):
    client.force_login(ward_manager_wang)
    response = client.get("/patients/classification/")
    assert {row.label for row in response.context["departments"]} == {"儿科"}
    assert {int(item["row"].key) for item in response.context["chapters"]} == {10}


def test_the_region_filter_and_drill_down_work(client, registry, agent_ann, executive_zhao):
    registry.child.region_id = "110105"
    registry.child.save()
    client.force_login(agent_ann)
    assert _listed(client.get(LIST, {"region": "320100"})) == {registry.card_only.pk, registry.both.pk}
    assert _listed(client.get(LIST, {"region": "11"})) == {registry.child.pk}
    client.force_login(executive_zhao)
    provinces = client.get("/patients/classification/").context["regions"]
    assert {(row.key, row.patients) for row in provinces} == {("32", 2), ("11", 1)}
    cities = client.get("/patients/classification/", {"region": "32"}).context["regions"]
    assert [(row.key, row.label, row.patients) for row in cities] == [("3201", "南京市", 2)]
    counties = client.get("/patients/classification/", {"region": "3201"}).context["regions"]
    assert [(row.key, row.label, row.patients) for row in counties] == [("320106", "鼓楼区", 2)]
