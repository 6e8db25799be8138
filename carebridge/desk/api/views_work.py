"""API of the desk's daily work: inquiries, escorts (+ transitions), handovers (+ acknowledge), work logs.

Querysets come from the scoped selectors, writes go through the services; a service's refusal is a 400
with field errors (``core.api.exceptions``), an object outside the caller's scope a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.models import Hospital
from carebridge.core.selectors.organisation import department_list, staff_hospital, staff_list
from carebridge.desk.api.serializers_work import (
    AcknowledgeInputSerializer,
    EscortDetailSerializer,
    EscortInputSerializer,
    EscortSerializer,
    EscortTransitionInputSerializer,
    HandoverDetailSerializer,
    HandoverNotesInputSerializer,
    HandoverSerializer,
    InquiryAnswerInputSerializer,
    InquiryInputSerializer,
    InquirySerializer,
    InquiryStatisticsSerializer,
    WorkLogInputSerializer,
    WorkLogSerializer,
)
from carebridge.desk.models import Escort, Handover, Inquiry, WorkLog
from carebridge.desk.selectors.escorts import escort_get, escort_list_for_display
from carebridge.desk.selectors.handover import handover_get, handover_list
from carebridge.desk.selectors.inquiries import (
    inquiry_get,
    inquiry_list,
    inquiry_list_for_display,
    inquiry_statistics,
)
from carebridge.desk.selectors.worklogs import worklog_list
from carebridge.desk.services.escorts import EscortInput, escort_request, escort_transition
from carebridge.desk.services.handover import handover_acknowledge, handover_write_notes
from carebridge.desk.services.inquiries import InquiryInput, inquiry_answer, inquiry_record
from carebridge.desk.services.worklogs import worklog_save
from carebridge.knowledge.selectors.entries import external_hospital_list


class ActionPermissions(BasePermission):
    """The permission each action needs, from the view's ``action_permissions`` (``"*"``: the default)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        table = view.action_permissions
        needed = table.get(getattr(view, "action", None) or "", table["*"])
        return bool(request.user.has_perm(needed))


def _patient(request: Request, pk: int | None) -> Any:
    if not pk:
        return None
    from carebridge.patients.selectors.patients import patient_list

    patient = patient_list(user=request.user).filter(pk=pk).first()
    if patient is None:
        raise ValidationError({"patient": ["No such patient in your scope."]})
    return patient


def _department(request: Request, hospital: Hospital, code: str, field: str) -> Any:
    if not code:
        return None
    department = department_list(user=request.user).filter(hospital=hospital, code=code).first()
    if department is None:
        raise ValidationError({field: ["Unknown department code."]})
    return department


def _staff(request: Request, hospital_id: int, pk: int | None, field: str) -> Any:
    if not pk:
        return None
    member = staff_list(user=request.user).filter(hospital_id=hospital_id, pk=pk).first()
    if member is None:
        raise ValidationError({field: ["Unknown staff id."]})
    return member


class InquiryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inquiries (咨询分诊) in the caller's scope; ``statistics`` gives counts and response times."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "desk.view_inquiry",
        "create": "desk.add_inquiry",
        "answer": "desk.change_inquiry",
        "statistics": "desk.view_inquiry_statistics",
    }
    serializer_class = InquirySerializer
    queryset = Inquiry.objects.none()
    ordering_fields = ["received_at", "id"]

    def get_queryset(self) -> QuerySet[Inquiry]:
        return inquiry_list_for_display(user=self.request.user).order_by("-received_at", "-id")

    @extend_schema(request=InquiryInputSerializer, responses={201: InquirySerializer})
    def create(self, request: Request) -> Response:
        payload = InquiryInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        hospital = staff_hospital(user=request.user)
        external = None
        if data.get("referred_hospital"):
            external = external_hospital_list(user=request.user).filter(pk=data["referred_hospital"]).first()
            if external is None:
                raise ValidationError({"referred_hospital": ["Unknown external hospital."]})
        inquiry = inquiry_record(
            hospital=hospital,
            actor=request.user,
            data=InquiryInput(
                channel=data["channel"],
                category=data["category"],
                question=data["question"],
                answer=data["answer"],
                asker_name=data["asker_name"],
                patient=_patient(request, data.get("patient")),
                recommended_department=_department(
                    request, hospital, data["recommended_department"], "recommended_department"
                ),
                recommended_doctor=_staff(
                    request, hospital.pk, data.get("recommended_doctor"), "recommended_doctor"
                ),
                referred_hospital=external,
                received_at=data.get("received_at"),
            ),
        )
        fresh = inquiry_get(user=request.user, pk=inquiry.pk)
        return Response(InquirySerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InquiryAnswerInputSerializer, responses={200: InquirySerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        """Answer an inquiry left for a call-back; an answered inquiry is refused with 400."""
        inquiry = inquiry_get(user=request.user, pk=int(pk))
        payload = InquiryAnswerInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        inquiry_answer(inquiry=inquiry, actor=request.user, answer=payload.validated_data["answer"])
        return Response(InquirySerializer(inquiry_get(user=request.user, pk=inquiry.pk)).data)

    @extend_schema(responses={200: InquiryStatisticsSerializer})
    @action(detail=False, methods=["get"])
    def statistics(self, request: Request) -> Response:
        """Counts, answered counts and response-time median / 90th percentile (seconds) by category,
        channel and hour of receipt (hospital time)."""
        queryset = inquiry_list(user=request.user, permission="desk.view_inquiry_statistics")
        stats = inquiry_statistics(queryset=queryset, zone=timezone.get_current_timezone_name())
        return Response(InquiryStatisticsSerializer(stats).data)


class EscortViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Escorts (陪诊送诊) in the caller's scope, with their transitions; ``transition`` moves one on."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "desk.view_escort",
        "create": "desk.add_escort",
        "transition": "desk.change_escort",
    }
    queryset = Escort.objects.none()

    def get_queryset(self) -> QuerySet[Escort]:
        return escort_list_for_display(user=self.request.user).order_by("-scheduled_at", "-id")

    def get_serializer_class(self) -> type:
        return EscortDetailSerializer if self.action == "retrieve" else EscortSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(EscortDetailSerializer(escort_get(user=request.user, pk=int(kwargs["pk"]))).data)

    @extend_schema(request=EscortInputSerializer, responses={201: EscortDetailSerializer})
    def create(self, request: Request) -> Response:
        payload = EscortInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        hospital = staff_hospital(user=request.user)
        escort = escort_request(
            hospital=hospital,
            actor=request.user,
            data=EscortInput(
                from_place=data["from_place"],
                to_place=data["to_place"],
                scheduled_at=data["scheduled_at"],
                mobility=data["mobility"],
                patient=_patient(request, data.get("patient")),
                patient_name=data["patient_name"],
                department=_department(request, hospital, data["department"], "department"),
                notes=data["notes"],
            ),
        )
        fresh = escort_get(user=request.user, pk=escort.pk)
        return Response(EscortDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EscortTransitionInputSerializer, responses={200: EscortDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """requested → assigned → under_way → done, or cancelled (with a reason); illegal moves: 400."""
        escort = escort_get(user=request.user, pk=int(pk))
        payload = EscortTransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        escort_transition(
            escort=escort,
            to=data["to"],
            actor=request.user,
            staff=_staff(request, escort.hospital_id, data.get("staff"), "staff"),
            reason=data["reason"],
        )
        return Response(EscortDetailSerializer(escort_get(user=request.user, pk=escort.pk)).data)


class HandoverViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shift handovers (交班) with the matters carried over; ``notes`` and ``acknowledge`` (接班)."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "desk.view_handover",
        "notes": "desk.change_handover",
        "acknowledge": "desk.acknowledge_handover",
    }
    queryset = Handover.objects.none()

    def get_queryset(self) -> QuerySet[Handover]:
        return handover_list(user=self.request.user)

    def get_serializer_class(self) -> type:
        return HandoverDetailSerializer if self.action == "retrieve" else HandoverSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(HandoverDetailSerializer(handover_get(user=request.user, pk=int(kwargs["pk"]))).data)

    @extend_schema(request=HandoverNotesInputSerializer, responses={200: HandoverDetailSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        handover = handover_get(user=request.user, pk=int(pk))
        payload = HandoverNotesInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        handover_write_notes(handover=handover, actor=request.user, notes=payload.validated_data["notes"])
        return Response(HandoverDetailSerializer(handover_get(user=request.user, pk=handover.pk)).data)

    @extend_schema(request=AcknowledgeInputSerializer, responses={200: HandoverDetailSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Take over the shift (who and when are recorded); a second acknowledgement is refused with 400."""
        handover = handover_get(user=request.user, pk=int(pk))
        payload = AcknowledgeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        handover_acknowledge(handover=handover, actor=request.user, note=payload.validated_data["note"])
        return Response(HandoverDetailSerializer(handover_get(user=request.user, pk=handover.pk)).data)


class WorkLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Work logs (工作日志): one's own, and one's team's with ``desk.review_worklogs``. POST writes (or
    re-counts) the caller's log of a day."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "desk.view_worklog", "create": "desk.add_worklog"}
    serializer_class = WorkLogSerializer
    queryset = WorkLog.objects.none()

    def get_queryset(self) -> QuerySet[WorkLog]:
        return worklog_list(user=self.request.user).order_by("-day", "author_id")

    @extend_schema(request=WorkLogInputSerializer, responses={200: WorkLogSerializer})
    def create(self, request: Request) -> Response:
        payload = WorkLogInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        log = worklog_save(actor=request.user, day=data["day"], notes=data.get("notes"))
        return Response(WorkLogSerializer(log).data)
