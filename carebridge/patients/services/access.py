"""The patient access log and the reveal of identifiers.

Identifiers never leave a service unmasked except through :func:`patient_reveal`, which checks the
permission, requires a reason and logs the access."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.patients.choices import AccessAction, AccessChannel, RevealField
from carebridge.patients.models import Patient, PatientAccessLog
from carebridge.patients.selectors.patients import patient_list


def patient_access_record(
    *,
    patient: Patient,
    user: Any,  # the row's user: a logged-in User (``Actor`` would admit the anonymous user)
    action: str = AccessAction.VIEW,
    channel: str = AccessChannel.WEB,
    ip_address: str | None = None,
    reason: str = "",
    fields: str = "",
) -> PatientAccessLog:
    """Log one access to a patient record (PIPL). Views call it for every record they show."""
    return PatientAccessLog.objects.create(
        user=user,
        patient=patient,
        action=action,
        channel=channel,
        ip_address=ip_address,
        reason=reason[:255],
        fields=fields,
    )


@dataclass(frozen=True)
class RevealedIdentifiers:
    national_id: str | None
    phones: list[str] | None


@transaction.atomic
def patient_reveal(
    *,
    patient: Patient,
    actor: Actor,
    reason: str,
    fields: Iterable[str] = (RevealField.NATIONAL_ID,),
    channel: str = AccessChannel.WEB,
    ip_address: str | None = None,
) -> RevealedIdentifiers:
    """Show a patient's full identifiers once: needs the permission and a reason, and is logged."""
    if not actor.has_perm("patients.reveal_identifiers"):
        raise PermissionDenied(_("You are not allowed to reveal national IDs or phone numbers."))
    scope = scope_for(actor)
    if not scope.is_unrestricted and not patient_in_scope(patient, actor):
        raise PermissionDenied(_("This patient is outside your data scope."))
    reason = reason.strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("Say why you need to see the full identifiers.")]})
    wanted = sorted(set(fields))
    unknown = [f for f in wanted if f not in RevealField.values]
    if unknown or not wanted:
        raise ValidationError({"fields": [_("Choose the national ID and/or the phone numbers.")]})
    patient_access_record(
        patient=patient,
        user=actor,
        action=AccessAction.REVEAL,
        channel=channel,
        ip_address=ip_address,
        reason=reason,
        fields=",".join(wanted),
    )
    return RevealedIdentifiers(
        national_id=patient.national_id if RevealField.NATIONAL_ID in wanted else None,
        phones=[p.number for p in patient.phones.all()] if RevealField.PHONES in wanted else None,
    )


def patient_in_scope(patient: Patient, user: Actor) -> bool:
    """Whether ``user`` may see ``patient`` (the services' check before a reveal or a merge)."""
    return patient_list(user=user).filter(pk=patient.pk).exists()
