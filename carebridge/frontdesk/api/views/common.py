"""What the front desk's API views share: the permission of each action, and the lookups of the
records an input names (in the caller's scope; an unknown one is a 400 on its field)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from carebridge.core.models import Hospital
from carebridge.core.selectors.organisation import department_list, staff_list


class ActionPermissions(BasePermission):
    """The permission each action needs, from the view's ``action_permissions`` (``"*"``: the default)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        table = view.action_permissions
        needed = table.get(getattr(view, "action", None) or "", table["*"])
        return bool(request.user.has_perm(needed))


def patient_for(request: Request, pk: int | None) -> Any:
    if not pk:
        return None
    from carebridge.patients.selectors.patients import patient_list

    patient = patient_list(user=request.user).filter(pk=pk).first()
    if patient is None:
        raise ValidationError({"patient": ["No such patient in your scope."]})
    return patient


def department_for(request: Request, hospital: Hospital, code: str, field: str) -> Any:
    if not code:
        return None
    department = department_list(user=request.user).filter(hospital=hospital, code=code).first()
    if department is None:
        raise ValidationError({field: ["Unknown department code."]})
    return department


def staff_for(request: Request, hospital_id: int, pk: int | None, field: str) -> Any:
    if not pk:
        return None
    member = staff_list(user=request.user).filter(hospital_id=hospital_id, pk=pk).first()
    if member is None:
        raise ValidationError({field: ["Unknown staff id."]})
    return member
