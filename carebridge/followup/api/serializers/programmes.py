"""Serializers of the chronic-programme, daily-sync and meeting API. A patient is given by id and a masked
MRN only; free text is masked (``mask_text``) in case a phone or ID number was typed into it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.core.masking import mask_json, mask_text
from carebridge.core.validators import COUNT_MAX
from carebridge.followup.choices import MeetingKind, StayItemStatus
from carebridge.followup.models import ChronicProgramme, ProgrammeEnrolment, WardMeeting, WardSync
from carebridge.lib.text import ID_MAX


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
    closed_at = DateTimeField(allow_null=True)
    note = serializers.SerializerMethodField()

    def get_text(self, obj: Any) -> str:
        return mask_text(obj.text)

    def get_note(self, obj: Any) -> str:
        return mask_text(obj.note)


class StayItemTransitionSerializer(serializers.Serializer):
    """One change of an item: when, the item's number, from → to, the reason (masked)."""

    at = DateTimeField()
    item = serializers.IntegerField(source="item.sequence")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.SerializerMethodField()

    def get_reason(self, obj: Any) -> str:
        return mask_text(obj.reason)


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
    agreed_at = DateTimeField()
    items_done = serializers.IntegerField(source="n_done")
    items_total = serializers.IntegerField(source="n_items")
    items = StayPlanItemSerializer(many=True)
    history = serializers.SerializerMethodField()

    @extend_schema_field(StayItemTransitionSerializer(many=True))
    def get_history(self, obj: Any) -> Any:
        """The items' changes in the order they happened (prefetched by ``stay_plan_list``)."""
        rows = [t for item in obj.items.all() for t in item.transitions.all()]
        rows.sort(key=lambda t: (t.at, t.pk))
        return StayItemTransitionSerializer(rows, many=True).data

    def get_patient_mrn(self, obj: Any) -> str:
        return _masked_mrn(obj.plan.patient.mrn)


class _StaffField(serializers.PrimaryKeyRelatedField):
    """A staff member by id; the services check that they work at the record's hospital."""

    def __init__(self, **kwargs: Any) -> None:
        from carebridge.core.models import Staff

        super().__init__(queryset=Staff.objects.filter(is_active=True), **kwargs)


class SyncIssueInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    owner = _StaffField(required=False, allow_null=True)
    resolved = serializers.BooleanField(default=False)


class SyncInputSerializer(serializers.Serializer):
    """Record a daily sync: a department of the caller's scope, who attended, the issues raised."""

    department = serializers.IntegerField(min_value=0, max_value=ID_MAX)
    ward = serializers.IntegerField(min_value=0, max_value=ID_MAX, required=False, allow_null=True)
    held_on = serializers.DateField()
    project_manager = _StaffField()
    attendees = _StaffField(many=True)
    issues = SyncIssueInputSerializer(many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingInputSerializer(serializers.Serializer):
    """Record a project-manager meeting or family forum; ``department`` empty for a hospital-wide one."""

    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    department = serializers.IntegerField(min_value=0, max_value=ID_MAX, required=False, allow_null=True)
    chaired_by = _StaffField()
    attendance = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    minutes = serializers.CharField()
    decisions = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )


class StayItemInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=255)
    owner = _StaffField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class StayPlanInputSerializer(serializers.Serializer):
    """Agree the stay plan of a care plan in the caller's scope with its doctor, nurse and items."""

    care_plan = serializers.IntegerField(min_value=0, max_value=ID_MAX)
    doctor = _StaffField()
    nurse = _StaffField()
    items = serializers.ListField(child=StayItemInputSerializer(), min_length=1, max_length=50)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class StayItemCloseInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=0, max_value=ID_MAX)
    to = serializers.ChoiceField(choices=[StayItemStatus.DONE.value, StayItemStatus.DROPPED.value])
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
