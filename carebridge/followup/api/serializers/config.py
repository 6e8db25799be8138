"""Serializers of the follow-up configuration (read-only): tiers with their windows, tier rules, policies."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.followup.models import FollowupPolicy, FollowupTier, TierRule, TierWindow


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
