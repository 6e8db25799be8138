"""Model permissions for the API, read permissions included (DRF's DjangoModelPermissions skips GET)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated) and super().has_permission(request, view)


class ModelViewPermission(ModelPermissions):
    """Only the model's view permission, whatever the method: for actions whose service checks the rest."""

    perms_map = {method: ["%(app_label)s.view_%(model_name)s"] for method in ModelPermissions.perms_map}
