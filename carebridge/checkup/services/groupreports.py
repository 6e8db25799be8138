"""The expert advice of a group report (专家建议, 篇7 2.2.2): the chief examiner writes it for a unit's year
— every save is a new version, so what was said and changed stays readable — and releases the latest
once; after release it is frozen (a correction would be a new year's report, not a silent edit)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.models import EmployerGroup, GroupReportAdvice
from carebridge.checkup.services.base import moment, require_centre, require_permission, user_of
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor

MAX_ADVICE = 8000


def _locked(group: EmployerGroup, year: int) -> GroupReportAdvice | None:
    return (
        GroupReportAdvice.objects.select_for_update()
        .filter(group=group, year=year)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def group_advice_save(
    *, group: EmployerGroup, year: int, text: str, actor: Actor, at: dt.datetime | None = None
) -> GroupReportAdvice:
    """A new version of the unit's advice for ``year``; refused once the advice is released."""
    require_permission(
        actor, "checkup.add_groupreportadvice", _("You are not allowed to write group advice.")
    )
    require_centre(actor, group.department)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the advice first.")]})
    if len(text) > MAX_ADVICE:
        raise ValidationError({"text": [_("The advice is too long.")]})
    latest = _locked(group, year)
    if latest is not None and latest.released_at is not None:
        raise ValidationError({"text": [_("This year's advice has been released and can no longer change.")]})
    advice = GroupReportAdvice.objects.create(
        group=group,
        year=year,
        version=(latest.version + 1) if latest else 1,
        text=text,
        written_by=user_of(actor),
        written_at=moment(at),
    )
    audit_record(
        actor=actor,
        action="checkup.group_advice.save",
        obj=advice,
        summary=f"{group.name} {year} v{advice.version}",
    )
    return advice


@transaction.atomic
def group_advice_release(
    *, group: EmployerGroup, year: int, actor: Actor, at: dt.datetime | None = None
) -> GroupReportAdvice:
    """Release the latest version (once)."""
    require_permission(
        actor, "checkup.release_groupreportadvice", _("You are not allowed to release group advice.")
    )
    require_centre(actor, group.department)
    latest = _locked(group, year)
    if latest is None:
        raise ValidationError({"text": [_("There is no advice to release.")]})
    if latest.released_at is not None:
        raise ValidationError({"text": [_("This year's advice has already been released.")]})
    latest.released_at, latest.released_by = moment(at), user_of(actor)
    latest.save(update_fields=["released_at", "released_by"])
    audit_record(
        actor=actor,
        action="checkup.group_advice.release",
        obj=latest,
        summary=f"{group.name} {year} v{latest.version}",
    )
    return latest
