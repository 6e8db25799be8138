"""Output shapes of groups, visits and the next-room suggestion. Identifiers are masked (national ID
``110***********1234``, phones ``138****1234``); nothing unmasked leaves through the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.models import EmployerGroup, OrderedItem, Result, Visit
from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.core.masking import mask_national_id, mask_phone


class CheckupGroupSerializer(serializers.ModelSerializer):
    channel = serializers.CharField()
    channel_label = serializers.CharField(source="get_channel_display")
    occupation_class = serializers.CharField()
    occupation_class_label = serializers.CharField(source="get_occupation_class_display")
    contact_phone = serializers.SerializerMethodField(help_text="Masked")

    class Meta:
        model = EmployerGroup
        fields = [
            "id",
            "code",
            "name",
            "channel",
            "channel_label",
            "occupation_class",
            "occupation_class_label",
            "contact_name",
            "contact_phone",
        ]

    def get_contact_phone(self, group: EmployerGroup) -> str:
        return mask_phone(group.contact_phone)


class CheckupPersonSerializer(serializers.Serializer):
    """The customer as the centre needs them, identifiers masked."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    sex = serializers.CharField()
    birth_year = serializers.SerializerMethodField()
    national_id = serializers.SerializerMethodField(help_text="Masked")

    def get_birth_year(self, patient: Any) -> int | None:
        return patient.birth_date.year if patient.birth_date else None

    def get_national_id(self, patient: Any) -> str:
        return mask_national_id(patient.national_id)


class CheckupResultSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    value = serializers.CharField(source="display_value")
    flag = serializers.CharField(help_text="N normal, L low, H high, A abnormal")
    flag_label = serializers.CharField(source="get_flag_display")

    class Meta:
        model = Result
        fields = [
            "item",
            "item_name",
            "value",
            "value_numeric",
            "unit",
            "ref_low",
            "ref_high",
            "ref_text",
            "flag",
            "flag_label",
            "recorded_at",
        ]


class CheckupOrderSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    room = serializers.CharField(source="item.room.code")
    status = serializers.CharField(help_text="ordered, resulted or waived")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = OrderedItem
        fields = ["item", "item_name", "room", "status", "status_label", "performed_at", "waived_reason"]


class CheckupVisitSerializer(serializers.ModelSerializer):
    patient = CheckupPersonSerializer()
    age = serializers.SerializerMethodField()
    status = serializers.CharField(
        help_text="booked, checked_in, examined, signed, released, cancelled, no_show"
    )
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    occupation_class = serializers.CharField()
    package = serializers.CharField(source="package.code", default=None)
    group = serializers.IntegerField(source="group_id", default=None)
    risk_level_label = serializers.CharField(source="get_risk_level_display", allow_null=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "number",
            "scheduled_for",
            "status",
            "status_label",
            "patient",
            "age",
            "channel",
            "occupation_class",
            "package",
            "group",
            "price",
            "checked_in_at",
            "examined_at",
            "signed_at",
            "released_at",
            "risk_level",
            "risk_level_label",
        ]

    def get_age(self, visit: Visit) -> int | None:
        return age_on(visit.patient.birth_date, visit.scheduled_for)


class CheckupVisitDetailSerializer(CheckupVisitSerializer):
    orders = CheckupOrderSerializer(many=True, read_only=True)
    results = CheckupResultSerializer(many=True, read_only=True)

    class Meta(CheckupVisitSerializer.Meta):
        fields = [*CheckupVisitSerializer.Meta.fields, "summary", "orders", "results"]


class CheckupOptionSerializer(serializers.Serializer):
    room = serializers.IntegerField(source="room_id")
    room_name = serializers.CharField(source="name")
    expected_wait = serializers.IntegerField(help_text="Minutes")


class CheckupSuggestionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="room, meal, wait or done")
    reason = serializers.CharField()
    room = serializers.IntegerField(source="room_id", allow_null=True)
    room_name = serializers.CharField()
    expected_wait = serializers.IntegerField(allow_null=True, help_text="Minutes")
    due_at = DateTimeField(allow_null=True)
    alternatives = CheckupOptionSerializer(many=True)
    blocked = serializers.ListField(child=serializers.CharField())
