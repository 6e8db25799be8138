"""Serializers of encounters and their diagnoses: separate input and output."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.lib.text import ID_MAX
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Diagnosis, Encounter


class DiagnosisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Diagnosis
        fields = ["code", "name", "category", "chapter", "is_primary"]


class EncounterOutputSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    ward = serializers.CharField(source="ward.code", default=None)
    attending_doctor = serializers.CharField(source="attending_doctor.name", default=None)
    primary_nurse = serializers.CharField(source="primary_nurse.name", default=None)
    diagnoses = DiagnosisSerializer(many=True)

    class Meta:
        model = Encounter
        fields = [
            "id",
            "patient",
            "kind",
            "department",
            "department_name",
            "ward",
            "attending_doctor",
            "primary_nurse",
            "started_at",
            "ended_at",
            "surgery_grade",
            "critical",
            "diagnoses",
        ]


class DiagnosisInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16)
    name = serializers.CharField(max_length=128)
    is_primary = serializers.BooleanField(default=False)


class EncounterInputSerializer(serializers.Serializer):
    patient = serializers.IntegerField(min_value=0, max_value=ID_MAX)
    kind = serializers.ChoiceField(choices=EncounterKind.choices)
    department = serializers.CharField(max_length=32, help_text="Department code")
    ward = serializers.CharField(max_length=32, required=False, allow_null=True, help_text="Ward code")
    attending_doctor = serializers.IntegerField(required=False, allow_null=True, help_text="Staff id")
    primary_nurse = serializers.IntegerField(required=False, allow_null=True, help_text="Staff id")
    started_at = DateTimeField()
    ended_at = DateTimeField(required=False, allow_null=True)
    surgery_grade = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    critical = serializers.BooleanField(default=False)
    diagnoses = DiagnosisInputSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]  # DRF 3.18 takes it with many=True; the stubs lag
    source_key = serializers.CharField(max_length=128, required=False, allow_blank=True)
