"""The registry's search box at the speed of its SQL (issue 18 item 3).

The desk looks one person up by MRN, ID number or phone many times an hour, and each look-up built and
compiled three querysets (the page, its phones, its tags): about three milliseconds of Django for well
under one of PostgreSQL. :func:`patient_lookup` answers the list page and the list API when only the
search box is used: the page and its capped count are statements compiled once per process, data scope
and permissions (users alike share them), kind of search and slice
(:class:`~carebridge.core.prepared.PreparedQuery`, with the searched text as the value that changes),
and a page's phones and tags come in the page's own statement, as JSON (one round trip, where
``prefetch_related`` takes three). An MRN search reads the whole MRN alone and its prefix only when
nobody in scope has the whole MRN (:data:`_MRN_PARTS`). The rows, their order and the count are
those of :func:`~carebridge.patients.selectors.patients.patient_search` over
:func:`~carebridge.patients.selectors.patients.patient_list_for_display`
(``patients/tests/selectors/test_lookup.py`` holds the two equal, and what each kind finds); any other
filter or ordering goes through the FilterSet as before.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Iterator
from typing import Any, overload

import orjson
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import Expression, Model, QuerySet, TextField

from carebridge.core.prepared import STAND_IN_TEXT, PreparedQuery, from_rows
from carebridge.core.scope import scope_variant
from carebridge.core.types import Actor
from carebridge.patients.models import Patient, PatientPhone, Tag
from carebridge.patients.selectors.patients import (
    SearchTerms,
    mrn_conditions,
    patient_list,
    search_terms,
    searched,
)

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
    # The two statements an MRN search is read by (_MRN_PARTS).
    "mrn1.whole": ("mrn0",),
    "mrn1.prefix": ("mrn0_prefix",),
    "mrn2.whole": ("mrn0", "mrn1"),
    "mrn2.prefix": ("mrn0_prefix", "mrn1_prefix"),
}
# An MRN search reads the whole MRN alone first, and its prefix only when no record of the scope has the
# whole MRN. In one statement (as ``searched`` writes it) PostgreSQL planned the search afresh on every
# run, since a LIKE pattern given as a parameter has no generic plan worth keeping: 0.4 ms of a 0.8 ms
# look-up at 1,000,000 patients. The whole MRN alone keeps its plan (issue 18 item 3).
_MRN_PARTS = {"mrn1": ("mrn1.whole", "mrn1.prefix"), "mrn2": ("mrn2.whole", "mrn2.prefix")}


def _prepared(kind: str, *, counted: bool) -> PreparedQuery[Patient]:
    def build(*, user: Actor, start: int, stop: int | None, **values: str) -> QuerySet[Patient, Any]:
        queryset = _searched(patient_list(user=user), kind, values)
        if counted:
            return queryset.order_by().values_list("pk")[start:stop]
        # Each row's phones and tags come in the same statement (:class:`_RelatedRows`). PostgreSQL would
        # run their subqueries for every row a later page skips (OFFSET), so a later page's rows are
        # chosen first, by id, and read in the same order.
        if start:
            ordering = queryset.query.order_by or Patient._meta.ordering or ()
            queryset = Patient.objects.filter(pk__in=queryset.values("pk")[start:stop]).order_by(*ordering)
            start, stop = 0, None
        related = {_PHONES: _RelatedRows(PatientPhone), _TAGS: _RelatedRows(Tag)}
        return queryset.select_related("hospital").annotate(**related)[start:stop]

    build.__qualname__ = f"patient_lookup.{'count' if counted else 'page'}[{kind}]"
    stand_ins = {name: f"{STAND_IN_TEXT} {index}" for index, name in enumerate(_NAMES[kind])}
    return PreparedQuery(build, stand_ins=stand_ins)


_PHONES, _TAGS = "lookup_phones", "lookup_tags"  # the annotations the page's phones and tags come in
_BATCH = 1000  # rows a time when a lookup is iterated whole
_PAGES = {kind: _prepared(kind, counted=False) for kind in _NAMES if kind not in _MRN_PARTS}
_COUNTS = {kind: _prepared(kind, counted=True) for kind in _NAMES if kind not in _MRN_PARTS}


def _searched(queryset: QuerySet[Patient], kind: str, values: dict[str, str]) -> QuerySet[Patient]:
    """``searched`` for every kind, and for the two parts of an MRN search (``mrn1.whole``, …)."""
    part = kind.partition(".")[2]
    if not part:
        return searched(queryset, kind, **values)
    whole, prefix = mrn_conditions(values)
    return queryset.filter(whole if part == "whole" else prefix)


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
        # The statements' kind: an MRN search's part once a read has told which (_MRN_PARTS).
        self._kind: str | None = None if terms.kind in _MRN_PARTS else terms.kind

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
        if self._kind is None:  # an MRN search: the whole MRN's records up to this page, if it has any
            whole, prefix = _MRN_PARTS[self.terms.kind]
            found = self._read(whole, 0, stop)
            self._kind = whole if found else prefix
            if found:
                return found[start:]
        return self._read(self._kind, start, stop)

    def _read(self, kind: str, start: int, stop: int) -> list[Patient]:
        variant = (scope_variant(self.user, by_user=False), start, stop)
        rows = _PAGES[kind].all(
            using=self.using, variant=variant, user=self.user, start=start, stop=stop, **self._values(kind)
        )
        _attach(rows, using=self.using)
        return rows

    def _values(self, kind: str) -> dict[str, str]:
        return {name: self.terms.values[name] for name in _NAMES[kind]}

    def count_up_to(self, limit: int | None) -> int:
        """How many patients the query finds, counting no further than ``limit`` (``None``: all)."""
        if limit == 0:
            return 0
        if self._kind is None:  # an MRN search not read yet: the whole MRN's records, if it has any
            whole, prefix = _MRN_PARTS[self.terms.kind]
            found = self._count(whole, limit)
            self._kind = whole if found else prefix
            if found:
                return found
        return self._count(self._kind, limit)

    def _count(self, kind: str, limit: int | None) -> int:
        variant = (scope_variant(self.user, by_user=False), 0, limit)
        try:
            sql, params = _COUNTS[kind].statement(
                using=self.using, variant=variant, user=self.user, start=0, stop=limit, **self._values(kind)
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


def _prefetch_order(model: type[Model]) -> tuple[str, ...]:
    """The order ``prefetch_related`` reads ``model``'s rows in (its ``Meta.ordering``), ended on the id
    so that every database gives the same order."""
    names = tuple(str(name) for name in model._meta.ordering or ())
    return names if names[-1:] in (("id",), ("-id",)) else (*names, "id")


# The order each kind of related row is read in, as the FilterSet's queryset reads it.
_ORDER: dict[type[Model], tuple[str, ...]] = {model: _prefetch_order(model) for model in (PatientPhone, Tag)}
# Column types that come back from JSON as the ORM reads them from a column (with the converters
# from_rows applies): a date, decimal or JSON column would come back as text or a float on PostgreSQL.
_AS_JSON = {
    "AutoField",
    "BigAutoField",
    "IntegerField",
    "BigIntegerField",
    "CharField",
    "BooleanField",
    "ForeignKey",
}


def _readable_as_json(model: type[Model]) -> None:
    """Refuse a model with a column that JSON would not give back as the ORM reads it."""
    unreadable = [f.name for f in model._meta.concrete_fields if f.get_internal_type() not in _AS_JSON]
    if unreadable:
        raise ImproperlyConfigured(f"{model.__name__}.{unreadable} cannot be read back from JSON as is.")


for _model in _ORDER:  # checked on import: a new column of a phone or a tag stops the process starting
    _readable_as_json(_model)


class _RelatedRows(Expression):
    """A page row's phones or tags, read in the page's own statement: a correlated subquery giving them
    as one JSON text, ``[[column, …], …]`` over the model's concrete columns, ``null`` or ``[]`` for
    none (:func:`_attach` makes them instances)."""

    output_field = TextField()

    def __init__(self, model: type[Model]) -> None:
        super().__init__()
        if model not in _ORDER:
            raise ImproperlyConfigured(f"A page row reads its phones and tags, not {model.__name__}.")
        self.model = model

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        outer = compiler.quote_name_unless_alias(compiler.query.base_table)
        return _related_subquery(connection.alias, self.model, outer), []


@functools.lru_cache(maxsize=16)
def _related_subquery(using: str, model: type[Model], outer: str) -> str:
    """The subquery of :class:`_RelatedRows` over the patients of table alias ``outer`` (table and column
    names from the models). PostgreSQL orders the rows in the aggregate; SQLite's ``json_group_array``
    cannot before 3.44, so :func:`_attach` sorts them there."""
    quote = connections[using].ops.quote_name

    def column(of: type[Model], name: str) -> str:
        return quote(of._meta.get_field(name).column)  # type: ignore[union-attr,arg-type]

    patient = f"{outer}.{quote(Patient._meta.pk.column)}"
    columns = ", ".join(f"r.{quote(field.column)}" for field in model._meta.concrete_fields)
    table = quote(model._meta.db_table)
    if model is PatientPhone:
        source = f"{table} r WHERE r.{column(model, 'patient')} = {patient}"
    else:  # Tag, through the patients' tag links
        through = Patient.tags.through
        source = (
            f"{quote(through._meta.db_table)} l"
            f" JOIN {table} r ON r.{column(model, 'id')} = l.{column(through, 'tag')}"
            f" WHERE l.{column(through, 'patient')} = {patient}"
        )
    if connections[using].vendor != "postgresql":
        return f"(SELECT json_group_array(json_array({columns})) FROM {source})"  # noqa: S608 - names from the models
    order = ", ".join(
        f"r.{column(model, name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}"
        for name in _ORDER[model]
    )
    return f"(SELECT json_agg(json_build_array({columns}) ORDER BY {order})::text FROM {source})"  # noqa: S608 - names from the models


def _attach(rows: Iterable[Patient], *, using: str) -> None:
    """Give each patient of a page its phones (primary first) and tags (by name), read by the page's
    statement (:class:`_RelatedRows`), as ``prefetch_related`` would."""
    owner = PatientPhone._meta.get_field("patient")
    ordered_in_sql = connections[using].vendor == "postgresql"
    for row in rows:
        phones = from_rows(PatientPhone, orjson.loads(row.__dict__.pop(_PHONES) or "[]"), using=using)
        tags = from_rows(Tag, orjson.loads(row.__dict__.pop(_TAGS) or "[]"), using=using)
        if not ordered_in_sql:  # sorted as SQLite's binary collation orders them: by code point
            phones, tags = _sorted(PatientPhone, phones), _sorted(Tag, tags)
        for phone in phones:
            owner.set_cached_value(phone, row)  # as prefetching sets it
        _prefetched(row, "phones", phones)
        _prefetched(row, "tags", tags)


def _sorted(model: type[Model], items: list[Any]) -> list[Any]:
    for name in reversed(_ORDER[model]):  # stable sorts, the last key first
        items.sort(key=operator.attrgetter(name.lstrip("-")), reverse=name.startswith("-"))
    return items


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
