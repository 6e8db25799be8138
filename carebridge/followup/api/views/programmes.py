"""API of chronic-disease programmes (``followup/programmes/``, ``followup/enrolments/`` with ``programme``
and ``status`` filters and ``{id}/leave/``), daily syncs (``followup/syncs/``) and meetings
(``followup/meetings/``, filter ``kind``) and stay plans
(``followup/stay-plans/``, filter ``department``, ``{id}/close-item/``). Scoped by ``restrict()``; writes
through the services: a sync or meeting is recorded only for a department of the caller's scope (403
otherwise), a stay plan only for a care plan the caller may open (404 otherwise); bad input answers 400
with field errors."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions, ModelViewPermission
from carebridge.core.models import Department
from carebridge.core.selectors.organisation import departments_in_scope, staff_hospital, ward_list
from carebridge.followup.api.serializers.programmes import (
    EnrolmentSerializer,
    MeetingInputSerializer,
    MeetingSerializer,
    ProgrammeSerializer,
    StayItemCloseInputSerializer,
    StayPlanInputSerializer,
    StayPlanSerializer,
    SyncInputSerializer,
    SyncSerializer,
)
from carebridge.followup.choices import EnrolmentStatus, MeetingKind
from carebridge.followup.models import ChronicProgramme, ProgrammeEnrolment, StayPlan, WardMeeting, WardSync
from carebridge.followup.selectors.plans import plan_get
from carebridge.followup.selectors.programmes import enrolment_list, programme_list
from carebridge.followup.selectors.stay_plans import stay_item_get, stay_plan_get, stay_plan_list
from carebridge.followup.selectors.ward_programme import meeting_get, meeting_list, sync_get, sync_list
from carebridge.followup.services.programmes import programme_leave
from carebridge.followup.services.stay_plans import stay_item_close, stay_plan_agree
from carebridge.followup.services.ward_programme import meeting_record, sync_record
from carebridge.lib.text import is_id


def _raise(error: DjangoValidationError) -> NoReturn:
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


def _department_in_scope(user: Any, pk: int | None) -> Department | None:
    """The department ``pk`` when the caller's scope holds it; 403 for any other (none: ``None``)."""
    if pk is None:
        return None
    department = departments_in_scope(user=user).filter(pk=pk).select_related("hospital").first()
    if department is None:
        raise PermissionDenied("Not a department of your scope.")
    return department


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
        if programme and not is_id(programme):
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


class SyncViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Daily ward syncs of the caller's departments; ``POST`` records one (a department of the caller's
    scope: 403 for another)."""

    serializer_class = SyncSerializer
    queryset = WardSync.objects.none()

    def get_queryset(self) -> QuerySet[WardSync]:
        return sync_list(user=self.request.user)

    @extend_schema(request=SyncInputSerializer, responses={201: SyncSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = SyncInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        department = _department_in_scope(request.user, data["department"])
        ward = None
        if data.get("ward") is not None:
            ward = ward_list(user=request.user).filter(pk=data["ward"]).first()
            if ward is None:
                raise ValidationError({"ward": ["not a ward of your scope"]})
        try:
            sync = sync_record(
                department=department,  # type: ignore[arg-type]
                ward=ward,
                held_on=data["held_on"],
                project_manager=data["project_manager"],
                attendees=data["attendees"],
                issues=[
                    {
                        "text": i["text"],
                        "owner": i["owner"].pk if i.get("owner") else None,
                        "resolved": i["resolved"],
                    }
                    for i in data.get("issues", [])
                ],
                notes=data["notes"],
                actor=request.user,
            )
        except DjangoValidationError as error:
            _raise(error)
        return Response(
            SyncSerializer(sync_get(user=request.user, pk=sync.pk)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(parameters=[OpenApiParameter("kind", str, enum=MeetingKind.values)])
class MeetingViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Project-manager meetings and family forums; ``POST`` records one (of the caller's hospital, or of a
    department of their scope: 403 for another)."""

    serializer_class = MeetingSerializer
    queryset = WardMeeting.objects.none()

    def get_queryset(self) -> QuerySet[WardMeeting]:
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in MeetingKind.values:
            raise ValidationError({"kind": [f"one of {', '.join(MeetingKind.values)}"]})
        return meeting_list(user=self.request.user, kind=kind)

    @extend_schema(request=MeetingInputSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = MeetingInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        department = _department_in_scope(request.user, data.get("department"))
        try:
            meeting = meeting_record(
                hospital=department.hospital if department else staff_hospital(user=request.user),
                kind=data["kind"],
                held_on=data["held_on"],
                title=data["title"],
                chaired_by=data["chaired_by"],
                minutes=data["minutes"],
                decisions=data["decisions"],
                attendance=data["attendance"],
                department=department,
                actor=request.user,
            )
        except DjangoValidationError as error:
            _raise(error)
        return Response(
            MeetingSerializer(meeting_get(user=request.user, pk=meeting.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(parameters=[OpenApiParameter("department", int)])
class StayPlanViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Stay plans (住院方案) agreed with the attending doctor and nurse, with their items and their history;
    visible where their care plan is. ``POST`` agrees the plan of a care plan the caller may open (404
    otherwise)."""

    serializer_class = StayPlanSerializer
    queryset = StayPlan.objects.none()

    def get_queryset(self) -> QuerySet[StayPlan]:
        department = self.request.query_params.get("department", "")
        if department and not is_id(department):
            raise ValidationError({"department": ["a department id"]})
        return stay_plan_list(user=self.request.user, department=int(department) if department else None)

    @extend_schema(request=StayPlanInputSerializer, responses={201: StayPlanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = StayPlanInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        plan = plan_get(user=request.user, pk=data["care_plan"])
        try:
            stay_plan = stay_plan_agree(
                plan=plan,
                doctor=data["doctor"],
                nurse=data["nurse"],
                items=data["items"],
                notes=data["notes"],
                actor=request.user,
            )
        except DjangoValidationError as error:
            _raise(error)
        return Response(
            StayPlanSerializer(stay_plan_get(user=request.user, pk=stay_plan.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=StayItemCloseInputSerializer, responses=StayPlanSerializer)
    @action(detail=True, methods=["post"], url_path="close-item", permission_classes=[ModelViewPermission])
    def close_item(self, request: Request, pk: str | None = None) -> Response:
        """Close one open item of the plan as done, or drop it with a reason (kept in its history)."""
        if not request.user.has_perm("followup.change_stayplan"):
            raise PermissionDenied
        stay_plan = self.get_object()
        payload = StayItemCloseInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        item = stay_item_get(user=request.user, pk=data["item"])
        if item.stay_plan_id != stay_plan.pk:
            raise ValidationError({"item": ["not an item of this stay plan"]})
        try:
            stay_item_close(item=item, to=data["to"], note=data["note"], actor=request.user)
        except DjangoValidationError as error:
            _raise(error)
        return Response(StayPlanSerializer(stay_plan_get(user=request.user, pk=stay_plan.pk)).data)
