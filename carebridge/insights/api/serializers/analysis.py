"""The selection of responses an analysis reads, as the insights API takes it (query or body)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.insights.domain.analysis.selection import Selection
from carebridge.lib.text import ID_MAX


class SelectionSerializer(serializers.Serializer):
    """The responses to analyse: an instrument and optional version, wave, department and period."""

    instrument = serializers.IntegerField(max_value=ID_MAX, min_value=1)
    version = serializers.IntegerField(max_value=ID_MAX, min_value=1, required=False)
    wave = serializers.IntegerField(max_value=ID_MAX, min_value=1, required=False)
    department = serializers.IntegerField(max_value=ID_MAX, min_value=1, required=False)
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
