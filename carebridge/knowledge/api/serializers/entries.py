"""Separate input and output serializers of the living dictionary's entries (profiles, services,
doctors, external hospitals, FAQ)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carebridge.core.api.serializers.fields import whole_items
from carebridge.core.choices import HospitalLevel
from carebridge.knowledge.choices import ClinicType, FaqCategory, HalfDay, TreatmentApproach
from carebridge.knowledge.domain.text import split_list
from carebridge.knowledge.models import (
    ClinicSession,
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    Service,
)
from carebridge.lib.text import ID_MAX

VERIFIED_FIELDS = ["last_verified_at", "verified_by", "verified_days_ago", "is_stale"]


class VerifiedOutputMixin(serializers.Serializer):
    verified_by = serializers.SerializerMethodField()
    verified_days_ago = serializers.IntegerField(read_only=True, allow_null=True)
    is_stale = serializers.BooleanField(read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_verified_by(self, entry: Any) -> str | None:
        return entry.verified_by.get_username() if entry.verified_by else None


# --- outputs --------------------------------------------------------------------------------------


class ClinicSessionOutputSerializer(serializers.ModelSerializer):
    weekday_display = serializers.CharField(source="get_weekday_display")
    half_day_display = serializers.CharField(source="get_half_day_display")
    clinic_type_display = serializers.CharField(source="get_clinic_type_display")

    class Meta:
        model = ClinicSession
        fields = [
            "weekday",
            "weekday_display",
            "half_day",
            "half_day_display",
            "clinic_type",
            "clinic_type_display",
            "room",
        ]


class DepartmentProfileOutputSerializer(VerifiedOutputMixin, serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")

    class Meta:
        model = DepartmentProfile
        fields = [
            "id",
            "department_id",
            "department",
            "department_name",
            "introduction",
            "treatment_scope",
            "special_techniques",
            "equipment",
            "non_surgical_option",
            "building",
            "floor",
            "location",
            "phone",
            *VERIFIED_FIELDS,
        ]


class ServiceOutputSerializer(VerifiedOutputMixin, serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", default=None)
    department_name = serializers.CharField(source="department.name", default=None)

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "synonyms",
            "description",
            "department_id",
            "department",
            "department_name",
            "approach",
            "offered_here",
            "note",
            *VERIFIED_FIELDS,
        ]


class DoctorOutputSerializer(VerifiedOutputMixin, serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    sessions = ClinicSessionOutputSerializer(many=True)

    class Meta:
        model = Doctor
        fields = [
            "id",
            "name",
            "name_initials",
            "title",
            "department_id",
            "department",
            "department_name",
            "staff_id",
            "specialties",
            "introduction",
            "is_active",
            "sessions",
            *VERIFIED_FIELDS,
        ]


class ExternalHospitalOutputSerializer(VerifiedOutputMixin, serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display")
    region = serializers.CharField(source="region_id", allow_null=True)
    region_name = serializers.SerializerMethodField()
    services_offered = serializers.SerializerMethodField()

    class Meta:
        model = ExternalHospital
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "region",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "phone",
            "reputation",
            "services_offered",
            "specialties",
            "note",
            "is_active",
            *VERIFIED_FIELDS,
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region_name(self, external: ExternalHospital) -> str | None:
        return external.region.full_name if external.region else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_services_offered(self, external: ExternalHospital) -> list[str]:
        return split_list(external.services_offered)


class FaqOutputSerializer(VerifiedOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = Faq
        fields = ["id", "category", "question", "answer", "keywords", "is_active", *VERIFIED_FIELDS]


# --- inputs ---------------------------------------------------------------------------------------


class EntryInputSerializer(serializers.Serializer):
    mark_verified = serializers.BooleanField(
        default=True, help_text="Also mark the entry verified by the caller."
    )

    def service_values(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("mark_verified", None)
        return data


class DepartmentProfileInputSerializer(EntryInputSerializer):
    department = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, help_text="Department id (of the caller's hospital)"
    )
    introduction = serializers.CharField(required=False, allow_blank=True)
    treatment_scope = serializers.CharField(required=False, allow_blank=True)
    special_techniques = serializers.CharField(required=False, allow_blank=True)
    equipment = serializers.CharField(required=False, allow_blank=True)
    non_surgical_option = serializers.BooleanField(required=False)
    building = serializers.CharField(max_length=64, required=False, allow_blank=True)
    floor = serializers.CharField(max_length=16, required=False, allow_blank=True)
    location = serializers.CharField(max_length=128, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class DepartmentProfileUpdateSerializer(DepartmentProfileInputSerializer):
    department = None  # type: ignore[assignment]  # a profile stays with its department


class ServiceInputSerializer(EntryInputSerializer):
    name = serializers.CharField(max_length=128)
    department = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, allow_null=True, help_text="Department id"
    )
    synonyms = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    approach = serializers.ChoiceField(choices=TreatmentApproach.choices, required=False)
    offered_here = serializers.BooleanField(required=False)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ServiceUpdateSerializer(ServiceInputSerializer):
    name = serializers.CharField(max_length=128, required=False)


class SessionInputSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7, help_text="1 = Monday … 7 = Sunday")
    half_day = serializers.ChoiceField(choices=HalfDay.choices)
    clinic_type = serializers.ChoiceField(choices=ClinicType.choices, default=ClinicType.GENERAL)
    room = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class DoctorInputSerializer(EntryInputSerializer):
    name = serializers.CharField(max_length=64)
    department = serializers.IntegerField(min_value=0, max_value=ID_MAX, help_text="Department id")
    staff = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, allow_null=True, help_text="Staff id"
    )
    title = serializers.CharField(max_length=64, required=False, allow_blank=True)
    specialties = serializers.CharField(required=False, allow_blank=True)
    introduction = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    sessions = SessionInputSerializer(  # type: ignore[call-arg]  # DRF 3.18 takes it with many=True; the stubs lag
        many=True,
        required=False,
        max_length=100,
        help_text="The whole weekly schedule; replaces the current one when given.",
    )

    def validate_sessions(self, _value: Any) -> list[dict[str, Any]]:
        return whole_items(SessionInputSerializer, self.initial_data.get("sessions"))


class DoctorUpdateSerializer(DoctorInputSerializer):
    name = serializers.CharField(max_length=64, required=False)
    department = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, help_text="Department id"
    )


class ExternalHospitalInputSerializer(EntryInputSerializer):
    name = serializers.CharField(max_length=128)
    level = serializers.ChoiceField(choices=HospitalLevel.choices, required=False)
    region = serializers.CharField(
        max_length=6,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="GB/T 2260 code, e.g. 320106",
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        required=False,
        allow_null=True,
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    reputation = serializers.IntegerField(min_value=0, max_value=100, required=False)
    services_offered = serializers.ListField(child=serializers.CharField(max_length=128), required=False)
    specialties = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("latitude" in attrs) != ("longitude" in attrs) or (
            (attrs.get("latitude") is None) != (attrs.get("longitude") is None)
        ):
            raise serializers.ValidationError(
                {"longitude": ["Give both latitude and longitude, or neither."]}
            )
        return attrs

    def service_values(self) -> dict[str, Any]:
        data = super().service_values()
        if "services_offered" in data:
            data["services_offered"] = "、".join(
                item.strip() for item in data["services_offered"] if item.strip()
            )
        if "region" in data:
            data["region"] = data["region"] or ""
        return data


class ExternalHospitalUpdateSerializer(ExternalHospitalInputSerializer):
    name = serializers.CharField(max_length=128, required=False)


class FaqInputSerializer(EntryInputSerializer):
    question = serializers.CharField(max_length=255)
    answer = serializers.CharField()
    category = serializers.ChoiceField(choices=FaqCategory.choices, required=False)
    keywords = serializers.CharField(max_length=255, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class FaqUpdateSerializer(FaqInputSerializer):
    question = serializers.CharField(max_length=255, required=False)
    answer = serializers.CharField(required=False)
