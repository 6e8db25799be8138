"""The API's JSON (``core.api.renderers.JSONRenderer``): orjson writes DRF's text, byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from carebridge.core.api.renderers import JSONRenderer, _small_float
from carebridge.core.api.serializers.fields import rfc3339, rfc3339_instant

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _answer() -> object:
    """What views answer: serializer output, hand-built dicts with values JSON has no type for."""
    return ReturnDict(
        {
            "name": "张三丰",
            "note": "第一行\u2028第二行\u2029完",
            "ok": True,
            "none": None,
            "count": 3,
            "share": 0.1 + 0.2,
            "large": 1.5e17,
            "decimal": Decimal("12.50"),
            "at_utc": dt.datetime(2026, 12, 6, 7, 30, 0, 120000, tzinfo=dt.UTC),
            "at_local": dt.datetime(2026, 12, 6, 15, 30, tzinfo=SHANGHAI),
            "day": dt.date(2026, 12, 6),
            "time": dt.time(8, 30, 15, 5),
            "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "label": gettext_lazy("Hospital"),
            "by_id": {1: "一", 2: "二"},
            "pair": ("a", 1),
            "rows": ReturnList([{"tier": "A"}, {"tier": "B"}], serializer=None),
            "generated": (n * n for n in range(3)),
        },
        serializer=None,
    )


def test_it_writes_drfs_text_byte_for_byte():
    assert JSONRenderer().render(_answer()) == renderers.JSONRenderer().render(_answer())


def test_the_text_is_compact_utf8_with_line_separators_escaped():
    text = JSONRenderer().render({"name": "张三", "note": "a\u2028b\u2029c"})

    assert text == '{"name":"张三","note":"a\\u2028b\\u2029c"}'.encode()
    assert json.loads(text) == {"name": "张三", "note": "a\u2028b\u2029c"}


def test_an_asked_indent_and_what_orjson_refuses_are_written_by_drf():
    data = {"big": 2**70, "name": "张三"}
    indented = JSONRenderer().render(data, "application/json; indent=2", {})

    assert indented == renderers.JSONRenderer().render(data, "application/json; indent=2", {})
    assert b"\n  " in indented
    # An integer beyond 64 bits: orjson refuses it, DRF writes it.
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


@pytest.mark.parametrize("small", [1e-05, -9e-05, 1.234e-05, 3.2e-06, 1.5e-08, Decimal("0.00002")])
def test_a_float_below_1e_4_is_written_as_python_writes_it(small):
    data = {"p": small, "note": "type-2 0.0001"}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


@pytest.mark.parametrize(
    ("text", "orjsons_own"),
    [
        (b'{"p":0.00001}', True),
        (b"[-0.00009]", True),
        (b'{"p":3.2e-6}', True),
        (b'{"note":"\xe7\xbc\x96\xe5\x8f\xb7 3e-5"}', True),  # text like one: DRF writes it, the same
        (b'{"p":1e-05,"q":0.0001,"r":10.00001,"s":1e-10}', False),  # Python's forms, or no small float
        (b'{"note":"type-2","day":"2026-12-06T00:00:00Z"}', False),
    ],
)
def test_the_check_finds_orjsons_form_of_a_small_float_and_nothing_else(text, orjsons_own):
    assert _small_float(text) is orjsons_own


def test_a_generator_is_written_once_even_where_the_rest_cannot_be():
    # orjson reads the generator through DRF's encoder, then refuses the integer: the answer cannot be
    # written again without the generator's items, so it is an error, not a list left empty.
    with pytest.raises(TypeError):
        JSONRenderer().render({"rows": (n for n in range(3)), "big": 2**70})
    assert (
        JSONRenderer().render({"rows": (n for n in range(3)), "p": 1e-05}) == b'{"rows":[0,1,2],"p":0.00001}'
    )


def test_what_neither_can_write_is_still_an_error():
    with pytest.raises(TypeError):
        JSONRenderer().render({"what": object()})


def test_nothing_is_an_empty_body_and_a_float_that_is_no_number_is_null():
    assert JSONRenderer().render(None) == b""
    # DRF's strict JSON raised (a 500); the answer now says "no value".
    assert JSONRenderer().render({"mean": float("nan")}) == b'{"mean":null}'


def test_every_api_view_answers_with_it():
    assert api_settings.DEFAULT_RENDERER_CLASSES[0] is JSONRenderer


class _InstantsView:
    rfc3339_instants = True


@pytest.mark.parametrize(
    "zone",
    [SHANGHAI, ZoneInfo("UTC"), dt.UTC, ZoneInfo("Europe/London"), ZoneInfo("America/St_Johns")],
)
@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 12, 6, 7, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),  # London's clocks go forward
        dt.datetime(1900, 3, 10, 2, 0, 0, 7, tzinfo=dt.UTC),  # Shanghai's local mean time, +08:05:43
    ],
)
def test_a_view_of_rfc3339_instants_gets_the_text_of_drfs_encoder_from_orjson(zone, moment):
    instant = rfc3339_instant(moment, zone)
    written = JSONRenderer().render(
        {"at": instant, "day": instant.date()}, renderer_context={"view": _InstantsView()}
    )
    assert written == renderers.JSONRenderer().render({"at": instant, "day": instant.date()})
    assert json.loads(written)["at"] == rfc3339(moment, zone)


def test_without_the_views_promise_an_offset_of_seconds_keeps_its_seconds():
    """orjson would write +08:06 for local mean time's +08:05:43 (another instant): the renderer leaves
    date-times to DRF's encoder unless the view answers instants of whole-minute offsets."""
    lmt = dt.datetime(1900, 3, 10, 10, 5, 43, tzinfo=SHANGHAI)
    assert JSONRenderer().render({"at": lmt}) == b'{"at":"1900-03-10T10:05:43+08:05:43"}'
    assert JSONRenderer().render({"at": lmt}, renderer_context={"view": object()}) == (
        b'{"at":"1900-03-10T10:05:43+08:05:43"}'
    )
