"""Output shapes of the scorecard API (read-only): the catalogue, scorecards, and a period's scores. No
patient appears here: figures and the links to their rows only."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.lib.text import ID_MAX
from carebridge.performance.models import Kpi, Scorecard


class KpiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = [
            "id",
            "code",
            "name",
            "definition",
            "numerator_text",
            "denominator_text",
            "unit",
            "direction",
            "source",
            "aggregation",
            "parameters",
        ]


class ScorecardSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", default=None, read_only=True)
    staff = serializers.CharField(source="staff.name", default=None, read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "name", "level", "status", "department", "staff"]


class KpiScoreSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    definition = serializers.CharField()
    weight = serializers.FloatField()
    target = serializers.FloatField()
    minimum = serializers.FloatField()
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    band = serializers.CharField()
    rows_url = serializers.CharField()
    months_missing = serializers.ListField(child=serializers.CharField())


class ObjectiveScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    score = serializers.FloatField(allow_null=True)
    coverage = serializers.FloatField()
    band = serializers.CharField()
    kpis = KpiScoreSerializer(many=True)


class PerspectiveScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.FloatField()
    score = serializers.FloatField(allow_null=True)
    coverage = serializers.FloatField()
    band = serializers.CharField()
    objectives = ObjectiveScoreSerializer(many=True)


class ScoresSerializer(serializers.Serializer):
    scorecard_id = serializers.IntegerField()
    period = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    coverage = serializers.FloatField()
    band = serializers.CharField()
    version = serializers.IntegerField(min_value=0, max_value=ID_MAX, allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    perspectives = PerspectiveScoreSerializer(many=True)
