"""The living dictionary's API: scoped reads from the selectors, writes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.models import Department, Staff
from carebridge.core.selectors.organisation import department_list, staff_hospital, staff_list
from carebridge.knowledge import selectors, services
from carebridge.knowledge.api import serializers as s
from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.geo import Origin
from carebridge.knowledge.models import DepartmentProfile, Doctor, ExternalHospital, Faq, Service


class ModelChangePermission(ModelPermissions):
    """The model's change permission whatever the method (for "mark verified")."""

    perms_map = {method: ["%(app_label)s.change_%(model_name)s"] for method in ModelPermissions.perms_map}


def _department(request: Request, pk: int | None, *, field: str = "department") -> Department | None:
    if pk is None:
        return None
    department = department_list(user=request.user).filter(pk=pk).first()
    if department is None:
        raise ValidationError({field: ["No such department in your hospital."]})
    return department


def _staff(request: Request, pk: int | None) -> Staff | None:
    if pk is None:
        return None
    staff = staff_list(user=request.user).filter(pk=pk).first()
    if staff is None:
        raise ValidationError({"staff": ["No such staff member in your hospital."]})
    return staff


class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List, retrieve, create, partial update and "verify" of one kind of entry."""

    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]
    selector: Callable[..., QuerySet[Any]]
    output: type[s.serializers.Serializer]
    create_input: type[s.EntryInputSerializer]
    update_input: type[s.EntryInputSerializer]

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).selector(user=self.request.user)

    def get_serializer_class(self) -> type:
        return self.output

    def _entry(self, pk: str) -> Any:
        return selectors.entry_get(self.get_queryset(), int(pk))

    def _respond(self, entry: Model, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.output(self._entry(str(entry.pk))).data, status=code)

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        raise NotImplementedError

    def create(self, request: Request) -> Response:
        payload = self.create_input(data=request.data)
        payload.is_valid(raise_exception=True)
        entry = self.perform_write(
            request, payload.service_values(), None, payload.validated_data["mark_verified"]
        )
        return self._respond(entry, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        entry = self._entry(pk)
        payload = self.update_input(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        self.perform_write(
            request, payload.service_values(), entry, payload.validated_data.get("mark_verified", True)
        )
        return self._respond(entry)

    @action(detail=True, methods=["post"], permission_classes=[ModelChangePermission])
    def verify(self, request: Request, pk: str) -> Response:
        """Record that the entry was checked and is still correct."""
        entry = self._entry(pk)
        services.entry_verify(entry=entry, actor=request.user)
        return self._respond(entry)


def _write_schema(viewset: type[EntryViewSet]) -> type[EntryViewSet]:
    """Document the input and output serializers of create, partial update and verify (per subclass)."""
    return extend_schema_view(
        create=extend_schema(request=viewset.create_input, responses={201: viewset.output}),
        partial_update=extend_schema(request=viewset.update_input, responses={200: viewset.output}),
        verify=extend_schema(request=None, responses={200: viewset.output}),
    )(viewset)


@_write_schema
class DepartmentProfileViewSet(EntryViewSet):
    """Department profiles (诊治范围, 特色技术, 设备, 位置) of the caller's hospital."""

    queryset = DepartmentProfile.objects.none()
    selector = staticmethod(selectors.department_profile_list)
    output = s.DepartmentProfileOutputSerializer
    create_input = s.DepartmentProfileInputSerializer
    update_input = s.DepartmentProfileUpdateSerializer
    filterset_fields = ["non_surgical_option"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        if entry is None:
            department = _department(request, values.pop("department"))
            if department is None:
                raise ValidationError({"department": ["A department is required."]})
            if DepartmentProfile.objects.filter(department=department).exists():
                raise ValidationError({"department": ["This department already has a profile; update it."]})
        else:
            department = entry.department
        return services.department_profile_save(
            department=department, actor=request.user, values=values, mark_verified=verified
        )


@_write_schema
class ServiceViewSet(EntryViewSet):
    """Services, examinations and treatments; ``offered_here`` false marks one the hospital refers out."""

    queryset = Service.objects.none()
    selector = staticmethod(selectors.service_list)
    output = s.ServiceOutputSerializer
    create_input = s.ServiceInputSerializer
    update_input = s.ServiceUpdateSerializer
    filterset_fields = ["offered_here", "approach", "department"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        if "department" in values:
            values["department"] = _department(request, values["department"])
        if entry is None:
            return services.service_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                mark_verified=verified,
            )
        return services.service_update(
            service=entry, actor=request.user, values=values, mark_verified=verified
        )


@_write_schema
class DoctorViewSet(EntryViewSet):
    """Doctors with their weekly clinic sessions (出诊表)."""

    queryset = Doctor.objects.none()
    selector = staticmethod(selectors.doctor_list)
    output = s.DoctorOutputSerializer
    create_input = s.DoctorInputSerializer
    update_input = s.DoctorUpdateSerializer
    filterset_fields = ["department", "is_active"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        sessions_data = values.pop("sessions", None)
        sessions = (
            [services.SessionInput(**item) for item in sessions_data] if sessions_data is not None else None
        )
        if "department" in values:
            values["department"] = _department(request, values["department"])
        if "staff" in values:
            values["staff"] = _staff(request, values["staff"])
        if entry is None:
            return services.doctor_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                sessions=sessions or (),
                mark_verified=verified,
            )
        return services.doctor_update(
            doctor=entry, actor=request.user, values=values, sessions=sessions, mark_verified=verified
        )


@_write_schema
class ExternalHospitalViewSet(EntryViewSet):
    """Other hospitals to refer patients to, with what they offer, where they are and how well known."""

    queryset = ExternalHospital.objects.none()
    selector = staticmethod(selectors.external_hospital_list)
    output = s.ExternalHospitalOutputSerializer
    create_input = s.ExternalHospitalInputSerializer
    update_input = s.ExternalHospitalUpdateSerializer
    filterset_fields = ["level", "is_active", "region"]
    ordering_fields = ["name", "reputation"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        if entry is None:
            return services.external_hospital_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                mark_verified=verified,
            )
        return services.external_hospital_update(
            external=entry, actor=request.user, values=values, mark_verified=verified
        )


@_write_schema
class FaqViewSet(EntryViewSet):
    """Frequently asked questions (常见问题) and the desk's answers."""

    queryset = Faq.objects.none()
    selector = staticmethod(selectors.faq_list)
    output = s.FaqOutputSerializer
    create_input = s.FaqInputSerializer
    update_input = s.FaqUpdateSerializer
    filterset_fields = ["category", "is_active"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        if entry is None:
            return services.faq_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                mark_verified=verified,
            )
        return services.faq_update(faq=entry, actor=request.user, values=values, mark_verified=verified)


# --- search ---------------------------------------------------------------------------------------


def _hit(hit: selectors.SearchHit) -> dict[str, Any]:
    entry = hit.entry
    if hit.kind == EntryKind.DEPARTMENT:
        title, subtitle = entry.department.name, entry.place
        url = reverse("knowledge:department", args=[entry.department_id])
    elif hit.kind == EntryKind.DOCTOR:
        title, subtitle = entry.name, f"{entry.title} · {entry.department.name}"
        url = reverse("knowledge:doctor", args=[entry.pk])
    elif hit.kind == EntryKind.SERVICE:
        title, subtitle = entry.name, entry.department.name if entry.department else ""
        url = reverse("knowledge:service", args=[entry.pk])
    elif hit.kind == EntryKind.EXTERNAL:
        title, subtitle = entry.name, entry.get_level_display()
        url = reverse("knowledge:external", args=[entry.pk])
    else:
        title, subtitle = entry.question, entry.get_category_display()
        url = reverse("knowledge:faq_list") + f"#faq-{entry.pk}"
    return {
        "kind": hit.kind,
        "id": entry.pk,
        "title": title,
        "subtitle": str(subtitle),
        "score": round(hit.score, 3),
        "badges": hit.badges,
        "last_verified_at": entry.last_verified_at,
        "is_stale": entry.is_stale,
        "url": url,
    }


def _option(option: selectors.ReferralOption) -> dict[str, Any]:
    external = option.hospital
    return {
        "id": external.pk,
        "name": external.name,
        "level": external.level,
        "level_display": external.get_level_display(),
        "address": external.address,
        "phone": external.phone,
        "reputation": external.reputation,
        "distance_km": round(option.distance_km, 2) if option.distance_km is not None else None,
        "proximity": option.proximity.name.lower(),
    }


class KnowledgeSearchView(APIView):
    """Ranked search of the living dictionary, in Chinese (segmentation, synonyms, pinyin initials).

    ``results`` are ordered by score across kinds. When the best-matching service is not offered here,
    ``referral`` lists the external hospitals that offer it, nearest first and best-known first.
    """

    @extend_schema(parameters=[s.SearchQuerySerializer], responses={200: s.SearchResponseSerializer})
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("knowledge.view_departmentprofile"):
            raise PermissionDenied("You may not read the knowledge base.")
        params = s.SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        origin = None
        if "lat" in data:
            origin = Origin(data["lat"], data["lng"], data.get("region"), "")
        elif data.get("region"):
            origin = Origin(region_code=data["region"], label=data["region"])
        results = selectors.knowledge_search(
            user=request.user, query=data["q"], origin=origin, limit=data["limit"]
        )
        hits = sorted((hit for hits in results.groups.values() for hit in hits), key=lambda h: -h.score)
        referral = results.referral
        body = {
            "query": results.query,
            "terms": [{"token": t.token, "factor": t.factor, "source": t.source} for t in results.terms],
            "results": [_hit(hit) for hit in hits],
            "referral": None
            if referral is None
            else {
                "service": referral.service,
                "origin": {
                    "label": referral.origin.label,
                    "latitude": referral.origin.latitude,
                    "longitude": referral.origin.longitude,
                    "region_code": referral.origin.region_code,
                },
                "nearest": [_option(o) for o in referral.nearest],
                "best_known": [_option(o) for o in referral.best_known],
            },
        }
        return Response(s.SearchResponseSerializer(body).data)
