"""API errors are JSON with field messages, never a 500 for bad input.

Django's ValidationError (raised by services) becomes 400 with field errors; PermissionDenied 403; an
IntegrityError (two requests racing to create the same row after the service's checks) 409; a DataError
(a value out of the database's range, e.g. a time-zone offset of +20:00 in a filter, or a number past 64
bits the driver cannot send, ``core.db.sendable_parameters``) 400. The serializers bound ids and counts
themselves (``core.validators``), so that the message names the field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, DataError):
        # A value the database cannot hold (a time-zone offset beyond ±15:59, a number past bigint):
        # the caller's input, not a server fault.
        return Response(
            {"non_field_errors": [_("A value is out of the range the database can store.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, IntegrityError):
        return Response(
            {"non_field_errors": [_("This conflicts with a record saved at the same moment; please retry.")]},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and response.status_code == status.HTTP_400_BAD_REQUEST
        and isinstance(response.data, list)
    ):
        response.data = {"non_field_errors": response.data}
    return response
