"""The registry's search box at the speed of its SQL (issue 18 item 3).

The desk looks one person up by MRN, ID number or phone many times an hour, and each look-up built and
compiled three querysets (the page, its phones, its tags): about three milliseconds of Django for well
under one of PostgreSQL. :func:`patient_lookup` answers the list page and the list API when only the
search box is used: the page and its capped count are statements compiled once per process, data scope
and permissions (users alike share them), kind of search and slice
(:class:`~carebridge.core.prepared.PreparedQuery`, with the searched text as the value that changes),
and a page's phones and tags are one hand-written statement. The rows, their order and the count are
those of :func:`~carebridge.patients.selectors.patients.patient_search` over
:func:`~carebridge.patients.selectors.patients.patient_list_for_display`
(``patients/tests/selectors/test_lookup.py`` holds the two equal, and what each kind finds); any other
filter or ordering goes through the FilterSet as before.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet

from carebridge.core.prepared import STAND_IN_TEXT, PreparedQuery, from_rows
from carebridge.core.scope import scope_variant
from carebridge.core.types import Actor
from carebridge.patients.models import Patient, PatientPhone, Tag
from carebridge.patients.selectors.patients import SearchTerms, patient_list, search_terms, searched

# The values each kind of search sends (SearchTerms.values), each with a text no search holds.
_NAMES = {
    "all": (),
    "phone_tail": ("digits",),
    "phone_number": ("digits",),
    "national_id": ("national_id",),
    "letters": ("initials", "name"),
    "mrn1": ("mrn0", "mrn0_prefix"),
    "mrn2": ("mrn0", "mrn1", "mrn0_prefix", "mrn1_prefix"),
    "name": ("name",),
}


def _prepared(kind: str, *, counted: bool) -> PreparedQuery[Patient]:
    def build(*, user: Actor, start: int, stop: int | None, **values: str) -> QuerySet[Patient, Any]:
        queryset = searched(patient_list(user=user), kind, **values)
        if counted:
            return queryset.order_by().values_list("pk")[start:stop]
        return queryset.select_related("hospital")[start:stop]

    build.__qualname__ = f"patient_lookup.{'count' if counted else 'page'}[{kind}]"
    stand_ins = {name: f"{STAND_IN_TEXT} {index}" for index, name in enumerate(_NAMES[kind])}
    return PreparedQuery(build, stand_ins=stand_ins)


_BATCH = 1000  # rows a time when a lookup is iterated whole
_PAGES = {kind: _prepared(kind, counted=False) for kind in _NAMES}
_COUNTS = {kind: _prepared(kind, counted=True) for kind in _NAMES}


class PatientLookup:
    """The patients a search box query finds in the user's scope, newest first, as a paginator slices
    them: ``lookup[start:stop]`` reads one page (its rows with hospital, phones and tags) and
    :meth:`count_up_to` counts the matches up to a cap (``core.pagination.CappedPaginator``)."""

    def __init__(self, *, user: Actor, terms: SearchTerms, using: str) -> None:
        if set(terms.values) != set(_NAMES[terms.kind]):
            # A value without a stand-in would be compiled into the statement as the first search's own.
            raise ImproperlyConfigured(
                f"A {terms.kind} search sends {sorted(terms.values)}, not {_NAMES[terms.kind]}"
            )
        self.user, self.terms, self.using = user, terms, using

    @overload
    def __getitem__(self, index: int) -> Patient: ...
    @overload
    def __getitem__(self, index: slice) -> list[Patient]: ...
    def __getitem__(self, index: int | slice) -> Patient | list[Patient]:
        if isinstance(index, int):
            if index < 0:
                raise IndexError("A patient lookup has no negative indexes.")
            found = self._page(index, index + 1)
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step is not None or (index.start or 0) < 0 or (index.stop is not None and index.stop < 0):
            raise ValueError("A patient lookup is sliced forwards only: lookup[start:stop].")
        start = index.start or 0
        if index.stop is None:
            return list(self._from(start))
        return self._page(start, index.stop) if index.stop > start else []

    def __iter__(self) -> Iterator[Patient]:
        """Every patient found, a thousand at a time (a page is sliced instead)."""
        return self._from(0)

    def __len__(self) -> int:
        """How many patients the query finds (all of them counted: a page counts with a cap)."""
        return self.count_up_to(None)

    def _from(self, start: int) -> Iterator[Patient]:
        while True:
            found = self._page(start, start + _BATCH)
            yield from found
            if len(found) < _BATCH:
                return
            start += _BATCH

    def _page(self, start: int, stop: int) -> list[Patient]:
        variant = (scope_variant(self.user, by_user=False), start, stop)
        rows = _PAGES[self.terms.kind].all(
            using=self.using, variant=variant, user=self.user, start=start, stop=stop, **self.terms.values
        )
        attach_phones_and_tags(rows, using=self.using)
        return rows

    def count_up_to(self, limit: int | None) -> int:
        """How many patients the query finds, counting no further than ``limit`` (``None``: all)."""
        prepared = _COUNTS[self.terms.kind]
        variant = (scope_variant(self.user, by_user=False), 0, limit)
        try:
            sql, params = prepared.statement(
                using=self.using, variant=variant, user=self.user, start=0, stop=limit, **self.terms.values
            )
        except EmptyResultSet:
            return 0
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608 - compiled by Django
            return cursor.fetchone()[0]


def patient_lookup(*, user: Actor, query: str) -> PatientLookup:
    """What the registry's search box (or no search) finds for ``user``: see :class:`PatientLookup`."""
    using = router.db_for_read(Patient)
    return PatientLookup(user=user, terms=search_terms(query, using=using), using=using)


def attach_phones_and_tags(rows: Iterable[Patient], *, using: str) -> None:
    """Give each patient its phones (primary first) and tags (by name), as ``prefetch_related`` would,
    in one statement (none for no rows)."""
    by_id = {row.pk: row for row in rows}
    if not by_id:
        return
    phones: dict[int, list[Any]] = defaultdict(list)
    tags: dict[int, list[Any]] = defaultdict(list)
    with connections[using].cursor() as cursor:
        cursor.execute(_related_statement(using, len(by_id)), list(by_id) * 2)
        found = cursor.fetchall()
    width = 2 + len(_PHONE_FIELDS)
    phone_rows = [row[2:width] for row in found if row[0] == 0]
    tag_rows = [(row[1], row[width:]) for row in found if row[0] == 1]
    owner = PatientPhone._meta.get_field("patient")
    for phone in from_rows(PatientPhone, phone_rows, using=using):
        phones[phone.patient_id].append(phone)
        owner.set_cached_value(phone, by_id[phone.patient_id])  # as prefetching sets it
    for (patient_id, _), tag in zip(
        tag_rows, from_rows(Tag, [row for _, row in tag_rows], using=using), strict=True
    ):
        tags[patient_id].append(tag)
    for pk, row in by_id.items():
        _prefetched(row, "phones", phones.get(pk, []))
        _prefetched(row, "tags", tags.get(pk, []))


_PHONE_FIELDS = PatientPhone._meta.concrete_fields
_TAG_FIELDS = Tag._meta.concrete_fields


@functools.lru_cache(maxsize=256)
def _related_statement(using: str, count: int) -> str:
    """One statement reading the phones and the tags of ``count`` patients (their ids twice), each in the
    order ``prefetch_related`` reads them: ``(0, patient id, phone columns…, NULLs)`` for a phone, then
    ``(1, patient id, NULLs, tag columns…)`` for a tag (table and column names from the models)."""
    quote = connections[using].ops.quote_name
    marks = ", ".join(["%s"] * count)
    phone_columns = [f"p.{quote(field.column)}" for field in _PHONE_FIELDS]
    tag_columns = [f"t.{quote(field.column)}" for field in _TAG_FIELDS]
    no_phone, no_tag = ["NULL"] * len(phone_columns), ["NULL"] * len(tag_columns)
    phones, tag_table = quote(PatientPhone._meta.db_table), quote(Tag._meta.db_table)
    through = Patient.tags.through._meta
    links = quote(through.db_table)
    owner = quote(PatientPhone._meta.get_field("patient").column)
    linked_patient = quote(through.get_field("patient").column)
    linked_tag = quote(through.get_field("tag").column)
    tag_pk = quote(Tag._meta.pk.column)

    def position(fields: Sequence[Any], name: str, before: int) -> int:  # 1-based, after ``before`` columns
        return before + 1 + [field.attname for field in fields].index(name)

    phone_pk, primary = (position(_PHONE_FIELDS, name, 2) for name in ("id", "is_primary"))
    tag_id, tag_name = (position(_TAG_FIELDS, name, 2 + len(_PHONE_FIELDS)) for name in ("id", "name"))
    return (
        f"SELECT 0, p.{owner}, {', '.join(phone_columns + no_tag)} FROM {phones} p"  # noqa: S608 - names from the models
        f" WHERE p.{owner} IN ({marks})"
        f" UNION ALL SELECT 1, l.{linked_patient}, {', '.join(no_phone + tag_columns)} FROM {links} l"
        f" JOIN {tag_table} t ON t.{tag_pk} = l.{linked_tag} WHERE l.{linked_patient} IN ({marks})"
        f" ORDER BY 1, {primary} DESC, {tag_name}, {phone_pk}, {tag_id}"
    )


def _prefetched(row: Patient, name: str, items: list[Any]) -> None:
    """What ``prefetch_related(name)`` leaves on ``row``: the related rows read, for its manager's
    ``all()``. Building the manager's own queryset per row cost a millisecond a page; this one becomes it
    only if refined further."""
    model = PatientPhone if name == "phones" else Tag
    row.__dict__.setdefault("_prefetched_objects_cache", {})[name] = _Fetched(model, items, row, name)


class _Fetched(QuerySet[Any]):
    """Related rows read already, as ``prefetch_related`` leaves them; chained further (``filter()``,
    ``order_by()``, ``all()``) it is a query of the row's related objects again, like Django's."""

    def __init__(self, model: type[Model], items: list[Any], row: Patient, name: str) -> None:
        super().__init__(model=model)
        self._result_cache, self._prefetch_done = items, True
        self._row, self._name = row, name

    def _chain(self) -> QuerySet[Any]:
        # What the related manager's get_queryset() gives when nothing was prefetched (which now returns
        # this queryset): its filter on the row, the row as each phone's patient, the row's database.
        manager = getattr(self._row, self._name)
        return manager._apply_rel_filters(self.model._default_manager.get_queryset())._chain()
