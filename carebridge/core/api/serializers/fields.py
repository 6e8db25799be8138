"""Serializer fields shared by every app's API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

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


class DateTimeField(serializers.DateTimeField):
    """DRF's date-time field for every API serializer (``ModelSerializer`` maps model date-times to it,
    ``core.apps``), with the two limits the API fuzzing found missing.

    - **Plausible input:** an instant before 1880 is refused. Nothing the hospital records happened
      before its oldest patient was born (``EARLIEST_BIRTH_YEAR``); a complaint "received" in the year
      258 was stored before.
    - **RFC 3339 output:** an instant whose offset in the current time zone is not whole minutes is
      written in UTC. Asia/Shanghai kept local mean time until 1901 (+08:05:43), and RFC 3339 offsets
      have no seconds, so a client's parser refused such an answer.
    """

    default_error_messages = {"implausible": _("A date and time before {year} is not plausible.")}

    def to_internal_value(self, value: Any) -> dt.datetime:
        moment = super().to_internal_value(value)
        if moment.year < EARLIEST_BIRTH_YEAR:
            self.fail("implausible", year=EARLIEST_BIRTH_YEAR)
        return moment

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        value = super().enforce_timezone(value)
        offset = value.utcoffset() if timezone.is_aware(value) else None
        if offset is not None and offset.seconds % 60:
            return value.astimezone(dt.UTC)
        return value
