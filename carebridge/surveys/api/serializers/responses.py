"""Serializers of the response API (authenticated); the public answering API's are in ``public``.

Input and output are separate (HackSoft style). Outputs carry no direct identifier: no patient, name,
phone or token, only the response id and its context.
"""

from __future__ import annotations

from rest_framework import serializers

from carebridge.surveys.models import RecoveryCase, Response


class SurveyRecoveryCaseSerializer(serializers.ModelSerializer):
    complaint_reference = serializers.CharField(source="complaint.reference", read_only=True)

    class Meta:
        model = RecoveryCase
        fields = ["id", "complaint", "complaint_reference", "evidence", "created_at"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", default="", read_only=True)
    mode = serializers.CharField(read_only=True, help_text="web, phone, paper or import")

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


class SurveyResponseDetailSerializer(SurveyResponseSerializer):
    recovery_cases = SurveyRecoveryCaseSerializer(many=True, read_only=True)
    interviewer = serializers.CharField(source="interviewer.username", default="", read_only=True)

    class Meta(SurveyResponseSerializer.Meta):
        fields = [*SurveyResponseSerializer.Meta.fields, "answers", "interviewer", "recovery_cases"]


class SurveyResponseEntrySerializer(serializers.Serializer):
    """A phone interview or a paper questionnaire entered by staff for one invitation."""

    invitation = serializers.IntegerField(min_value=1)
    mode = serializers.ChoiceField(choices=[("phone", "phone"), ("paper", "paper")])
    answers = serializers.DictField(child=serializers.JSONField())
    language = serializers.ChoiceField(choices=[("zh-hans", "zh-hans"), ("en", "en")], default="zh-hans")
    started_at = serializers.DateTimeField(required=False, allow_null=True)
