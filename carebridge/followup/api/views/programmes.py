"""API of chronic-disease programmes (``followup/programmes/``, ``followup/enrolments/`` with ``programme``
and ``status`` filters and ``{id}/leave/``), daily syncs (``followup/syncs/``) and meetings
(``followup/meetings/``, filter ``kind``) and stay plans
(``followup/stay-plans/``, filter ``department``). Scoped by ``restrict()``; writes through the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions
from carebridge.followup.api.serializers.programmes import (
    EnrolmentSerializer,
    MeetingSerializer,
    ProgrammeSerializer,
    StayPlanSerializer,
    SyncSerializer,
)
from carebridge.followup.choices import EnrolmentStatus, MeetingKind
from carebridge.followup.models import ChronicProgramme, ProgrammeEnrolment, StayPlan, WardMeeting, WardSync
from carebridge.followup.selectors.programmes import enrolment_list, programme_list
from carebridge.followup.selectors.stay_plans import stay_plan_list
from carebridge.followup.selectors.ward_programme import meeting_list, sync_list
from carebridge.followup.services.programmes import programme_leave


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    lookup_value_regex = r"\d+"


class ProgrammeViewSet(_ReadOnly):
    """Chronic-disease programmes of the caller's hospital."""

    serializer_class = ProgrammeSerializer
    queryset = ChronicProgramme.objects.none()

    def get_queryset(self) -> QuerySet[ChronicProgramme]:
        return programme_list(user=self.request.user)


class LeaveInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


@extend_schema(
    parameters=[
        OpenApiParameter("programme", int),
        OpenApiParameter("status", str, enum=EnrolmentStatus.values),
    ]
)
class EnrolmentViewSet(_ReadOnly):
    """Patients enrolled in the programmes, in the caller's scope."""

    serializer_class = EnrolmentSerializer
    queryset = ProgrammeEnrolment.objects.none()

    def get_queryset(self) -> QuerySet[ProgrammeEnrolment]:
        params = self.request.query_params
        status, programme = params.get("status", ""), params.get("programme", "")
        if status and status not in EnrolmentStatus.values:
            raise ValidationError({"status": [f"one of {', '.join(EnrolmentStatus.values)}"]})
        if programme and not programme.isdigit():
            raise ValidationError({"programme": ["a programme id"]})
        rows = enrolment_list(user=self.request.user, status=status)
        return rows.filter(programme_id=int(programme)) if programme else rows

    @extend_schema(request=LeaveInputSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        if not request.user.has_perm("followup.change_programmeenrolment"):
            raise PermissionDenied
        payload = LeaveInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            enrolment = programme_leave(
                enrolment=self.get_object(), reason=payload.validated_data["reason"], actor=request.user
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(EnrolmentSerializer(enrolment).data)


class SyncViewSet(_ReadOnly):
    """Daily ward syncs of the caller's departments."""

    serializer_class = SyncSerializer
    queryset = WardSync.objects.none()

    def get_queryset(self) -> QuerySet[WardSync]:
        return sync_list(user=self.request.user)


@extend_schema(parameters=[OpenApiParameter("kind", str, enum=MeetingKind.values)])
class MeetingViewSet(_ReadOnly):
    """Project-manager meetings and family forums."""

    serializer_class = MeetingSerializer
    queryset = WardMeeting.objects.none()

    def get_queryset(self) -> QuerySet[WardMeeting]:
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in MeetingKind.values:
            raise ValidationError({"kind": [f"one of {', '.join(MeetingKind.values)}"]})
        return meeting_list(user=self.request.user, kind=kind)


@extend_schema(parameters=[OpenApiParameter("department", int)])
class StayPlanViewSet(_ReadOnly):
    """Stay plans (住院方案) agreed with the attending doctor and nurse, with their items; the caller's
    departments only."""

    serializer_class = StayPlanSerializer
    queryset = StayPlan.objects.none()

    def get_queryset(self) -> QuerySet[StayPlan]:
        department = self.request.query_params.get("department", "")
        if department and not department.isdigit():
            raise ValidationError({"department": ["a department id"]})
        return stay_plan_list(user=self.request.user, department=int(department) if department else None)
