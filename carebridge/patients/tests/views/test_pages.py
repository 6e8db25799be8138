"""Registry pages and API reads: masking, the access log, forms, export, merge and query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from carebridge.core.masking import mask_national_id, mask_phone
from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import make_persona
from carebridge.patients.choices import AccessAction, AccessChannel
from carebridge.patients.models import Patient, PatientAccessLog, Tag
from carebridge.patients.tests.factories import (
    DiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
    valid_national_id,
)
from carebridge.patients.tests.support.pages import API_LIST, LIST
from carebridge.patients.tests.support.pages import api_detail_url as _api_detail
from carebridge.patients.tests.support.pages import detail_url as _detail

pytestmark = pytest.mark.django_db


# --- masking ----------------------------------------------------------------------------------------


def test_the_patient_list_shows_phone_and_id_masked(client, registry, agent_ann):
    client.force_login(agent_ann)
    html = client.get(LIST).content.decode()
    for patient in (registry.card_only, registry.child, registry.both):
        assert patient.national_id not in html
        assert mask_national_id(patient.national_id) in html
    for number in ("13911112222", "13733334444", "15055556666"):
        assert number not in html
        assert mask_phone(number) in html


def test_the_detail_page_and_api_show_identifiers_masked(client, api_client, registry, agent_ann):
    client.force_login(agent_ann)
    html = client.get(_detail(registry.child)).content.decode()
    assert registry.child.national_id not in html and "13733334444" not in html
    assert mask_national_id(registry.child.national_id) in html
    body = api_client(agent_ann).get(_api_detail(registry.child)).json()
    assert body["national_id"] == mask_national_id(registry.child.national_id)
    assert [p["number"] for p in body["phones"]] == ["137****4444"]
    listing = api_client(agent_ann).get(API_LIST).content.decode()
    assert registry.child.national_id not in listing and "13733334444" not in listing


# --- access log -------------------------------------------------------------------------------------


def test_viewing_a_patient_page_writes_one_access_log_row(client, registry, agent_ann):
    client.force_login(agent_ann)
    client.get(_detail(registry.child))
    entry = PatientAccessLog.objects.get()
    assert (entry.user, entry.patient, entry.action, entry.channel) == (
        agent_ann,
        registry.child,
        AccessAction.VIEW,
        AccessChannel.WEB,
    )
    assert entry.ip_address == "127.0.0.1"


def test_reading_a_patient_through_the_api_writes_one_access_log_row(api_client, registry, agent_ann):
    api_client(agent_ann).get(_api_detail(registry.child))
    entry = PatientAccessLog.objects.get()
    assert (entry.patient, entry.action, entry.channel) == (
        registry.child,
        AccessAction.VIEW,
        AccessChannel.API,
    )


def test_the_reveal_view_without_permission_answers_403_and_writes_nothing(
    client, registry, quality_officer_qian
):
    client.force_login(quality_officer_qian)
    response = client.post(
        f"/patients/{registry.child.pk}/reveal/", {"reason": "回访电话", "show": ["national_id", "phones"]}
    )
    assert response.status_code == 403
    assert registry.child.national_id not in response.content.decode()
    assert not PatientAccessLog.objects.exists()


def test_the_reveal_view_with_permission_shows_the_number_and_logs_it(client, registry, agent_ann):
    client.force_login(agent_ann)
    response = client.post(
        f"/patients/{registry.child.pk}/reveal/", {"reason": "回访电话", "show": ["national_id", "phones"]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert registry.child.national_id in html
    assert "13733334444" in html
    entry = PatientAccessLog.objects.get()
    assert (entry.action, entry.reason, entry.fields) == (
        AccessAction.REVEAL,
        "回访电话",
        "national_id,phones",
    )


def test_the_reveal_view_without_a_reason_answers_400_and_reveals_nothing(client, registry, agent_ann):
    client.force_login(agent_ann)
    response = client.post(f"/patients/{registry.child.pk}/reveal/", {"reason": "", "show": ["national_id"]})
    assert response.status_code == 400
    assert registry.child.national_id not in response.content.decode()
    assert not PatientAccessLog.objects.exists()


def test_the_reveal_view_only_answers_post(client, registry, agent_ann):
    client.force_login(agent_ann)
    assert client.get(f"/patients/{registry.child.pk}/reveal/").status_code == 405


def test_the_access_log_page_is_for_administrators_only(
    client, registry, admin_sun, agent_ann, ward_manager_wang
):
    client.force_login(agent_ann)
    client.get(_detail(registry.child))
    assert client.get("/patients/access-log/").status_code == 403
    client.force_login(ward_manager_wang)
    assert client.get("/patients/access-log/").status_code == 403
    client.force_login(admin_sun)
    response = client.get("/patients/access-log/", {"user": "ann"})
    assert response.status_code == 200
    assert [(e.user.username, e.patient_id) for e in response.context["page"].object_list] == [
        ("ann", registry.child.pk)
    ]


# --- forms ------------------------------------------------------------------------------------------

BIRTH = dt.date(1990, 3, 7)
FEMALE_ID = valid_national_id(BIRTH, sequence=246)


def _form(**overrides):
    data = {
        "mrn": "N0001",
        "name": "刘芳",
        "sex": "F",
        "birth_date": "",
        "national_id": FEMALE_ID,
        "region": "320106",
        "address": "鼓楼区",
        "phones": "13612345678\n025-83001234",
        "tags": "VIP，慢病",
        "contact_consent": "on",
    }
    data.update(overrides)
    return data


def test_the_create_form_registers_a_patient(client, agent_ann):
    client.force_login(agent_ann)
    response = client.post("/patients/new/", _form())
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == _detail(patient)
    assert patient.birth_date == BIRTH  # left empty on the form: taken from the ID
    assert list(patient.phones.values_list("number", "is_primary")) == [
        ("13612345678", True),
        ("025-83001234", False),
    ]
    assert sorted(patient.tags.values_list("name", flat=True)) == ["VIP", "慢病"]
    assert patient.contact_consent and patient.contact_consent_at is not None
    assert not patient.survey_consent


def test_the_create_form_rerenders_an_invalid_national_id_with_the_field_error(client, agent_ann):
    client.force_login(agent_ann)
    response = client.post(
        "/patients/new/", _form(national_id=FEMALE_ID[:-1] + ("1" if FEMALE_ID[-1] == "0" else "0"))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["national_id"]
    assert not Patient.objects.exists()


def test_the_create_form_shows_service_errors_on_their_fields(client, agent_ann):
    client.force_login(agent_ann)
    response = client.post("/patients/new/", _form(sex="M"))
    assert response.status_code == 400
    assert response.context["form"].errors["sex"]
    assert not Patient.objects.exists()


def test_the_create_form_needs_the_add_permission(client, ward_manager_wang):
    client.force_login(ward_manager_wang)
    assert client.post("/patients/new/", _form()).status_code == 403
    assert not Patient.objects.exists()


def test_the_edit_form_replaces_phones_and_writes_history(client, registry, agent_ann):
    patient = registry.child
    client.force_login(agent_ann)
    response = client.post(
        f"/patients/{patient.pk}/edit/",
        {
            "mrn": patient.mrn,
            "name": patient.name,
            "sex": "F",
            "birth_date": patient.birth_date.isoformat(),
            "national_id": "",
            "region": "320106",
            "address": "新街口",
            "phones": "13988887777",
            "tags": "",
            "contact_consent": "on",
            "survey_consent": "on",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert list(patient.phones.values_list("number", flat=True)) == ["13988887777"]
    assert patient.national_id == registry.child.national_id  # empty field: kept
    event = AuditEvent.objects.get(action="patient.update", object_id=str(patient.pk))
    assert event.changes["phones"] == [["137****4444"], ["139****7777"]]
    assert event.changes["address"] == ["", "新街口"]
    assert "13988887777" not in str(event.changes)


def test_the_edit_form_shows_the_stored_birth_date_to_the_browsers_date_picker(client, registry, agent_ann):
    # In zh-hans Django rendered 2019/03/08, which <input type="date"> drops: the field showed empty and
    # saving the edit form unchanged erased the birth date.
    client.force_login(agent_ann)
    page = client.get(f"/patients/{registry.child.pk}/edit/").content.decode()
    assert 'type="date" name="birth_date" value="2019-03-08"' in page


def test_the_edit_form_of_an_out_of_scope_patient_is_404(client, registry, ward_manager_wang):
    client.force_login(ward_manager_wang)
    assert client.get(f"/patients/{registry.card_only.pk}/edit/").status_code == 404


# --- export -----------------------------------------------------------------------------------------


def test_the_excel_export_holds_only_masked_identifiers_and_logs_each_patient(
    client, registry, quality_officer_qian
):
    registry.child.tags.add(Tag.objects.create(name="医保"))
    client.force_login(quality_officer_qian)
    response = client.get("/patients/export/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        assert rows[0][:5] == tuple(gettext(h) for h in ("MRN", "Name", "Sex", "Birth date", "National ID"))
    by_mrn = {row[0]: row for row in rows[1:]}
    assert set(by_mrn) == {"C0000001", "P0000001", "B0000001"}
    child = by_mrn["P0000001"]
    assert child[1] == "王小明"
    assert child[4] == mask_national_id(registry.child.national_id)
    assert child[5] == "137****4444"
    assert child[7] == "医保"
    every_cell = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    for patient in (registry.card_only, registry.child, registry.both):
        assert patient.national_id not in every_cell
    for number in ("13911112222", "13733334444", "15055556666"):
        assert number not in every_cell
    exported = PatientAccessLog.objects.filter(action=AccessAction.EXPORT, user=quality_officer_qian)
    assert sorted(exported.values_list("patient_id", flat=True)) == sorted(
        [registry.card_only.pk, registry.child.pk, registry.both.pk]
    )


def test_the_export_follows_the_filters_and_the_scope(client, registry, hospital, paediatrics):
    head = make_persona("head", "dept_head", hospital, departments=[paediatrics])
    client.force_login(head)
    response = client.get("/patients/export/", {"format": "csv", "chapter": "10"})
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "王小明" in text and "赵两科" in text and "李心" not in text
    assert registry.child.national_id not in text
    assert PatientAccessLog.objects.filter(action=AccessAction.EXPORT).count() == 2


def test_the_export_is_refused_without_the_permission(client, registry, agent_ann):
    client.force_login(agent_ann)
    assert client.get("/patients/export/", {"format": "xlsx"}).status_code == 403
    assert not PatientAccessLog.objects.exists()


def test_the_export_refuses_an_unknown_format_and_logs_nothing(client, registry, quality_officer_qian):
    client.force_login(quality_officer_qian)
    assert client.get("/patients/export/", {"format": "pdf"}).status_code == 400
    assert not PatientAccessLog.objects.exists()


# --- duplicates and merge ---------------------------------------------------------------------------


@pytest.fixture
def duplicates(hospital):
    same_id = valid_national_id(dt.date(1966, 1, 2), sequence=111)
    twin_a = PatientFactory(
        hospital=hospital,
        name="孙立",
        name_initials="sl",
        birth_date=dt.date(1966, 1, 2),
        national_id=same_id,
    )
    twin_b = PatientFactory(
        hospital=hospital,
        name="孙力",
        name_initials="sl",
        birth_date=dt.date(1966, 1, 2),
        national_id=same_id,
    )
    born = dt.date(1958, 6, 30)
    similar_a = PatientFactory(
        hospital=hospital,
        name="王建国",
        name_initials="wjg",
        birth_date=born,
        national_id=valid_national_id(born, sequence=331),
    )
    similar_b = PatientFactory(
        hospital=hospital, name="王建华", name_initials="wjh", birth_date=born, national_id=""
    )
    PhoneFactory(patient=similar_a, number="13577778888")
    PhoneFactory(patient=similar_b, number="13577778888")
    EncounterFactory(patient=similar_b)
    # Same birth date and phone but a different name: a family member, not a duplicate.
    PatientFactory(hospital=hospital, name="李秀英", name_initials="lxy", birth_date=born, national_id="")
    PhoneFactory(patient=Patient.objects.get(name="李秀英"), number="13577778888")
    return twin_a, twin_b, similar_a, similar_b


def test_the_duplicate_finder_lists_a_same_id_pair_and_a_similar_name_pair(client, duplicates, admin_sun):
    twin_a, twin_b, similar_a, similar_b = duplicates
    client.force_login(admin_sun)
    response = client.get("/patients/duplicates/")
    assert response.status_code == 200
    groups = {(g.reason, frozenset(p.pk for p in g.patients)) for g in response.context["groups"]}
    assert groups == {
        ("same_national_id", frozenset({twin_a.pk, twin_b.pk})),
        ("shared_phone", frozenset({similar_a.pk, similar_b.pk})),
    }
    assert twin_a.national_id not in response.content.decode()


def test_the_duplicate_finder_needs_the_merge_permission(client, duplicates, agent_ann):
    client.force_login(agent_ann)
    assert client.get("/patients/duplicates/").status_code == 403


def test_the_merge_page_previews_and_merges(client, duplicates, admin_sun):
    _a, _b, survivor, duplicate = duplicates
    client.force_login(admin_sun)
    url = "/patients/merge/"
    preview = client.get(url, {"survivor": survivor.pk, "duplicate": duplicate.pk})
    assert preview.status_code == 200
    assert preview.context["preview"].encounters == 1
    assert preview.context["preview"].blockers == []
    assert not Patient.objects.filter(merged_into__isnull=False).exists()

    response = client.post(
        url, {"survivor": survivor.pk, "duplicate": duplicate.pk, "reason": "电话与生日相同"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == _detail(survivor)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert survivor.encounters.count() == 1


def test_the_merge_page_blocks_records_with_different_ids(client, duplicates, admin_sun):
    twin_a, _b, similar_a, _d = duplicates
    client.force_login(admin_sun)
    response = client.post(
        "/patients/merge/", {"survivor": twin_a.pk, "duplicate": similar_a.pk, "reason": "x"}
    )
    assert response.context["preview"].blockers
    similar_a.refresh_from_db()
    assert similar_a.merged_into is None


def test_the_merge_page_needs_the_merge_permission(client, duplicates, agent_ann):
    _a, _b, survivor, duplicate = duplicates
    client.force_login(agent_ann)
    response = client.post(
        "/patients/merge/", {"survivor": survivor.pk, "duplicate": duplicate.pk, "reason": "x"}
    )
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


# --- query counts -----------------------------------------------------------------------------------


@pytest.fixture
def thirty_patients(hospital, cardiology):
    tags = [Tag.objects.create(name=name) for name in ("慢病", "医保")]
    for index in range(30):
        patient = PatientFactory(hospital=hospital, name=f"患者{index}")
        patient.tags.set(tags)
        PhoneFactory(patient=patient)
        PhoneFactory(patient=patient, is_primary=False)
        encounter = EncounterFactory(patient=patient, department=cardiology)
        DiagnosisFactory(encounter=encounter)


def test_the_patient_list_page_runs_a_fixed_number_of_queries(
    client, thirty_patients, agent_ann, django_assert_max_num_queries
):
    client.force_login(agent_ann)
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 25


def test_the_api_patient_list_runs_a_fixed_number_of_queries(
    api_client, thirty_patients, agent_ann, django_assert_max_num_queries
):
    api = api_client(agent_ann)
    with django_assert_max_num_queries(15):
        response = api.get(API_LIST)
    assert len(response.json()["results"]) == 25


def test_the_api_encounter_list_runs_a_fixed_number_of_queries(
    api_client, thirty_patients, agent_ann, django_assert_max_num_queries
):
    api = api_client(agent_ann)
    with django_assert_max_num_queries(15):
        response = api.get("/api/v1/encounters/")
    assert len(response.json()["results"]) == 25
