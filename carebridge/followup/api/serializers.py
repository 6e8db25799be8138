"""Serializers of the follow-up API: separate input and output shapes; phones always masked."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.complaints.choices import Category, Severity
from carebridge.followup.choices import (
    CallOutcome,
    ContactChannel,
    IssueKind,
    MedicationFlag,
    MidStayTrigger,
    TelephonyState,
    TierCode,
    TouchpointStatus,
)
from carebridge.followup.models import (
    CallAttempt,
    CallIssue,
    CarePlan,
    CarePlanTransition,
    FollowupPolicy,
    FollowupTier,
    TelephonyCall,
    TierRule,
    TierWindow,
    Touchpoint,
    TouchpointTransition,
)


class CallIssueSerializer(serializers.ModelSerializer):
    complaint_reference = serializers.CharField(source="complaint.reference", default=None)
    department = serializers.CharField(source="department.code", default=None)

    class Meta:
        model = CallIssue
        fields = [
            "id",
            "kind",
            "text",
            "department",
            "complaint",
            "complaint_reference",
            "status",
            "answer",
            "raised_at",
        ]


class CallAttemptSerializer(serializers.ModelSerializer):
    agent = serializers.CharField(source="agent.get_username", default=None)
    phone = serializers.CharField(source="masked_phone", help_text="Masked")
    issues = CallIssueSerializer(many=True, read_only=True)

    class Meta:
        model = CallAttempt
        fields = [
            "id",
            "touchpoint",
            "at",
            "agent",
            "channel",
            "step",
            "outcome",
            "phone",
            "notes",
            "answers",
            "call_id",
            "recording_url",
            "duration_seconds",
            "issues",
        ]


class TouchpointTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = TouchpointTransition
        fields = ["at", "actor", "from_status", "to_status", "from_step", "to_step", "reason"]


class TouchpointSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="owner_id", default=None, help_text="Staff id")
    owner_name = serializers.CharField(source="owner.name", default=None)
    claimed_by = serializers.CharField(source="claimed_by.get_username", default=None)
    patient = serializers.IntegerField(source="plan.patient_id")
    patient_name = serializers.CharField(source="plan.patient.name")
    department = serializers.CharField(source="plan.department.code")

    class Meta:
        model = Touchpoint
        fields = [
            "id",
            "plan",
            "kind",
            "sequence",
            "title",
            "owner_rule",
            "owner",
            "owner_name",
            "tier",
            "status",
            "step",
            "due_at",
            "available_at",
            "claimed_by",
            "claimed_until",
            "trigger",
            "event_at",
            "event_description",
            "notes",
            "outcome",
            "completed_at",
            "closed_reason",
            "patient",
            "patient_name",
            "department",
        ]


class TouchpointDetailSerializer(TouchpointSerializer):
    attempts = CallAttemptSerializer(many=True, read_only=True)
    transitions = TouchpointTransitionSerializer(many=True, read_only=True)

    class Meta(TouchpointSerializer.Meta):
        fields = [*TouchpointSerializer.Meta.fields, "data", "attempts", "transitions"]


class CarePlanTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = CarePlanTransition
        fields = ["at", "actor", "field", "from_value", "to_value", "reason"]


class CarePlanSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.name")
    patient_mrn = serializers.CharField(source="patient.mrn")
    department = serializers.CharField(source="department.code")
    ward = serializers.CharField(source="ward.code", default=None)
    owner = serializers.IntegerField(source="owner_id", default=None, help_text="Staff id")
    owner_name = serializers.CharField(source="owner.name", default=None)

    class Meta:
        model = CarePlan
        fields = [
            "id",
            "encounter",
            "patient",
            "patient_name",
            "patient_mrn",
            "department",
            "ward",
            "owner",
            "owner_name",
            "status",
            "admitted_at",
            "discharged_at",
            "tier",
            "tier_rule",
            "tier_reason",
            "tier_assigned_at",
            "closed_at",
            "closed_reason",
        ]


class CarePlanDetailSerializer(CarePlanSerializer):
    touchpoints = TouchpointDetailSerializer(many=True, read_only=True)
    transitions = CarePlanTransitionSerializer(many=True, read_only=True)

    class Meta(CarePlanSerializer.Meta):
        fields = [
            *CarePlanSerializer.Meta.fields,
            "tier_facts",
            "medication_flags",
            "customer_file",
            "notes",
            "touchpoints",
            "transitions",
        ]


class RetierInputSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=TierCode.choices)
    reason = serializers.CharField()


class MidStayInputSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=MidStayTrigger.choices)
    event_at = serializers.DateTimeField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class DischargeInputSerializer(serializers.Serializer):
    ended_at = serializers.DateTimeField()
    medication_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=MedicationFlag.choices), required=False, default=list
    )


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    relationship = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class CustomerFileSerializer(serializers.Serializer):
    needs = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    expectations = serializers.CharField(required=False, allow_blank=True, default="")
    preferences = serializers.CharField(required=False, allow_blank=True, default="")
    contacts = ContactSerializer(many=True, required=False, default=list)


class CompleteInputSerializer(serializers.Serializer):
    notes = serializers.CharField()
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    customer_file = CustomerFileSerializer(required=False, allow_null=True, default=None)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CloseInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=TouchpointStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CallAttemptInputSerializer(serializers.Serializer):
    touchpoint = serializers.IntegerField(help_text="Touchpoint id")
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    channel = serializers.ChoiceField(choices=ContactChannel.choices, default=ContactChannel.PHONE)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    phone = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="PatientPhone id"
    )
    call_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=128)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class IssueInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IssueKind.choices)
    text = serializers.CharField()
    department = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Department code"
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MINOR)


class TierWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = TierWindow
        fields = ["sequence", "amount", "unit"]


class FollowupTierSerializer(serializers.ModelSerializer):
    windows = TierWindowSerializer(many=True, read_only=True)

    class Meta:
        model = FollowupTier
        fields = ["id", "hospital", "code", "name", "description", "rank", "auto_close_after_days", "windows"]


class TierRuleSerializer(serializers.ModelSerializer):
    departments: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    icd10_prefixes = serializers.ListField(child=serializers.CharField())
    medication_flags = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = TierRule
        fields = [
            "id",
            "hospital",
            "name",
            "tier",
            "priority",
            "icd10_prefixes",
            "surgery_grade_min",
            "critical",
            "departments",
            "medication_flags",
            "is_active",
        ]


class FollowupPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowupPolicy
        fields = [
            "id",
            "hospital",
            "calling_start",
            "calling_end",
            "retry_minutes",
            "busy_retry_minutes",
            "max_attempts_per_day",
            "phone_attempts_before_message",
            "message_channel",
            "message_wait_hours",
            "visit_days",
            "claim_minutes",
            "no_consent_route",
            "default_tier",
        ]


class TelephonyEventInputSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=TelephonyState.choices)
    call_id = serializers.CharField(max_length=128)
    caller = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    agent = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="The agent's user name as the switch knows it",
    )
    recording_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    duration_seconds = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class TelephonyCallSerializer(serializers.ModelSerializer):
    caller = serializers.CharField(source="masked_caller", help_text="Masked")
    duplicate = serializers.SerializerMethodField()

    class Meta:
        model = TelephonyCall
        fields = [
            "call_id",
            "state",
            "caller",
            "patient",
            "attempt",
            "ringing_at",
            "answered_at",
            "ended_at",
            "duration_seconds",
            "recording_url",
            "duplicate",
        ]

    def get_duplicate(self, call: TelephonyCall) -> bool:
        return bool(self.context.get("duplicate", False))
