"""Reads of patient records, in the user's data scope: a patient is visible when they belong to a
hospital in the scope and, for users scoped to departments, have at least one encounter in one of those
departments (``Patient.scope_lookups``, applied by ``restrict()``). Out of scope answers 404, like absent.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from carebridge.core.models import Department
from carebridge.core.scope import restrict
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.core.types import Actor
from carebridge.core.validators import normalise_national_id, normalise_phone
from carebridge.patients.models import Patient, PatientPhone


def patient_list(*, user: Actor, include_merged: bool = False) -> QuerySet[Patient]:
    """Patients the user may see; records merged into another one only when asked for."""
    base = Patient.objects.all() if include_merged else Patient.objects.filter(merged_into__isnull=True)
    return restrict(base, user, "view")


def patient_list_for_display(*, user: Actor, include_merged: bool = False) -> QuerySet[Patient]:
    return (
        patient_list(user=user, include_merged=include_merged)
        .select_related("region__parent__parent", "hospital", "merged_into")
        .prefetch_related(Prefetch("phones", queryset=PatientPhone.objects.order_by("-is_primary", "id")))
    )


def patient_get(*, user: Actor, pk: int, include_merged: bool = False) -> Patient:
    """One patient in the user's scope, or 404 (out of scope looks the same as absent)."""
    queryset = patient_list_for_display(user=user, include_merged=include_merged)
    patient = queryset.prefetch_related("tags").filter(pk=pk).first()
    if patient is None:
        raise Http404("No such patient in your scope.")
    return patient


def department_choices(*, user: Actor) -> QuerySet[Department]:
    return departments_in_scope(user=user).order_by("code")


def patient_search(queryset: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    """The desk's one search box: what the query looks like decides what it matches.

    4 digits → the tail of a phone number (or an MRN); 11 digits → a full mobile number; 18 characters
    → a national ID; Latin letters → pinyin initials (``zw`` finds 张伟) or a Latin name; digits and
    letters → an MRN prefix; anything else → the start of the name (``张`` finds every 张).
    Every branch uses an index, so the search stays fast on a registry of millions.
    """
    query = query.strip()
    if not query:
        return queryset
    phone = normalise_phone(query)
    if phone.isdigit() and len(phone) in (4, 11):
        # Two index look-ups, then a primary-key filter: an OR of a semi-join and an equality would make
        # PostgreSQL scan the whole registry.
        phones = PatientPhone.objects.filter(**({"tail": phone} if len(phone) == 4 else {"number": phone}))
        ids = set(phones.values_list("patient_id", flat=True)) | set(
            queryset.filter(mrn=phone).values_list("pk", flat=True)
        )
        return queryset.filter(pk__in=ids)
    national_id = normalise_national_id(query)
    if len(national_id) == 18 and national_id[:17].isdigit():
        return queryset.filter(national_id=national_id)
    if query.isascii() and query.replace(" ", "").isalpha():
        lowered = query.replace(" ", "").lower()
        return queryset.filter(Q(name_initials__startswith=lowered) | Q(name__startswith=query))
    if query.isascii() and query.isalnum():
        # A whole MRN is the usual case and is unique: answer it from the index without a prefix scan.
        exact = queryset.filter(mrn__in={query, query.upper()})
        if exact.exists():
            return exact
        return queryset.filter(Q(mrn__startswith=query) | Q(mrn__startswith=query.upper()))
    return queryset.filter(name__startswith=query)


def patient_pick_label(patient: Patient) -> str:
    """A patient in a picker: name, sex, birth year and MRN (no national ID or phone in clear)."""
    year = f"{patient.birth_date:%Y}" if patient.birth_date else "—"
    return f"{patient.name} · {patient.get_sex_display()} · {year} · {patient.mrn}"
