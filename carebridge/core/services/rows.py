"""A new row and the rows that point at it, written in one statement on PostgreSQL; a saved row's
changed fields, written by a statement compiled once.

The ORM writes one row per statement and compiles each one: a hot write of a handful of rows — a public
survey submission stores its response, the answers, the invitation's transition and an audit row (issue 18
item 5, issue 19 item 13) — pays a round trip to the database and some 0.3–0.4 ms of Python per row.
:func:`insert_together` writes them as one ``INSERT … RETURNING`` with data-modifying CTEs: the values are
those the ORM would write (every field's ``pre_save``, so ``auto_now_add`` stamps, then
``get_db_prep_save``), each cast to its column's type, and a child names the field that takes the parent's
new key. On other databases (SQLite: ``make demo``, the tests) the rows are saved through the ORM, the
children of each model in one ``bulk_create``, all or nothing as well.

The rows must be new (with an automatic key). On PostgreSQL no signal is sent and no model's own ``save()``
runs: use it for models that have neither (the response, answers, transitions and audit rows have none).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, connections, models, transaction
from django.db.models import DateField, Field


@dataclass(frozen=True)
class Child:
    """A row to write with the parent; ``parent_key`` is the field that takes the parent's primary key
    (a foreign key, left unset on ``obj``, or a text field such as an audit row's ``object_id``), if any."""

    obj: models.Model
    parent_key: str | None = None


def insert_together(parent: models.Model, children: Sequence[Child] = ()) -> None:
    """Insert ``parent`` and then ``children``; sets the parent's primary key and the children's keys to
    it. The children's own primary keys are not read back on PostgreSQL (they stay unsaved instances
    there: read them from the database to change them)."""
    # Checked before anything is written: only new rows, and fields that exist.
    for obj in [parent, *(child.obj for child in children)]:
        if obj.pk is not None or obj._meta.auto_field is None or obj._meta.parents:
            # (a model inheriting another's table would need two inserts: not written this way)
            raise ValueError(
                f"insert_together writes new rows of one table with an automatic key, not {obj!r}"
            )
    for obj in [parent, *(child.obj for child in children)]:
        for field in _fields(type(obj)):
            value = getattr(obj, field.attname)
            if hasattr(value, "resolve_expression"):  # db_default, F(), Now(): the ORM's compiler only
                raise ValueError(f"insert_together takes plain values, not {value!r} for {field.name}")
    for child in children:
        _check_child(child, parent)
    if connection.vendor != "postgresql":
        _through_the_orm(parent, children)
        return
    groups: dict[tuple[type[models.Model], str | None], list[models.Model]] = {}
    for child in children:
        groups.setdefault((type(child.obj), child.parent_key), []).append(child.obj)
    shape = tuple((model, key, len(objects)) for (model, key), objects in groups.items())
    params = _values(parent)
    for (_model, key), objects in groups.items():
        for obj in objects:
            params += _values(obj, parent_key=key)
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor, type(parent), shape), params)
        (parent.pk,) = cursor.fetchone()
    parent._state.adding = False
    parent._state.db = connection.alias
    for child in children:
        _point_at(child, parent)


def update_saved(obj: models.Model, fields: Sequence[str]) -> None:
    """``obj.save(update_fields=fields)`` for a saved row: on PostgreSQL one ``UPDATE`` compiled once per
    model and fields (Django builds and compiles it on every save: a quarter of the CPU of recording a
    call, issue 18), elsewhere the ORM's save. The values are those the ORM would write (``pre_save``, so
    ``auto_now`` stamps, then ``get_db_prep_save``), and no row updated raises ``DatabaseError`` as the
    ORM does. As with :func:`insert_together`, no signal is sent and the model's own ``save()`` does not
    run on PostgreSQL: use it for models with neither, or whose ``save()`` adds nothing to an update of a
    saved row."""
    # Checked before anything is written, on every database: a saved row, its own columns, plain values.
    if obj.pk is None or obj._state.adding:
        raise ValueError(f"update_saved writes a saved row, not {obj!r}")
    if not fields:  # as the ORM: nothing to write
        return
    meta = obj._meta
    chosen: list[Any] = [meta.get_field(name) for name in dict.fromkeys(fields)]
    for field in chosen:
        if not getattr(field, "concrete", False) or field.primary_key or field.many_to_many:
            raise ValueError(f"update_saved writes a saved row's own columns, not {field.name}")
        if hasattr(getattr(obj, field.attname), "resolve_expression"):  # F(), Now(): the ORM's only
            raise ValueError(f"update_saved takes plain values, not {getattr(obj, field.attname)!r}")
    if connection.vendor != "postgresql":
        obj.save(update_fields=fields)
        return
    # A set: Django tests each of the model's fields for membership (a list compared them one by one).
    obj._prepare_related_fields_for_save(operation_name="save", fields=frozenset(chosen))  # type: ignore[attr-defined]
    names = tuple(field.name for field in chosen)
    values = _written(obj, _update_plan(connection.vendor, type(obj), names), add=False)
    key = meta.pk.get_db_prep_value(obj.pk, connection)
    statement = _update(connection.vendor, type(obj), names)
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values, key])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")


@functools.cache
def _update(vendor: str, model: type[models.Model], names: tuple[str, ...]) -> str:
    """``UPDATE table SET column = %s, … WHERE pk = %s``, names from the model's metadata, quoted; as the
    ORM's, without casts: the column gives the type, and refuses a text longer than it takes."""
    del vendor  # the cache key, as for _statement
    quote, meta = connection.ops.quote_name, model._meta
    sets = [f"{quote(cast(Any, meta.get_field(name)).column)} = %s" for name in names]
    pk = quote(meta.pk.column)
    return f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} WHERE {pk} = %s"  # noqa: S608 - see the docstring


@functools.cache
def _statement(
    vendor: str, parent: type[models.Model], shape: tuple[tuple[type[models.Model], str | None, int], ...]
) -> str:
    """``WITH parent AS (INSERT … RETURNING pk), child0 AS (INSERT … SELECT … FROM parent), … SELECT pk
    FROM parent``, once per process for each shape (the children's model, key and count): the children
    of one model and key in one INSERT, a SELECT per row joined by UNION ALL. Table and column names come
    from the models' metadata, quoted; every value is a parameter cast to its column's type."""
    del vendor  # the cache key: types and quoting are the connection's
    quote = connection.ops.quote_name
    pk = quote(parent._meta.pk.column)
    columns, values = _layout(parent)
    into = f"{quote(parent._meta.db_table)} ({', '.join(columns)})"
    ctes = [f"parent AS (INSERT INTO {into} VALUES ({', '.join(values)}) RETURNING {pk})"]  # noqa: S608
    for number, (model, key, count) in enumerate(shape):
        columns, values = _layout(model, parent_key=key, parent_pk=f"parent.{pk}")
        select = f"SELECT {', '.join(values)} FROM parent"  # noqa: S608 - see the docstring
        into = f"{quote(model._meta.db_table)} ({', '.join(columns)})"
        ctes.append(f"child{number} AS (INSERT INTO {into} {' UNION ALL '.join([select] * count)})")
    return f"WITH {', '.join(ctes)} SELECT {pk} FROM parent"  # noqa: S608 - see the docstring


def _fields(model: type[models.Model]) -> list[Any]:
    """The fields an INSERT writes: every local concrete one but the generated ones and the auto key."""
    meta = model._meta
    return [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]


def _layout(
    model: type[models.Model], *, parent_key: str | None = None, parent_pk: str = ""
) -> tuple[list[str], list[str]]:
    """The quoted columns of the model's INSERT and their value expressions: a placeholder cast to the
    column's type, or ``parent_pk`` for the field ``parent_key``."""
    quote = connection.ops.quote_name
    columns, values = [], []
    for field in _fields(model):
        columns.append(quote(field.column))
        taken = parent_key in (field.name, field.attname)
        values.append(f"{parent_pk if taken else '%s'}::{_cast_type(field)}")
    return columns, values


def _cast_type(field: Any) -> str:
    """The column's type for a value's cast, without a text's length: ``'…'::varchar(8)`` cuts a longer
    text silently, where storing it in the column refuses it (as the ORM's INSERT does)."""
    return re.sub(r"^varchar\(\d+\)$", "varchar", field.db_type(connection))


def _values(obj: models.Model, *, parent_key: str | None = None) -> list[Any]:
    """What the ORM would write for ``obj``'s placeholders in :func:`_layout`: every field's
    ``pre_save`` (``auto_now_add`` stamps), then ``get_db_prep_save`` — but for the values Django writes
    unchanged (:func:`written_as_is`), taken as they are (a third of this function's time went to
    adapting integers, texts and aware date-times to themselves)."""
    if parent_key is not None:
        key: Any = obj._meta.get_field(parent_key)
        if key.is_relation and key.is_cached(obj):
            key.delete_cached_value(obj)  # the unsaved parent itself: its key comes from the statement
    # Related objects set on ``obj`` give their keys (and an unsaved one is refused, as by ``save()``).
    obj._prepare_related_fields_for_save(operation_name="insert_together")  # type: ignore[attr-defined]
    return _written(obj, _insert_plan(connection.vendor, type(obj), parent_key), add=True)


def _written(obj: models.Model, plan: _Plan, *, add: bool) -> list[Any]:
    database, state = database_wrapper(), obj.__dict__
    values = []
    for attname, as_is, field in plan:
        value = state.get(attname, _MISSING)
        if as_is is not None and (value is None or as_is(value)):
            values.append(value)
        else:
            values.append(field.get_db_prep_save(field.pre_save(obj, add), connection=database))
    return values


_Plan = tuple[tuple[str, "Callable[[Any], bool] | None", Any], ...]
_MISSING = object()


@functools.cache
def _insert_plan(vendor: str, model: type[models.Model], parent_key: str | None) -> _Plan:
    """The fields :func:`_values` writes for ``model`` (the ``parent_key`` one aside), each with the test
    of the values it writes as they are (on PostgreSQL; elsewhere Django adapts even those)."""
    fields = [field for field in _fields(model) if parent_key not in (field.name, field.attname)]
    return _plan(vendor, fields)


@functools.cache
def _update_plan(vendor: str, model: type[models.Model], names: tuple[str, ...]) -> _Plan:
    return _plan(vendor, [model._meta.get_field(name) for name in names])


def _plan(vendor: str, fields: Sequence[Any]) -> _Plan:
    """Each field with the test of the values it writes as they are: on PostgreSQL those of
    :func:`written_as_is` but integers, which Django wraps in psycopg's ``Int2``/``Int4``/``Int8`` to
    fix each parameter's type (a plain ``int`` is sent as the smallest type its value fits, and the
    server would prepare the statement again for ids of another size); elsewhere none."""

    def as_is(field: Any) -> Callable[[Any], bool] | None:
        test = written_as_is(field) if vendor == "postgresql" else None
        return None if test is _int else test

    return tuple((field.attname, as_is(field), field) for field in fields)


def _check_child(child: Child, parent: models.Model) -> None:
    """Refuse what one database would take and the other not: a ``parent_key`` that is not a field, a
    foreign key that does not point at the parent's model and key, or the unsaved parent set on another
    relation of the child (SQLite's ORM path would save it in time, the one statement cannot)."""
    meta = child.obj._meta
    if child.parent_key is not None:
        field = meta.get_field(child.parent_key)  # FieldDoesNotExist for a misspelt one
        if field.is_relation and (
            field.related_model is not type(parent) or field.target_field is not parent._meta.pk  # type: ignore[union-attr]
        ):
            raise ValueError(f"{meta.label}.{field.name} does not point at the key of {parent._meta.label}")
    for field in meta.concrete_fields:
        relation: Any = field
        held = field.is_relation and relation.is_cached(child.obj) and relation.get_cached_value(child.obj)
        if held is parent and field.name != child.parent_key:
            raise ValueError(f"{meta.label}.{field.name} holds the parent: name it as the child's parent_key")


def _point_at(child: Child, parent: models.Model) -> None:
    """Set the child's ``parent_key`` field to the parent's key (its text for a non-relation field)."""
    if child.parent_key is None:
        return
    field = child.obj._meta.get_field(child.parent_key)
    if field.is_relation:
        setattr(child.obj, field.name, parent)
    else:
        setattr(child.obj, field.attname, field.to_python(parent.pk))  # type: ignore[union-attr]


def _through_the_orm(parent: models.Model, children: Sequence[Child]) -> None:
    # All or nothing, as the one statement is: a failure marks the caller's transaction for rollback
    # (no savepoint is opened, so no extra statements inside a service's transaction).
    with transaction.atomic(savepoint=False):
        _save_each(parent, children)


def _save_each(parent: models.Model, children: Sequence[Child]) -> None:
    parent.save(force_insert=True)
    for child in children:
        _point_at(child, parent)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for child in children:
        by_model.setdefault(type(child.obj), []).append(child.obj)
    for model, objects in by_model.items():
        model._default_manager.bulk_create(objects)


def _int(value: Any) -> bool:
    return type(value) is int


def _bool(value: Any) -> bool:
    return type(value) is bool


def _float(value: Any) -> bool:
    return type(value) is float


def _str(value: Any) -> bool:
    return isinstance(value, str)  # a choices member too: Django passes any str as it is


def _date(value: Any) -> bool:
    return type(value) is dt.date


def _aware(value: Any) -> bool:
    if type(value) is not dt.datetime:
        return False
    # Django's ``is_aware`` (``utcoffset()`` is not None), known without asking for the zones whose
    # offset is never None (a ZoneInfo's ``utcoffset`` searches its transitions).
    return type(value.tzinfo) in _ALWAYS_AWARE or value.utcoffset() is not None


_ALWAYS_AWARE = (dt.timezone, ZoneInfo)


# Field types and the values of them that Django writes unchanged on PostgreSQL (integers it wraps in
# psycopg's Int2/Int4/Int8, which only name the parameter's type; COPY writes the same text): the demo
# loader passes such values straight to COPY, and the rows written here straight to the statement,
# instead of through ``pre_save`` and ``get_db_prep_save`` (a third of a large table's load). Any other
# value (a numpy integer, a naive date-time, a date in a date-time field) takes Django's path.
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
    "FloatField": _float,
    "CharField": _str,
    "TextField": _str,
    "DateField": _date,
    "DateTimeField": _aware,
}


def database_wrapper() -> Any:
    """This thread's database wrapper itself: ``connection`` is a proxy that looks the wrapper up on every
    attribute, and ``get_db_prep_save`` reads several (a tenth of the follow-up step's time)."""
    return connections[connection.alias]


def written_as_is(field: Field[Any, Any], *, given: bool = False) -> Callable[[Any], bool] | None:
    """Which of its values ``field`` writes unchanged (None: take Django's path for every value);
    ``given``: the field's ``auto_now_add`` stamp is skipped, its own value written."""
    if field.is_relation:
        if type(field).pre_save is not Field.pre_save or not _djangos(field):
            return None
        # A key writes its target's value (its ``get_db_prep_save`` delegates to the target field).
        field = field.target_field  # type: ignore[attr-defined]
    if isinstance(field, DateField):
        if field.auto_now or (field.auto_now_add and not given):
            return None
    elif type(field).pre_save is not Field.pre_save:
        return None
    if not _djangos(field):
        return None  # a project's own field may convert in its own way
    return _UNCHANGED.get(field.get_internal_type())


def _djangos(field: Field[Any, Any]) -> bool:
    return type(field).__module__.startswith("django.db.models.")
