"""Catalogue API: ``items/`` (``?search=`` by code, LOINC or name), ``packages/``, ``groups/``."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from carebridge.checkup.api.serializers.catalogue import CheckupItemSerializer, CheckupPackageSerializer
from carebridge.checkup.api.serializers.visits import CheckupGroupSerializer
from carebridge.checkup.models import EmployerGroup, Item, Package
from carebridge.checkup.selectors.catalogue import item_list, package_list
from carebridge.checkup.selectors.customers import group_list
from carebridge.core.api.permissions import ModelPermissions


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]
    lookup_value_regex = r"\d+"


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("search", str, description="Local code, LOINC, abbreviation or name")]
    )
)
class ItemViewSet(_ReadOnly):
    """Checkup items with their reference ranges and coded findings."""

    serializer_class = CheckupItemSerializer
    queryset = Item.objects.none()

    def get_queryset(self) -> QuerySet[Item]:
        search = self.request.query_params.get("search", "") if self.action == "list" else ""
        return item_list(user=self.request.user, search=search).prefetch_related("ranges", "coded_values")


class PackageViewSet(_ReadOnly):
    """Packages (standard, 1+X add-ons, personalised) with their items' codes and prices."""

    serializer_class = CheckupPackageSerializer
    queryset = Package.objects.none()

    def get_queryset(self) -> QuerySet[Package]:
        return package_list(user=self.request.user)


class GroupViewSet(_ReadOnly):
    """Employer groups and other channels (insurers, schools, township hospitals)."""

    serializer_class = CheckupGroupSerializer
    queryset = EmployerGroup.objects.none()

    def get_queryset(self) -> QuerySet[EmployerGroup]:
        return group_list(user=self.request.user)
