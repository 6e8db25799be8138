"""The search index of the living dictionary: :func:`index_entry` replaces an entry's rows of
:class:`~carebridge.knowledge.models.SearchToken`. The services call it in their transaction whenever
they create or change an entry (and re-index the department when one of its services changes, because a
department is found by the names of its services too)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from carebridge.core.models import Hospital
from carebridge.knowledge.domain.indexing import MODELS, Entry, document, is_listed
from carebridge.knowledge.models import DepartmentProfile, Doctor, SearchToken, Service


@transaction.atomic
def index_entry(entry: Entry) -> int:
    """Replace the entry's index rows; an inactive entry is removed from the index. Returns the row count."""
    SearchToken.objects.filter(kind=entry.kind, object_id=entry.pk).delete()
    if not is_listed(entry):
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
