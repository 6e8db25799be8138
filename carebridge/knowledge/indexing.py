"""The search index of the living dictionary: which tokens find an entry, and with what weight.

Each entry is a document of fields weighted title > synonyms > keywords > body; :func:`index_entry`
replaces the entry's rows of :class:`~carebridge.knowledge.models.SearchToken`. The services call it in
their transaction whenever they create or change an entry (and re-index the department when one of its
services changes, because a department is found by the names of its services too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from carebridge.core.models import Hospital
from carebridge.knowledge import text
from carebridge.knowledge.choices import EntryKind, FaqCategory, TreatmentApproach
from carebridge.knowledge.models import DepartmentProfile, Doctor, ExternalHospital, Faq, SearchToken, Service

TITLE = 10.0
ALIAS = 6.0
KEYWORD = 3.0
BODY = 1.0
NON_SURGICAL_WORD = "保守治疗"

Entry = DepartmentProfile | Service | Doctor | ExternalHospital | Faq
MODELS: dict[str, Any] = {
    EntryKind.DEPARTMENT: DepartmentProfile,
    EntryKind.SERVICE: Service,
    EntryKind.DOCTOR: Doctor,
    EntryKind.EXTERNAL: ExternalHospital,
    EntryKind.FAQ: Faq,
}


def _department_fields(profile: DepartmentProfile) -> tuple[list[tuple[str, float]], str]:
    department = profile.department
    services = Service.objects.filter(department=department, offered_here=True).values_list(
        "name", "synonyms"
    )
    fields = [
        (department.name, TITLE),
        (department.name_en, ALIAS),
        (profile.treatment_scope, KEYWORD),
        (profile.special_techniques, KEYWORD),
        *((f"{name} {synonyms}", KEYWORD) for name, synonyms in services),
        (profile.introduction, BODY),
        (profile.equipment, BODY),
        (profile.place, BODY),
    ]
    return fields, department.name


def _service_fields(service: Service) -> tuple[list[tuple[str, float]], str]:
    department = service.department.name if service.department else ""
    fields = [
        (service.name, TITLE),
        (service.synonyms, ALIAS),
        (service.description, BODY),
        (service.note, BODY),
        (department, BODY),
    ]
    return fields, service.name


def _doctor_fields(doctor: Doctor) -> tuple[list[tuple[str, float]], str]:
    fields = [
        (doctor.name, TITLE),
        (doctor.specialties, KEYWORD),
        (doctor.title, BODY),
        (doctor.department.name, BODY),
        (doctor.introduction, BODY),
    ]
    return fields, doctor.name


def _external_fields(external: ExternalHospital) -> tuple[list[tuple[str, float]], str]:
    fields = [
        (external.name, TITLE),
        (external.services_offered, ALIAS),
        (external.specialties, KEYWORD),
        (external.get_level_display(), BODY),
        (external.address, BODY),
        (external.note, BODY),
    ]
    return fields, external.name


def _faq_fields(faq: Faq) -> tuple[list[tuple[str, float]], str]:
    fields = [
        (faq.question, TITLE),
        (faq.keywords, ALIAS),
        (faq.answer, BODY),
        (str(FaqCategory(faq.category).label), BODY),
    ]
    return fields, ""


def _is_non_surgical(entry: Entry) -> bool:
    if isinstance(entry, DepartmentProfile):
        return entry.non_surgical_option
    return isinstance(entry, Service) and entry.approach == TreatmentApproach.NON_SURGICAL


def _is_listed(entry: Entry) -> bool:
    if isinstance(entry, DepartmentProfile):
        return entry.department.is_active
    return bool(getattr(entry, "is_active", True))


def document(entry: Entry) -> dict[str, float]:
    """Token -> weight of an entry, pinyin of its name included."""
    builders: dict[type, Any] = {
        DepartmentProfile: _department_fields,
        Service: _service_fields,
        Doctor: _doctor_fields,
        ExternalHospital: _external_fields,
        Faq: _faq_fields,
    }
    fields, name = builders[type(entry)](entry)
    if _is_non_surgical(entry):
        # Found by "保守治疗" and its synonyms (不想手术 …) even when its text does not say so.
        fields.append((NON_SURGICAL_WORD, ALIAS))
    weights = text.weigh_fields(fields)
    for token in text.pinyin_tokens(name):
        weights[token] = weights.get(token, 0.0) + TITLE
    return weights


@transaction.atomic
def index_entry(entry: Entry) -> int:
    """Replace the entry's index rows; an inactive entry is removed from the index. Returns the row count."""
    SearchToken.objects.filter(kind=entry.kind, object_id=entry.pk).delete()
    if not _is_listed(entry):
        return 0
    rows = [
        SearchToken(
            hospital_id=entry.hospital_id,
            kind=entry.kind,
            object_id=entry.pk,
            token=token,
            weight=round(weight, 3),
        )
        for token, weight in document(entry).items()
    ]
    SearchToken.objects.bulk_create(rows)
    return len(rows)


def index_department(department_id: int | None) -> None:
    """A department is found by the names of its services: re-index it after one of them changes."""
    if department_id is None:
        return
    profile = (
        DepartmentProfile.objects.select_related("department").filter(department_id=department_id).first()
    )
    if profile is not None:
        index_entry(profile)


def unindex_entry(entry: Entry) -> None:
    SearchToken.objects.filter(kind=entry.kind, object_id=entry.pk).delete()


def _entries(hospital: Hospital | None) -> Iterable[Entry]:
    for model in MODELS.values():
        queryset = model.objects.all()
        if hospital is not None:
            queryset = queryset.filter(hospital=hospital)
        if model in (DepartmentProfile, Service, Doctor):
            queryset = queryset.select_related("department")
        yield from queryset.iterator(chunk_size=500)


@transaction.atomic
def reindex(*, hospital: Hospital | None = None) -> int:
    """Rebuild the index (after a lexicon change); returns the number of rows written."""
    stale = SearchToken.objects.all() if hospital is None else SearchToken.objects.filter(hospital=hospital)
    stale.delete()
    return sum(index_entry(entry) for entry in _entries(hospital))
