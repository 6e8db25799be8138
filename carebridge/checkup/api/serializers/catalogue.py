"""Output shapes of the catalogue: items (with ranges and coded findings), packages, rooms.

Choice fields are written as their value plus a ``*_label`` in the reader's language, so the schema
names no enum that could collide with another app's."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.checkup.models import CodedValue, Item, Package, ReferenceRange, Room


class CheckupReferenceRangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferenceRange
        fields = ["sex", "age_min", "age_max", "low", "high", "normal_grade", "text"]


class CheckupCodedValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = CodedValue
        fields = ["code", "label", "is_abnormal"]


class CheckupRoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "code", "name", "location", "stations", "service_minutes", "sequence"]


class CheckupItemSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="numeric, grade, posneg, coded or text")
    kind_label = serializers.CharField(source="get_kind_display")
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    sex = serializers.CharField(help_text="any, M or F")
    room = serializers.CharField(source="room.code")
    preparations = serializers.ListField(child=serializers.CharField(), help_text="Preparation codes")
    ranges = CheckupReferenceRangeSerializer(many=True, read_only=True)
    coded_values = CheckupCodedValueSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "loinc",
            "name",
            "name_en",
            "abbreviation",
            "kind",
            "kind_label",
            "category",
            "category_label",
            "unit",
            "decimals",
            "room",
            "preparations",
            "sex",
            "price",
            "is_key",
            "ranges",
            "coded_values",
        ]


class CheckupPackageSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="standard, addon or personal")
    kind_label = serializers.CharField(source="get_kind_display")
    sex = serializers.CharField(help_text="any, M or F")
    items: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Package
        fields = ["id", "code", "name", "kind", "kind_label", "sex", "age_min", "age_max", "price", "items"]
