"""Configuring the interfaces: the system account a sending system files as, the senders allowed to
send (by sending facility, MSH-4), and code mappings (a sender's code → a catalogue item)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from carebridge.checkup.models import Item
from carebridge.core.choices import StaffKind
from carebridge.core.models import Hospital, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.interop.models import CodeMapping, Sender

# What an interface account may do (its "interop role"): file patients, stays and results for the whole
# hospital, submit messages and read back what it filed through FHIR. It never logs in to the UI.
SYSTEM_PERMISSIONS = (
    "core.hospital_wide_scope",
    "patients.view_patient",
    "patients.add_patient",
    "patients.change_patient",
    "patients.merge_patient",
    "patients.view_encounter",
    "patients.add_encounter",
    "patients.change_encounter",
    "checkup.view_visit",
    "checkup.view_result",
    "checkup.add_result",
    "interop.submit_messages",
)


@transaction.atomic
def system_account_create(*, hospital: Hospital, username: str, actor: Actor | None = None) -> Any:
    """A system account for an interface (no password; a token for FHIR), with the interop permissions."""
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("This user name is taken.")]})
    user = users.objects.create_user(username=username, password=None)
    Staff.objects.create(hospital=hospital, user=user, name=username, kind=StaffKind.SYSTEM)
    for dotted in SYSTEM_PERMISSIONS:
        app_label, codename = dotted.split(".", 1)
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    Token.objects.create(user=user)
    audit_record(actor=actor, action="interop.account.create", obj=user, summary=username)
    return users.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


@transaction.atomic
def sender_register(
    *, hospital: Hospital, facility: str, name: str, account: Any, mrn_system: str, actor: Actor | None = None
) -> Sender:
    """Allow a sending facility (MSH-4) to send; its messages are filed as ``account``."""
    facility = facility.strip()
    if not facility:
        raise ValidationError({"facility": [_("Enter the sending facility.")]})
    if Sender.objects.filter(facility=facility).exists():
        raise ValidationError({"facility": [_("This sending facility is registered already.")]})
    sender = Sender.objects.create(
        hospital=hospital, facility=facility, name=name, account=account, mrn_system=mrn_system
    )
    audit_record(actor=actor, action="interop.sender.register", obj=sender, summary=facility)
    return sender


@transaction.atomic
def code_mapping_add(*, hospital: Hospital, system: str, code: str, item: Item, actor: Actor) -> CodeMapping:
    """Map a sender's code (in its coding system) to a catalogue item; failed messages can then replay."""
    if not actor.has_perm("interop.add_codemapping"):
        raise PermissionDenied(_("You are not allowed to add code mappings."))
    errors: dict[str, list[str]] = {}
    if not code.strip():
        errors["code"] = [_("Enter the code.")]
    if item.hospital_id != hospital.pk:
        errors["item"] = [_("The item belongs to another hospital.")]
    if CodeMapping.objects.filter(hospital=hospital, system=system.strip(), code=code.strip()).exists():
        errors["code"] = [_("This code is mapped already.")]
    if errors:
        raise ValidationError(errors)
    mapping = CodeMapping.objects.create(
        hospital=hospital, system=system.strip(), code=code.strip(), item=item, created_by=cast(Any, actor)
    )
    audit_record(
        actor=actor, action="interop.mapping.add", obj=mapping, summary=f"{system}|{code} → {item.code}"
    )
    return mapping
