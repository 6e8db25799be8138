"""The health questionnaire (issue #11 scope 3, 篇7 2.2.6 "检前"): a surveys instrument answered before
or at check-in, stored as a survey response linked to the visit and its person, shown to the chief
examiner; bad answers are refused per question and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carebridge.checkup.selectors.visits import questionnaire_answers
from carebridge.checkup.services.questionnaire import health_questionnaire_version, visit_questionnaire_record
from carebridge.checkup.services.visits import visit_leave
from carebridge.checkup.tests.support.people import booked, checked_in
from carebridge.surveys.models import Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

ANSWERS = {
    "h_htn": "1",
    "h_dm": "0",
    "l_smoke": "smoker",
    "t_meds": "1",
    "t_meds_list": "氨氯地平",
    "t_symptoms": ["dizzy"],
}


def test_answers_at_check_in_are_a_survey_response_of_the_person_shown_to_the_examiner(site):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, package=site.catalogue.packages["M-40"]
    )
    visit = visit_questionnaire_record(visit=visit, actor=site.staff, answers=ANSWERS)
    response = visit.questionnaire
    assert response.patient == site.customer and response.encounter == visit.encounter
    assert response.wave is None and response.mode == "paper" and response.interviewer == site.staff
    assert response.version == health_questionnaire_version(site.centre.hospital)
    assert response.answers["t_meds_list"] == "氨氯地平"
    rows = {row.question: row.answer for row in questionnaire_answers(visit, language="en")}
    assert rows["Have you been diagnosed with high blood pressure?"] == "Yes"
    assert rows["Smoking"] == "Smoker"
    assert rows["Which medicines?"] == "氨氯地平"
    assert rows["Have you recently had any of these?"] == "Dizziness or headache"


def test_a_bad_answer_is_refused_per_question_and_nothing_is_stored(site):
    visit = booked(
        centre=site.centre, actor=site.staff, patient=site.customer, package=site.catalogue.packages["M-40"]
    )
    with pytest.raises(ValidationError) as refused:
        visit_questionnaire_record(visit=visit, actor=site.staff, answers={"l_smoke": "cigars", "zz": "1"})
    assert set(refused.value.message_dict) == {"l_smoke", "zz"}
    assert not Response.objects.exists()
    visit.refresh_from_db()
    assert visit.questionnaire is None


def test_after_the_person_left_or_for_other_roles_nothing_is_recorded(site):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, package=site.catalogue.packages["M-40"]
    )
    with pytest.raises(PermissionDenied):
        visit_questionnaire_record(visit=visit, actor=site.examiner, answers=ANSWERS)
    visit_leave(visit=visit, actor=site.staff)
    with pytest.raises(ValidationError):
        visit_questionnaire_record(visit=visit, actor=site.staff, answers=ANSWERS)
    assert not Response.objects.exists()


def test_the_page_saves_the_answers_and_the_workstation_shows_them(site, client):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, package=site.catalogue.packages["M-40"]
    )
    client.force_login(site.staff)
    url = reverse("checkup:visit_questionnaire", args=[visit.pk])
    page = client.get(url)
    assert page.status_code == 200 and "a-h_htn" in page.content.decode()
    refused = client.post(url, {"mode": "paper", "a-l_smoke": "cigars"})
    assert refused.status_code == 400 and not Response.objects.exists()
    saved = client.post(
        url, {"mode": "web", "a-h_htn": "1", "a-l_smoke": "smoker", "a-t_concern": "最近睡眠差"}
    )
    assert saved.status_code == 302
    visit.refresh_from_db()
    assert visit.questionnaire.mode == "web"
    client.force_login(site.examiner)
    workstation = client.get(reverse("checkup:workstation", args=[visit.pk])).content.decode()
    assert "最近睡眠差" in workstation and 'id="questionnaire-card"' in workstation
