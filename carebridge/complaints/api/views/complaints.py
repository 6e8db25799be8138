"""Complaint API: scoped querysets from the selectors, writes through the services.

``/api/v1/complaints/``: list (filters of the register), retrieve, create; POST actions ``transition``,
``notes``, ``recovery-actions``, ``feedback``, ``attachments`` (multipart); ``suggest-category``.
Refusals of the services come back as 400 with field errors (``core.api.exceptions``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.complaints.api.serializers.complaints import (
    AttachmentInputSerializer,
    AttachmentSerializer,
    ComplaintDetailSerializer,
    ComplaintInputSerializer,
    ComplaintListSerializer,
    FeedbackInputSerializer,
    NoteInputSerializer,
    NoteSerializer,
    RecoveryActionSerializer,
    RecoveryInputSerializer,
    SuggestionInputSerializer,
    SuggestionOutputSerializer,
    TransitionInputSerializer,
)
from carebridge.complaints.domain.lexicon import suggest_category
from carebridge.complaints.filters import ComplaintFilterSet
from carebridge.complaints.models import Complaint
from carebridge.complaints.selectors.complaints import complaint_get, complaint_list_for_display
from carebridge.complaints.services.complaints import (
    ComplaintInput,
    complaint_attach,
    complaint_receive,
    complaint_record_feedback,
    note_add,
    recovery_action_add,
)
from carebridge.complaints.services.transitions import complaint_transition
from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.deadlines import WorkCalendar
from carebridge.core.http import client_ip
from carebridge.core.selectors.organisation import department_list, staff_list
from carebridge.patients.choices import AccessChannel
from carebridge.patients.models import Customer
from carebridge.patients.services.access import patient_access_record


class ComplaintPermissions(ModelPermissions):
    """Reading needs ``view_complaint``; every POST (intake and case work) needs ``add`` or ``change``."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return bool(request.user.has_perm("complaints.view_complaint"))
        if getattr(view, "action", None) in ("create", "suggest_category"):
            return bool(request.user.has_perm("complaints.add_complaint"))
        return bool(request.user.has_perm("complaints.change_complaint"))


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints, compliments and suggestions in the caller's scope; phones masked; every deadline listed."""

    permission_classes = [ComplaintPermissions]
    filterset_class = ComplaintFilterSet
    ordering_fields = ["received_at", "id", "severity"]
    queryset = Complaint.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Complaint]:
        return complaint_list_for_display(user=self.request.user)

    def get_serializer_class(self) -> type:
        return ComplaintDetailSerializer if self.action == "retrieve" else ComplaintListSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        # One calendar and one "now" for the whole page of cases.
        return {
            **super().get_serializer_context(),
            "now": timezone.now(),
            "calendar": WorkCalendar.from_database(),
        }

    def _complaint(self, pk: str) -> Complaint:
        return complaint_get(user=self.request.user, pk=int(pk))

    def _detail(self, complaint: Complaint, code: int = status.HTTP_200_OK) -> Response:
        fresh = complaint_get(user=self.request.user, pk=complaint.pk)
        return Response(
            ComplaintDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        complaint = self._complaint(kwargs["pk"])
        if complaint.patient is not None:
            patient_access_record(
                patient=complaint.patient,
                user=request.user,
                channel=AccessChannel.API,
                ip_address=client_ip(request),
                reason="complaint",
            )
        return self._detail(complaint)

    @extend_schema(request=ComplaintInputSerializer, responses={201: ComplaintDetailSerializer})
    def create(self, request: Request) -> Response:
        payload = ComplaintInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        staff = getattr(request.user, "staff", None)
        if staff is None:
            raise PermissionDenied("Your account is not linked to a hospital.")
        hospital = staff.hospital
        from carebridge.patients.selectors.patients import patient_list

        patient = None
        if data.get("patient"):
            patient = patient_list(user=request.user).filter(pk=data["patient"]).first()
            if patient is None:
                raise ValidationError({"patient": ["No such patient in your scope."]})
        customer = None
        if data.get("customer"):
            customer = Customer.objects.filter(pk=data["customer"], hospital=hospital).first()
            if customer is None:
                raise ValidationError({"customer": ["No such customer in your hospital."]})
        codes = data.get("departments", [])
        departments = list(department_list(user=request.user).filter(hospital=hospital, code__in=codes))
        if len(departments) != len(set(codes)):
            raise ValidationError({"departments": ["Unknown department code."]})
        staff_ids = data.get("staff", [])
        people = list(staff_list(user=request.user).filter(hospital=hospital, pk__in=staff_ids))
        if len(people) != len(set(staff_ids)):
            raise ValidationError({"staff": ["Unknown staff id."]})
        complaint = complaint_receive(
            hospital=hospital,
            actor=request.user,
            data=ComplaintInput(
                content=data["content"],
                channel=data["channel"],
                kind=data["kind"],
                category=data.get("category", ""),
                severity=data["severity"],
                patient=patient,
                customer=customer,
                complainant_name=data.get("complainant_name", ""),
                complainant_phone=data.get("complainant_phone", ""),
                complainant_class=data["complainant_class"],
                departments=departments,
                staff=people,
                received_at=data.get("received_at"),
                on_the_spot_resolution=data.get("on_the_spot_resolution", ""),
            ),
        )
        return self._detail(complaint, status.HTTP_201_CREATED)

    @extend_schema(request=TransitionInputSerializer, responses={200: ComplaintDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """Move the case to another status; illegal moves are refused with 400 and the reason."""
        complaint = self._complaint(pk)
        payload = TransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        office = None
        if data["office"]:
            office = (
                department_list(user=request.user)
                .filter(hospital_id=complaint.hospital_id, code=data["office"])
                .first()
            )
            if office is None:
                raise ValidationError({"office": ["Unknown department code."]})
        complaint = complaint_transition(
            complaint=complaint,
            to=data["to"],
            actor=request.user,
            reason=data["reason"],
            resolution=data["resolution"],
            office=office,
            root_cause=data["root_cause"],
        )
        return self._detail(complaint)

    @extend_schema(request=NoteInputSerializer, responses={201: NoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        complaint = self._complaint(pk)
        payload = NoteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = note_add(complaint=complaint, actor=request.user, text=payload.validated_data["text"])
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecoveryInputSerializer, responses={201: RecoveryActionSerializer})
    @action(detail=True, methods=["post"], url_path="recovery-actions")
    def recovery_actions(self, request: Request, pk: str) -> Response:
        complaint = self._complaint(pk)
        payload = RecoveryInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        recovery = recovery_action_add(complaint=complaint, actor=request.user, **payload.validated_data)
        return Response(RecoveryActionSerializer(recovery).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FeedbackInputSerializer, responses={200: ComplaintDetailSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str) -> Response:
        complaint = self._complaint(pk)
        payload = FeedbackInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        complaint = complaint_record_feedback(
            complaint=complaint, actor=request.user, **payload.validated_data
        )
        return self._detail(complaint)

    @extend_schema(
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], pagination_class=None)  # the files just stored, not a page
    def attachments(self, request: Request, pk: str) -> Response:
        """Upload files (multipart, field ``files``): jpg, png, pdf, docx, mp3, wav; size limited."""
        complaint = self._complaint(pk)
        payload = AttachmentInputSerializer(data={"files": request.FILES.getlist("files")})
        payload.is_valid(raise_exception=True)
        stored = complaint_attach(
            complaint=complaint, actor=request.user, uploads=payload.validated_data["files"]
        )
        return Response(AttachmentSerializer(stored, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SuggestionInputSerializer, responses={200: SuggestionOutputSerializer})
    @action(detail=False, methods=["post"], url_path="suggest-category")
    def suggest_category(self, request: Request) -> Response:
        """The category the lexicon suggests for a text, and the terms that made it."""
        payload = SuggestionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        suggestion = suggest_category(payload.validated_data["content"])
        return Response({"category": suggestion.category, "evidence": suggestion.evidence_json()})
