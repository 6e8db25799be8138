"""Reads of the customer registry. Every read goes through the user's data scope.

A patient is visible to a user when the patient belongs to a hospital in the scope and, for users
scoped to departments, has at least one encounter in one of those departments. Encounters and
diagnoses are shown only for the departments in scope, so a record never leaks what another
department recorded.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Left, TruncMonth
from django.http import Http404
from django.utils import timezone

from carebridge.core.masking import mask_national_id
from carebridge.core.models import Department, Region
from carebridge.core.scope import scope_for
from carebridge.patients import icd10
from carebridge.patients.models import (
    DataQualityReport,
    Diagnosis,
    Encounter,
    Patient,
    PatientAccessLog,
    PatientMerge,
    PatientPhone,
)


def encounter_list(*, user: Any) -> QuerySet[Encounter]:
    """Encounters of the departments in the user's scope."""
    if not user.has_perm("patients.view_encounter"):
        return Encounter.objects.none()
    return scope_for(user).filter(Encounter.objects.all(), hospital="hospital", department="department")


def patient_list(*, user: Any, include_merged: bool = False) -> QuerySet[Patient]:
    """Patients the user may see; records merged into another one only when asked for."""
    if not user.has_perm("patients.view_patient"):
        return Patient.objects.none()
    scope = scope_for(user)
    base = Patient.objects.all() if include_merged else Patient.objects.filter(merged_into__isnull=True)
    queryset = scope.filter(base, hospital="hospital", department=None)
    if scope.department_ids is not None and not scope.is_empty:
        seen_here = Q(
            pk__in=Encounter.objects.filter(department_id__in=scope.department_ids).values("patient_id")
        )
        if user.has_perm("patients.add_patient"):
            # Those who register patients (the checkup centre) must also find a record not yet seen anywhere,
            # to record its first visit. Only they pay for the OR, which a planner cannot index.
            seen_here |= Q(~Exists(Encounter.objects.filter(patient_id=OuterRef("pk"))))
        queryset = queryset.filter(seen_here)
    return queryset


def patient_list_for_display(*, user: Any, include_merged: bool = False) -> QuerySet[Patient]:
    return (
        patient_list(user=user, include_merged=include_merged)
        .select_related("region__parent__parent", "hospital", "merged_into")
        .prefetch_related(Prefetch("phones", queryset=PatientPhone.objects.order_by("-is_primary", "id")))
    )


def patient_get(*, user: Any, pk: int, include_merged: bool = False) -> Patient:
    """One patient in the user's scope, or 404 (out of scope looks the same as absent)."""
    queryset = patient_list_for_display(user=user, include_merged=include_merged)
    patient = queryset.prefetch_related("tags").filter(pk=pk).first()
    if patient is None:
        raise Http404("No such patient in your scope.")
    return patient


def encounter_list_for_patient(*, patient: Patient, user: Any) -> QuerySet[Encounter]:
    return (
        encounter_list(user=user)
        .filter(patient=patient)
        .select_related("department", "ward", "attending_doctor", "primary_nurse")
        .prefetch_related("diagnoses")
        .order_by("-started_at")
    )


def merges_for_patient(*, patient: Patient) -> QuerySet[PatientMerge]:
    return PatientMerge.objects.filter(survivor=patient).select_related(
        "duplicate", "merged_by", "unmerged_by"
    )


def access_log_list(*, user: Any) -> QuerySet[PatientAccessLog]:
    if not user.has_perm("patients.view_patientaccesslog"):
        return PatientAccessLog.objects.none()
    return scope_for(user).filter(
        PatientAccessLog.objects.select_related("user", "patient"),
        hospital="patient__hospital",
        department=None,
    )


def latest_quality_report(*, user: Any) -> DataQualityReport | None:
    return (
        scope_for(user)
        .filter(DataQualityReport.objects.all(), hospital="hospital", department=None)
        .order_by("-run_at")
        .first()
    )


# --- classification (aggregates) --------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRow:
    key: str
    label: str
    patients: int
    encounters: int = 0


def _statistics_encounters(user: Any) -> QuerySet[Encounter]:
    if not user.has_perm("patients.view_registry_statistics"):
        return Encounter.objects.none()
    return scope_for(user).filter(Encounter.objects.all(), hospital="hospital", department="department")


def classify_by_department(*, user: Any) -> list[ClassRow]:
    rows = (
        _statistics_encounters(user)
        .values("department_id", "department__name")
        .annotate(patients=Count("patient_id", distinct=True), encounters=Count("id"))
        .order_by("-patients")
    )
    return [
        ClassRow(str(r["department_id"]), r["department__name"], r["patients"], r["encounters"]) for r in rows
    ]


def classify_by_chapter(*, user: Any) -> list[ClassRow]:
    rows = (
        Diagnosis.objects.filter(encounter__in=_statistics_encounters(user))
        .values("chapter")
        .annotate(
            patients=Count("encounter__patient_id", distinct=True),
            encounters=Count("encounter_id", distinct=True),
        )
        .order_by("chapter")
    )
    chapters = {chapter.number: chapter for chapter in icd10.CHAPTERS}
    result = []
    for row in rows:
        chapter = chapters.get(row["chapter"])
        label = f"{chapter.roman} {chapter.first}–{chapter.last}" if chapter else "?"
        result.append(ClassRow(str(row["chapter"]), label, row["patients"], row["encounters"]))
    return result


def chapter_title(number: int, language: str) -> str:
    for chapter in icd10.CHAPTERS:
        if chapter.number == number:
            return chapter.title_en if language.startswith("en") else chapter.title_zh
    return ""


def classify_by_region(*, user: Any, parent: str = "") -> list[ClassRow]:
    """Patients per province, or per city of a province (``parent`` = 2 digits), or per county (4 digits)."""
    if not user.has_perm("patients.view_registry_statistics"):
        return []
    length = {0: 2, 2: 4, 4: 6}.get(len(parent))
    if length is None or (not parent.isdigit() and parent):
        return []
    scope = scope_for(user)
    patients = scope.filter(
        Patient.objects.filter(merged_into__isnull=True), hospital="hospital", department=None
    )
    if scope.department_ids is not None:
        patients = patients.filter(pk__in=_statistics_encounters(user).values("patient_id"))
    if parent:
        patients = patients.filter(region__code__startswith=parent)
    rows = (
        patients.exclude(region__isnull=True)
        .annotate(prefix=Left("region_id", length))
        .values("prefix")
        .annotate(patients=Count("id"))
        .order_by("-patients")
    )
    codes = [r["prefix"].ljust(6, "0") for r in rows]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        ClassRow(r["prefix"], names.get(r["prefix"].ljust(6, "0"), r["prefix"]), r["patients"]) for r in rows
    ]


# --- duplicates -------------------------------------------------------------------------------------


@dataclass
class DuplicateGroup:
    reason: str
    patients: list[Patient]
    score: float = 1.0
    details: list[str] = field(default_factory=list)


def _name_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a, b=b).ratio()


def duplicate_candidates(*, user: Any, limit: int = 50) -> list[DuplicateGroup]:
    """Records that are probably the same person.

    Two passes, both blocked in the database so they stay fast on large registries: the same national
    ID; and the same birth date with either a shared phone number or the same pinyin initials, kept when
    the names are similar enough (``CAREBRIDGE["DUPLICATE_NAME_SIMILARITY"]``).
    """
    if not user.has_perm("patients.merge_patient"):
        return []
    base = patient_list(user=user)
    groups: list[DuplicateGroup] = []
    same_id = (
        base.exclude(national_id="")
        .values("national_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("national_id", flat=True)[:limit]
    )
    by_id: dict[str, list[Patient]] = defaultdict(list)
    for patient in base.filter(national_id__in=list(same_id)).select_related("region"):
        by_id[patient.national_id].append(patient)
    for national_id, members in by_id.items():
        groups.append(DuplicateGroup("same_national_id", members, 1.0, [mask_national_id(national_id)]))

    threshold = float(settings.CAREBRIDGE["DUPLICATE_NAME_SIMILARITY"])
    seen = {frozenset(p.pk for p in g.patients) for g in groups}
    pairs: dict[frozenset[int], tuple[float, str]] = {}
    shared_numbers = (
        PatientPhone.objects.filter(patient__in=base)
        .values("number")
        .annotate(n=Count("patient_id", distinct=True))
        .filter(n__gt=1)
        .values_list("number", flat=True)[: limit * 4]
    )
    by_number: dict[str, list[int]] = defaultdict(list)
    for number, patient_id in PatientPhone.objects.filter(
        number__in=list(shared_numbers), patient__in=base
    ).values_list("number", "patient_id"):
        by_number[number].append(patient_id)
    same_initials = (
        base.exclude(birth_date__isnull=True)
        .exclude(name_initials="")
        .values("birth_date", "name_initials")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()[: limit * 4]
    )
    candidate_ids = {pid for ids in by_number.values() for pid in ids}
    initial_keys = [(row["birth_date"], row["name_initials"]) for row in same_initials]
    by_key: dict[tuple[Any, str], list[int]] = defaultdict(list)
    if initial_keys:
        for pid, birth, initials in base.filter(
            birth_date__in={k[0] for k in initial_keys}, name_initials__in={k[1] for k in initial_keys}
        ).values_list("id", "birth_date", "name_initials"):
            if (birth, initials) in set(initial_keys):
                by_key[(birth, initials)].append(pid)
                candidate_ids.add(pid)
    patients = {p.pk: p for p in base.filter(pk__in=candidate_ids)}
    for reason, blocks in (("shared_phone", by_number.values()), ("same_initials", by_key.values())):
        for block in blocks:
            for a, b in combinations(sorted(set(block)), 2):
                pa, pb = patients.get(a), patients.get(b)
                if pa is None or pb is None or frozenset((a, b)) in seen:
                    continue
                if pa.birth_date != pb.birth_date or pa.hospital_id != pb.hospital_id:
                    continue
                if pa.national_id and pb.national_id and pa.national_id != pb.national_id:
                    continue
                score = _name_similarity(pa.name, pb.name)
                if score >= threshold:
                    key = frozenset((a, b))
                    if key not in pairs or pairs[key][0] < score:
                        pairs[key] = (score, reason)
    for key, (score, reason) in sorted(pairs.items(), key=lambda item: -item[1][0]):
        members = sorted((patients[pk] for pk in key), key=lambda p: p.pk)
        groups.append(DuplicateGroup(reason, members, round(score, 2)))
    return groups[:limit]


@dataclass(frozen=True)
class MergePreview:
    survivor: Patient
    duplicate: Patient
    encounters: int
    phones: int
    tags: int
    differences: list[tuple[str, str, str]]
    blockers: list[str]


def merge_preview(*, user: Any, survivor_id: int, duplicate_id: int) -> MergePreview:
    from django.utils.translation import gettext as _

    survivor = patient_get(user=user, pk=survivor_id)
    duplicate = patient_get(user=user, pk=duplicate_id)
    blockers: list[str] = []
    if survivor.pk == duplicate.pk:
        blockers.append(_("A record cannot be merged into itself."))
    if survivor.national_id and duplicate.national_id and survivor.national_id != duplicate.national_id:
        blockers.append(_("The two records carry different national IDs: they are different people."))
    differences = []
    for name, label in (
        ("name", _("Name")),
        ("sex", _("Sex")),
        ("birth_date", _("Birth date")),
        ("national_id", _("National ID")),
        ("address", _("Address")),
    ):
        a, b = getattr(survivor, name), getattr(duplicate, name)
        if a != b:
            if name == "national_id":
                a, b = mask_national_id(a), mask_national_id(b)
            differences.append((str(label), str(a or "—"), str(b or "—")))
    survivor_numbers = {p.number for p in survivor.phones.all()}
    return MergePreview(
        survivor=survivor,
        duplicate=duplicate,
        encounters=Encounter.objects.filter(patient=duplicate).count(),
        phones=sum(1 for p in duplicate.phones.all() if p.number not in survivor_numbers),
        tags=duplicate.tags.exclude(pk__in=survivor.tags.all()).count(),
        differences=differences,
        blockers=blockers,
    )


def department_choices(*, user: Any) -> QuerySet[Department]:
    from carebridge.core.selectors.organisation import departments_in_scope

    return departments_in_scope(user=user).order_by("code")


def patient_search(queryset: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    """The desk's one search box: what the query looks like decides what it matches.

    4 digits → the tail of a phone number (or an MRN); 11 digits → a full mobile number; 18 characters
    → a national ID; Latin letters → pinyin initials (``zw`` finds 张伟) or a Latin name; digits and
    letters → an MRN prefix; anything else → the start of the name (``张`` finds every 张).
    Every branch uses an index, so the search stays fast on a registry of millions.
    """
    from carebridge.core.validators import normalise_national_id, normalise_phone

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


def monthly_encounter_counts(*, user: Any, months: int = 18) -> list[dict[str, Any]]:
    """Encounters per month and kind in the user's scope (an aggregate: no patient is shown)."""
    start = (timezone.localdate().replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        _statistics_encounters(user)
        .filter(started_at__date__gte=start)
        .annotate(month=TruncMonth("started_at"))
        .values("month", "kind")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    table: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["month"].strftime("%Y-%m")
        entry = table.setdefault(key, {"month": key, "encounters": 0})
        entry[row["kind"]] = row["n"]
        entry["encounters"] += row["n"]
    return list(table.values())
