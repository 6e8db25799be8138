"""Serializers of the critical-results API: output per resource, input per action. Identifiers masked:
the person is shown by name and masked MRN only, numbers dialled masked."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.core.masking import mask_phone
from carebridge.critical.choices import LadderStep, Outcome
from carebridge.critical.models import Attempt, Finding, Notification, Rule


class RuleSerializer(serializers.ModelSerializer):
    rule_set = serializers.CharField(source="rule_set.code")
    rule_set_version = serializers.IntegerField(source="rule_set.version")
    item = serializers.CharField(source="item.code", default="")
    severity_label = serializers.CharField(source="get_severity_display")

    class Meta:
        model = Rule
        fields = [
            "id", "rule_set", "rule_set_version", "code", "name", "item", "category", "operator",
            "threshold", "grade", "codes", "severity", "severity_label", "sex", "age_min", "age_max",
            "advice", "source", "is_active",
        ]  # fmt: skip


class FindingSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code")
    rule_name = serializers.CharField(source="rule.name")

    class Meta:
        model = Finding
        fields = ["id", "result", "rule", "rule_name", "severity", "value", "reference", "is_current", "note"]


class AttemptSerializer(serializers.ModelSerializer):
    number = serializers.SerializerMethodField()
    by = serializers.SerializerMethodField()

    class Meta:
        model = Attempt
        fields = ["id", "at", "by", "step", "number", "outcome", "answered_by", "read_back", "advice", "note"]

    def get_number(self, attempt: Attempt) -> str:
        return mask_phone(attempt.number)

    def get_by(self, attempt: Attempt) -> str:
        from carebridge.critical.selectors.record import person_label

        return person_label(attempt.by) if attempt.by_id else ""


class NotificationSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.name")
    visit_number = serializers.CharField(source="visit.number")
    status_label = serializers.CharField(source="get_status_display")
    findings = serializers.SerializerMethodField()
    claimed_by_me = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id", "visit", "visit_number", "patient_name", "severity", "status", "status_label",
            "detected_at", "first_attempt_due", "read_back_due", "first_attempt_at", "read_back_at",
            "read_back_to", "closed_at", "ladder_step", "corrected", "claimed_until", "claimed_by_me",
            "findings",
        ]  # fmt: skip

    def get_findings(self, notification: Notification) -> list[dict[str, Any]]:
        return FindingSerializer(notification.findings.all(), many=True).data  # type: ignore[return-value]

    def get_claimed_by_me(self, notification: Notification) -> bool:
        request = self.context.get("request")
        return bool(request and notification.claimed_by_id == request.user.pk)


class AttemptInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=LadderStep.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    answered_by = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    read_back = serializers.CharField(required=False, allow_blank=True, default="")
    advice = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
