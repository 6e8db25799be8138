"""Serializers of the desk's daily work: separate input and output shapes per endpoint."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.desk.choices_work import EscortStatus, InquiryCategory, InquiryChannel, Mobility
from carebridge.desk.models import Escort, EscortTransition, Handover, HandoverItem, Inquiry, WorkLog


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
    patient = serializers.IntegerField(required=False, allow_null=True, help_text="Patient id")
    recommended_department = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", help_text="Department code"
    )
    recommended_doctor = serializers.IntegerField(required=False, allow_null=True, help_text="Staff id")
    referred_hospital = serializers.IntegerField(
        required=False, allow_null=True, help_text="External hospital id (knowledge base)"
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)


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


class EscortTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)
    assigned_to = serializers.IntegerField(source="assigned_to_id", default=None)

    class Meta:
        model = EscortTransition
        fields = ["at", "actor", "from_status", "to_status", "assigned_to", "reason"]


class EscortSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", default=None)
    assigned_to = serializers.IntegerField(source="assigned_to_id", default=None)
    assigned_to_name = serializers.CharField(source="assigned_to.name", default=None)
    requested_by = serializers.CharField(source="requested_by.get_username")

    class Meta:
        model = Escort
        fields = [
            "id",
            "status",
            "patient",
            "patient_name",
            "department",
            "from_place",
            "to_place",
            "scheduled_at",
            "mobility",
            "notes",
            "requested_by",
            "requested_at",
            "assigned_to",
            "assigned_to_name",
            "assigned_at",
            "started_at",
            "done_at",
            "cancelled_at",
        ]


class EscortDetailSerializer(EscortSerializer):
    transitions = EscortTransitionSerializer(many=True, read_only=True)

    class Meta(EscortSerializer.Meta):
        fields = [*EscortSerializer.Meta.fields, "transitions"]


class EscortInputSerializer(serializers.Serializer):
    from_place = serializers.CharField(max_length=128)
    to_place = serializers.CharField(max_length=128)
    scheduled_at = serializers.DateTimeField()
    mobility = serializers.ChoiceField(choices=Mobility.choices)
    patient = serializers.IntegerField(required=False, allow_null=True, help_text="Patient id")
    patient_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    department = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", help_text="Department code"
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class EscortTransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=EscortStatus.choices)
    staff = serializers.IntegerField(
        required=False, allow_null=True, help_text="Staff id; required to assign (or reassign)"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class HandoverItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandoverItem
        fields = ["kind", "object_key", "title", "detail", "due", "url"]


class HandoverSerializer(serializers.ModelSerializer):
    shift = serializers.CharField(source="shift.code")
    next_shift = serializers.CharField(source="next_shift.code")
    handed_over_by = serializers.CharField(source="handed_over_by.get_username", default=None)
    acknowledged_by = serializers.CharField(source="acknowledged_by.get_username", default=None)

    class Meta:
        model = Handover
        fields = [
            "id",
            "shift",
            "shift_date",
            "next_shift",
            "handover_at",
            "status",
            "notes",
            "opened_at",
            "handed_over_by",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledgement_note",
        ]


class HandoverDetailSerializer(HandoverSerializer):
    items = HandoverItemSerializer(many=True, read_only=True)

    class Meta(HandoverSerializer.Meta):
        fields = [*HandoverSerializer.Meta.fields, "items"]


class HandoverNotesInputSerializer(serializers.Serializer):
    notes = serializers.CharField()


class AcknowledgeInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkLogSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username")

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "author",
            "day",
            "inquiries_answered",
            "escorts_done",
            "complaints_received",
            "notes",
            "counted_at",
            "updated_at",
        ]


class WorkLogInputSerializer(serializers.Serializer):
    day = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
