"""The instrument API: list, create, edit, weights, publish, export → import round-trip, permissions."""

from __future__ import annotations

import pytest

from carebridge.core.tests.factories import HospitalFactory, make_persona
from carebridge.surveys.domain.instruments import content_hash
from carebridge.surveys.models import Instrument
from carebridge.surveys.tests.factories import definition_small, published_version

pytestmark = pytest.mark.django_db
INSTRUMENTS = "/api/v1/surveys/instruments/"


def version_url(pk: int, action: str = "") -> str:
    return f"/api/v1/surveys/versions/{pk}/" + (f"{action}/" if action else "")


def test_the_list_holds_the_library_and_our_own_not_other_hospitals(
    api_client, quality_officer_qian, hospital
):
    published_version(hospital=hospital, code="ours")
    published_version(hospital=HospitalFactory(), code="theirs")
    answer = api_client(quality_officer_qian).get(INSTRUMENTS, {"page_size": 100})
    assert answer.status_code == 200
    rows = answer.json()["results"]
    codes = {row["code"]: row["library"] for row in rows}
    assert codes["ours"] is False and codes["csi"] is True and "theirs" not in codes


def test_round_trip_create_patch_weights_publish_export_import(api_client, quality_officer_qian, hospital):
    client = api_client(quality_officer_qian)
    created = client.post(
        INSTRUMENTS,
        {"code": "ward", "name": "病区调查", "kind": "inpatient", "respondent_class": "family"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    instrument_id = created.json()["id"]
    versions = client.get(f"{INSTRUMENTS}{instrument_id}/versions/").json()
    assert [(v["number"], v["status"]) for v in versions] == [(1, "draft")]
    draft_id = versions[0]["id"]

    patched = client.patch(version_url(draft_id), {"definition": definition_small()}, format="json")
    assert patched.status_code == 200
    assert patched.json()["content_hash"] == content_hash(definition_small())

    weighted = client.post(
        version_url(draft_id, "weights"),
        {"level": "indicator", "parent_code": "care", "weights": {"care_comm": 1, "care_env": 1}},
        format="json",
    )
    assert weighted.status_code == 200
    indicators = weighted.json()["definition"]["dimensions"][0]["indicators"]
    assert [i["weight"] for i in indicators] == [1.0, 1.0]

    published = client.post(version_url(draft_id, "publish"))
    assert published.status_code == 200
    body = published.json()
    assert body["status"] == "published" and [i["code"] for i in body["items"]] == [
        "q1",
        "q2",
        "q3",
        "nps",
        "comment",
    ]
    refused = client.patch(version_url(draft_id), {"definition": definition_small()}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()

    exported = client.get(version_url(draft_id, "export"))
    assert exported.status_code == 200 and exported["Content-Disposition"].endswith('ward-v1.json"')
    document = exported.json()

    elsewhere = make_persona("qian2", "quality_officer", HospitalFactory())
    imported = api_client(elsewhere).post(f"{INSTRUMENTS}import/", document, format="json")
    assert imported.status_code == 201, imported.json()
    assert imported.json()["version"]["content_hash"] == body["content_hash"]
    assert imported.json()["instrument"]["respondent_class"] == "family"
    again = api_client(elsewhere).post(f"{INSTRUMENTS}import/", document, format="json")
    assert again.status_code == 200 and again.json()["created"] is False


def test_bad_input_is_a_400_with_every_problem_and_changes_nothing(
    api_client, quality_officer_qian, hospital
):
    client = api_client(quality_officer_qian)
    bad = definition_small()
    bad["dimensions"][0]["indicators"][0]["items"][0]["type"] = "slider"
    bad["dimensions"][1]["weight"] = -3
    created = client.post(INSTRUMENTS, {"code": "x", "name": "X", "definition": bad}, format="json")
    assert created.status_code == 400
    errors = created.json()["definition"]
    assert any(e.startswith("dimensions[0].indicators[0].items[0].type") for e in errors)
    assert any(e.startswith("dimensions[1].weight") for e in errors)
    imported = client.post(f"{INSTRUMENTS}import/", {"format": "nope"}, format="json")
    assert imported.status_code == 400 and len(imported.json()["file"]) >= 3
    weights = client.post(version_url(1, "weights"), {"level": "x", "weights": {}}, format="json")
    assert weights.status_code in (400, 404)
    assert not Instrument.objects.filter(hospital=hospital).exists()


def test_a_new_draft_version_via_the_api(api_client, quality_officer_qian, hospital):
    version = published_version(hospital=hospital, code="ours")
    answer = api_client(quality_officer_qian).post(
        f"{INSTRUMENTS}{version.instrument_id}/versions/", {}, format="json"
    )
    assert answer.status_code == 201
    assert answer.json()["number"] == 2 and answer.json()["definition"] == version.definition


def test_copying_a_library_version(api_client, quality_officer_qian, hospital):
    client = api_client(quality_officer_qian)
    library = client.get(INSTRUMENTS, {"code": "recommendation"}).json()["results"][0]
    version_id = client.get(f"{INSTRUMENTS}{library['id']}/versions/").json()[0]["id"]
    copied = client.post(version_url(version_id, "copy"), {"code": "nps-survey"}, format="json")
    assert copied.status_code == 201 and copied.json()["library"] is False
    assert Instrument.objects.get(hospital=hospital, code="nps-survey").versions.get().status == "draft"


def test_agent_ann_reads_but_cannot_write(api_client, agent_ann, hospital):
    version = published_version(hospital=hospital, code="ours")
    client = api_client(agent_ann)
    assert client.get(INSTRUMENTS).status_code == 200
    assert client.get(version_url(version.pk)).status_code == 200
    assert client.post(INSTRUMENTS, {"code": "x", "name": "X"}, format="json").status_code == 403
    assert client.post(version_url(version.pk, "retire")).status_code == 403
    assert client.patch(version_url(version.pk), {"definition": {}}, format="json").status_code == 403


def test_strangers_see_nothing(api_client, outsider, quality_officer_qian):
    other = published_version(hospital=HospitalFactory(), code="theirs")
    assert api_client().get(INSTRUMENTS).status_code == 401
    assert api_client(outsider).get(INSTRUMENTS).status_code == 403
    assert api_client(quality_officer_qian).get(version_url(other.pk)).status_code == 404
