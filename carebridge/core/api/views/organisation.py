from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.api.serializers.organisation import (
    DepartmentOutputSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from carebridge.core.filters import DepartmentFilterSet
from carebridge.core.models import Department
from carebridge.core.selectors.organisation import department_list


class TokenView(APIView):
    """Exchange a username and password for an API token (lock-out applies as on the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request: Request) -> Response:
        payload = TokenRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = authenticate(request=request._request, **payload.validated_data)
        if getattr(request._request, "axes_locked_out", False):  # set by django-axes on a locked account
            # Answered here in JSON; left set, AxesMiddleware would swap this for its HTML lock-out page.
            request._request.axes_locked_out = False  # type: ignore[attr-defined]
            return Response(
                {"non_field_errors": ["Too many failed attempts: this account is locked for a while."]},
                status=status.HTTP_403_FORBIDDEN,
            )
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": ["Unable to log in with the given username and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenResponseSerializer({"token": token.key}).data)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments of the hospitals in the caller's scope."""

    serializer_class = DepartmentOutputSerializer
    permission_classes = [ModelPermissions]
    filterset_class = DepartmentFilterSet
    ordering_fields = ["code", "name"]
    queryset = Department.objects.none()  # for the schema; the real one comes from the selector

    def get_queryset(self) -> QuerySet[Department]:
        return department_list(user=self.request.user)
