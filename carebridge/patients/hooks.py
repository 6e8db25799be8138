"""Registrations of the registry, imported by ``PatientsConfig.ready()``: its timeline entries (encounters
in the user's scope and changes to the record)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from carebridge.core.models import AuditEvent
from carebridge.core.selectors.organisation import person_name
from carebridge.core.timeline import TimelineEntry, register
from carebridge.core.types import Actor
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.selectors.encounters import encounter_list_for_patient
from carebridge.patients.services.departments import patient_department_add, patient_departments_sync


@register
def registry_entries(patient: Patient, user: Actor) -> Iterator[TimelineEntry]:
    for encounter in encounter_list_for_patient(patient=patient, user=user):
        diagnoses = "；".join(f"{d.code} {d.name}" for d in encounter.diagnoses.all())
        title = f"{encounter.get_kind_display()} · {encounter.department.name}"
        if encounter.ward is not None:
            title += f" · {encounter.ward.name}"
        yield TimelineEntry(
            at=encounter.started_at, kind="encounter", title=title, detail=diagnoses, icon="hospital"
        )
        if encounter.ended_at is not None and encounter.kind == "inpatient":
            yield TimelineEntry(
                at=encounter.ended_at,
                kind="discharge",
                title=_("Discharged from %(department)s") % {"department": encounter.department.name},
                icon="box-arrow-right",
            )
    events = AuditEvent.objects.filter(
        object_type="patients.patient", object_id=str(patient.pk)
    ).select_related("actor__staff")[:50]
    for event in events:
        who = person_name(event.actor) if event.actor else _("system")
        yield TimelineEntry(
            at=event.at,
            kind="record",
            title=event.summary or event.action,
            detail=f"{who} · {_changed_fields(event)}" if event.action == "patient.update" else who,
            icon="pencil-square",
        )


def _changed_fields(event: AuditEvent) -> str:
    """The labels of the fields a change touched, with old → new (identifiers were stored masked)."""
    labels = {
        field.name: str(field.verbose_name)
        for field in Patient._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    labels |= {"region_id": str(Patient._meta.get_field("region").verbose_name), "phones": _("phone numbers")}
    parts = []
    for field, change in event.changes.items():
        old, new = change if isinstance(change, list) and len(change) == 2 else (None, change)
        parts.append(f"{labels.get(field, field)}: {_show(old)} → {_show(new)}")
    return "；".join(parts)


def _show(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@receiver(post_save, sender=Encounter, dispatch_uid="patients.encounter_saved")
def encounter_saved(
    sender: Any, instance: Encounter, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """Every encounter saved (``encounter_create``, the admin, fixtures of tests) keeps the patient–department
    link: a new one adds its department, a changed one re-derives the patient's links (it may have moved
    to another department or patient). Bulk writers call ``services.departments`` themselves."""
    if raw:
        return
    if created:
        patient_department_add(patient=instance.patient, department_id=instance.department_id)
    else:
        patient_departments_sync(patient_ids=[instance.patient_id])


@receiver(post_delete, sender=Encounter, dispatch_uid="patients.encounter_deleted")
def encounter_deleted(sender: Any, instance: Encounter, **kwargs: Any) -> None:
    patient_departments_sync(patient_ids=[instance.patient_id])
