"""Separate input and output serializers per endpoint; phone numbers leave masked only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carebridge.complaints.choices import (
    CATEGORY_DOMAIN,
    Category,
    Channel,
    ComplaintStatus,
    DeadlineKind,
    FeedbackKind,
    RecoveryKind,
    RootCause,
    Severity,
)
from carebridge.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintNote,
    ComplaintTransition,
    RecoveryAction,
)
from carebridge.core.api.serializers.fields import DateTimeField
from carebridge.lib.text import ID_MAX
from carebridge.patients.choices import CustomerClass


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    due = DateTimeField()
    working_days = serializers.IntegerField()
    met_at = DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    paused = serializers.BooleanField()


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None)

    class Meta:
        model = ComplaintTransition
        fields = ["at", "actor", "from_status", "to_status", "reason"]


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username")

    class Meta:
        model = ComplaintNote
        fields = ["id", "at", "author", "text"]


class RecoveryActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecoveryAction
        fields = ["id", "kind", "description", "cost", "done_at", "created_at"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class ComplaintListSerializer(serializers.ModelSerializer):
    complainant_phone = serializers.CharField(source="masked_phone")
    hcat_domain = serializers.SerializerMethodField()
    departments = serializers.SlugRelatedField[Any](many=True, read_only=True, slug_field="code")
    responsible_office = serializers.CharField(source="responsible_office.code", default=None)
    owner = serializers.CharField(source="owner.get_username")
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "kind",
            "channel",
            "status",
            "category",
            "hcat_domain",
            "severity",
            "received_at",
            "owner",
            "patient",
            "complainant_name",
            "complainant_phone",
            "complainant_class",
            "departments",
            "responsible_office",
            "on_the_spot",
            "escalated_at",
            "deadlines",
        ]

    def get_hcat_domain(self, complaint: Complaint) -> str:
        return CATEGORY_DOMAIN.get(complaint.category, "")

    @staticmethod
    def _deadlines(complaint: Complaint, context: dict[str, Any]) -> list[dict[str, Any]]:
        from carebridge.complaints.selectors.complaints import deadline_views

        views = deadline_views(complaint, now=context.get("now"), calendar=context.get("calendar"))
        return [DeadlineSerializer(view).data for view in views]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, complaint: Complaint) -> list[dict[str, Any]]:
        return self._deadlines(complaint, self.context)


class ComplaintDetailSerializer(ComplaintListSerializer):
    staff: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    recovery_actions = RecoveryActionSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            *ComplaintListSerializer.Meta.fields,
            "content",
            "suggested_category",
            "suggestion_evidence",
            "staff",
            "resolution",
            "resolved_at",
            "complainant_feedback",
            "complainant_satisfied",
            "confirmed_at",
            "root_cause",
            "closed_at",
            "transitions",
            "notes",
            "recovery_actions",
            "attachments",
        ]


class ComplaintInputSerializer(serializers.Serializer):
    """Shape and types; the service checks the domain (scope of the patient, hospital of departments …)."""

    kind = serializers.ChoiceField(choices=FeedbackKind.choices, default=FeedbackKind.COMPLAINT)
    channel = serializers.ChoiceField(choices=Channel.choices)
    content = serializers.CharField()
    category = serializers.ChoiceField(
        choices=Category.choices,
        required=False,
        allow_blank=True,
        help_text="Empty: the category suggested from the text.",
    )
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MINOR)
    patient = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, allow_null=True, help_text="Patient id"
    )
    customer = serializers.IntegerField(
        min_value=0, max_value=ID_MAX, required=False, allow_null=True, help_text="Customer id"
    )
    complainant_name = serializers.CharField(max_length=128, required=False, allow_blank=True)
    complainant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    complainant_class = serializers.ChoiceField(choices=CustomerClass.choices, default=CustomerClass.PATIENT)
    departments = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        help_text="Department codes",
        max_length=50,
    )
    staff = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=ID_MAX),
        required=False,
        help_text="Staff ids",
        max_length=50,
    )
    received_at = DateTimeField(required=False, allow_null=True)
    on_the_spot_resolution = serializers.CharField(required=False, allow_blank=True)


class TransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ComplaintStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    office = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="Department code; empty: the routing map's office",
    )
    root_cause = serializers.ChoiceField(
        choices=RootCause.choices, required=False, allow_blank=True, default=""
    )


class NoteInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class RecoveryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RecoveryKind.choices)
    description = serializers.CharField()
    cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, default=0)  # type: ignore[arg-type]
    done_at = DateTimeField(required=False, allow_null=True)


class FeedbackInputSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField()
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class AttachmentInputSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False, max_length=10)


class SuggestionInputSerializer(serializers.Serializer):
    content = serializers.CharField()


class SuggestionOutputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    evidence = serializers.ListField(child=serializers.DictField(), max_length=50)
