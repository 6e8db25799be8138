"""Serializer fields shared by every app's API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from carebridge.core.masking import mask_json


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
