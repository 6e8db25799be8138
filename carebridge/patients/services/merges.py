"""Merging duplicate patient records, and undoing a merge: what moved is stored so it can be put back."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.patients.choices import AccessAction
from carebridge.patients.models import Encounter, Patient, PatientMerge, PatientPhone
from carebridge.patients.services.access import patient_access_record, patient_in_scope
from carebridge.patients.services.departments import patient_departments_sync

# Fields the survivor takes from the duplicate when its own are empty.
_FILLABLE = ("national_id", "birth_date", "region_id", "address")


def _check_mergeable(survivor: Patient, duplicate: Patient) -> None:
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged into itself."))
    if survivor.hospital_id != duplicate.hospital_id:
        raise ValidationError(_("Records of different hospitals cannot be merged."))
    if survivor.is_merged or duplicate.is_merged:
        raise ValidationError(_("One of these records has already been merged."))
    if survivor.national_id and duplicate.national_id and survivor.national_id != duplicate.national_id:
        raise ValidationError(_("The two records carry different national IDs: they are different people."))


@transaction.atomic
def patient_merge(
    *,
    survivor: Patient,
    duplicate: Patient,
    actor: Any,  # a logged-in User: it becomes ``merged_by``
    reason: str,
) -> PatientMerge:
    """Move the duplicate's encounters, phones, tags and related customers onto the survivor, and retire it.

    Everything that moves is recorded in the merge row, so :func:`patient_unmerge` can put it back.
    """
    if not actor.has_perm("patients.merge_patient"):
        raise PermissionDenied(_("You are not allowed to merge patient records."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why these records are the same person.")]})
    if not (patient_in_scope(survivor, actor) and patient_in_scope(duplicate, actor)):
        raise PermissionDenied(_("This patient is outside your data scope."))
    locked = {p.pk: p for p in Patient.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])}
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    _check_mergeable(survivor, duplicate)

    encounter_ids = list(duplicate.encounters.values_list("id", flat=True))
    duplicate.encounters.update(patient=survivor)
    survivor_numbers = set(survivor.phones.values_list("number", flat=True))
    moving_phones = duplicate.phones.exclude(number__in=survivor_numbers)
    phone_ids = list(moving_phones.values_list("id", flat=True))
    primary_phone_ids = list(moving_phones.filter(is_primary=True).values_list("id", flat=True))
    PatientPhone.objects.filter(pk__in=phone_ids).update(patient=survivor, is_primary=False)
    added_tags = list(duplicate.tags.exclude(pk__in=survivor.tags.all()).values_list("id", flat=True))
    survivor.tags.add(*added_tags)
    customer_ids = list(duplicate.related_customers.values_list("id", flat=True))
    duplicate.related_customers.update(patient=survivor)
    filled: list[str] = []
    for field in _FILLABLE:
        if not getattr(survivor, field) and getattr(duplicate, field):
            filled.append(field)
            setattr(survivor, field, getattr(duplicate, field))
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    # After the saves: they write every column of the records they loaded, ``seen_anywhere`` included.
    patient_departments_sync(patient_ids=[survivor.pk, duplicate.pk])
    merge = PatientMerge.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        merged_by=actor,
        reason=reason.strip(),
        moved={
            "encounters": encounter_ids,
            "phones": phone_ids,
            "primary_phones": primary_phone_ids,
            "tags": added_tags,
            "customers": customer_ids,
            "filled_fields": filled,
        },
    )
    for record, summary in (
        (survivor, _("Merged with %(mrn)s") % {"mrn": duplicate.mrn}),
        (duplicate, _("Merged into %(mrn)s") % {"mrn": survivor.mrn}),
    ):
        audit_record(
            actor=actor,
            action="patient.merge",
            obj=record,
            summary=summary,
            changes={"merge": merge.pk, "reason": reason.strip()},
        )
        patient_access_record(patient=record, user=actor, action=AccessAction.MERGE, reason=reason)
    return merge


@transaction.atomic
def patient_unmerge(
    *,
    merge: PatientMerge,
    actor: Any,  # a logged-in User: it becomes ``unmerged_by``
    reason: str,
) -> Patient:
    """Undo a merge: the duplicate gets back what it brought; returns the restored record."""
    if not actor.has_perm("patients.merge_patient"):
        raise PermissionDenied(_("You are not allowed to merge patient records."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the merge was wrong.")]})
    merge = PatientMerge.objects.select_for_update().get(pk=merge.pk)
    if not patient_in_scope(merge.survivor, actor):
        raise PermissionDenied(_("This patient is outside your data scope."))
    if merge.unmerged_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    survivor = Patient.objects.select_for_update().get(pk=merge.survivor_id)
    duplicate = Patient.objects.select_for_update().get(pk=merge.duplicate_id)
    moved = merge.moved
    Encounter.objects.filter(pk__in=moved.get("encounters", []), patient=survivor).update(patient=duplicate)
    PatientPhone.objects.filter(pk__in=moved.get("phones", []), patient=survivor).update(patient=duplicate)
    # The survivor's primary number stayed primary, so the duplicate's own lost the flag when it moved.
    PatientPhone.objects.filter(pk__in=moved.get("primary_phones", []), patient=duplicate).update(
        is_primary=True
    )
    survivor.tags.remove(*moved.get("tags", []))
    survivor.related_customers.filter(pk__in=moved.get("customers", [])).update(patient=duplicate)
    for field in moved.get("filled_fields", []):  # they were empty on the survivor before the merge
        setattr(survivor, field, "" if field in {"national_id", "address"} else None)
    survivor.save()
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    # After the saves: they write every column of the records they loaded, ``seen_anywhere`` included.
    patient_departments_sync(patient_ids=[survivor.pk, duplicate.pk])
    merge.unmerged_by, merge.unmerged_at, merge.unmerge_reason = actor, timezone.now(), reason.strip()
    merge.save(update_fields=["unmerged_by", "unmerged_at", "unmerge_reason"])
    for record in (survivor, duplicate):
        audit_record(
            actor=actor,
            action="patient.unmerge",
            obj=record,
            summary=_("Merge undone"),
            changes={"merge": merge.pk, "reason": reason.strip()},
        )
        patient_access_record(patient=record, user=actor, action=AccessAction.MERGE, reason=reason)
    return duplicate
