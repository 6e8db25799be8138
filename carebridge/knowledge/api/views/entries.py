"""The living dictionary's entries through the API: scoped reads from the selectors, writes through the
services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.models import Department, Staff
from carebridge.core.selectors.organisation import department_list, staff_hospital, staff_list
from carebridge.knowledge.api.serializers.entries import (
    DepartmentProfileInputSerializer,
    DepartmentProfileOutputSerializer,
    DepartmentProfileUpdateSerializer,
    DoctorInputSerializer,
    DoctorOutputSerializer,
    DoctorUpdateSerializer,
    EntryInputSerializer,
    ExternalHospitalInputSerializer,
    ExternalHospitalOutputSerializer,
    ExternalHospitalUpdateSerializer,
    FaqInputSerializer,
    FaqOutputSerializer,
    FaqUpdateSerializer,
    ServiceInputSerializer,
    ServiceOutputSerializer,
    ServiceUpdateSerializer,
)
from carebridge.knowledge.models import DepartmentProfile, Doctor, ExternalHospital, Faq, Service
from carebridge.knowledge.selectors.entries import (
    department_profile_list,
    doctor_list,
    entry_get,
    external_hospital_list,
    faq_list,
    service_list,
)
from carebridge.knowledge.services.catalogue import service_create, service_update
from carebridge.knowledge.services.doctors import SessionInput, doctor_create, doctor_update
from carebridge.knowledge.services.entries import entry_verify
from carebridge.knowledge.services.faq import faq_create, faq_update
from carebridge.knowledge.services.profiles import department_profile_save
from carebridge.knowledge.services.referrals import external_hospital_create, external_hospital_update


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
    output: type[serializers.Serializer]
    create_input: type[EntryInputSerializer]
    update_input: type[EntryInputSerializer]

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).selector(user=self.request.user)

    def get_serializer_class(self) -> type:
        return self.output

    def _entry(self, pk: str) -> Any:
        return entry_get(self.get_queryset(), int(pk))

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
        entry_verify(entry=entry, actor=request.user)
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
    selector = staticmethod(department_profile_list)
    output = DepartmentProfileOutputSerializer
    create_input = DepartmentProfileInputSerializer
    update_input = DepartmentProfileUpdateSerializer
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
        return department_profile_save(
            department=department, actor=request.user, values=values, mark_verified=verified
        )


@_write_schema
class ServiceViewSet(EntryViewSet):
    """Services, examinations and treatments; ``offered_here`` false marks one the hospital refers out."""

    queryset = Service.objects.none()
    selector = staticmethod(service_list)
    output = ServiceOutputSerializer
    create_input = ServiceInputSerializer
    update_input = ServiceUpdateSerializer
    filterset_fields = ["offered_here", "approach", "department"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        if "department" in values:
            values["department"] = _department(request, values["department"])
        if entry is None:
            return service_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                mark_verified=verified,
            )
        return service_update(service=entry, actor=request.user, values=values, mark_verified=verified)


@_write_schema
class DoctorViewSet(EntryViewSet):
    """Doctors with their weekly clinic sessions (出诊表)."""

    queryset = Doctor.objects.none()
    selector = staticmethod(doctor_list)
    output = DoctorOutputSerializer
    create_input = DoctorInputSerializer
    update_input = DoctorUpdateSerializer
    filterset_fields = ["department", "is_active"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        sessions_data = values.pop("sessions", None)
        sessions = [SessionInput(**item) for item in sessions_data] if sessions_data is not None else None
        if "department" in values:
            values["department"] = _department(request, values["department"])
        if "staff" in values:
            values["staff"] = _staff(request, values["staff"])
        if entry is None:
            return doctor_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                sessions=sessions or (),
                mark_verified=verified,
            )
        return doctor_update(
            doctor=entry, actor=request.user, values=values, sessions=sessions, mark_verified=verified
        )


@_write_schema
class ExternalHospitalViewSet(EntryViewSet):
    """Other hospitals to refer patients to, with what they offer, where they are and how well known."""

    queryset = ExternalHospital.objects.none()
    selector = staticmethod(external_hospital_list)
    output = ExternalHospitalOutputSerializer
    create_input = ExternalHospitalInputSerializer
    update_input = ExternalHospitalUpdateSerializer
    filterset_fields = ["level", "is_active", "region"]
    ordering_fields = ["name", "reputation"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        if entry is None:
            return external_hospital_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                mark_verified=verified,
            )
        return external_hospital_update(
            external=entry, actor=request.user, values=values, mark_verified=verified
        )


@_write_schema
class FaqViewSet(EntryViewSet):
    """Frequently asked questions (常见问题) and the desk's answers."""

    queryset = Faq.objects.none()
    selector = staticmethod(faq_list)
    output = FaqOutputSerializer
    create_input = FaqInputSerializer
    update_input = FaqUpdateSerializer
    filterset_fields = ["category", "is_active"]

    def perform_write(
        self, request: Request, values: dict[str, Any], entry: Any | None, verified: bool
    ) -> Any:
        if entry is None:
            return faq_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=values,
                mark_verified=verified,
            )
        return faq_update(faq=entry, actor=request.user, values=values, mark_verified=verified)
