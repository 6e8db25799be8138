"""API of inquiries (咨询分诊): list, read, record, answer a call-back, statistics.

Querysets come from the scoped selectors, writes go through the services; a service's refusal is a 400
with field errors (``core.api.exceptions``), an object outside the caller's scope a 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.frontdesk.api.serializers.inquiries import (
    InquiryAnswerInputSerializer,
    InquiryInputSerializer,
    InquirySerializer,
    InquiryStatisticsSerializer,
)
from carebridge.frontdesk.api.views.common import ActionPermissions, department_for, patient_for, staff_for
from carebridge.frontdesk.models import Inquiry
from carebridge.frontdesk.selectors.inquiries import (
    inquiry_get,
    inquiry_list_for_display,
    inquiry_statistics,
    inquiry_statistics_base,
)
from carebridge.frontdesk.services.inquiries import InquiryInput, inquiry_answer, inquiry_record
from carebridge.knowledge.selectors.entries import external_hospital_list


class InquiryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inquiries (咨询分诊) in the caller's scope; ``statistics`` gives counts and response times."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "frontdesk.view_inquiry",
        "create": "frontdesk.add_inquiry",
        "answer": "frontdesk.change_inquiry",
        "statistics": "frontdesk.view_inquiry_statistics",
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
                patient=patient_for(request, data.get("patient")),
                recommended_department=department_for(
                    request, hospital, data["recommended_department"], "recommended_department"
                ),
                recommended_doctor=staff_for(
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
        queryset = inquiry_statistics_base(user=request.user)
        stats = inquiry_statistics(queryset=queryset, zone=timezone.get_current_timezone_name())
        return Response(InquiryStatisticsSerializer(stats).data)
