"""Input and output serializers of the insights API (separate per endpoint, as the desk API does)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.insights.analysis.selection import Selection
from carebridge.insights.choices import RunKind
from carebridge.insights.models import AnalysisRun


class SelectionSerializer(serializers.Serializer):
    """The responses to analyse: an instrument and optional version, wave, department and period."""

    instrument = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=1, required=False)
    wave = serializers.IntegerField(min_value=1, required=False)
    department = serializers.IntegerField(min_value=1, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["The period ends before it starts."]})
        return attrs

    def selection(self) -> Selection:
        data = self.validated_data
        return Selection(
            instrument_id=data["instrument"],
            version_id=data.get("version"),
            wave_id=data.get("wave"),
            department_id=data.get("department"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class RunInputSerializer(serializers.Serializer):
    # Plain text, checked against RunKind (an enum named "kind" would collide with other apps' enums).
    kind = serializers.CharField(help_text="psychometrics, csi or drivers")
    selection = SelectionSerializer()
    parameters = serializers.DictField(required=False, default=dict)

    def validate_kind(self, value: str) -> str:
        if value not in RunKind.values:
            raise serializers.ValidationError(f"Use one of {', '.join(RunKind.values)}.")
        return value


class RunSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="queued, running, done or failed")
    result = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = AnalysisRun
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "parameters",
            "result",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class AhpInputSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField(max_length=64), min_length=2, max_length=15)
    matrix = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(min_value=1e-6)), min_length=2, max_length=15
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        n = len(attrs["labels"])
        if len(attrs["matrix"]) != n or any(len(row) != n for row in attrs["matrix"]):
            raise serializers.ValidationError({"matrix": [f"A {n}×{n} matrix is expected."]})
        return attrs


class DisagreementSerializer(serializers.Serializer):
    row = serializers.CharField()
    column = serializers.CharField()
    given = serializers.CharField()
    implied = serializers.CharField()


class AhpOutputSerializer(serializers.Serializer):
    weights = serializers.DictField(child=serializers.FloatField())
    lambda_max = serializers.FloatField()
    ci = serializers.FloatField()
    ri = serializers.FloatField()
    cr = serializers.FloatField()
    consistent = serializers.BooleanField()
    disagreements = DisagreementSerializer(many=True)
    message = serializers.CharField(allow_blank=True)
