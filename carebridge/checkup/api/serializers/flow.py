"""Output shape of a room with its queue (names and visit numbers only)."""

from __future__ import annotations

from rest_framework import serializers

from carebridge.checkup.models import QueueEntry


class CheckupQueueEntrySerializer(serializers.ModelSerializer):
    visit = serializers.IntegerField(source="visit_id")
    number = serializers.CharField(source="visit.number")
    name = serializers.CharField(source="visit.patient.name")
    status = serializers.CharField(help_text="waiting or in_service")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = QueueEntry
        fields = ["id", "visit", "number", "name", "status", "status_label", "joined_at", "started_at"]


class CheckupRoomQueueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    stations = serializers.IntegerField()
    service_minutes = serializers.IntegerField()
    ahead = serializers.IntegerField(help_text="People waiting or inside")
    expected_wait = serializers.IntegerField(help_text="Minutes for a newcomer")
    queue = CheckupQueueEntrySerializer(many=True)
