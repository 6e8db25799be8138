"""双创 findings: recorded with a photo and assigned to the department head with a deadline, rectified
with photo evidence, verified by the inspector; a finding not rectified by its deadline escalates once
and shows on the head's page and in the department's figures for that month."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from carebridge.core.models import OutboxMessage
from carebridge.performance.choices import FindingStatus, PhotoStage, RoundKind
from carebridge.performance.models import Finding, FindingPhoto
from carebridge.performance.selectors.inspections import (
    department_findings_month,
    finding_list,
    head_findings,
)
from carebridge.performance.services.inspections import (
    finding_record,
    finding_rectify,
    finding_verify,
    findings_escalate_overdue,
    round_create,
)
from carebridge.performance.tasks import findings_escalate
from carebridge.performance.tests.conftest import SHANGHAI, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuesday_round(clock, hospital, inspector_qian, ward_area):
    return round_create(
        hospital_id=hospital.pk, kind=RoundKind.TUESDAY, held_on=dt.date(2025, 3, 11), actor=inspector_qian,
        areas=[ward_area],
    )  # fmt: skip


@pytest.fixture
def finding(tuesday_round, ward_area, inspector_qian, head_guo):
    return finding_record(
        inspection=tuesday_round, area=ward_area, description="卫生间地面积水", deadline=dt.date(2025, 3, 14),
        actor=inspector_qian, checklist_item="卫生间", photos=[png()],
    )  # fmt: skip


def test_a_finding_is_assigned_to_the_head_of_the_areas_department(finding, head_guo):
    assert finding.responsible == head_guo
    assert finding.status == FindingStatus.OPEN
    assert finding.photos.get().stage == PhotoStage.FINDING
    assert [t.to_status for t in finding.transitions.all()] == [FindingStatus.OPEN]


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(
    tuesday_round, ward_area, inspector_qian, head_guo
):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        finding_record(
            inspection=tuesday_round, area=ward_area, description="x", deadline=dt.date(2025, 3, 14),
            actor=inspector_qian, photos=[fake],
        )  # fmt: skip
    assert "photos" in error.value.message_dict
    assert not Finding.objects.exists() and not FindingPhoto.objects.exists()


def test_a_pdf_is_a_valid_attachment_but_not_a_photo(finding, head_guo, clock):
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    with pytest.raises(ValidationError) as error:
        finding_rectify(finding=finding, actor=head_guo, note="已清理", photos=[pdf])
    assert "only photos" in error.value.message_dict["photos"][0]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_the_deadline_cannot_be_in_the_past(tuesday_round, ward_area, inspector_qian, head_guo):
    with pytest.raises(ValidationError) as error:
        finding_record(
            inspection=tuesday_round, area=ward_area, description="x", deadline=dt.date(2025, 3, 10),
            actor=inspector_qian,
        )  # fmt: skip
    assert "deadline" in error.value.message_dict


def test_the_head_rectifies_with_a_photo_and_the_inspector_verifies(finding, head_guo, inspector_qian, clock):
    clock.move_to(dt.datetime(2025, 3, 13, 16, 0, tzinfo=SHANGHAI))
    with pytest.raises(ValidationError) as error:
        finding_rectify(finding=finding, actor=head_guo, note="已清理", photos=[])
    assert "photos" in error.value.message_dict
    finding_rectify(finding=finding, actor=head_guo, note="已清理并加装防滑垫", photos=[png("after.png")])
    finding_verify(finding=finding, actor=inspector_qian, accept=True)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.VERIFIED
    assert finding.verified_by == inspector_qian
    assert [p.stage for p in finding.photos.all()] == [PhotoStage.FINDING, PhotoStage.RECTIFICATION]
    assert [t.to_status for t in finding.transitions.all()] == ["open", "rectified", "verified"]


def test_a_head_of_another_department_cannot_rectify(finding, head_zhou):
    with pytest.raises(PermissionDenied):
        finding_rectify(finding=finding, actor=head_zhou, note="x", photos=[png()])


def test_a_head_cannot_verify_their_own_rectification(finding, head_guo):
    finding_rectify(finding=finding, actor=head_guo, note="已清理", photos=[png()])
    with pytest.raises(PermissionDenied):
        finding_verify(finding=finding, actor=head_guo, accept=True)


def test_a_rectification_sent_back_is_open_again_and_needs_a_reason(finding, head_guo, inspector_qian):
    finding_rectify(finding=finding, actor=head_guo, note="已清理", photos=[png()])
    with pytest.raises(ValidationError):
        finding_verify(finding=finding, actor=inspector_qian, accept=False)
    finding_verify(finding=finding, actor=inspector_qian, accept=False, reason="仍有积水")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_an_overdue_finding_escalates_once_and_shows_on_the_heads_page_and_the_month(
    finding, head_guo, clock
):
    # Not overdue during its deadline day.
    clock.move_to(dt.datetime(2025, 3, 14, 23, 0, tzinfo=SHANGHAI))
    assert findings_escalate_overdue() == 0
    clock.move_to(dt.datetime(2025, 3, 15, 8, 0, tzinfo=SHANGHAI))
    assert findings_escalate() == 1
    assert findings_escalate() == 0  # the beat runs again: nothing twice
    finding.refresh_from_db()
    assert finding.escalated_at is not None
    messages = OutboxMessage.objects.filter(kind="performance.finding.escalation")
    assert sorted(messages.values_list("to", flat=True)) == ["13900000001", "13900000002"]
    assert list(head_findings(user=head_guo)) == [finding]
    march = department_findings_month(user=head_guo, year=2025, month=3)
    assert [(m.department, m.due, m.in_time, m.late, m.escalated) for m in march] == [("骨科", 1, 0, 1, 1)]
    assert list(finding_list(user=head_guo, filters={"month": "2025-03", "late": "1"})) == [finding]
    assert department_findings_month(user=head_guo, year=2025, month=4) == []


def test_a_late_rectification_still_counts_as_not_in_time(finding, head_guo, clock):
    clock.move_to(dt.datetime(2025, 3, 17, 10, 0, tzinfo=SHANGHAI))
    finding_rectify(finding=finding, actor=head_guo, note="已清理", photos=[png()])
    assert findings_escalate_overdue() == 0  # no longer open
    (march,) = department_findings_month(user=head_guo, year=2025, month=3)
    assert (march.in_time, march.late, march.escalated) == (0, 1, 0)


def test_a_rectification_on_the_deadline_day_is_in_time(finding, head_guo, clock):
    clock.move_to(dt.datetime(2025, 3, 14, 22, 30, tzinfo=SHANGHAI))  # 14:30 UTC, still the 14th in Shanghai
    finding_rectify(finding=finding, actor=head_guo, note="已清理", photos=[png()])
    (march,) = department_findings_month(user=head_guo, year=2025, month=3)
    assert (march.in_time, march.late, march.in_time_rate) == (1, 0, 1.0)


def test_another_departments_head_sees_none_of_it(finding, head_zhou):
    assert not head_findings(user=head_zhou).exists()
    assert department_findings_month(user=head_zhou, year=2025, month=3) == []
