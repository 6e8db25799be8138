"""Serializers of the living dictionary's search: the query parameters and the ranked answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.knowledge.choices import EntryKind, Proximity


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200, help_text="What the patient asks, in Chinese (or pinyin initials)"
    )
    region = serializers.RegexField(
        r"^\d{6}$",
        required=False,
        help_text="Patient's home region (GB/T 2260): rank referrals nearest to it",
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, help_text="Origin latitude")
    lng = serializers.FloatField(min_value=-180, max_value=180, required=False, help_text="Origin longitude")
    limit = serializers.IntegerField(
        min_value=1, max_value=50, default=10, help_text="Hits per kind of entry"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("lat" in attrs) != ("lng" in attrs):
            raise serializers.ValidationError({"lng": ["Give both lat and lng, or neither."]})
        return attrs


class SearchTermSerializer(serializers.Serializer):
    token = serializers.CharField()
    factor = serializers.FloatField()
    source = serializers.ChoiceField(choices=["query", "synonym", "related", "part"])  # type: ignore[assignment]


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    score = serializers.FloatField()
    badges = serializers.ListField(child=serializers.ChoiceField(choices=["non_surgical", "not_offered"]))
    last_verified_at = DateTimeField(allow_null=True)
    is_stale = serializers.BooleanField()
    url = serializers.CharField()


class ReferralOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    level_display = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    reputation = serializers.IntegerField()
    distance_km = serializers.FloatField(allow_null=True)
    proximity = serializers.ChoiceField(choices=[p.name.lower() for p in Proximity])


class OriginSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    region_code = serializers.CharField(allow_null=True)


class ReferralSerializer(serializers.Serializer):
    service = serializers.CharField()
    origin = OriginSerializer()
    nearest = ReferralOptionSerializer(many=True)
    best_known = ReferralOptionSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    terms = SearchTermSerializer(many=True)
    results = SearchHitSerializer(many=True)
    referral = ReferralSerializer(allow_null=True)
