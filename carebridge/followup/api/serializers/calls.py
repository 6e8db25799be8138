"""Serializers of the call API: attempts with their issues, the inputs that record an outcome or raise an
issue, and the telephony webhook; phones always masked."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.complaints.choices import Category, Severity
from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.core.validators import COUNT_MAX
from carebridge.followup.choices import CallOutcome, ContactChannel, IssueKind, RecheckOutcome, TelephonyState
from carebridge.followup.models import CallAttempt, CallIssue, TelephonyCall
from carebridge.lib.text import ID_MAX


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


class CallAttemptInputSerializer(serializers.Serializer):
    touchpoint = serializers.IntegerField(min_value=0, max_value=ID_MAX, help_text="Touchpoint id")
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    channel = serializers.ChoiceField(choices=ContactChannel.choices, default=ContactChannel.PHONE)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    phone = serializers.IntegerField(
        min_value=0,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="PatientPhone id",
    )
    call_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=128)
    at = DateTimeField(required=False, allow_null=True, default=None)
    recheck_outcome = serializers.ChoiceField(
        choices=RecheckOutcome.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Standalone calls that reached the person: what came of the finding",
    )
    saw_doctor = serializers.BooleanField(required=False, default=False)
    finding = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class IssueInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IssueKind.choices)
    text = serializers.CharField()
    department = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Department code"
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MINOR)


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
    duration_seconds = serializers.IntegerField(
        min_value=0, max_value=COUNT_MAX, required=False, allow_null=True, default=None
    )
    at = DateTimeField(required=False, allow_null=True, default=None)


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
