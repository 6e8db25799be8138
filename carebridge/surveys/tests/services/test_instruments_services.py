"""Instrument services: drafts, validation, weights, publication, immutability, hashes, JSON import."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import HospitalFactory
from carebridge.surveys.choices import ResponseMode, VersionStatus
from carebridge.surveys.domain.instruments import content_hash
from carebridge.surveys.domain.library.rows import item_rows
from carebridge.surveys.models import Instrument, InstrumentVersion, Item, Response
from carebridge.surveys.services.instruments import (
    draft_discard,
    draft_set_weights,
    draft_update,
    export_document,
    instrument_copy,
    instrument_create,
    instrument_import,
    version_create_draft,
    version_publish,
    version_retire,
)
from carebridge.surveys.tests.factories import definition_small, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(hospital, quality_officer_qian):
    instrument = instrument_create(
        hospital=hospital,
        actor=quality_officer_qian,
        code="ward-survey",
        name="病区满意度",
        kind="inpatient",
        definition=definition_small(),
    )
    return instrument.versions.get()


def answer(version: InstrumentVersion) -> Response:
    """A response row pointing at the version (what makes it immutable)."""
    return Response.objects.create(
        hospital=version.instrument.hospital or HospitalFactory(),
        version=version,
        mode=ResponseMode.PAPER,
        submitted_at=timezone.now(),
        answers={"q1": 5, "nps": 9},
    )


# --- Drafts and validation ----------------------------------------------------------------------


def test_a_new_instrument_gets_a_valid_starter_draft(hospital, quality_officer_qian):
    instrument = instrument_create(
        hospital=hospital, actor=quality_officer_qian, code="blank", name="空白问卷"
    )
    version = instrument.versions.get()
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert version.definition["title"]["zh-hans"] == "空白问卷"
    assert version.content_hash == content_hash(version.definition)
    assert AuditEvent.objects.filter(action="surveys.instrument_create").count() == 1


def test_it_refuses_a_duplicate_code_and_bad_metadata_all_at_once(hospital, quality_officer_qian, draft):
    with pytest.raises(ValidationError) as refused:
        instrument_create(
            hospital=hospital,
            actor=quality_officer_qian,
            code="ward-survey",
            name=" ",
            kind="nonsense",
            respondent_class="martian",
        )
    assert set(refused.value.message_dict) == {"code", "name", "kind", "respondent_class"}
    assert Instrument.objects.filter(hospital=hospital).count() == 1


def test_draft_update_lists_every_problem_with_its_path_and_changes_nothing(draft, quality_officer_qian):
    before = (draft.definition, draft.content_hash)
    bad = definition_small()
    bad["dimensions"][0]["weight"] = -1
    bad["dimensions"][0]["indicators"][0]["items"][0]["points"] = 6
    bad["dimensions"][1]["indicators"][0]["items"][0]["code"] = "q1"
    bad["dimensions"][2]["indicators"][0]["items"][0]["show_if"] = {"item": "later", "in": [1]}
    with pytest.raises(ValidationError) as refused:
        draft_update(version=draft, actor=quality_officer_qian, definition=bad)
    errors = refused.value.message_dict["definition"]
    assert any(e.startswith("dimensions[0].weight:") for e in errors)
    assert any(e.startswith("dimensions[0].indicators[0].items[0].points:") for e in errors)
    assert any(e.startswith("dimensions[1].indicators[0].items[0].code: q1 is used twice") for e in errors)
    assert any(e.startswith("dimensions[2].indicators[0].items[0].show_if:") for e in errors)
    draft.refresh_from_db()
    assert (draft.definition, draft.content_hash) == before


def test_draft_update_saves_a_valid_definition_and_its_hash(draft, quality_officer_qian):
    changed = definition_small()
    changed["title"]["en"] = "Ward survey"
    draft_update(version=draft, actor=quality_officer_qian, definition=changed)
    draft.refresh_from_db()
    assert draft.definition["title"]["en"] == "Ward survey"
    assert draft.content_hash == content_hash(changed)


def test_set_weights_changes_only_the_named_children(draft, quality_officer_qian):
    draft_set_weights(
        version=draft,
        actor=quality_officer_qian,
        level="indicator",
        parent_code="care",
        weights={"care_env": 0.5},
    )
    draft.refresh_from_db()
    indicators = draft.definition["dimensions"][0]["indicators"]
    assert [i["weight"] for i in indicators] == [0.7, 0.5]
    draft_set_weights(
        version=draft,
        actor=quality_officer_qian,
        level="dimension",
        parent_code=None,
        weights={"care": 3, "overall": 1},
    )
    draft.refresh_from_db()
    assert [d["weight"] for d in draft.definition["dimensions"][:2]] == [3.0, 1.0]


@pytest.mark.parametrize(
    ("level", "parent", "weights", "field"),
    [
        ("item", "care_comm", {"q3": 1}, "weights"),  # q3 is not in care_comm
        ("item", "care_comm", {"q1": -2}, "weights"),
        ("indicator", "nowhere", {"care_env": 1}, "parent_code"),
        ("dimension", "care", {"care": 1}, "parent_code"),
        ("branch", None, {"care": 1}, "level"),
    ],
)
def test_set_weights_refuses_bad_input(draft, quality_officer_qian, *, level, parent, weights, field):
    before = copy.deepcopy(draft.definition)
    with pytest.raises(ValidationError) as refused:
        draft_set_weights(
            version=draft, actor=quality_officer_qian, level=level, parent_code=parent, weights=weights
        )
    assert field in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.definition == before


# --- Publication and the life cycle ---------------------------------------------------------------


def test_publishing_derives_the_items_exactly_as_item_rows_does(draft, quality_officer_qian):
    version_publish(version=draft, actor=quality_officer_qian)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at is not None
    rows = list(
        Item.objects.filter(version=draft).order_by("position").values(*item_rows(draft.definition)[0].keys())
    )
    assert rows == item_rows(draft.definition)
    weights = {row["code"]: row["overall_weight"] for row in rows}
    # care 0.6 × care_comm 0.7 × q1 2/3; overall 0.4 × nps 1; the comment is unscored.
    assert weights["q1"] == pytest.approx(0.28)
    assert weights["q3"] == pytest.approx(0.18)
    assert weights["nps"] == pytest.approx(0.4)
    assert weights["comment"] == 0
    assert sum(weights.values()) == pytest.approx(1.0)
    event = AuditEvent.objects.get(action="surveys.version_publish")
    assert event.changes["status"] == ["draft", "published"]


def test_a_published_version_cannot_be_edited_but_a_new_draft_can(draft, quality_officer_qian):
    version_publish(version=draft, actor=quality_officer_qian)
    with pytest.raises(ValidationError):
        draft_update(version=draft, actor=quality_officer_qian, definition=definition_small())
    with pytest.raises(ValidationError):
        version_publish(version=draft, actor=quality_officer_qian)
    second = version_create_draft(instrument=draft.instrument, actor=quality_officer_qian)
    assert (second.number, second.status) == (2, VersionStatus.DRAFT)
    assert second.definition == draft.definition and second.content_hash == draft.content_hash
    with pytest.raises(ValidationError) as refused:
        version_create_draft(instrument=draft.instrument, actor=quality_officer_qian)
    assert "status" in refused.value.message_dict


def test_publishing_a_second_version_retires_nothing_and_retiring_is_explicit(draft, quality_officer_qian):
    version_publish(version=draft, actor=quality_officer_qian)
    second = version_create_draft(instrument=draft.instrument, actor=quality_officer_qian)
    version_publish(version=second, actor=quality_officer_qian)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    version_retire(version=draft, actor=quality_officer_qian, reason="v2 replaces it")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.RETIRED
    with pytest.raises(ValidationError):
        version_retire(version=draft, actor=quality_officer_qian)


def test_library_instruments_are_copied_not_edited(hospital, quality_officer_qian):
    library = published_version(code="lib-test")
    with pytest.raises(ValidationError):
        version_create_draft(instrument=library.instrument, actor=quality_officer_qian)
    copy_ = instrument_copy(source=library, hospital=hospital, actor=quality_officer_qian)
    assert copy_.hospital == hospital and copy_.code == "lib-test"
    assert copy_.versions.get().definition == library.definition
    again = instrument_copy(source=library, hospital=hospital, actor=quality_officer_qian)
    assert again.code == "lib-test-2"


def test_a_draft_can_be_discarded(draft, quality_officer_qian):
    instrument = draft.instrument
    draft_discard(version=draft, actor=quality_officer_qian)
    assert not instrument.versions.exists()


# --- Immutability once answered -------------------------------------------------------------------


def test_a_version_with_responses_is_refused_by_the_services_and_nothing_changes(draft, quality_officer_qian):
    # A draft never has responses in practice; the guard must hold even so.
    answer(draft)
    before = (draft.definition, draft.content_hash)
    changed = definition_small()
    changed["title"]["zh-hans"] = "改过的标题"
    with pytest.raises(ValidationError):
        draft_update(version=draft, actor=quality_officer_qian, definition=changed)
    with pytest.raises(ValidationError):
        draft_set_weights(
            version=draft,
            actor=quality_officer_qian,
            level="dimension",
            parent_code=None,
            weights={"care": 2},
        )
    draft.refresh_from_db()
    assert (draft.definition, draft.content_hash) == before


def test_a_direct_save_cannot_change_an_answered_version(hospital):
    version = published_version(hospital=hospital)
    answer(version)
    stored = copy.deepcopy(version.definition)
    version.definition["dimensions"][0]["weight"] = 0.9
    with pytest.raises(ValidationError):
        version.save()
    version.refresh_from_db()
    assert version.definition == stored
    # Saving other fields of it is fine.
    version.status = VersionStatus.RETIRED
    version.definition = stored
    version.save()


def test_a_direct_save_cannot_change_a_published_version_even_unanswered(hospital):
    version = published_version(hospital=hospital)
    version.definition = definition_small() | {"code": "other"}
    with pytest.raises(ValidationError):
        version.save()


def test_a_direct_save_may_change_an_unanswered_draft(draft):
    draft.definition = definition_small() | {"code": "other"}
    draft.save()
    draft.refresh_from_db()
    assert draft.definition["code"] == "other"


# --- Hashes ----------------------------------------------------------------------------------------


def test_the_hash_ignores_key_order_but_not_item_order():
    definition = definition_small()
    reordered_keys = {key: definition[key] for key in reversed(list(definition))}
    assert content_hash(reordered_keys) == content_hash(definition)
    swapped = definition_small()
    items = swapped["dimensions"][0]["indicators"][0]["items"]
    items.reverse()
    assert content_hash(swapped) != content_hash(definition)
    reworded = definition_small()
    reworded["dimensions"][0]["indicators"][0]["items"][0]["text"]["zh-hans"] += "？"
    assert content_hash(reworded) != content_hash(definition)
    assert content_hash(definition_small()) == content_hash(definition)


# --- JSON export and import ------------------------------------------------------------------------


def test_export_then_import_elsewhere_gives_the_same_hash(draft, quality_officer_qian):
    version_publish(version=draft, actor=quality_officer_qian)
    document = export_document(draft)
    assert document["format"] == "carebridge-instrument" and document["format_version"] == 1
    other = HospitalFactory()
    result = instrument_import(hospital=other, actor=None, document=document)
    assert result.created
    assert result.version.content_hash == draft.content_hash == document["content_hash"]
    assert result.instrument.kind == "inpatient" and result.version.status == VersionStatus.DRAFT


def test_importing_the_same_file_twice_is_idempotent(draft, quality_officer_qian, hospital):
    document = export_document(draft)
    first = instrument_import(hospital=hospital, actor=quality_officer_qian, document=document)
    assert not first.created and first.version == draft
    assert InstrumentVersion.objects.filter(instrument__hospital=hospital).count() == 1


def test_importing_a_changed_file_makes_a_new_draft_version(draft, quality_officer_qian, hospital):
    version_publish(version=draft, actor=quality_officer_qian)
    document = export_document(draft)
    document["definition"]["title"]["en"] = "Changed"
    document.pop("content_hash")
    result = instrument_import(hospital=hospital, actor=quality_officer_qian, document=document)
    assert result.created and result.version.number == 2 and result.instrument == draft.instrument


def test_a_bad_import_lists_every_problem_and_creates_nothing(hospital, quality_officer_qian):
    definition = definition_small()
    definition["dimensions"][0]["indicators"][0]["items"][0]["type"] = "slider"
    definition["dimensions"][1]["title"] = {"en": "no Chinese"}
    document = {
        "format": "surveymonkey",
        "format_version": 7,
        "instrument": {"code": "Bad Code!", "name": "", "kind": "inpatient"},
        "definition": definition,
        "content_hash": "0" * 64,
    }
    counts = (Instrument.objects.count(), InstrumentVersion.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        instrument_import(hospital=hospital, actor=quality_officer_qian, document=document)
    problems = refused.value.message_dict["file"]
    for expected in (
        "format:",
        "format_version:",
        "instrument.code:",
        "instrument.name:",
        "definition.dimensions[0].indicators[0].items[0].type:",
        "definition.dimensions[1].title:",
        "content_hash:",
    ):
        assert any(p.startswith(expected) for p in problems), expected
    assert (
        Instrument.objects.count(),
        InstrumentVersion.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


@pytest.mark.parametrize("document", [None, [], "text", {"format": "carebridge-instrument"}])
def test_an_import_of_something_else_is_refused(hospital, document):
    with pytest.raises(ValidationError) as refused:
        instrument_import(hospital=hospital, actor=None, document=document)
    assert refused.value.message_dict["file"]
