"""Serializers of patients and of the reveal: separate input and output; outputs carry identifiers
masked only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField, whole_items
from carebridge.core.masking import mask_phone
from carebridge.lib.text import ID_MAX
from carebridge.patients.choices import PhoneKind, RevealField, Sex
from carebridge.patients.models import Patient, PatientPhone


class PhoneOutputSerializer(serializers.ModelSerializer):
    number = serializers.SerializerMethodField()

    class Meta:
        model = PatientPhone
        fields = ["number", "kind", "label", "is_primary"]

    def get_number(self, phone: PatientPhone) -> str:
        return mask_phone(phone.number)


class PatientOutputSerializer(serializers.ModelSerializer):
    hospital = serializers.CharField(source="hospital.code")
    national_id = serializers.CharField(source="masked_national_id")
    phones = PhoneOutputSerializer(many=True)
    region = serializers.CharField(source="region_id", allow_null=True)
    region_name = serializers.SerializerMethodField()
    tags = serializers.SlugRelatedField[Any](many=True, read_only=True, slug_field="name")

    class Meta:
        model = Patient
        fields = [
            "id",
            "hospital",
            "mrn",
            "name",
            "sex",
            "birth_date",
            "national_id",
            "phones",
            "region",
            "region_name",
            "address",
            "tags",
            "contact_consent",
            "survey_consent",
            "deceased_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region_name(self, patient: Patient) -> str | None:
        return patient.region_name

    def to_representation(self, patient: Patient) -> dict[str, Any]:
        """The fields above, written out: DRF's generic walk over 17 fields and a nested serializer per row
        was most of a list request's time (``tests/api`` holds the two equal)."""
        return {
            "id": patient.pk,
            "hospital": patient.hospital.code,
            "mrn": patient.mrn,
            "name": patient.name,
            "sex": patient.sex,
            "birth_date": _date(patient.birth_date),
            "national_id": patient.masked_national_id,
            "phones": [
                {"number": mask_phone(p.number), "kind": p.kind, "label": p.label, "is_primary": p.is_primary}
                for p in patient.phones.all()
            ],
            "region": patient.region_id,
            "region_name": patient.region_name,
            "address": patient.address,
            "tags": [tag.name for tag in patient.tags.all()],
            "contact_consent": patient.contact_consent,
            "survey_consent": patient.survey_consent,
            "deceased_at": _datetime(patient.deceased_at),
            "created_at": _datetime(patient.created_at),
            "updated_at": _datetime(patient.updated_at),
        }


_DATE, _DATETIME = serializers.DateField(), DateTimeField()


def _date(value: Any) -> Any:
    return None if value is None else _DATE.to_representation(value)


def _datetime(value: Any) -> Any:
    return None if value is None else _DATETIME.to_representation(value)


class PhoneInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    kind = serializers.ChoiceField(choices=PhoneKind.choices, default=PhoneKind.MOBILE)
    label = serializers.CharField(max_length=32, required=False, default="")  # type: ignore[assignment]
    is_primary = serializers.BooleanField(required=False, default=False)


class PatientInputSerializer(serializers.Serializer):
    """Validation of shape and types; the service validates the domain (ID check digit, region code …)."""

    mrn = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=64)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = serializers.DateField(required=False, allow_null=True)
    national_id = serializers.CharField(max_length=18, required=False, allow_blank=True)
    region = serializers.CharField(max_length=6, required=False, allow_blank=True, allow_null=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    phones = PhoneInputSerializer(many=True, required=False, max_length=10)  # type: ignore[call-arg]  # DRF 3.18 takes it with many=True; the stubs lag
    tags = serializers.ListField(child=serializers.CharField(max_length=32), required=False, max_length=20)
    contact_consent = serializers.BooleanField(required=False)
    survey_consent = serializers.BooleanField(required=False)
    source_key = serializers.CharField(max_length=128, required=False, allow_blank=True)

    def service_values(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        for key in ("phones", "tags", "source_key"):
            data.pop(key, None)
        if "region" in data:
            data["region_id"] = data.pop("region") or None
        return data


class PatientUpdateSerializer(PatientInputSerializer):
    mrn = serializers.CharField(max_length=32, required=False)
    name = serializers.CharField(max_length=64, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)

    def validate_phones(self, _value: Any) -> list[dict[str, Any]]:
        return whole_items(PhoneInputSerializer, self.initial_data.get("phones"))


class RevealInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)
    fields = serializers.ListField(  # type: ignore[assignment]  # the API key is "fields"; DRF moves it
        child=serializers.ChoiceField(choices=RevealField.choices), default=[RevealField.NATIONAL_ID]
    )


class RevealOutputSerializer(serializers.Serializer):
    national_id = serializers.CharField(allow_null=True)
    phones = serializers.ListField(child=serializers.CharField(), allow_null=True)


class PatientSearchInputSerializer(serializers.Serializer):
    """The patient list's filters sent in a POST body (``/api/v1/patients/search/``)."""

    q = serializers.CharField(max_length=64, required=False, allow_blank=True)
    department = serializers.IntegerField(max_value=ID_MAX, required=False, min_value=1)
    chapter = serializers.CharField(max_length=8, required=False, allow_blank=True)
    icd10 = serializers.CharField(max_length=16, required=False, allow_blank=True)
    region = serializers.CharField(max_length=12, required=False, allow_blank=True)
    sex = serializers.CharField(max_length=8, required=False, allow_blank=True)
    tag = serializers.CharField(max_length=64, required=False, allow_blank=True)
    encounter_kind = serializers.CharField(max_length=16, required=False, allow_blank=True)
    survey_consent = serializers.BooleanField(required=False, allow_null=True, default=None)
    contact_consent = serializers.BooleanField(required=False, allow_null=True, default=None)
