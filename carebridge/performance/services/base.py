"""What every service of the app needs: permission and scope checks, and the file check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.complaints.domain.attachments import check_attachment
from carebridge.core.models import Department
from carebridge.core.scope import scope_for
from carebridge.core.validators import require_aware

PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


def moment(at: dt.datetime | None, field: str = "at") -> dt.datetime:
    return timezone.now() if at is None else require_aware(at, field=field)


def require_permission(actor: Any, permission: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(permission):
        raise PermissionDenied(_("You are not allowed to do this."))


def require_department(actor: Any, department: Department) -> None:
    """Refuse an actor whose data scope does not hold ``department``."""
    if not scope_for(actor).allows_department(department.pk, department.hospital_id):
        raise PermissionDenied(_("This department is not in your scope."))


def require_hospital(actor: Any, hospital_id: int) -> None:
    scope = scope_for(actor)
    if scope.is_empty or (scope.hospital_ids is not None and hospital_id not in scope.hospital_ids):
        raise PermissionDenied(_("This belongs to another hospital."))


def check_files(uploads: Sequence[Any], *, field: str, photos_only: bool = False) -> list[str]:
    """The content type of each upload, checked as complaint attachments are (type, size, content);
    any problem raises one ``ValidationError`` on ``field`` listing every bad file, nothing stored."""
    problems: list[str] = []
    types: list[str] = []
    for upload in uploads:
        try:
            content_type = check_attachment(upload)
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        if photos_only and content_type not in PHOTO_TYPES:
            problems.append(_("%(name)s: only photos (jpg, png) are accepted here.") % {"name": upload.name})
            continue
        types.append(content_type)
    if problems:
        raise ValidationError({field: problems})
    return types
