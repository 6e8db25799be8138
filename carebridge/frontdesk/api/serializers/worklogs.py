"""Serializers of work logs (工作日志): separate input and output shapes."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.frontdesk.models import WorkLog


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
