"""The OpenAPI generator of every endpoint: drf-spectacular's, plus the error answers every operation can
give (schemathesis flagged them: operations answered 400/403/404 that their schema never declared), and
``null`` where an answer gives it: an output field declared with ``default=None`` (``source="actor.
get_username", default=None``: no actor) answers ``null``, which drf-spectacular typed as a plain string
or number, so a client generated from the schema failed on it. A time of day in an answer (DRF's
``TimeField``: "08:30:00") is a string with a pattern: the ``time`` format means RFC 3339's time *with*
an offset.

Every error is JSON: ``{"detail": "…"}`` or field errors ``{"field": ["…"]}`` (``core.api.exceptions``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.fields import empty

ERRORS = {
    "400": "The input was refused: field errors, or a malformed or over-long body.",
    "401": "No valid credentials.",
    "403": "Not allowed for this user, or outside their data scope.",
    "404": "No such object in the caller's scope.",
    "409": "Conflicts with a record saved at the same moment; retry.",
    "413": "The request body is too large.",
    "414": "The request line (path and query string) is longer than the server accepts (4,094 bytes).",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
}
WRITE_ONLY = {"409", "413"}


# DRF writes a time of day as HH:MM:SS[.ffffff] and reads HH:MM too.
TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # Answers only: DRF reads more forms than it writes ("8:30", "08:30:00+08:00", offsets dropped).
        if (
            direction == "response"
            and isinstance(field, serializers.TimeField)
            and schema.get("format") == "time"
        ):
            del schema["format"]
            schema["pattern"] = TIME_OF_DAY
            schema.setdefault("example", "08:30:00")
        return schema

    def _get_serializer_field_meta(self, field: Any, direction: Any) -> dict[str, Any]:
        meta: dict[str, Any] = super()._get_serializer_field_meta(field, direction)
        # In a request, default=None only means the field may be left out.
        if direction == "response" and getattr(field, "default", empty) is None:
            meta["nullable"] = True
        return meta

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        for code, description in ERRORS.items():
            if code in responses or (code in WRITE_ONLY and not writes):
                continue
            responses[code] = self._get_response_for_code(
                OpenApiResponse(OpenApiTypes.OBJECT, description=description), code, direction=direction
            )
        return responses
