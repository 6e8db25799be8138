"""Bulk writing for the demo loader: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere (issue 18 item 6).

:func:`bulk_insert` stores unsaved model instances as ``bulk_create`` would — every field's ``pre_save``
(``auto_now_add`` stamps) and ``get_db_prep_save`` — and sets their primary keys, so later rows can point
at them. On PostgreSQL it takes the keys from the table's sequence in one statement and streams the rows
with ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy``), which is several times faster than multi-row
``INSERT … RETURNING`` for the tens of thousands of rows of the large tables; on SQLite (``make demo``,
the tests) it is ``bulk_create`` in large batches.

Only for the demo loader: no signals are sent (``bulk_create`` sends none either), and the rows must be
new (no conflict handling). ``stamped`` names ``auto_now_add`` fields whose values the instances already
carry (a history's moments): they are written as given instead of stamped with the time of the load,
which on PostgreSQL saves the loader an ``UPDATE`` of every row it has just written (SQLite's
``bulk_create`` stamps them, and the given values are put back by an ``UPDATE`` per row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import NOT_PROVIDED, Field, ForeignKey, Model

from carebridge.core.services.rows import database_wrapper, written_as_is

M = TypeVar("M", bound=Model)
SQLITE_BATCH = 5000
ID_CHUNK = 200_000


def bulk_insert(objects: Iterable[M], *, stamped: Sequence[str] = ()) -> list[M]:
    """Insert ``objects`` (all of one model) and return them with their primary keys set; the fields
    named in ``stamped`` are written with the instances' values, not the time of the load."""
    rows = list(objects)
    if not rows:
        return rows
    model = type(rows[0])
    given = _concrete(model, stamped)
    if connection.vendor != "postgresql" or not _copyable(model):
        return _create(model, rows, given)
    _copy(model, rows, given)
    return rows


def _concrete(model: type[Model], names: Sequence[str]) -> list[Field[Any, Any]]:
    """``model``'s columns named by field or attribute name (``response`` or ``response_id``)."""
    by_name: dict[str, Field[Any, Any]] = {}
    for field in model._meta.concrete_fields:
        by_name[field.name] = by_name[field.attname] = field
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"{model.__name__} has no column {', '.join(unknown)}")
    return [by_name[name] for name in names]


def _create(model: type[M], rows: list[M], given: Sequence[Field[Any, Any]]) -> list[M]:
    """``bulk_create``, then the ``given`` fields' own values put back (``pre_save`` stamped them)."""
    names = [field.attname for field in given]
    values = [[getattr(obj, name) for name in names] for obj in rows]
    model._default_manager.bulk_create(rows, batch_size=SQLITE_BATCH)
    if not given:
        return rows
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None  # noqa: S101 - every concrete model has one
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in given)
    with connection.cursor() as cursor:
        cursor.executemany(
            # Quoted names from the model's own meta, values as parameters.
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s",  # noqa: S608
            [
                [
                    *(
                        field.get_db_prep_save(value, connection=connection)
                        for field, value in zip(given, own, strict=True)
                    ),
                    obj.pk,
                ]
                for obj, own in zip(rows, values, strict=True)
            ],
        )
    for obj, own in zip(rows, values, strict=True):
        for name, value in zip(names, own, strict=True):
            setattr(obj, name, value)
    return rows


def _copyable(model: type[Model]) -> bool:
    """COPY writes every concrete column from Python: not a generated column, nor a database default."""
    return not any(
        getattr(f, "generated", False) or getattr(f, "db_default", NOT_PROVIDED) is not NOT_PROVIDED
        for f in model._meta.concrete_fields
    )


def _copy(model: type[Model], rows: Sequence[Model], given: Sequence[Field[Any, Any]] = ()) -> None:
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101 - every concrete model has one
    fields = [f for f in meta.concrete_fields if f.column]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    _link(model, rows)
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
        as_row = row_values(fields, given=given)
        values = [as_row(obj) for obj in rows]
        for obj in rows:
            obj._state.adding = False
            obj._state.db = connection.alias
        raw = cursor.cursor  # psycopg's cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)


def _link(model: type[Model], rows: Sequence[Model]) -> None:
    """What ``Model._prepare_related_fields_for_save`` does before a save, for many rows: a key not set
    takes the key of the related instance assigned (saved since), and an unsaved one refuses the write.
    A model with a generic relation takes Django's own method."""
    if any(field.is_relation for field in model._meta.private_fields):
        for obj in rows:
            obj._prepare_related_fields_for_save(operation_name="bulk_insert")  # type: ignore[attr-defined]
        return
    relations = [
        (field.cache_name, field.attname, field.target_field.attname, field.empty_values)
        for field in cast(
            "list[ForeignKey[Any, Any]]", [f for f in model._meta.concrete_fields if f.is_relation]
        )
    ]
    for obj in rows:
        cache, state = obj._state.fields_cache, obj.__dict__
        for name, attname, target, empty in relations:
            related = cache.get(name)
            if related is None:
                continue
            if related.pk is None:
                raise ValueError(
                    f"bulk_insert() prohibited to prevent data loss due to unsaved related object '{name}'."
                )
            key = getattr(related, target)
            if state.get(attname) in empty:
                state[attname] = key
            elif state.get(attname) != key:
                del cache[name]  # the key was changed after the assignment: it wins, as in Django


def row_values(
    fields: Sequence[Field[Any, Any]], *, given: Sequence[Field[Any, Any]] = ()
) -> Callable[[Model], tuple[Any, ...]]:
    """A function giving a new instance's values of ``fields`` as Django would write them (``pre_save``
    with ``add``, then ``get_db_prep_save``), taking the values Django writes unchanged on PostgreSQL as
    they are (elsewhere Django adapts even those: SQLite's date-times become text). The ``given`` fields
    skip ``pre_save``: their ``auto_now_add`` stamp is the instance's own value."""
    postgresql = connection.vendor == "postgresql"
    database = database_wrapper()
    plan = [
        (
            field.attname,
            written_as_is(field, given=field in given) if postgresql else None,
            field,
            field in given,
        )
        for field in fields
    ]

    def values(obj: Model) -> tuple[Any, ...]:
        state = obj.__dict__
        out = []
        for attname, as_is, field, own in plan:
            value = state.get(attname, _MISSING)
            if as_is is not None and (value is None or as_is(value)):
                out.append(value)
            else:
                value = value if own else field.pre_save(obj, True)
                out.append(field.get_db_prep_save(value, connection=database))
        return tuple(out)

    return values


_MISSING = object()


def next_ids(table: str, count: int) -> list[int]:
    """``count`` new primary keys of ``table`` from its sequence (PostgreSQL only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [key for (key,) in cursor.fetchall()]


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert tuples of the values of ``fields`` (attribute names, e.g. ``response_id``) of ``model`` as
    its instances would hold them, no instance built: each value through the field's
    ``get_db_prep_save`` (no ``pre_save``: an ``auto_now_add`` field takes the value given), except those
    Django writes unchanged on PostgreSQL; there by ``COPY``, elsewhere an ``INSERT`` per row (one
    ``executemany``). A column not named takes what a new instance would: the field's default (``""``
    for a text field without one, the time of the load for an ``auto_now`` stamp); an auto-incremented
    key, the database's next. A model with a column the database fills is refused."""
    meta = model._meta
    if not _copyable(model):
        raise ValueError(f"{model.__name__} has a column the database fills: use bulk_insert")
    postgresql = connection.vendor == "postgresql"
    database = database_wrapper()
    named = _concrete(model, fields)
    rest = [
        field
        for field in meta.concrete_fields
        if field not in named and not (field.primary_key and field.get_internal_type() in _AUTO)
    ]
    defaults = [_default(model, field) for field in rest]
    plan = [(field, written_as_is(field, given=True) if postgresql else None) for field in [*named, *rest]]

    def adapted(row: Sequence[Any]) -> list[Any]:
        values = [*row, *(default() for default in defaults)] if defaults else row
        return [
            value
            if as_is is not None and (value is None or as_is(value))
            else field.get_db_prep_save(value, connection=database)
            for (field, as_is), value in zip(plan, values, strict=True)
        ]

    columns = [field.column for field, _ in plan]
    if postgresql:
        copy_rows(meta.db_table, columns, (adapted(row) for row in rows))
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        # Quoted names from the model's own meta, values as parameters.
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})",  # noqa: S608
            [adapted(row) for row in rows],
        )


_AUTO = ("AutoField", "BigAutoField", "SmallAutoField")


def _default(model: type[Model], field: Field[Any, Any]) -> Callable[[], Any]:
    """What a new instance holds in ``field`` when it is saved: a stamp (``auto_now``, ``auto_now_add``)
    Django's ``pre_save`` gives, once per load; else the field's default, a callable one called per row."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = field.pre_save(model(), True)
        return lambda: value
    if field.has_default() and callable(field.default):
        return field.get_default
    value = field.get_default()
    return lambda: value


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
