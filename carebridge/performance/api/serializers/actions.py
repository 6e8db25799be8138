"""Serializers of the improvement-action API: an output serializer, an input one per write. No patient
identifiers: an action names a department, a staff owner and the label of its source (a complaint's
reference, a KPI's name); free text is masked (``mask_text``) in case a phone or ID was typed into it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.core.masking import mask_json, mask_text
from carebridge.core.models import Department, Staff
from carebridge.performance.choices import ActionSource, ActionStatus
from carebridge.performance.models import ImprovementAction
from carebridge.performance.selectors.measures import MEASURES


class ActionSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name")
    owner_name = serializers.CharField(source="owner.name")
    status_label = serializers.CharField(source="get_status_display")
    source_label_display = serializers.CharField(source="get_source_display")
    source_model = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    effect = serializers.SerializerMethodField()

    class Meta:
        model = ImprovementAction
        fields = [
            "id", "title", "department", "department_name", "owner", "owner_name", "due_date", "status",
            "status_label", "source", "source_label_display", "source_model", "source_id", "source_label",
            "measure", "window_days", "started_at", "checked_at", "verdict", "effect", "plan",
            "escalated_at", "created_at",
        ]  # fmt: skip

    def get_source_model(self, obj: ImprovementAction) -> str:
        return f"{obj.source_type.app_label}.{obj.source_type.model}" if obj.source_type_id else ""  # type: ignore[union-attr]

    def get_plan(self, obj: ImprovementAction) -> str:
        return mask_text(obj.plan)

    def get_title(self, obj: ImprovementAction) -> str:
        return mask_text(obj.title)

    def get_effect(self, obj: ImprovementAction) -> Any:
        return mask_json(obj.effect)


class ActionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    due_date = serializers.DateField()
    source = serializers.ChoiceField(choices=ActionSource.choices)  # type: ignore[assignment]
    plan = serializers.CharField(required=False, allow_blank=True, default="")
    measure = serializers.ChoiceField(
        choices=[("", "")] + [(k, k) for k in MEASURES], required=False, default=""
    )
    window_days = serializers.IntegerField(min_value=7, max_value=366, default=30)


class MoveInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ActionStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
