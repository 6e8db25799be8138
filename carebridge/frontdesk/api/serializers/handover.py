"""Serializers of shift handovers (交班): separate input and output shapes."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.frontdesk.models import Handover, HandoverItem


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
