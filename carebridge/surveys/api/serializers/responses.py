"""Serializers of the response API (authenticated); the public answering API's are in ``public``.

Input and output are separate (HackSoft style). Outputs carry no direct identifier: no patient, name,
phone or token, only the response id and its context.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.lib.text import ID_MAX
from carebridge.surveys.models import RecoveryCase, Response


class SurveyRecoveryCaseSerializer(serializers.ModelSerializer):
    complaint_reference = serializers.CharField(source="complaint.reference", read_only=True)

    class Meta:
        model = RecoveryCase
        fields = ["id", "complaint", "complaint_reference", "evidence", "created_at"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", default="", read_only=True)
    mode = serializers.CharField(read_only=True, help_text="web, phone, paper or import")
    submitted_at = DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="In an anonymous wave the first day of the month, or null where withheld.",
    )

    class Meta:
        model = Response
        fields = [
            "id",
            "wave",
            "version",
            "department",
            "mode",
            "language",
            "submitted_at",
            "duration_seconds",
            "score",
            "dimension_scores",
            "adjusters",
        ]

    def to_representation(self, instance: Response) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.wave is not None and instance.wave.anonymous:
            anonymous_view(data, getattr(instance, "shown", None))
        return data


class SurveyResponseDetailSerializer(SurveyResponseSerializer):
    recovery_cases = SurveyRecoveryCaseSerializer(many=True, read_only=True)
    interviewer = serializers.CharField(source="interviewer.username", default="", read_only=True)

    class Meta(SurveyResponseSerializer.Meta):
        fields = [*SurveyResponseSerializer.Meta.fields, "answers", "interviewer", "recovery_cases"]


def anonymous_view(data: dict[str, Any], shown: Any) -> None:
    """Narrow a response of an anonymous wave to its shown cell (``selectors.responses.anonymise``):
    department, month of submission and mode, or nothing where withheld; never who entered it."""
    department_id, month, mode = (shown.department_id, shown.month, shown.mode) if shown else (None,) * 3
    if department_id is None:
        data["department"] = ""
        data["adjusters"] = {k: v for k, v in data.get("adjusters", {}).items() if k != "service_line"}
    start = None
    if month is not None:
        start = dt.datetime(month.year, month.month, 1, tzinfo=timezone.get_current_timezone())
    data["submitted_at"] = DateTimeField().to_representation(start) if start else None
    data["mode"] = mode or ""
    data["duration_seconds"] = None
    if "interviewer" in data:
        data["interviewer"] = ""


class SurveyResponseEntrySerializer(serializers.Serializer):
    """A phone interview or a paper questionnaire entered by staff for one invitation."""

    invitation = serializers.IntegerField(max_value=ID_MAX, min_value=1)
    mode = serializers.ChoiceField(choices=[("phone", "phone"), ("paper", "paper")])
    answers = serializers.DictField(child=serializers.JSONField())
    language = serializers.ChoiceField(choices=[("zh-hans", "zh-hans"), ("en", "en")], default="zh-hans")
    started_at = DateTimeField(required=False, allow_null=True)
