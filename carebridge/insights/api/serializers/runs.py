"""Input and output serializers of background analysis runs (separate per endpoint)."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.insights.api.serializers.analysis import SelectionSerializer
from carebridge.insights.choices import RunKind
from carebridge.insights.models import AnalysisRun


class RunInputSerializer(serializers.Serializer):
    # Plain text, checked against RunKind (an enum named "kind" would collide with other apps' enums).
    kind = serializers.CharField(
        help_text="psychometrics, csi or drivers; or a fast analysis (indexes, distributions, trends, "
        "benchmark, ipa, comments), which the analyses endpoint hands to a run on a large selection"
    )
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
            "failure",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields
