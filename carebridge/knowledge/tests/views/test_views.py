"""The knowledge pages: search (htmx), details with "last verified", edit forms, permissions and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.core.tests.factories import HospitalFactory
from carebridge.knowledge.models import DepartmentProfile, Faq, Service
from carebridge.knowledge.tests import factories as kf

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_the_navbar_links_the_knowledge_base_for_readers_only(login, executive_zhao, outsider, client):
    page = login(executive_zhao).get(reverse("patients:overview")).content.decode()
    assert reverse("knowledge:search") in page
    client.logout()
    client.force_login(outsider)
    assert reverse("knowledge:search") not in client.get(reverse("patients:overview")).content.decode()


def test_the_search_page_shows_groups_badges_and_both_referral_lists(dictionary, login, agent_ann):
    client = login(agent_ann)
    page = client.get(reverse("knowledge:search"), {"q": "腰椎管狭窄"}).content.decode()
    assert 'id="group-department"' in page and 'data-badge="non_surgical"' in page
    assert page.index("骨科") < page.index("推拿科")

    partial = client.get(reverse("knowledge:search"), {"q": "碎石"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html  # htmx gets the results only
    assert 'id="referral-nearest"' in html and 'id="referral-best-known"' in html
    nearest = html[html.index('id="referral-nearest"') : html.index('id="referral-best-known"')]
    best = html[html.index('id="referral-best-known"') :]
    assert nearest.index("金陵泌尿专科医院") < nearest.index("钟山医科大学第一附属医院")
    assert best.index("钟山医科大学第一附属医院") < best.index("金陵泌尿专科医院")


def test_a_bad_region_code_is_a_form_error_not_a_crash(dictionary, login, agent_ann):
    response = login(agent_ann).get(reverse("knowledge:search"), {"q": "碎石", "region": "abc"})
    assert response.status_code == 400


def test_the_department_page_shows_the_profile_services_and_schedule_grid(
    dictionary, login, quality_officer_qian
):
    page = login(quality_officer_qian).get(reverse("knowledge:department", args=[dictionary.orth.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "腰椎管狭窄减压手术" in html and 'id="schedule-grid"' in html and "张建国" in html
    assert "Mark verified" not in html and "标记为已核实" not in html  # a reader cannot verify
    assert reverse("knowledge:department_edit", args=[dictionary.orth.pk]) not in html


def test_last_verified_is_shown_and_stale_entries_are_highlighted(dictionary, login, agent_ann):
    Faq.objects.filter(pk=dictionary.parking.pk).update(
        last_verified_at=timezone.now() - dt.timedelta(days=200)
    )
    Service.objects.filter(pk=dictionary.eswl.pk).update(
        last_verified_at=timezone.now() - dt.timedelta(days=12)
    )
    client = login(agent_ann)
    client.cookies["django_language"] = "en"
    faq_page = client.get(reverse("knowledge:faq_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Last verified 200 days ago" in faq_page and "stale" in faq_page
    service_page = client.get(
        reverse("knowledge:service", args=[dictionary.eswl.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Last verified 12 days ago" in service_page and "stale" not in service_page


def test_an_agent_edits_a_profile_and_the_search_follows(dictionary, login, agent_ann):
    client = login(agent_ann)
    url = reverse("knowledge:department_edit", args=[dictionary.tcm.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"treatment_scope": "骨质疏松的中医调理", "non_surgical_option": "on", "mark_verified": "on"}
    )
    assert response.status_code == 302
    profile = DepartmentProfile.objects.get(department=dictionary.tcm)
    assert profile.verified_by == agent_ann and profile.treatment_scope == "骨质疏松的中医调理"
    assert "中医科" in client.get(reverse("knowledge:search"), {"q": "骨质疏松"}).content.decode()


def test_an_agent_adds_a_doctor_with_a_weekly_schedule(dictionary, login, agent_ann):
    client = login(agent_ann)
    response = client.post(
        reverse("knowledge:doctor_create"),
        {
            "department": dictionary.tuina.pk,
            "name": "王推",
            "title": "主治医师",
            "specialties": "颈椎病推拿",
            "is_active": "on",
            "type_2_am": "general",
            "room_2_am": "推拿诊室1",
            "type_4_full": "disease",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("knowledge:department", args=[dictionary.tuina.pk])).content.decode()
    assert "王推" in page and "推拿诊室1" in page


def test_overlapping_sessions_come_back_as_a_form_error(dictionary, login, agent_ann):
    response = login(agent_ann).post(
        reverse("knowledge:doctor_edit", args=[dictionary.doctor.pk]),
        {
            "department": dictionary.orth.pk,
            "name": "张建国",
            "is_active": "on",
            "type_1_am": "expert",
            "type_1_full": "general",
        },
    )
    assert response.status_code == 400
    assert dictionary.doctor.sessions.count() == 2


def test_an_external_hospital_is_added_with_a_region_code(login, agent_ann, hospital):
    client = login(agent_ann)
    response = client.post(
        reverse("knowledge:external_create"),
        {
            "name": "新医院",
            "level": "2A",
            "region": "320115",
            "reputation": "40",
            "services_offered": "体外冲击波碎石",
            "is_active": "on",
            "latitude": "31.95",
            "longitude": "118.85",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("knowledge:external_create"),
        {"name": "坏医院", "level": "2A", "region": "999999", "reputation": "40"},
    )
    assert bad.status_code == 400


def test_the_quality_officer_cannot_edit(dictionary, login, quality_officer_qian):
    client = login(quality_officer_qian)
    assert client.get(reverse("knowledge:service_edit", args=[dictionary.eswl.pk])).status_code == 403
    assert (
        client.post(
            reverse("knowledge:service_edit", args=[dictionary.eswl.pk]), {"name": "改名"}
        ).status_code
        == 403
    )
    assert client.post(reverse("knowledge:verify", args=["service", dictionary.eswl.pk])).status_code == 403
    assert client.get(reverse("knowledge:faq_create")).status_code == 403
    dictionary.eswl.refresh_from_db()
    assert dictionary.eswl.name == "体外冲击波碎石"


def test_mark_verified_by_htmx_returns_the_fresh_badge(dictionary, login, agent_ann):
    Faq.objects.filter(pk=dictionary.parking.pk).update(
        last_verified_at=timezone.now() - dt.timedelta(days=300)
    )
    response = login(agent_ann).post(
        reverse("knowledge:verify", args=["faq", dictionary.parking.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="verified-faq-' in response.content.decode()
    dictionary.parking.refresh_from_db()
    assert dictionary.parking.verified_days_ago == 0


def test_another_hospitals_entries_are_404(dictionary, login):
    other = HospitalFactory()
    from carebridge.core.tests.factories import make_persona

    stranger = make_persona("stranger", "agent", other)
    client = login(stranger)
    assert client.get(reverse("knowledge:service", args=[dictionary.eswl.pk])).status_code == 404
    assert client.get(reverse("knowledge:department", args=[dictionary.orth.pk])).status_code == 404
    assert client.post(reverse("knowledge:verify", args=["service", dictionary.eswl.pk])).status_code == 404


def test_every_list_page_renders(dictionary, login, agent_ann):
    client = login(agent_ann)
    for name in (
        "departments",
        "services",
        "doctors",
        "externals",
        "faq_list",
        "service_create",
        "doctor_create",
        "external_create",
        "faq_create",
        "hospital_edit",
    ):
        assert client.get(reverse(f"knowledge:{name}")).status_code == 200, name
    for name, pk in (
        ("doctor", dictionary.doctor.pk),
        ("external", dictionary.famous.pk),
        ("doctor_edit", dictionary.doctor.pk),
        ("external_edit", dictionary.famous.pk),
        ("faq_edit", dictionary.parking.pk),
        ("service_edit", dictionary.eswl.pk),
    ):
        assert client.get(reverse(f"knowledge:{name}", args=[pk])).status_code == 200, name


def test_an_empty_department_profile_can_be_written(login, agent_ann, paediatrics):
    client = login(agent_ann)
    assert "儿科" in client.get(reverse("knowledge:departments")).content.decode()
    response = client.post(
        reverse("knowledge:department_edit", args=[paediatrics.pk]),
        {"treatment_scope": "小儿发热", "mark_verified": "on"},
    )
    assert response.status_code == 302
    assert kf  # the factories module stays importable from the pages' tests
