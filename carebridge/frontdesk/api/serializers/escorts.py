"""Serializers of escorts (陪诊送诊) and their transitions: separate input and output shapes."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.frontdesk.choices import EscortStatus, Mobility
from carebridge.frontdesk.models import Escort, EscortTransition
from carebridge.lib.text import ID_MAX


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
    scheduled_at = DateTimeField()
    mobility = serializers.ChoiceField(choices=Mobility.choices)
    patient = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, allow_null=True, help_text="Patient id"
    )
    patient_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    department = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", help_text="Department code"
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class EscortTransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=EscortStatus.choices)
    staff = serializers.IntegerField(
        min_value=0,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="Staff id; required to assign (or reassign)",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
