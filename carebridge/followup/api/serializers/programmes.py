"""Serializers of the chronic-programme, daily-sync and meeting API. A patient is given by id and a masked
MRN only; free text is masked (``mask_text``) in case a phone or ID number was typed into it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.core.masking import mask_json, mask_text
from carebridge.followup.models import ChronicProgramme, ProgrammeEnrolment, WardMeeting, WardSync


def _masked_mrn(mrn: str) -> str:
    return f"{'*' * max(len(mrn) - 4, 0)}{mrn[-4:]}" if mrn else ""


class ProgrammeSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", default="")

    class Meta:
        model = ChronicProgramme
        fields = [
            "id",
            "code",
            "name",
            "department",
            "department_name",
            "icd10_prefixes",
            "max_age",
            "schedule",
            "active",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name")
    patient_mrn = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")
    leave_reason = serializers.SerializerMethodField()

    class Meta:
        model = ProgrammeEnrolment
        fields = [
            "id", "programme", "programme_name", "patient", "patient_mrn", "status", "status_label",
            "diagnosis_code", "enrolled_at", "left_at", "leave_reason", "returned_at",
        ]  # fmt: skip

    def get_patient_mrn(self, obj: ProgrammeEnrolment) -> str:
        return _masked_mrn(obj.patient.mrn)

    def get_leave_reason(self, obj: ProgrammeEnrolment) -> str:
        return mask_text(obj.leave_reason)


class SyncSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name")
    project_manager_name = serializers.CharField(source="project_manager.name")
    attendees = serializers.SerializerMethodField()
    issues = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = WardSync
        fields = [
            "id", "department", "department_name", "ward", "held_on", "project_manager",
            "project_manager_name", "attendees", "issues", "notes",
        ]  # fmt: skip

    def get_attendees(self, obj: WardSync) -> list[str]:
        return [person.name for person in obj.attendees.all()]

    def get_issues(self, obj: WardSync) -> Any:
        return mask_json(obj.issues)

    def get_notes(self, obj: WardSync) -> str:
        return mask_text(obj.notes)


class MeetingSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    chaired_by_name = serializers.CharField(source="chaired_by.name")
    minutes = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = WardMeeting
        fields = [
            "id", "kind", "kind_label", "held_on", "title", "department", "chaired_by", "chaired_by_name",
            "attendance", "minutes", "decisions",
        ]  # fmt: skip

    def get_minutes(self, obj: WardMeeting) -> str:
        return mask_text(obj.minutes)

    def get_decisions(self, obj: WardMeeting) -> Any:
        return mask_json(obj.decisions)


class StayPlanItemSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    text = serializers.SerializerMethodField()
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_text(self, obj: Any) -> str:
        return mask_text(obj.text)


class StayPlanSerializer(serializers.Serializer):
    """A stay plan (住院方案): the care plan and a masked MRN, who agreed it, its items."""

    id = serializers.IntegerField()
    care_plan = serializers.IntegerField(source="plan_id")
    patient = serializers.IntegerField(source="plan.patient_id")
    patient_mrn = serializers.SerializerMethodField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    project_manager = serializers.IntegerField(source="project_manager_id", allow_null=True)
    doctor = serializers.IntegerField(source="doctor_id")
    doctor_name = serializers.CharField(source="doctor.name")
    nurse = serializers.IntegerField(source="nurse_id")
    nurse_name = serializers.CharField(source="nurse.name")
    agreed_at = serializers.DateTimeField()
    items_done = serializers.IntegerField(source="n_done")
    items_total = serializers.IntegerField(source="n_items")
    items = StayPlanItemSerializer(many=True)

    def get_patient_mrn(self, obj: Any) -> str:
        return _masked_mrn(obj.plan.patient.mrn)
