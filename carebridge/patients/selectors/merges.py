"""Duplicates: records that are probably the same person, the preview of a merge, a record's merges."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_national_id
from carebridge.core.types import Actor
from carebridge.patients.models import Encounter, Patient, PatientMerge, PatientPhone
from carebridge.patients.selectors.patients import patient_get, patient_list


def merges_for_patient(*, patient: Patient) -> QuerySet[PatientMerge]:
    return PatientMerge.objects.filter(survivor=patient).select_related(
        "duplicate", "merged_by", "unmerged_by"
    )


@dataclass
class DuplicateGroup:
    reason: str
    patients: list[Patient]
    score: float = 1.0
    details: list[str] = field(default_factory=list)


def _name_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a, b=b).ratio()


def duplicate_candidates(*, user: Actor, limit: int = 50) -> list[DuplicateGroup]:
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


def merge_preview(*, user: Actor, survivor_id: int, duplicate_id: int) -> MergePreview:
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
