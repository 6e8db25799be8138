"""Rooms API: each room of the caller's centres with its live queue and expected wait."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.checkup.api.serializers.flow import CheckupRoomQueueSerializer
from carebridge.checkup.models import Room
from carebridge.checkup.selectors.catalogue import room_list
from carebridge.checkup.selectors.flow import room_loads, room_queue
from carebridge.core.api.permissions import ModelPermissions


def _room_data(room: Room, loads: dict[int, Any]) -> dict[str, Any]:
    load = loads[room.pk]
    return {
        "id": room.pk,
        "code": room.code,
        "name": room.name,
        "stations": room.stations,
        "service_minutes": room.service_minutes,
        "ahead": load.ahead,
        "expected_wait": load.expected_wait,
        "queue": list(room_queue(room=room)),
    }


class RoomViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rooms with their queues (people waiting or inside) and the expected wait for a newcomer."""

    permission_classes = [ModelPermissions]
    serializer_class = CheckupRoomQueueSerializer
    queryset = Room.objects.none()
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Room]:
        return room_list(user=self.request.user)

    @extend_schema(responses={200: CheckupRoomQueueSerializer(many=True)})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rooms = list(self.get_queryset())
        loads: dict[int, Any] = {}
        for department_id in {room.department_id for room in rooms}:
            loads.update(room_loads(department_id=department_id))
        data = [_room_data(room, loads) for room in rooms]
        return Response(CheckupRoomQueueSerializer(data, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        room = self.get_object()
        return Response(
            CheckupRoomQueueSerializer(_room_data(room, room_loads(department_id=room.department_id))).data
        )
