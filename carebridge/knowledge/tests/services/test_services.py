"""Writes: validation, audit rows, verification, schedules, scope and permissions of the dictionary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, StaffFactory, make_persona
from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.models import ClinicSession, Doctor, ExternalHospital
from carebridge.knowledge.selectors.entries import doctor_list, external_hospital_list, service_list
from carebridge.knowledge.selectors.schedules import department_schedule
from carebridge.knowledge.selectors.search import knowledge_search
from carebridge.knowledge.services.catalogue import service_update
from carebridge.knowledge.services.doctors import (
    SessionInput,
    doctor_create,
    doctor_update,
    staff_doctor_values,
)
from carebridge.knowledge.services.entries import entry_verify
from carebridge.knowledge.services.faq import faq_update
from carebridge.knowledge.services.referrals import external_hospital_create
from carebridge.knowledge.tests import factories as kf

pytestmark = pytest.mark.django_db


def test_an_edit_writes_an_audit_row_with_the_changes_and_marks_the_entry_verified(dictionary, agent_ann):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)):
        service_update(service=dictionary.eswl, actor=agent_ann, values={"note": "可介绍外院"})
    event = AuditEvent.objects.get(action="knowledge.service.update")
    assert event.actor == agent_ann
    assert event.changes == {"note": ["本院暂无碎石设备", "可介绍外院"]}
    dictionary.eswl.refresh_from_db()
    assert dictionary.eswl.verified_by == agent_ann
    assert dictionary.eswl.last_verified_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_mark_verified_records_the_check_without_changing_the_entry(dictionary, agent_ann):
    faq = dictionary.parking
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        faq_update(faq=faq, actor=agent_ann, values={"answer": "门诊楼地下停车场。"})
    with time_machine.travel(dt.datetime(2026, 8, 1, tzinfo=dt.UTC)):
        faq.refresh_from_db()
        assert faq.verified_days_ago == 212 and faq.is_stale
        entry_verify(entry=faq, actor=agent_ann)
        faq.refresh_from_db()
        assert faq.verified_days_ago == 0 and not faq.is_stale
    assert AuditEvent.objects.filter(action="knowledge.faq.verify", object_id=str(faq.pk)).count() == 1


def test_an_entry_never_verified_is_stale(hospital):
    faq = kf.faq(hospital, "问题", "答案")
    faq_update(faq=faq, actor=None, values={"answer": "新答案"}, mark_verified=False)
    faq.refresh_from_db()
    assert faq.last_verified_at is not None  # created verified; an unverified edit keeps the old date
    external = external_hospital_create(
        hospital=hospital, actor=None, values={"name": "某医院"}, mark_verified=False
    )
    assert external.verified_days_ago is None and external.is_stale


def test_a_department_of_another_hospital_is_refused(hospital):
    elsewhere = DepartmentFactory(hospital=HospitalFactory())
    with pytest.raises(ValidationError) as error:
        kf.service(hospital, "某服务", elsewhere)
    assert "department" in error.value.message_dict


def test_invalid_values_are_refused_with_field_errors_and_nothing_is_written(hospital):
    with pytest.raises(ValidationError) as error:
        external_hospital_create(
            hospital=hospital,
            actor=None,
            values={
                "name": "",
                "level": "9Z",
                "region": "999999",
                "reputation": 101,
            },
        )
    assert "region" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        external_hospital_create(
            hospital=hospital,
            actor=None,
            values={
                "name": "",
                "level": "9Z",
                "reputation": 101,
                "latitude": Decimal("95"),
                "longitude": Decimal("1"),
            },
        )
    assert {"name", "level", "reputation", "latitude"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        kf.external(hospital, "半个坐标", latitude=Decimal("32"), longitude=None)
    assert not ExternalHospital.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="knowledge.externalhospital").exists()


def test_a_duplicate_service_name_is_refused(dictionary):
    with pytest.raises(ValidationError):
        kf.service(dictionary.orth.hospital, "推拿治疗")


def test_overlapping_clinic_sessions_are_refused(dictionary):
    with pytest.raises(ValidationError) as error:
        doctor_update(
            doctor=dictionary.doctor,
            actor=None,
            values={},
            sessions=[
                SessionInput(2, "am", "general"),
                SessionInput(2, "full", "expert"),
                SessionInput(8, "pm"),
            ],
        )
    assert len(error.value.message_dict["sessions"]) == 2
    assert ClinicSession.objects.filter(doctor=dictionary.doctor).count() == 2  # the old schedule stays


def test_a_new_schedule_replaces_the_old_one_and_is_audited(dictionary, agent_ann):
    doctor_update(
        doctor=dictionary.doctor,
        actor=agent_ann,
        values={},
        sessions=[SessionInput(5, "pm", "premium", "特需诊区")],
    )
    assert [(s.weekday, s.half_day, s.clinic_type) for s in dictionary.doctor.sessions.all()] == [
        (5, "pm", "premium")
    ]
    event = AuditEvent.objects.filter(action="knowledge.doctor.update").latest("id")
    assert "sessions" in event.changes


def test_the_weekly_grid_spreads_a_full_day_over_both_half_days(dictionary, agent_ann):
    rows = department_schedule(user=agent_ann, department=dictionary.orth)
    assert len(rows) == 1
    filled = [index for index, cell in enumerate(rows[0].cells) if cell is not None]
    assert filled == [0, 4, 5]  # Monday morning, Wednesday morning and afternoon


def test_a_doctor_entry_can_start_from_a_staff_record(hospital, dictionary):
    person = StaffFactory(hospital=hospital, name="李明", title="副主任医师", home_department=dictionary.tcm)
    doctor = doctor_create(hospital=hospital, actor=None, values=staff_doctor_values(person))
    assert (doctor.department, doctor.title, doctor.name_initials) == (dictionary.tcm, "副主任医师", "lm")


def test_another_hospitals_dictionary_is_invisible(dictionary, agent_ann):
    other = HospitalFactory()
    kf.hospital_profile(other)
    kf.department(other, "ORTH", "骨科", treatment_scope="腰椎管狭窄")
    kf.external(other, "别院的碎石医院", services_offered="体外冲击波碎石", coordinates=(32.0, 118.7))
    outsider_agent = make_persona("other-agent", "agent", other)

    mine = knowledge_search(user=agent_ann, query="腰椎管狭窄")
    assert all(
        hit.entry.hospital_id == dictionary.orth.hospital_id for hits in mine.groups.values() for hit in hits
    )
    theirs = knowledge_search(user=outsider_agent, query="碎石")
    assert [o.hospital.name for o in theirs.referral.nearest] == ["别院的碎石医院"]
    assert not external_hospital_list(user=outsider_agent).filter(pk=dictionary.famous.pk).exists()
    assert not service_list(user=outsider_agent).filter(pk=dictionary.eswl.pk).exists()


def test_department_scoped_staff_read_the_whole_dictionary(dictionary, clinician_zhou):
    # Knowledge is not patient data: a clinician scoped to cardiology still finds 骨科.
    results = knowledge_search(user=clinician_zhou, query="腰椎管狭窄")
    assert str(results.group(EntryKind.DEPARTMENT)[0].entry) == "骨科"
    assert doctor_list(user=clinician_zhou).count() == Doctor.objects.count()


def test_a_user_without_staff_record_sees_nothing(dictionary, outsider):
    assert knowledge_search(user=outsider, query="碎石").total == 0


@pytest.mark.parametrize("persona", ["agent_ann", "admin_sun"])
def test_agents_and_admins_may_edit(persona, request):
    user = request.getfixturevalue(persona)
    for model in ("departmentprofile", "service", "doctor", "externalhospital", "faq", "hospitalprofile"):
        assert user.has_perm(f"knowledge.change_{model}") and user.has_perm(f"knowledge.add_{model}")


@pytest.mark.parametrize(
    "persona",
    ["quality_officer_qian", "executive_zhao", "clinician_zhou", "ward_manager_wang", "complaint_officer_li"],
)
def test_other_roles_only_read(persona, request):
    user = request.getfixturevalue(persona)
    for model in ("departmentprofile", "service", "doctor", "externalhospital", "faq"):
        assert user.has_perm(f"knowledge.view_{model}")
        assert not user.has_perm(f"knowledge.change_{model}") and not user.has_perm(f"knowledge.add_{model}")
