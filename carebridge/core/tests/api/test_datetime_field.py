"""Every API date-time: an implausible year is refused, and the answer is always an RFC 3339 date-time
(``core.api.serializers.fields.DateTimeField``)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from rest_framework import serializers

from carebridge.complaints.models import Complaint
from carebridge.core.api.serializers.fields import DateTimeField, rfc3339

# RFC 3339's date-time: the offset is Z or ±hh:mm, never with seconds.
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2026, 3, 10, 2, tzinfo=dt.UTC), "2026-03-10T10:00:00+08:00"),
        # Asia/Shanghai kept local mean time (+08:05:43) until 1901: such an instant is written in UTC.
        (dt.datetime(1890, 3, 10, 2, tzinfo=dt.UTC), "1890-03-10T02:00:00Z"),
    ],
)
def test_an_answer_is_an_rfc_3339_date_time_in_the_current_zone_where_it_has_one(moment, text):
    with timezone.override("Asia/Shanghai"):
        written = DateTimeField().to_representation(moment)
    assert written == text and RFC_3339.match(written)
    with timezone.override("Asia/Shanghai"):
        assert DateTimeField().to_internal_value(written) == moment


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("1880-01-01T00:00:00Z", dt.datetime(1880, 1, 1, tzinfo=dt.UTC)),
        ("1880-01-01T00:00:00+08:00", dt.datetime(1879, 12, 31, 16, tzinfo=dt.UTC)),
        # Naive: Shanghai's local mean time then, +08:05:43.
        ("1880-01-01T00:00:00", dt.datetime(1879, 12, 31, 15, 54, 17, tzinfo=dt.UTC)),
    ],
)
def test_1880_is_read_as_written_and_accepted(written, instant):
    with timezone.override("Asia/Shanghai"):
        assert DateTimeField().to_internal_value(written) == instant


@pytest.mark.parametrize(
    "written", ["0258-01-01T10:00:00+08:00", "1879-12-31T23:59:59+08:00", "0001-01-01T00:00:00"]
)
def test_an_instant_before_1880_is_refused_in_the_users_language(written):
    """The naive year 1 was an ``OverflowError`` (a 500) while DRF made it aware."""
    field = DateTimeField()
    with (
        translation.override("zh-hans"),
        timezone.override("Asia/Shanghai"),
        pytest.raises(serializers.ValidationError) as refused,
    ):
        field.to_internal_value(written)
    assert refused.value.detail == ["早于 1880 年的日期时间不合理。"]


def test_rfc3339_writes_another_zone_and_utc_as_z():
    moment = dt.datetime(1890, 3, 10, 2, tzinfo=dt.UTC)
    assert rfc3339(moment, ZoneInfo("Asia/Shanghai")) == "1890-03-10T02:00:00Z"
    assert rfc3339(moment, ZoneInfo("Asia/Tokyo")) == "1890-03-10T11:00:00+09:00"
    assert rfc3339(dt.datetime(2026, 3, 10, 2, tzinfo=dt.UTC), dt.UTC) == "2026-03-10T02:00:00Z"


def test_model_serializers_use_it_for_every_model_date_time():
    class ComplaintDates(serializers.ModelSerializer):
        class Meta:
            model = Complaint
            fields = ["received_at"]

    assert isinstance(ComplaintDates().fields["received_at"], DateTimeField)
