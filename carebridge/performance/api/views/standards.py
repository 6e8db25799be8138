"""Standards API under /api/v1/performance/: ``activities/``, ``inspections/``, ``findings/``,
``courses/``, ``sessions/`` (each with ``export/`` to Excel), ``sessions/{id}/attendance/`` (list,
POST one, and its export), ``sessions/{id}/import/`` (an attendance sheet, ``mode=all|valid``),
``findings/{id}/rectify/`` and ``findings/{id}/verify/``. Scoped by ``restrict()``; writes go through
the services; bad input answers 400 with field errors and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions, ModelViewPermission
from carebridge.core.models import Staff
from carebridge.core.selectors.organisation import person_name, staff_hospital
from carebridge.lib.text import ID_MAX, is_digits, is_id
from carebridge.performance.api.serializers.standards import (
    ActivityInputSerializer,
    ActivitySerializer,
    AttendanceSerializer,
    CourseSerializer,
    FindingSerializer,
    RoundInputSerializer,
    RoundSerializer,
    SessionSerializer,
    TrainingSessionInputSerializer,
)
from carebridge.performance.api.views.base import ExportMixin, xlsx_response
from carebridge.performance.choices import ActivityKind, ImportMode
from carebridge.performance.models import Activity, Course, Finding, InspectionRound, TrainingSession
from carebridge.performance.selectors.activities import activity_list
from carebridge.performance.selectors.inspections import finding_list, round_list
from carebridge.performance.selectors.training import (
    attendance_list,
    course_list,
    session_list,
    staff_in_scope,
)
from carebridge.performance.services.activities import activity_create
from carebridge.performance.services.inspections import finding_rectify, finding_verify, round_create
from carebridge.performance.services.training import attendance_import, attendance_record, session_create
from carebridge.performance.views.inspections import list_filters


def _service(call: Any) -> Any:
    """Run a service; its ``ValidationError`` becomes a 400 with field errors."""
    try:
        return call()
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from None


def _year(value: str | None) -> int | None:
    if not value:
        return None
    if not is_digits(value) or not 1900 <= int(value) <= 2100:
        raise ValidationError({"year": ["a year such as 2025 (1900–2100)"]})
    return int(value)


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=ActivityKind.values),
        OpenApiParameter("year", int),
        OpenApiParameter("search", str),
    ]
)
class ActivityViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The activity register (lectures, free clinics, welfare days, campaign tasks, media, honours)."""

    permission_classes = [ModelPermissions]
    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    export_name = "activities"
    export_columns = (
        (_("Date"), lambda a: a.held_on),
        (_("Type"), lambda a: str(a.get_kind_display())),
        (_("Title"), lambda a: a.title),
        (_("Place"), lambda a: a.place),
        (_("Organiser"), lambda a: a.organiser.name if a.organiser else ""),
        (_("Partner authority"), lambda a: a.partner),
        (_("Staff taking part"), lambda a: a.participants),
        (_("Attendees (人次)"), lambda a: a.attendees),
        (_("Hours"), lambda a: float(a.hours)),
        (_("Display boards"), lambda a: a.boards),
        (_("Banners"), lambda a: a.banners),
        (_("Leaflets"), lambda a: a.leaflets),
        (_("Health prescriptions"), lambda a: a.prescriptions),
        (_("Cost (yuan)"), lambda a: float(a.cost)),
        (_("Outlet or awarding body"), lambda a: a.outlet),
        (_("Effect"), lambda a: a.effect),
    )

    def get_queryset(self) -> QuerySet[Activity]:
        params = self.request.query_params
        if params.get("kind") and params["kind"] not in ActivityKind.values:
            raise ValidationError({"kind": [f"one of {', '.join(ActivityKind.values)}"]})
        filters = {
            "kind": params.get("kind", ""),
            "year": _year(params.get("year")),
            "search": params.get("search"),
        }
        return activity_list(user=self.request.user, filters=filters)

    @extend_schema(request=ActivityInputSerializer, responses={201: ActivitySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ActivityInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        hospital = staff_hospital(user=request.user)
        activity = _service(
            lambda: activity_create(
                hospital_id=hospital.pk, actor=request.user, values=payload.validated_data
            )
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class RoundViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """双创 inspection rounds."""

    permission_classes = [ModelPermissions]
    serializer_class = RoundSerializer
    queryset = InspectionRound.objects.none()
    export_name = "inspections"
    export_columns = (
        (_("Date"), lambda r: r.held_on),
        (_("Type"), lambda r: str(r.get_kind_display())),
        (_("Inspector"), lambda r: person_name(r.inspector)),
        (_("Findings"), lambda r: r.findings_count),
        (_("Note"), lambda r: r.note),
    )

    def get_queryset(self) -> QuerySet[InspectionRound]:
        return round_list(user=self.request.user)

    @extend_schema(request=RoundInputSerializer, responses={201: RoundSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = RoundInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        hospital = staff_hospital(user=request.user)
        inspection = _service(
            lambda: round_create(hospital_id=hospital.pk, actor=request.user, **payload.validated_data)
        )
        inspection.findings_count = 0
        return Response(RoundSerializer(inspection).data, status=status.HTTP_201_CREATED)


class RectifySerializer(serializers.Serializer):
    note = serializers.CharField()
    photos = serializers.ListField(
        child=serializers.FileField(), allow_empty=True, required=False, default=list
    )


class VerifySerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(
    parameters=[
        OpenApiParameter(name, str)
        for name in (
            "status",
            "department",
            "round",
            "month",
            "overdue",
            "escalated",
            "late",
            "in_time",
            "mine",
        )
    ]
)
class FindingViewSet(ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inspection findings in the caller's scope; the head rectifies, the inspector verifies."""

    permission_classes = [ModelPermissions]
    serializer_class = FindingSerializer
    queryset = Finding.objects.none()
    lookup_value_regex = r"\d+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    export_name = "findings"
    export_columns = (
        (_("Found"), lambda f: f.found_at.date()),
        (_("Department"), lambda f: f.department.name),
        (_("Area"), lambda f: f.area.name),
        (_("Checklist item"), lambda f: f.checklist_item),
        (_("What was found"), lambda f: f.description),
        (_("Responsible head"), lambda f: person_name(f.responsible)),
        (_("Deadline"), lambda f: f.deadline),
        (_("Status"), lambda f: str(f.get_status_display())),
        (_("Rectified at"), lambda f: f.rectified_at.replace(tzinfo=None) if f.rectified_at else None),
        (_("Escalated"), lambda f: bool(f.escalated_at)),
    )

    def get_queryset(self) -> QuerySet[Finding]:
        return finding_list(
            user=self.request.user, filters=list_filters(self.request.query_params)
        ).prefetch_related("photos")

    @extend_schema(request=RectifySerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelViewPermission])
    def rectify(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        payload = RectifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        photos = request.FILES.getlist("photos")
        finding = _service(
            lambda: finding_rectify(
                finding=finding, actor=request.user, note=payload.validated_data["note"], photos=photos
            )
        )
        return Response(FindingSerializer(finding).data)

    @extend_schema(request=VerifySerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelViewPermission])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        finding = _service(
            lambda: finding_verify(finding=finding, actor=request.user, **payload.validated_data)
        )
        return Response(FindingSerializer(finding).data)


class CourseViewSet(ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Training courses."""

    permission_classes = [ModelPermissions]
    serializer_class = CourseSerializer
    queryset = Course.objects.none()
    export_name = "courses"
    export_columns = (
        (_("Code"), lambda c: c.code),
        (_("Course"), lambda c: c.title),
        (_("Hours"), lambda c: float(c.hours)),
        (_("Assessment"), lambda c: str(c.get_assessment_display())),
        (_("Pass mark"), lambda c: float(c.pass_mark) if c.pass_mark is not None else None),
        (_("Mandatory for"), lambda c: "、".join(p.name for p in c.mandatory_for.all())),
        (_("Sessions"), lambda c: c.sessions_count),
    )

    def get_queryset(self) -> QuerySet[Course]:
        return course_list(user=self.request.user)


class AttendanceInputSerializer(serializers.Serializer):
    staff = serializers.IntegerField(min_value=0, max_value=ID_MAX)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
    )


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)


@extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("course", int)])
class SessionViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Training sessions, their attendance and the attendance-sheet import."""

    permission_classes = [ModelPermissions]
    serializer_class = SessionSerializer
    queryset = TrainingSession.objects.none()
    lookup_value_regex = r"\d+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    export_name = "sessions"
    export_columns = (
        (_("Date"), lambda s: s.held_on),
        (_("Course"), lambda s: s.course.title),
        (_("Trainer"), lambda s: s.trainer),
        (_("Place"), lambda s: s.place),
        (_("Attendance (人次)"), lambda s: s.attendance_count),
        (_("Passed"), lambda s: s.passed_count),
        (_("Cost (yuan)"), lambda s: float(s.cost)),
    )
    attendance_columns = (
        (_("Name"), lambda a: a.staff.name),
        (_("Department"), lambda a: a.staff.home_department.name if a.staff.home_department else ""),
        (_("Hours"), lambda a: float(a.hours)),
        (_("Score"), lambda a: float(a.score) if a.score is not None else None),
        (_("Passed"), lambda a: a.passed),
    )

    def get_queryset(self) -> QuerySet[TrainingSession]:
        params = self.request.query_params
        course = params.get("course", "")
        if course and not is_id(course):
            raise ValidationError({"course": ["a course id"]})
        return session_list(
            user=self.request.user, filters={"year": _year(params.get("year")), "course": course}
        )

    @extend_schema(request=TrainingSessionInputSerializer, responses={201: SessionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = TrainingSessionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        course = course_list(user=request.user).filter(pk=data.pop("course")).first()
        if course is None:
            raise ValidationError({"course": ["no such course"]})
        session = _service(lambda: session_create(course=course, actor=request.user, **data))
        return Response(
            SessionSerializer(session_list(user=request.user).get(pk=session.pk)).data, status=201
        )

    @extend_schema(methods=["get"], responses=AttendanceSerializer(many=True))
    @extend_schema(methods=["post"], request=AttendanceInputSerializer, responses={201: AttendanceSerializer})
    @action(
        detail=True, methods=["get", "post"], permission_classes=[ModelViewPermission], pagination_class=None
    )
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        if request.method == "GET":
            rows = attendance_list(user=request.user, filters={"session": session.pk})
            return Response(AttendanceSerializer(rows, many=True).data)
        payload = AttendanceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        staff: Staff = get_object_or_404(staff_in_scope(request.user), pk=payload.validated_data["staff"])
        attendance = _service(
            lambda: attendance_record(
                session=session, staff=staff, actor=request.user, score=payload.validated_data["score"]
            )
        )
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): None})
    @action(detail=True, methods=["get"], url_path="attendance/export")
    def attendance_export(self, request: Request, pk: str | None = None) -> HttpResponse:
        session = self.get_object()
        rows = attendance_list(user=request.user, filters={"session": session.pk})
        return xlsx_response(name="attendance", columns=self.attendance_columns, rows=rows)

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses=None)
    @action(detail=True, methods=["post"], url_path="import", permission_classes=[ModelViewPermission])
    def import_sheet(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        payload = ImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        report = _service(
            lambda: attendance_import(
                session=session,
                content=upload.read(),
                file_name=upload.name,
                actor=request.user,
                mode=payload.validated_data["mode"],
            )
        )
        body = {
            "imported": report.imported,
            "rejected": len(report.rejected),
            "rows": [{"row": r.number, "name": r.name, "ok": r.ok, "errors": r.errors} for r in report.rows],
        }
        return Response(body, status=status.HTTP_200_OK if report.committed or not report.rejected else 400)
