"""Model permissions for the API, read permissions included (DRF's DjangoModelPermissions skips GET).

The model whose permissions apply is the declared ``queryset``'s (every viewset declares
``queryset = Model.objects.none()``): DRF would call ``get_queryset()`` — the caller's scoped queryset,
built a second time for every request — only to learn the model. A test holds each viewset's declared
model equal to the one its ``get_queryset()`` returns (``core/tests/api/test_permissions.py``).
"""

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

    def _queryset(self, view: Any) -> Any:
        declared = getattr(view, "queryset", None)
        return declared if declared is not None else super()._queryset(view)


class ModelViewPermission(ModelPermissions):
    """Only the model's view permission, whatever the method: for actions whose service checks the rest."""

    perms_map = {method: ["%(app_label)s.view_%(model_name)s"] for method in ModelPermissions.perms_map}
