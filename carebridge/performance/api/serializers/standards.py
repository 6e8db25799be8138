"""Serializers of the standards API: output per resource, input per action. People are shown by name
only (staff) — no phone or ID of anyone leaves through this API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from carebridge.core.selectors.organisation import person_name
from carebridge.core.validators import COUNT_MAX
from carebridge.lib.text import ID_MAX
from carebridge.performance.choices import ActivityKind, RoundKind
from carebridge.performance.models import (
    Activity,
    Attendance,
    Course,
    Finding,
    InspectionRound,
    TrainingSession,
)


class ActivitySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    organiser = serializers.CharField(source="organiser.name", default="")
    health_day = serializers.CharField(source="health_day.name", default="")

    class Meta:
        model = Activity
        fields = [
            "id", "kind", "kind_label", "title", "held_on", "place", "organiser", "partner", "health_day",
            "participants", "attendees", "hours", "boards", "banners", "leaflets", "prescriptions", "cost",
            "outlet", "effect",
        ]  # fmt: skip


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    partner = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    participants = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    attendees = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0, default=Decimal(0))
    boards = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    banners = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    leaflets = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    prescriptions = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, default=Decimal(0))
    outlet = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    effect = serializers.CharField(required=False, allow_blank=True, default="")


class RoundSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    inspector = serializers.SerializerMethodField()
    findings_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionRound
        fields = ["id", "kind", "kind_label", "held_on", "inspector", "note", "findings_count"]

    def get_inspector(self, row: InspectionRound) -> str:
        return person_name(row.inspector)


class RoundInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RoundKind.choices)
    held_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FindingSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.name")
    department = serializers.CharField(source="department.name")
    status_label = serializers.CharField(source="get_status_display")
    responsible = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id", "round", "area", "department", "checklist_item", "description", "responsible", "deadline",
            "status", "status_label", "found_at", "rectified_at", "rectification", "verified_at",
            "escalated_at", "photos",
        ]  # fmt: skip

    def get_responsible(self, row: Finding) -> str:
        return person_name(row.responsible)

    def get_photos(self, row: Finding) -> list[dict[str, Any]]:
        return [{"id": p.pk, "stage": p.stage, "size": p.size} for p in row.photos.all()]


class CourseSerializer(serializers.ModelSerializer):
    assessment_label = serializers.CharField(source="get_assessment_display")
    mandatory_for = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id", "code", "title", "content", "hours", "assessment", "assessment_label", "pass_mark",
            "mandatory_for", "renew_months", "is_active",
        ]  # fmt: skip

    def get_mandatory_for(self, row: Course) -> list[str]:
        return [post.name for post in row.mandatory_for.all()]


class SessionSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title")
    attendance_count = serializers.IntegerField(read_only=True)
    passed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id", "course", "course_title", "held_on", "trainer", "place", "cost", "attendance_count",
            "passed_count",
        ]  # fmt: skip


class TrainingSessionInputSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=0, max_value=ID_MAX)
    held_on = serializers.DateField()
    trainer = serializers.CharField(max_length=64)
    place = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    cost = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, default=Decimal(0))


class AttendanceSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.name")
    department = serializers.CharField(source="staff.home_department.name", default="")

    class Meta:
        model = Attendance
        fields = ["id", "session", "staff", "department", "hours", "score", "passed"]
