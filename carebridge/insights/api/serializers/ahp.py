"""Input and output serializers of the AHP check (weights and consistency of a judgement matrix)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


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
