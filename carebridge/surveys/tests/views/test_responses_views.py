"""Staff pages of responses: phone interviews and paper entry, the list with its suppressed breakdown,
the import page with its report, exports and the recovery triggers page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from carebridge.complaints.models import Complaint
from carebridge.surveys.choices import ResponseMode
from carebridge.surveys.models import ImportBatch, RecoveryTrigger, Response
from carebridge.surveys.selectors.responses import GroupRow, suppress_small_groups
from carebridge.surveys.services.responses import response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def wave(hospital, quality_officer_qian):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


def submit(invitation, answers=GOOD):
    return response_submit(
        invitation=invitation, answers=answers, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
    )


def test_an_agent_interviews_by_phone_and_a_low_score_reaches_the_desk(client, wave, cardiology, agent_ann):
    invitation = invite(wave, department=cardiology, channel="phone")
    client.force_login(agent_ann)
    listing = client.get(reverse("surveys:response_phone_list", args=[wave.pk]))
    assert (
        listing.status_code == 200
        and reverse("surveys:response_enter", args=[invitation.pk]) in listing.content.decode()
    )
    url = reverse("surveys:response_enter", args=[invitation.pk]) + "?mode=phone"
    form = client.get(url)
    assert 'id="phone-script"' in form.content.decode() and 'name="a-q1"' in form.content.decode()
    bad = client.post(url, {"mode": "phone", "a-q1": "1"})
    assert bad.status_code == 400 and "Please answer this question." in bad.content.decode()
    done = client.post(
        url, {"mode": "phone", "a-q1": "1", "a-q2": "5", "a-q3": "1", "a-nps": "2", "a-comment": "太差"}
    )
    assert done.status_code == 302
    response = Response.objects.get()
    assert (
        response.mode == "phone"
        and response.interviewer == agent_ann
        and response.answers["comment"] == "太差"
    )
    assert Complaint.objects.get().channel == "survey"


def test_paper_entry_records_its_mode(client, wave, cardiology, agent_ann):
    invitation = invite(wave, department=cardiology, channel="paper")
    client.force_login(agent_ann)
    url = reverse("surveys:response_enter", args=[invitation.pk]) + "?mode=paper"
    assert client.post(url, {"mode": "paper", **{f"a-{k}": v for k, v in GOOD.items()}}).status_code == 302
    assert Response.objects.get().mode == "paper"


def test_entry_is_refused_outside_the_scope_or_without_permission(
    client, wave, cardiology, ward_manager_wang, outsider
):
    invitation = invite(wave, department=cardiology, channel="phone")
    url = reverse("surveys:response_enter", args=[invitation.pk])
    client.force_login(ward_manager_wang)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_the_list_hides_departments_with_fewer_than_five_responses(
    client, wave, cardiology, paediatrics, quality_officer_qian
):
    for _ in range(5):
        submit(invite(wave, department=cardiology))
    for _ in range(2):
        submit(invite(wave, department=paediatrics))
    client.force_login(quality_officer_qian)
    page = client.get(reverse("surveys:response_list"), {"wave": wave.pk})
    html = page.content.decode()
    breakdown = html.split('id="breakdown"')[1].split("</table>")[0]
    assert "fewer than 5: not shown" in breakdown
    # With one small group hidden, the next smallest is hidden too (no recovery by subtraction).
    assert breakdown.count("not shown") == 2
    assert "export" in html


def test_suppression_withholds_small_groups_and_protects_them_from_subtraction():
    rows = [GroupRow(1, "A", 12, 80.0), GroupRow(2, "B", 3, 40.0), GroupRow(3, "C", 7, 70.0)]
    shown = suppress_small_groups(rows, minimum=5)
    assert [(r.label, r.n, r.mean, r.suppressed) for r in shown] == [
        ("A", 12, 80.0, False),
        ("B", 0, None, True),
        ("C", 0, None, True),
    ]
    two_small = suppress_small_groups([*rows, GroupRow(4, "D", 1, 10.0)], minimum=5)
    assert [r.suppressed for r in two_small] == [False, True, False, True]


def test_the_import_page_shows_the_report_of_every_bad_row(client, wave, cardiology, quality_officer_qian):
    client.force_login(quality_officer_qian)
    content = b"q1,nps,department\n4,9,CARD\n9,9,CARD\n4,,NOPE\n"
    posted = client.post(
        reverse("surveys:response_import", args=[wave.pk]),
        {"file": SimpleUploadedFile("old.csv", content, content_type="text/csv")},
    )
    batch = ImportBatch.objects.get()
    assert posted.status_code == 302 and posted["Location"] == reverse(
        "surveys:response_import_detail", args=[batch.pk]
    )
    report = client.get(posted["Location"]).content.decode()
    assert "Nothing imported" in report and "Unknown department code: NOPE." in report
    assert report.count("<tr><td>") == 3 and not Response.objects.exists()


def test_the_triggers_page_installs_the_defaults_and_adds_one(
    client, quality_officer_qian, hospital, agent_ann
):
    client.force_login(quality_officer_qian)
    page = client.get(reverse("surveys:response_triggers"))
    assert page.status_code == 200 and RecoveryTrigger.objects.filter(hospital=hospital).count() == 3
    added = client.post(
        reverse("surveys:response_triggers"),
        {"kind": "item_at_or_below", "item_code": "q3", "threshold": "2"},
    )
    assert added.status_code == 302 and RecoveryTrigger.objects.filter(item_code="q3", threshold=2).exists()
    trigger = RecoveryTrigger.objects.get(item_code="q3")
    client.post(reverse("surveys:response_trigger_toggle", args=[trigger.pk]))
    trigger.refresh_from_db()
    assert trigger.enabled is False
    client.force_login(agent_ann)
    assert client.get(reverse("surveys:response_triggers")).status_code == 403


def test_the_export_page_link_downloads_a_csv(client, wave, cardiology, quality_officer_qian):
    submit(invite(wave, department=cardiology))
    client.force_login(quality_officer_qian)
    download = client.get(
        reverse("surveys:response_export"), {"wave": wave.pk, "format": "wide", "type": "csv"}
    )
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith("\ufeff".encode())
