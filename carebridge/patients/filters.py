"""One FilterSet for the patient list page, the API and the export (as NetBox does), and the filters of
the encounter API."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from carebridge.core.filters import BoundedIsoDateTimeFilter, IdFilter
from carebridge.core.scope import scope_for
from carebridge.lib.text import is_digits
from carebridge.patients.choices import EncounterKind, Sex
from carebridge.patients.domain import icd10
from carebridge.patients.models import Diagnosis, Encounter, Patient
from carebridge.patients.selectors.patients import department_choices, patient_search

CHAPTER_CHOICES = [(c.number, f"{c.roman} {c.first}–{c.last} {c.title_zh}") for c in icd10.CHAPTERS]


class PatientFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    department = IdFilter(method="filter_department", label=_("Department"))
    chapter = django_filters.ChoiceFilter(
        choices=CHAPTER_CHOICES,
        method="filter_chapter",
        label=_("ICD-10 chapter"),
        empty_label=_("All ICD-10 chapters"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    icd10 = django_filters.CharFilter(method="filter_icd10", label=_("ICD-10 code or category"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region code"))
    sex = django_filters.ChoiceFilter(
        choices=Sex.choices,
        label=_("Sex"),
        empty_label=_("Sex"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    tag = django_filters.CharFilter(field_name="tags__name", label=_("Tag"))
    encounter_kind = django_filters.ChoiceFilter(
        choices=EncounterKind.choices, method="filter_encounter_kind", label=_("Encounter kind")
    )
    survey_consent = django_filters.BooleanFilter(label=_("Consents to surveys"))
    contact_consent = django_filters.BooleanFilter(label=_("Consents to be contacted"))

    class Meta:
        model = Patient
        fields = [
            "q",
            "department",
            "chapter",
            "icd10",
            "region",
            "sex",
            "tag",
            "encounter_kind",
            "survey_consent",
            "contact_consent",
        ]

    @cached_property
    def department_options(self) -> list[tuple[int, str]]:
        """The department picker of the list page, read when the page renders it (the API never does)."""
        user = getattr(self.request, "user", None)
        if user is None:
            return []
        return list(department_choices(user=user).values_list("id", "name"))

    def _encounters(self) -> QuerySet[Encounter]:
        # Filters look only at encounters in the user's scope, so they cannot reveal other departments' data.
        return scope_for(self.request.user).filter(
            Encounter.objects.all(), hospital="hospital", department="department"
        )

    def filter_search(self, queryset: QuerySet[Patient], name: str, value: str) -> QuerySet[Patient]:
        return patient_search(queryset, value)

    def filter_department(self, queryset: QuerySet[Patient], name: str, value: int) -> QuerySet[Patient]:
        return queryset.filter(pk__in=self._encounters().filter(department_id=value).values("patient_id"))

    def filter_encounter_kind(self, queryset: QuerySet[Patient], name: str, value: str) -> QuerySet[Patient]:
        return queryset.filter(pk__in=self._encounters().filter(kind=value).values("patient_id"))

    def filter_chapter(self, queryset: QuerySet[Patient], name: str, value: str) -> QuerySet[Patient]:
        diagnoses = Diagnosis.objects.filter(chapter=int(value), encounter__in=self._encounters())
        return queryset.filter(pk__in=diagnoses.values("encounter__patient_id"))

    def filter_icd10(self, queryset: QuerySet[Patient], name: str, value: str) -> QuerySet[Patient]:
        code = "".join(value.split()).upper()  # a prefix such as "I2" is allowed, so no normalising
        diagnoses = Diagnosis.objects.filter(code__startswith=code, encounter__in=self._encounters())
        return queryset.filter(pk__in=diagnoses.values("encounter__patient_id"))

    def filter_region(self, queryset: QuerySet[Patient], name: str, value: str) -> QuerySet[Patient]:
        prefix = value.strip().rstrip("0") if is_digits(value.strip()) else ""
        if len(prefix) % 2:  # 3201 stays 3201, but 32010 would cut a county code in half
            prefix += "0"
        return queryset.filter(region__code__startswith=prefix) if prefix else queryset.none()


def search_box_only(data: Mapping[str, Any]) -> str | None:
    """The search box's text (stripped, ``""`` for none) when no other filter of
    :class:`PatientFilterSet` is given a value, so the registry's prepared look-up
    (:func:`~carebridge.patients.selectors.lookup.patient_lookup`) can read the page without building the
    FilterSet; ``None`` otherwise, and for a search text the FilterSet would refuse (then the FilterSet
    answers, with its errors). A blank filter counts as not given, as django-filter skips it; every
    filter reads its one key of the input (``test_lookup.py`` holds the list)."""
    filters = PatientFilterSet.base_filters
    if any(data.get(name) not in EMPTY_VALUES for name in filters if name != "q"):
        return None
    try:
        return filters["q"].field.clean(data.get("q")) or ""
    except ValidationError:
        return None


class EncounterFilterSet(django_filters.FilterSet):
    patient = IdFilter(field_name="patient_id")
    department = django_filters.CharFilter(field_name="department__code")
    kind = django_filters.ChoiceFilter(choices=EncounterKind.choices)
    started_after = BoundedIsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = BoundedIsoDateTimeFilter(field_name="started_at", lookup_expr="lt")
    icd10 = django_filters.CharFilter(field_name="diagnoses__code", lookup_expr="startswith", distinct=True)

    class Meta:
        model = Encounter
        fields = ["patient", "department", "kind", "critical", "surgery_grade"]
