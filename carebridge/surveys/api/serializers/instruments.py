"""Serializers of the instrument API: separate input and output shapes per endpoint."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.surveys.choices import InstrumentKind, RespondentClass
from carebridge.surveys.models import Instrument, InstrumentVersion, Item


class InstrumentSerializer(serializers.ModelSerializer):
    library = serializers.SerializerMethodField()
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "respondent_class",
            "description",
            "library",
            "latest_version",
            "created_at",
        ]

    def get_library(self, obj: Instrument) -> bool:
        return obj.hospital_id is None

    def get_latest_version(self, obj: Instrument) -> int | None:
        if hasattr(obj, "latest_number"):  # annotated by the selector
            return obj.latest_number
        latest = obj.versions.order_by("-number").first()
        return latest.number if latest else None


class InstrumentInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=128)
    name_en = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=InstrumentKind.choices, default=InstrumentKind.OTHER)
    respondent_class = serializers.ChoiceField(
        choices=RespondentClass.choices, default=RespondentClass.PATIENT
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    definition = serializers.JSONField(
        required=False,
        help_text="The questionnaire (schema in carebridge/surveys/instruments.py); empty: a starter.",
    )


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = [
            "code",
            "position",
            "dimension",
            "indicator",
            "item_type",
            "text",
            "text_en",
            "scale_min",
            "scale_max",
            "reverse",
            "required",
            "allows_na",
            "weight",
            "overall_weight",
        ]


class VersionSerializer(serializers.ModelSerializer):
    instrument_code = serializers.CharField(source="instrument.code", read_only=True)
    response_count = serializers.SerializerMethodField()

    class Meta:
        model = InstrumentVersion
        fields = [
            "id",
            "instrument",
            "instrument_code",
            "number",
            "status",
            "content_hash",
            "published_at",
            "created_at",
            "response_count",
        ]

    def get_response_count(self, obj: InstrumentVersion) -> int:
        if hasattr(obj, "response_count"):  # annotated by the selector
            return int(obj.response_count)
        return obj.responses.count()


class VersionDetailSerializer(VersionSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "definition", "items"]


class DefinitionInputSerializer(serializers.Serializer):
    definition = serializers.JSONField()


class NewDraftInputSerializer(serializers.Serializer):
    blank = serializers.BooleanField(default=False, help_text="Start from a one-item starter, not a copy.")


# The levels of the indicator system whose weights can be set (an ENUM_NAME_OVERRIDES entry names it).
WEIGHT_LEVELS = [("dimension", "dimension"), ("indicator", "indicator"), ("item", "item")]


class WeightsInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=WEIGHT_LEVELS)
    parent_code = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None)
    weights = serializers.DictField(child=serializers.FloatField(min_value=0), allow_empty=False)


class RetireInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CopyInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=64, required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=128, required=False, allow_null=True, default=None)


class ExportDocumentSerializer(serializers.Serializer):
    """The file an export gives and an import takes (the import checks everything in it)."""

    format = serializers.CharField(help_text='"carebridge-instrument"')
    format_version = serializers.IntegerField()
    instrument = serializers.JSONField(help_text="code, name, name_en, kind, respondent_class, description")
    definition = serializers.JSONField()
    content_hash = serializers.CharField(required=False, help_text="SHA-256 of the canonical definition")


class ImportResultSerializer(serializers.Serializer):
    created = serializers.BooleanField()
    instrument = InstrumentSerializer()
    version = VersionSerializer()

    def to_representation(self, instance: Any) -> Any:
        return {
            "created": instance.created,
            "instrument": InstrumentSerializer(instance.instrument).data,
            "version": VersionSerializer(instance.version).data,
        }
