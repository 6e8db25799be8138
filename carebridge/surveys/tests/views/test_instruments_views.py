"""Instrument pages and the builder: the quality office edits, others with view permission read."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from carebridge.core.tests.factories import HospitalFactory
from carebridge.core.tests.support.i18n import shown
from carebridge.surveys.choices import VersionStatus
from carebridge.surveys.models import Instrument, InstrumentVersion
from carebridge.surveys.services.instruments import export_document, instrument_create
from carebridge.surveys.tests.factories import definition_small, published_version

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(hospital, quality_officer_qian):
    instrument = instrument_create(
        hospital=hospital,
        actor=quality_officer_qian,
        code="ward",
        name="病区调查",
        definition=definition_small(),
    )
    return instrument.versions.get()


@pytest.fixture
def qian(client, quality_officer_qian):
    client.force_login(quality_officer_qian)
    return client


def item_codes(version: InstrumentVersion) -> list[str]:
    version.refresh_from_db()
    return [i["code"] for d in version.definition["dimensions"] for n in d["indicators"] for i in n["items"]]


def test_the_surveys_home_lists_the_library_and_our_instruments(qian, draft):
    page = qian.get(reverse("surveys:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "住院患者就医体验调查" in html and "顾客满意度指数" in html
    assert reverse("surveys:instrument_detail", args=[draft.instrument.pk]) in html


def test_copying_from_the_library_opens_the_builder_on_a_draft(qian, hospital):
    library = InstrumentVersion.objects.get(instrument__hospital=None, instrument__code="csi")
    answer = qian.post(reverse("surveys:instrument_copy", args=[library.pk]), {"code": "", "name": ""})
    copy = Instrument.objects.get(hospital=hospital, code="csi")
    draft = copy.versions.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "surveys:version_builder", args=[draft.pk]
    )
    assert draft.definition == library.definition
    builder = qian.get(answer["Location"])
    assert builder.status_code == 200 and "sat1" in builder.content.decode()


def test_creating_an_instrument_with_a_respondent_class(qian, hospital):
    answer = qian.post(
        reverse("surveys:instrument_create"),
        {"code": "family-survey", "name": "家属满意度", "kind": "other", "respondent_class": "family"},
    )
    assert answer.status_code == 302
    instrument = Instrument.objects.get(hospital=hospital, code="family-survey")
    assert instrument.respondent_class == "family"
    refused = qian.post(
        reverse("surveys:instrument_create"),
        {"code": "family-survey", "name": "重复", "kind": "other", "respondent_class": "family"},
    )
    assert (
        refused.status_code == 200
        and shown("This hospital already has an instrument with this code.") in refused.content.decode()
    )


def test_the_builder_edits_an_item_through_htmx_and_previews_it(qian, draft):
    url = reverse("surveys:builder_node", args=[draft.pk]) + "?level=item&code=q3"
    editor = qian.get(url, **HTMX)
    assert editor.status_code == 200
    assert 'id="workspace"' in editor.content.decode() and "<html" not in editor.content.decode()
    answer = qian.post(
        url,
        {
            "code": "q3",
            "type": "likert",
            "points": "7",
            "text_zh": "病房安静吗？",
            "text_en": "Was the ward quiet?",
            "na": "on",
            "weight": "2",
            "show_if_item": "q1",
            "show_if_values": "4, 5",
        },
        **HTMX,
    )
    assert answer.status_code == 200
    draft.refresh_from_db()
    item = draft.definition["dimensions"][0]["indicators"][1]["items"][0]
    assert item["points"] == 7 and item["na"] is True and item["weight"] == 2
    assert item["show_if"] == {"item": "q1", "in": [4, 5]}
    assert "病房安静吗？" in answer.content.decode()


def test_the_builder_adds_moves_and_removes_items(qian, draft):
    add = reverse("surveys:builder_node", args=[draft.pk]) + "?level=item&parent=care_env"
    qian.post(add, {"code": "q4", "type": "yes_no", "text_zh": "有人介绍主管医生吗？", "weight": "1"}, **HTMX)
    assert item_codes(draft) == ["q1", "q2", "q3", "q4", "nps", "comment"]
    op = reverse("surveys:builder_op", args=[draft.pk])
    qian.post(op, {"op": "up", "level": "item", "code": "q4"}, **HTMX)
    assert item_codes(draft)[2:4] == ["q4", "q3"]
    qian.post(op, {"op": "remove", "level": "item", "code": "q4"}, **HTMX)
    assert item_codes(draft) == ["q1", "q2", "q3", "nps", "comment"]


def test_a_refused_change_shows_every_problem_and_changes_nothing(qian, draft):
    before = draft.content_hash
    answer = qian.post(
        reverse("surveys:builder_op", args=[draft.pk]),
        {"op": "remove", "level": "item", "code": "nps"},
        **HTMX,
    )
    assert answer.status_code == 400
    assert "show_if" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.content_hash == before


def test_the_builder_adds_a_dimension_with_a_first_indicator_and_item(qian, draft):
    url = reverse("surveys:builder_node", args=[draft.pk]) + "?level=dimension"
    qian.post(url, {"code": "fees", "title_zh": "费用", "weight": "0.2", "scored": "on"}, **HTMX)
    draft.refresh_from_db()
    fees = draft.definition["dimensions"][-1]
    assert fees["code"] == "fees" and len(fees["indicators"][0]["items"]) == 1


def test_the_weights_editor_uses_draft_set_weights(qian, draft):
    url = reverse("surveys:builder_weights", args=[draft.pk]) + "?level=dimension"
    assert qian.get(url, **HTMX).status_code == 200
    qian.post(url, {"w_care": "1", "w_overall": "1", "w_about": "0"}, **HTMX)
    draft.refresh_from_db()
    assert [d["weight"] for d in draft.definition["dimensions"]] == [1.0, 1.0, 0.0]
    refused = qian.post(url, {"w_care": "-1", "w_overall": "1", "w_about": "0"}, **HTMX)
    assert refused.status_code == 400


def test_the_json_view_saves_valid_json_and_refuses_the_rest(qian, draft):
    url = reverse("surveys:builder_json", args=[draft.pk])
    assert qian.post(url, {"definition": "{not json"}, **HTMX).status_code == 400
    changed = definition_small()
    changed["title"]["zh-hans"] = "新标题"
    assert qian.post(url, {"definition": json.dumps(changed)}, **HTMX).status_code == 200
    draft.refresh_from_db()
    assert draft.definition["title"]["zh-hans"] == "新标题"


def test_publish_then_the_builder_is_closed_and_history_shows_hashes(qian, draft):
    answer = qian.post(reverse("surveys:version_publish", args=[draft.pk]))
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.items.count() == 5
    assert qian.get(reverse("surveys:version_builder", args=[draft.pk])).status_code == 302
    detail = qian.get(reverse("surveys:instrument_detail", args=[draft.instrument.pk]))
    assert draft.content_hash[:12] in detail.content.decode()
    version_page = qian.get(reverse("surveys:version_detail", args=[draft.pk]))
    assert version_page.status_code == 200 and "nps" in version_page.content.decode()


def test_a_new_draft_and_the_diff_between_versions(qian, draft):
    qian.post(reverse("surveys:version_publish", args=[draft.pk]))
    answer = qian.post(reverse("surveys:version_new_draft", args=[draft.instrument.pk]))
    second = draft.instrument.versions.get(number=2)
    assert answer["Location"] == reverse("surveys:version_builder", args=[second.pk])
    removed = qian.post(
        reverse("surveys:builder_op", args=[second.pk]),
        {"op": "remove", "level": "item", "code": "q2"},
        **HTMX,
    )
    assert removed.status_code == 200
    diff = qian.get(reverse("surveys:instrument_diff", args=[draft.instrument.pk]), {"a": 1, "b": 2})
    assert diff.status_code == 200
    html = diff.content.decode()
    assert 'id="diff-summary"' in html and "<code>q2</code>" in html


def test_export_downloads_json_and_import_reports_every_problem(qian, draft, hospital):
    download = qian.get(reverse("surveys:version_export", args=[draft.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="ward-v1.json"'
    document = json.loads(download.content)
    assert document == json.loads(json.dumps(export_document(draft)))
    same = qian.post(
        reverse("surveys:instrument_import"), {"file": io.BytesIO(download.content)}, format="multipart"
    )
    assert same.status_code == 302 and Instrument.objects.filter(hospital=hospital).count() == 1

    document["instrument"]["code"] = "ward-copy"
    document["definition"]["dimensions"][0]["weight"] = "heavy"
    document["format_version"] = 2
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "bad.json"
    bad = qian.post(reverse("surveys:instrument_import"), {"file": upload})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert (
        "format_version:" in html and "definition.dimensions[0].weight:" in html and "content_hash:" in html
    )
    assert not Instrument.objects.filter(code="ward-copy").exists()


def test_agent_ann_may_read_but_not_edit(client, agent_ann, draft):
    client.force_login(agent_ann)
    assert client.get(reverse("surveys:instrument_list")).status_code == 200
    assert client.get(reverse("surveys:instrument_detail", args=[draft.instrument.pk])).status_code == 200
    assert client.get(reverse("surveys:version_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("surveys:version_builder", args=[draft.pk])).status_code == 403
    node = reverse("surveys:builder_node", args=[draft.pk]) + "?level=item&code=q1"
    assert client.post(node, {"code": "q1"}).status_code == 403
    assert client.post(reverse("surveys:version_publish", args=[draft.pk])).status_code == 403
    assert client.get(reverse("surveys:instrument_create")).status_code == 403
    library = InstrumentVersion.objects.filter(instrument__hospital=None).first()
    assert client.post(reverse("surveys:instrument_copy", args=[library.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_others_instruments_are_not_found_and_strangers_are_refused(client, qian, outsider):
    other = published_version(hospital=HospitalFactory())
    assert qian.get(reverse("surveys:instrument_detail", args=[other.instrument.pk])).status_code == 404
    assert qian.get(reverse("surveys:version_export", args=[other.pk])).status_code == 404
    qian.logout()
    assert client.get(reverse("surveys:home")).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(reverse("surveys:home")).status_code == 403
