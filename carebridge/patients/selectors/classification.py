"""Aggregates of the registry (classification by department, ICD-10 chapter and region; encounters per
month): counts only, for users with ``patients.view_registry_statistics``, within their scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Left, TruncMonth
from django.utils import timezone

from carebridge.core.models import Region
from carebridge.core.scope import restrict, scope_for
from carebridge.core.types import Actor
from carebridge.lib.text import is_digits
from carebridge.patients.domain import icd10
from carebridge.patients.models import Diagnosis, Encounter, Patient


@dataclass(frozen=True)
class ClassRow:
    key: str
    label: str
    patients: int
    encounters: int = 0


def _statistics_encounters(user: Actor) -> QuerySet[Encounter]:
    """Encounters in the user's scope, for counting: aggregates need the statistics permission, not the
    right to open an encounter."""
    return restrict(Encounter.objects.all(), user, permission="patients.view_registry_statistics")


def classify_by_department(*, user: Actor) -> list[ClassRow]:
    rows = (
        _statistics_encounters(user)
        .values("department_id", "department__name")
        .annotate(patients=Count("patient_id", distinct=True), encounters=Count("id"))
        .order_by("-patients")
    )
    return [
        ClassRow(str(r["department_id"]), r["department__name"], r["patients"], r["encounters"]) for r in rows
    ]


def classify_by_chapter(*, user: Actor) -> list[ClassRow]:
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


def classify_by_region(*, user: Actor, parent: str = "") -> list[ClassRow]:
    """Patients per province, or per city of a province (``parent`` = 2 digits), or per county (4 digits)."""
    if not user.has_perm("patients.view_registry_statistics"):
        return []
    length = {0: 2, 2: 4, 4: 6}.get(len(parent))
    if length is None or (not is_digits(parent) and parent):
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


def monthly_encounter_counts(*, user: Actor, months: int = 18) -> list[dict[str, Any]]:
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
