"""Serializer fields shared by every app's API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from carebridge.core.masking import mask_json
from carebridge.core.validators import EARLIEST_BIRTH_YEAR


class MaskedJSONField(serializers.JSONField):
    """A JSON column shown with every identifier masked (phones and national IDs at any depth)."""

    def to_representation(self, value: Any) -> Any:
        return mask_json(super().to_representation(value))


def whole_items(serializer_class: type[serializers.Serializer], raw: Any) -> list[dict[str, Any]]:
    """Validate a nested list in full even inside a PATCH.

    DRF's ``partial=True`` reaches nested serializers too, so ``{"phones": [{"label": "x"}]}`` used to pass
    with no number and fail in the service with a 500. A nested list replaces the whole list, so each of
    its items must be complete: called from ``validate_<field>`` with the raw list."""
    checked = serializer_class(data=raw, many=True)
    if not checked.is_valid():
        raise serializers.ValidationError(checked.errors)
    return list(checked.validated_data)


def rfc3339_instant(moment: dt.datetime, zone: dt.tzinfo | None = None) -> dt.datetime:
    """An aware instant in ``zone`` (the current time zone by default), or in UTC where the zone's offset
    then was not whole minutes: Asia/Shanghai kept local mean time (+08:05:43) until 1901, and RFC 3339
    offsets have no seconds, so a client's parser refused such an answer. Its ``isoformat()`` is the
    RFC 3339 text but for "Z"; orjson writes it so itself (``core.api.renderers``)."""
    local = moment.astimezone(zone or timezone.get_current_timezone())
    offset = local.utcoffset()
    if offset is not None and offset.seconds % 60:
        return moment.astimezone(dt.UTC)
    return local


def rfc3339(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """An aware instant as an RFC 3339 date-time (:func:`rfc3339_instant`; "Z" for UTC)."""
    text = rfc3339_instant(moment, zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class DateTimeField(serializers.DateTimeField):
    """DRF's date-time field for every API serializer (``ModelSerializer`` maps model date-times to it,
    ``core.apps``), with the two limits the API fuzzing found missing.

    - **Plausible input:** an instant before 1880 (read as written, in its own offset or the current
      zone) is refused. Nothing the hospital records happened before its oldest patient was born
      (``EARLIEST_BIRTH_YEAR``); a complaint "received" in the year 258 was stored before, and a naive
      year 1 ended the request in a 500 (``OverflowError`` making it aware).
    - **RFC 3339 output** (:func:`rfc3339`).
    """

    default_error_messages = {"implausible": _("A date and time before {year} is not plausible.")}

    def to_internal_value(self, value: Any) -> dt.datetime:
        written = value if isinstance(value, dt.datetime) else _parsed(value)
        if written is not None and written.year < EARLIEST_BIRTH_YEAR:
            self.fail("implausible", year=EARLIEST_BIRTH_YEAR)
        return super().to_internal_value(value)

    def to_representation(self, value: Any) -> Any:
        iso = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if isinstance(value, dt.datetime) and timezone.is_aware(value) and str(iso).lower() == ISO_8601:
            zone: Any = self.timezone if hasattr(self, "timezone") else self.default_timezone()
            return rfc3339(value, zone)
        return super().to_representation(value)


def _parsed(value: Any) -> dt.datetime | None:
    """The date-time as written, or ``None`` where DRF's own parsing will answer (not a text, malformed,
    out of range)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value.strip())
    except ValueError:
        return None
