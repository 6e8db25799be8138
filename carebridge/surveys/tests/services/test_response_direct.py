"""A questionnaire answered outside any wave (``response_record_direct``: the checkup's health
questionnaire at check-in): stored with the person, scored like a wave's answers, its answer rows and an
audit row; bad answers, an unpublished version, an unknown mode or another person's encounter are
refused with a reason per field and store nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from carebridge.core.models import AuditEvent
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory
from carebridge.surveys.choices import ResponseMode
from carebridge.surveys.domain.instruments import content_hash
from carebridge.surveys.models import Answer, InstrumentVersion, Response
from carebridge.surveys.services.responses import response_record_direct
from carebridge.surveys.tests.factories import definition_small, published_version

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 3, 1, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def version(hospital):
    return published_version(hospital=hospital)


@pytest.fixture
def person(hospital):
    return PatientFactory(hospital=hospital)


def test_it_stores_the_persons_scored_answers_without_a_wave(version, person, cardiology, agent_ann):
    encounter = EncounterFactory(patient=person, hospital=person.hospital, department=cardiology)
    response = response_record_direct(
        version=version,
        patient=person,
        answers={"q1": 5, "q2": "na", "q3": 3, "nps": 10, "comment": "hidden by skip logic"},
        mode=ResponseMode.PAPER,
        actor=agent_ann,
        submitted_at=AT,
        encounter=encounter,
        department=cardiology,
    )
    response.refresh_from_db()
    assert response.wave is None and response.invitation is None
    assert (response.patient, response.encounter, response.department) == (person, encounter, cardiology)
    assert (response.mode, response.submitted_at, response.interviewer) == ("paper", AT, agent_ann)
    assert response.answers == {"q1": 5, "q2": "na", "q3": 3, "nps": 10}
    # By hand, as for a wave's answers: care = (0.7 × 100 + 0.3 × 50) / 1.0 = 85;
    # overall = 0.6 × 85 + 0.4 × 100 = 91.
    assert response.dimension_scores == {"care": 85.0, "overall": 100.0}
    assert response.score == pytest.approx(91.0)
    rows = {a.item.code: (a.value, a.not_applicable) for a in Answer.objects.filter(response=response)}
    assert rows["q2"][1] is True and set(rows) == {"q1", "q2", "q3", "nps"}
    event = AuditEvent.objects.get(action="surveys.response_direct")
    assert event.actor == agent_ann and event.object_id == str(response.pk)


def test_bad_answers_are_refused_per_item_and_store_nothing(version, person, agent_ann):
    with pytest.raises(ValidationError) as refused:
        response_record_direct(
            version=version, patient=person, answers={"q1": 9, "zz": 1}, mode="web", actor=agent_ann
        )
    errors = refused.value.message_dict
    assert errors["q1"] == ["Choose a whole number from 1 to 5."]
    assert errors["nps"] == ["Please answer this question."]
    assert errors["zz"] == ["This question is not part of the questionnaire."]
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action="surveys.response_direct").exists()


def test_a_draft_version_an_unknown_mode_and_anothers_encounter_are_refused(
    hospital, person, cardiology, agent_ann
):
    body = definition_small()
    draft = InstrumentVersion.objects.create(
        instrument=published_version(hospital=hospital).instrument,
        number=2,
        definition=body,
        content_hash=content_hash(body),
    )
    other = EncounterFactory(
        patient=PatientFactory(hospital=hospital), hospital=hospital, department=cardiology
    )
    with pytest.raises(ValidationError) as refused:
        response_record_direct(
            version=draft,
            patient=person,
            answers={"q1": 5, "q2": 1, "q3": 4, "nps": 9},
            mode="carrier-pigeon",
            actor=agent_ann,
            encounter=other,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"version", "mode", "encounter"}
    assert errors["version"] == ["Only a published version can be answered."]
    assert not Response.objects.exists()
