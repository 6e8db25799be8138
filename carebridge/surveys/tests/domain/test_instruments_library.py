"""The instrument library: its files are valid, and migration 0003 installed them as published v1."""

from __future__ import annotations

import pytest

from carebridge.surveys.choices import InstrumentKind, RespondentClass, VersionStatus
from carebridge.surveys.domain.instruments import content_hash, iter_items, validate_definition
from carebridge.surveys.domain.library.documents import LIBRARY_CODES, library_document, library_documents
from carebridge.surveys.domain.library.rows import item_rows
from carebridge.surveys.models import Instrument, Item

CSI_CODES = {
    "expectation": ["exp1", "exp2", "exp3"],
    "quality": ["qual1", "qual2", "qual3", "qual4"],
    "value": ["val1", "val2"],
    "satisfaction": ["sat1", "sat2", "sat3"],
    "complaints": ["cmp1", "cmp2"],
    "loyalty": ["loy1", "loy2"],
}


def codes_by_dimension(definition):
    result: dict[str, list[str]] = {}
    for spec in iter_items(definition):
        result.setdefault(spec.dimension, []).append(spec.code)
    return result


@pytest.mark.parametrize("code", LIBRARY_CODES)
def test_each_library_file_is_a_valid_export_document(code):
    document = library_document(code)
    assert document["format"] == "carebridge-instrument" and document["format_version"] == 1
    meta = document["instrument"]
    assert meta["code"] == code == document["definition"]["code"]
    assert meta["kind"] in InstrumentKind.values and meta["respondent_class"] in RespondentClass.values
    assert validate_definition(document["definition"]) == []
    # Every item speaks both languages.
    assert all(spec.text.get("en") for spec in iter_items(document["definition"]))
    scored = [d for d in document["definition"]["dimensions"] if d.get("scored", True)]
    if code != "csi":
        assert sum(d["weight"] for d in scored) == pytest.approx(1.0)


def test_the_csi_has_exactly_the_agreed_dimensions_and_codes():
    definition = library_document("csi")["definition"]
    by_dimension = codes_by_dimension(definition)
    assert {d: c for d, c in by_dimension.items() if d != "about"} == CSI_CODES
    assert by_dimension["about"] == ["comment"]
    specs = {spec.code: spec for spec in iter_items(definition)}
    for codes in CSI_CODES.values():
        for code in codes:
            assert specs[code].item_type == "scale_1_10" and not specs[code].reverse
    assert specs["comment"].item_type == "text" and not specs["comment"].scored
    indicators = [i["code"] for d in definition["dimensions"] for i in d["indicators"]]
    assert indicators == [f"{d}_i" for d in CSI_CODES] + ["about_i"]


def test_the_inpatient_survey_has_the_agreed_codes_and_adjusters():
    definition = library_document("inpatient-experience")["definition"]
    specs = {spec.code: spec for spec in iter_items(definition)}
    assert 22 <= sum(spec.scored for spec in specs.values()) <= 28
    assert specs["overall"].item_type == specs["recommend"].item_type == "scale_0_10"
    assert specs["comment"].item_type == "text"
    assert specs["srh"].dimension == specs["edu"].dimension == "about_you"
    assert [o["value"] for o in specs["srh"].options] == [1, 2, 3, 4, 5]
    assert any(spec.allows_na for spec in specs.values())
    dimensions = {d["code"] for d in definition["dimensions"]}
    assert {
        "nurses",
        "doctors",
        "responsiveness",
        "medicines",
        "discharge",
        "environment",
        "fees",
    } <= dimensions


@pytest.mark.parametrize("code", ["outpatient-experience", "checkup-experience"])
def test_patient_surveys_carry_overall_recommend_comment_and_case_mix_items(code):
    specs = {spec.code: spec for spec in iter_items(library_document(code)["definition"])}
    assert {"overall", "recommend", "comment", "srh", "edu"} <= set(specs)


def test_the_staff_survey_has_reverse_keyed_workload_items_and_is_likert_5():
    specs = list(iter_items(library_document("staff-satisfaction")["definition"]))
    workload = [s for s in specs if s.dimension == "workload"]
    assert workload and all(s.reverse for s in workload)
    assert all(s.item_type == "likert" and s.scale_max == 5 for s in specs if s.scored)


def test_the_recommendation_survey_is_one_question_and_a_reason():
    specs = list(iter_items(library_document("recommendation")["definition"]))
    assert [(s.code, s.item_type) for s in specs] == [("nps", "scale_0_10"), ("reason", "text")]


@pytest.mark.django_db
def test_the_migration_installed_every_library_instrument_as_published_v1():
    for document in library_documents():
        instrument = Instrument.objects.get(hospital=None, code=document["instrument"]["code"])
        version = instrument.versions.get()
        assert version.number == 1 and version.status == VersionStatus.PUBLISHED
        assert version.published_at is not None
        assert version.definition == document["definition"]
        assert version.content_hash == content_hash(document["definition"])
        fields = list(item_rows(version.definition)[0])
        rows = list(Item.objects.filter(version=version).order_by("position").values(*fields))
        assert rows == item_rows(version.definition)
