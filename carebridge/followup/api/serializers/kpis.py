"""Serializers of the KPI API: a row behind a figure."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField


class KpiRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField()
    patient = serializers.DictField(allow_null=True)
    department = serializers.CharField()
    ward = serializers.CharField()
    doctor = serializers.CharField()
    tier = serializers.CharField()
    date = DateTimeField(allow_null=True)
    status = serializers.CharField()
