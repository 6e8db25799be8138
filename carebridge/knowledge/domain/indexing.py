"""What finds an entry of the living dictionary, and with what weight (it writes nothing).

Each entry is a document of fields weighted title > synonyms > keywords > body; :func:`document` turns
it into ``token -> weight``, which :mod:`carebridge.knowledge.services.indexing` writes as
:class:`~carebridge.knowledge.models.SearchToken` rows."""

from __future__ import annotations

from typing import Any

from carebridge.knowledge.choices import EntryKind, FaqCategory, TreatmentApproach
from carebridge.knowledge.domain import text
from carebridge.knowledge.models import DepartmentProfile, Doctor, ExternalHospital, Faq, Service

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


def is_listed(entry: Entry) -> bool:
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
