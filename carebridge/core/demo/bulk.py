"""Bulk writing for the demo loader: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere (issue 18 item 6).

:func:`bulk_insert` stores unsaved model instances as ``bulk_create`` would — every field's ``pre_save``
(``auto_now_add`` stamps) and ``get_db_prep_save`` — and sets their primary keys, so later rows can point
at them. On PostgreSQL it takes the keys from the table's sequence in one statement and streams the rows
with ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy``), which is several times faster than multi-row
``INSERT … RETURNING`` for the tens of thousands of rows of the large tables; on SQLite (``make demo``,
the tests) it is ``bulk_create`` in large batches.

Only for the demo loader: no signals are sent (``bulk_create`` sends none either), and the rows must be
new (no conflict handling).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import NOT_PROVIDED, DateField, Field, Model

M = TypeVar("M", bound=Model)
SQLITE_BATCH = 5000
ID_CHUNK = 200_000


def _int(value: Any) -> bool:
    return type(value) is int


def _bool(value: Any) -> bool:
    return type(value) is bool


def _str(value: Any) -> bool:
    return isinstance(value, str)  # a choices member too: Django passes any str as it is


def _date(value: Any) -> bool:
    return type(value) is dt.date


def _aware(value: Any) -> bool:
    return type(value) is dt.datetime and value.utcoffset() is not None  # Django's ``is_aware``


# Field types and the values of them that Django writes unchanged on PostgreSQL (integers it wraps in
# psycopg's Int2/Int4/Int8, which only name the parameter's type; COPY writes the same text): the loader
# passes such values straight to COPY instead of through ``pre_save`` and ``get_db_prep_save`` (a third
# of a large table's load). Any other value (a numpy integer, a naive date-time, a date in a date-time
# field) takes Django's path.
_UNCHANGED: dict[str, Callable[[Any], bool]] = {
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        _int,
    ),
    "BooleanField": _bool,
    "CharField": _str,
    "TextField": _str,
    "DateField": _date,
    "DateTimeField": _aware,
}


def bulk_insert(objects: Iterable[M]) -> list[M]:
    """Insert ``objects`` (all of one model) and return them with their primary keys set."""
    rows = list(objects)
    if not rows:
        return rows
    model = type(rows[0])
    if connection.vendor != "postgresql" or not _copyable(model):
        return model._default_manager.bulk_create(rows, batch_size=SQLITE_BATCH)
    _copy(model, rows)
    return rows


def _copyable(model: type[Model]) -> bool:
    """COPY writes every concrete column from Python: not a generated column, nor a database default."""
    return not any(
        getattr(f, "generated", False) or getattr(f, "db_default", NOT_PROVIDED) is not NOT_PROVIDED
        for f in model._meta.concrete_fields
    )


def _copy(model: type[Model], rows: Sequence[Model]) -> None:
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101 - every concrete model has one
    fields = [f for f in meta.concrete_fields if f.column]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    for obj in rows:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert")  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        missing = [obj for obj in rows if obj.pk is None]
        for start in range(0, len(missing), ID_CHUNK):
            chunk = missing[start : start + ID_CHUNK]
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(chunk)],
            )
            for obj, (key,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = key
        as_row = row_values(fields)
        values = [as_row(obj) for obj in rows]
        for obj in rows:
            obj._state.adding = False
            obj._state.db = connection.alias
        raw = cursor.cursor  # psycopg's cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)


def row_values(fields: Sequence[Field[Any, Any]]) -> Callable[[Model], tuple[Any, ...]]:
    """A function giving a new instance's values of ``fields`` as Django would write them (``pre_save``
    with ``add``, then ``get_db_prep_save``), taking the values Django writes unchanged on PostgreSQL as
    they are (elsewhere Django adapts even those: SQLite's date-times become text)."""
    postgresql = connection.vendor == "postgresql"
    plan = [(field.attname, _unchanged(field) if postgresql else None, field) for field in fields]

    def values(obj: Model) -> tuple[Any, ...]:
        state = obj.__dict__
        out = []
        for attname, as_is, field in plan:
            value = state.get(attname, _MISSING)
            if as_is is not None and (value is None or as_is(value)):
                out.append(value)
            else:
                out.append(field.get_db_prep_save(field.pre_save(obj, True), connection=connection))
        return tuple(out)

    return values


_MISSING = object()


def _unchanged(field: Field[Any, Any]) -> Callable[[Any], bool] | None:
    """Which of its values ``field`` writes unchanged (None: take Django's path for every value)."""
    if field.is_relation:
        if type(field).pre_save is not Field.pre_save or not _djangos(field):
            return None
        # A key writes its target's value (its ``get_db_prep_save`` delegates to the target field).
        field = field.target_field  # type: ignore[attr-defined]
    if isinstance(field, DateField):
        if field.auto_now or field.auto_now_add:
            return None
    elif type(field).pre_save is not Field.pre_save:
        return None
    if not _djangos(field):
        return None  # a project's own field may convert in its own way
    return _UNCHANGED.get(field.get_internal_type())


def _djangos(field: Field[Any, Any]) -> bool:
    return type(field).__module__.startswith("django.db.models.")


def next_ids(table: str, count: int) -> list[int]:
    """``count`` new primary keys of ``table`` from its sequence (PostgreSQL only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [key for (key,) in cursor.fetchall()]


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """``COPY table (columns) FROM STDIN`` of plain, already adapted values (PostgreSQL only)."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    statement = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


# ANALYZE a table once this many rows changed since its last ANALYZE, plus a tenth of its rows then:
# autovacuum's rule with a larger floor (it is asynchronous and a load outruns it).
ANALYSE_AFTER_ROWS = 1000


def analyse_changed() -> list[str]:
    """ANALYZE the tables changed by more than ``ANALYSE_AFTER_ROWS`` plus a tenth of their rows since their
    last ANALYZE, and return their names (PostgreSQL; elsewhere nothing). On PostgreSQL 15 and later the
    session's counters are flushed first; before 15 the last second's changes may wait for the next call.

    The demo loader runs this after each step: a table loaded in bulk keeps the statistics of an empty
    one until analysed, and the next steps' queries were planned for empty tables — at 100,000 patients
    a month's KPI over the follow-up touchpoints took over a minute in nested loops, against milliseconds
    once analysed."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:  # type: ignore[attr-defined]
            # Counters reach the statistics views when this session next goes idle, not at each commit.
            cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            # ``regclass`` as text: quoted where needed, and schema-qualified outside the search path.
            "SELECT s.relid::regclass::text FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
            " WHERE s.n_mod_since_analyze > %s + 0.1 * GREATEST(c.reltuples, 0) ORDER BY 1",
            [ANALYSE_AFTER_ROWS],
        )
        tables = [name for (name,) in cursor.fetchall()]
        if tables:
            cursor.execute("ANALYZE " + ", ".join(tables))
    return tables
