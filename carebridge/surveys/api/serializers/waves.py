"""Serializers of the wave API: separate input and output; invitees leave masked only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.core.validators import COUNT_MAX
from carebridge.lib.text import ID_MAX
from carebridge.surveys.choices import (
    Channel,
    ExclusionReason,
    MessageStatus,
    PopulationKind,
    RespondentClass,
    SamplingMethod,
)
from carebridge.surveys.models import Invitation, Stratum, Wave, WaveTransition
from carebridge.surveys.selectors.waves import invitee_masked
from carebridge.surveys.services.waves import MAX_VALID_DAYS, MAX_WINDOW_DAYS, MAX_WINDOW_HOURS


class StratumInputSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=64, help_text="Department code, or “department/ward” codes.")
    target = serializers.IntegerField(min_value=0, max_value=COUNT_MAX)
    quota = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, required=False, allow_null=True)


class WaveInputSerializer(serializers.Serializer):
    """Creation takes every required field; a PATCH of a draft may send only what changes."""

    name = serializers.CharField(max_length=128)
    version = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, help_text="Id of a published instrument version."
    )
    population = serializers.ChoiceField(choices=PopulationKind.choices)
    respondent_class = serializers.ChoiceField(
        choices=RespondentClass.choices, default=RespondentClass.PATIENT
    )
    departments = serializers.ListField(
        child=serializers.CharField(max_length=32),
        default=list,
        help_text="Department codes.",
        max_length=500,
    )
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    population_filter = serializers.DictField(
        child=serializers.CharField(max_length=128),
        default=dict,
        help_text='{"employer": …} (checkup), {"organisation": …} (customers), {"stratify_by": "ward"}.',
    )
    sampling = serializers.ChoiceField(choices=SamplingMethod.choices, default=SamplingMethod.CENSUS)
    sample_size = serializers.IntegerField(min_value=1, max_value=COUNT_MAX, required=False, allow_null=True)
    seed = serializers.IntegerField(min_value=0, max_value=2**63 - 1, default=20240101)
    strata = StratumInputSerializer(many=True, default=list, max_length=500)  # type: ignore[call-arg]  # DRF 3.18 takes it with many=True; the stubs lag
    min_hours_after_discharge = serializers.IntegerField(min_value=0, max_value=MAX_WINDOW_HOURS, default=48)
    max_days_after_discharge = serializers.IntegerField(min_value=1, max_value=MAX_WINDOW_DAYS, default=42)
    quiet_start = serializers.TimeField(default=dt.time(21, 0))
    quiet_end = serializers.TimeField(default=dt.time(8, 0))
    min_days_between_surveys = serializers.IntegerField(min_value=0, max_value=MAX_WINDOW_DAYS, default=30)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), default=[Channel.SMS], max_length=10
    )
    anonymous = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Default: anonymous for staff waves."
    )
    min_report_group = serializers.IntegerField(min_value=1, max_value=COUNT_MAX, default=5)
    invitation_valid_days = serializers.IntegerField(min_value=1, max_value=MAX_VALID_DAYS, default=14)
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=365), default=list, max_length=10
    )
    opens_at = DateTimeField(required=False, allow_null=True)
    closes_at = DateTimeField(required=False, allow_null=True)


class WaveMoveInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class StratumSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", default=None)

    class Meta:
        model = Stratum
        fields = ["key", "label", "department", "target", "quota"]


class WaveTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = WaveTransition
        fields = ["at", "actor", "from_status", "to_status", "reason"]
        # The service keeps a wave's reason to 255 characters (the schema says so since the API began).
        extra_kwargs = {"reason": {"max_length": 255}}


class WaveOutputSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version_id")
    instrument = serializers.CharField(source="version.instrument.code")
    departments = serializers.SlugRelatedField[Any](many=True, read_only=True, slug_field="code")
    strata = StratumSerializer(many=True, read_only=True)
    owner = serializers.CharField(source="owner.get_username")

    class Meta:
        model = Wave
        fields = [
            "id",
            "name",
            "status",
            "version",
            "instrument",
            "respondent_class",
            "population",
            "departments",
            "period_start",
            "period_end",
            "population_filter",
            "sampling",
            "sample_size",
            "seed",
            "strata",
            "min_hours_after_discharge",
            "max_days_after_discharge",
            "quiet_start",
            "quiet_end",
            "min_days_between_surveys",
            "channels",
            "anonymous",
            "min_report_group",
            "invitation_valid_days",
            "reminder_days",
            "opens_at",
            "closes_at",
            "owner",
            "created_at",
        ]


class WaveDetailSerializer(WaveOutputSerializer):
    transitions = WaveTransitionSerializer(many=True, read_only=True)

    class Meta(WaveOutputSerializer.Meta):
        fields = [*WaveOutputSerializer.Meta.fields, "transitions"]


class DrawResultSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    excluded = serializers.DictField(child=serializers.IntegerField())
    repeat = serializers.BooleanField(help_text="True when the wave had drawn before.")


class GroupRateSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    invited = serializers.IntegerField()
    completed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    quota = serializers.IntegerField(allow_null=True)
    quota_progress = serializers.FloatField(allow_null=True)


class ExclusionCountSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ExclusionReason.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class WaveStatsSerializer(serializers.Serializer):
    drawn = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    invited = serializers.IntegerField()
    pending = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    failed = serializers.IntegerField()
    opened = serializers.IntegerField()
    completed = serializers.IntegerField()
    expired = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True, help_text="completed ÷ invited")
    excluded = serializers.SerializerMethodField()
    strata = GroupRateSerializer(many=True)
    departments = GroupRateSerializer(many=True)

    @extend_schema_field(ExclusionCountSerializer(many=True))
    def get_excluded(self, stats: Any) -> list[dict[str, Any]]:
        return [{"reason": r, "label": label, "count": n} for r, label, n in stats.excluded]


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as the sending side needs it; the invitee masked, the token never shown."""

    invitee = serializers.SerializerMethodField()
    invitee_class = serializers.SerializerMethodField()
    department = serializers.CharField(source="department.code", default=None)
    ward = serializers.CharField(source="ward.code", default=None)
    stratum = serializers.CharField(source="stratum.key", default=None)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "status",
            "channel",
            "invitee_class",
            "invitee",
            "department",
            "ward",
            "stratum",
            "send_after",
            "sent_at",
            "expires_at",
            "reminders_sent",
            "opened_at",
            "completed_at",
        ]

    def get_invitee_class(self, invitation: Invitation) -> str:
        if invitation.patient_id is not None:
            return "patient"
        return "staff" if invitation.staff_id is not None else "customer"

    def get_invitee(self, invitation: Invitation) -> str:
        return invitee_masked(invitation)

    def to_representation(self, instance: Invitation) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if self.context.get("anonymous"):
            # When someone opened and answered would join the invitee to the (dated) response.
            data["opened_at"] = data["completed_at"] = None
        return data


class DeliveryReportSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=64, help_text="The gateway's message id (provider_id).")
    status = serializers.ChoiceField(
        choices=[(s, s) for s in (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED)]
    )
    at = DateTimeField(required=False, allow_null=True)
    error = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class DeliveryAckSerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.CharField()
