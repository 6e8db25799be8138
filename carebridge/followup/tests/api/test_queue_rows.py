"""The queue API composes its rows by hand for speed (issue 18, item 2): they must stay exactly what
``TouchpointSerializer`` gives for the same calls — every key, value, datetime text and default — once
written as JSON (the rows hold their date-times as instants, for orjson to write)."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone, translation
from rest_framework import renderers

from carebridge.core.api.renderers import JSONRenderer
from carebridge.followup.api.serializers.plans import TouchpointSerializer
from carebridge.followup.api.serializers.queue import queue_rows
from carebridge.followup.api.views.calls import QueueViewSet
from carebridge.followup.selectors.calls import call_queue
from carebridge.followup.services.queue import call_claim
from carebridge.followup.tests.factories import at

NOW = at(2026, 3, 10, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
def test_hand_written_queue_rows_equal_the_serializer(stay, discharge, agent_ann, api_client, zone):
    for index in range(4):
        discharge(stay("pedi" if index % 2 else "card", codes=["K35.8"]), when=at(2026, 3, 9, 15))
    with time_machine.travel(NOW, tick=False), translation.override("zh-hans"), timezone.override(zone):
        first = call_queue(user=agent_ann).first()
        call_claim(touchpoint=first, actor=agent_ann)  # a claimed row: claimed_by and claimed_until set
        queue = call_queue(user=agent_ann)[:200]
        expected = TouchpointSerializer(queue, many=True).data
        rows = queue_rows(user=agent_ann)
        assert len(rows) == 4
        assert any(row["claimed_by"] for row in rows)
        listing = QueueViewSet(action="list")  # the view whose date-times orjson writes
        assert listing.rfc3339_instants and not QueueViewSet(action="claim").rfc3339_instants
        written = JSONRenderer().render(rows, renderer_context={"view": listing})
        # DRF's own renderer, for the serializer's output: the same bytes (keys in the same order).
        assert written == renderers.JSONRenderer().render(expected)
        # Asked with an indent, the project's renderer hands the rows to DRF's, which agrees too.
        indented = JSONRenderer().render(rows, "application/json; indent=2", {"view": listing})
        assert indented == renderers.JSONRenderer().render(expected, "application/json; indent=2", {})


@pytest.mark.django_db
def test_the_queue_api_returns_the_serializer_shape(stay, discharge, agent_ann, api_client):
    discharge(stay("pedi", codes=["K35.8"]), when=at(2026, 3, 9, 15))
    with time_machine.travel(NOW, tick=False):
        body = api_client(agent_ann).get("/api/v1/followup/queue/").json()
        expected = TouchpointSerializer(call_queue(user=agent_ann)[:200], many=True).data
    assert body == [dict(row) for row in expected]
