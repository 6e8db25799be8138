"""Serializers of the care-plan API: plans and touchpoints with their histories (separate input and output
shapes; phones always masked)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField, MaskedJSONField
from carebridge.core.masking import mask_json
from carebridge.followup.api.serializers.calls import CallAttemptSerializer
from carebridge.followup.choices import MedicationFlag, MidStayTrigger, TierCode, TouchpointStatus
from carebridge.followup.models import CarePlan, CarePlanTransition, Touchpoint, TouchpointTransition


class TouchpointTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = TouchpointTransition
        fields = ["at", "actor", "from_status", "to_status", "from_step", "to_step", "reason"]


class TouchpointSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(source="owner_id", default=None, help_text="Staff id")
    owner_name = serializers.CharField(source="owner.name", default=None)
    claimed_by = serializers.CharField(source="claimed_by.get_username", default=None)
    patient = serializers.IntegerField(source="patient_id")
    patient_name = serializers.CharField(source="patient.name")
    department = serializers.CharField(source="department.code", default="")

    class Meta:
        model = Touchpoint
        fields = [
            "id",
            "plan",
            "kind",
            "sequence",
            "title",
            "owner_rule",
            "owner",
            "owner_name",
            "tier",
            "status",
            "step",
            "due_at",
            "available_at",
            "claimed_by",
            "claimed_until",
            "trigger",
            "event_at",
            "event_description",
            "notes",
            "outcome",
            "completed_at",
            "closed_reason",
            "patient",
            "patient_name",
            "department",
            "reason",
            "origin_label",
            "recheck_outcome",
        ]


class TouchpointDetailSerializer(TouchpointSerializer):
    attempts = CallAttemptSerializer(many=True, read_only=True)
    transitions = TouchpointTransitionSerializer(many=True, read_only=True)

    class Meta(TouchpointSerializer.Meta):
        fields = [*TouchpointSerializer.Meta.fields, "data", "attempts", "transitions"]

    def to_representation(self, instance: Touchpoint) -> dict[str, Any]:
        shown: dict[str, Any] = super().to_representation(instance)
        # The admission interview's data hold the customer file: family contacts' phones masked.
        shown["data"] = mask_json(shown.get("data"))
        return shown


class CarePlanTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)
    # The API keeps its published names and shape (``from_value``/``to_value``, 16 characters: a plan
    # status or a tier code) over the transition base's ``from_status``/``to_status`` columns.
    from_value = serializers.CharField(
        source="from_status", label=_("from"), max_length=16, required=False, allow_blank=True
    )
    to_value = serializers.CharField(source="to_status", label=_("to"), max_length=16)

    class Meta:
        model = CarePlanTransition
        fields = ["at", "actor", "field", "from_value", "to_value", "reason"]


class CarePlanSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.name")
    patient_mrn = serializers.CharField(source="patient.mrn")
    department = serializers.CharField(source="department.code")
    ward = serializers.CharField(source="ward.code", default=None)
    owner = serializers.IntegerField(source="owner_id", default=None, help_text="Staff id")
    owner_name = serializers.CharField(source="owner.name", default=None)

    class Meta:
        model = CarePlan
        fields = [
            "id",
            "encounter",
            "patient",
            "patient_name",
            "patient_mrn",
            "department",
            "ward",
            "owner",
            "owner_name",
            "status",
            "admitted_at",
            "discharged_at",
            "tier",
            "tier_rule",
            "tier_reason",
            "tier_assigned_at",
            "closed_at",
            "closed_reason",
        ]


class CarePlanDetailSerializer(CarePlanSerializer):
    touchpoints = TouchpointDetailSerializer(many=True, read_only=True)
    transitions = CarePlanTransitionSerializer(many=True, read_only=True)
    customer_file = MaskedJSONField(read_only=True, help_text="Family contacts' phones masked.")

    class Meta(CarePlanSerializer.Meta):
        fields = [
            *CarePlanSerializer.Meta.fields,
            "tier_facts",
            "medication_flags",
            "customer_file",
            "notes",
            "touchpoints",
            "transitions",
        ]


class RetierInputSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=TierCode.choices)
    reason = serializers.CharField()


class MidStayInputSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=MidStayTrigger.choices)
    event_at = DateTimeField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class DischargeInputSerializer(serializers.Serializer):
    ended_at = DateTimeField()
    medication_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=MedicationFlag.choices), required=False, default=list
    )


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    relationship = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class CustomerFileSerializer(serializers.Serializer):
    needs = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=30
    )
    expectations = serializers.CharField(required=False, allow_blank=True, default="")
    preferences = serializers.CharField(required=False, allow_blank=True, default="")
    contacts = ContactSerializer(many=True, required=False, default=list, max_length=10)  # type: ignore[call-arg]  # DRF 3.18 takes it with many=True; the stubs lag


class CompleteInputSerializer(serializers.Serializer):
    notes = serializers.CharField()
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    customer_file = CustomerFileSerializer(required=False, allow_null=True, default=None)
    at = DateTimeField(required=False, allow_null=True, default=None)


class CloseInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=TouchpointStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
