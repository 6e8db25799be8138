"""Serializers of inquiries (咨询分诊) and their statistics: separate input and output shapes."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.frontdesk.choices import InquiryCategory, InquiryChannel
from carebridge.frontdesk.models import Inquiry
from carebridge.lib.text import ID_MAX


class InquirySerializer(serializers.ModelSerializer):
    recommended_department = serializers.CharField(source="recommended_department.code", default=None)
    recommended_doctor = serializers.IntegerField(source="recommended_doctor_id", default=None)
    referred_hospital = serializers.IntegerField(source="referred_hospital_id", default=None)
    referred_hospital_name = serializers.CharField(source="referred_hospital.name", default=None)
    received_by = serializers.CharField(source="received_by.get_username")
    answered_by = serializers.CharField(source="answered_by.get_username", default=None)
    response_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "channel",
            "category",
            "question",
            "answer",
            "asker_name",
            "patient",
            "recommended_department",
            "recommended_doctor",
            "referred_hospital",
            "referred_hospital_name",
            "received_at",
            "answered_at",
            "received_by",
            "answered_by",
            "response_seconds",
        ]

    def get_response_seconds(self, inquiry: Inquiry) -> int | None:
        delay = inquiry.response_time
        return None if delay is None else int(delay.total_seconds())


class InquiryInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=InquiryChannel.choices)
    category = serializers.ChoiceField(choices=InquiryCategory.choices)
    question = serializers.CharField()
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    asker_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    patient = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, allow_null=True, help_text="Patient id"
    )
    recommended_department = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", help_text="Department code"
    )
    recommended_doctor = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, allow_null=True, help_text="Staff id"
    )
    referred_hospital = serializers.IntegerField(
        min_value=0,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="External hospital id (knowledge base)",
    )
    received_at = DateTimeField(required=False, allow_null=True)


class InquiryAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField()


class StatRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the row's label, not the field's
    count = serializers.IntegerField()
    answered = serializers.IntegerField()
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)


class InquiryStatisticsSerializer(serializers.Serializer):
    total = StatRowSerializer(many=True)
    category = StatRowSerializer(many=True)
    channel = StatRowSerializer(many=True)
    hour = StatRowSerializer(many=True)
