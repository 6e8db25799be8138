"""Querysets compiled once and run again with other values (issue 18).

For a one-row read Django spends more time building and compiling the query than the database spends
running it: the follow-up call's locked read (the call, its plan, hospital, follow-up policy and
patient, with the patient's first number) cost 1.4 of its 1.8 ms of CPU in the compiler, and the
queue's claim selects 2.1 of 2.7 ms. A :class:`PreparedQuery` builds and compiles its queryset once per
process, database and variant, with *stand-ins* in place of the values that change from run to run (a
primary key, the current time), and each run sends the compiled statement with the stand-ins replaced.

It is only for values that reach the statement as themselves: ids and other plain values, and
date-times (as the backend adapts them). A value the query derives something from (``now + 2 hours``,
``pk + 1``) would keep the stand-in's result: the first run of each compiled statement therefore
compiles the queryset with the real values too and raises ``ImproperlyConfigured`` when the two
statements differ other than by the values.

Model instances come back as from the queryset itself, built as Django's ``ModelIterable`` builds them
but with its per-run set-up (each column's converters, the related objects' populators) worked out once
per statement: related objects of ``select_related`` and annotations included, not ``prefetch_related``
(prefetch afterwards); the rows of a ``values_list()`` queryset with Django's converters applied.
:func:`from_rows` does the same for a hand-written statement that returns a model's columns.

**On PostgreSQL the fixed texts and flags are written into the statement** (the literals psycopg's
client-side binding sends), and every other value goes apart as a parameter. The web workers bind on
the server (``gunicorn.conf.py``): psycopg prepares a statement a connection runs more than
``DB_PREPARE_THRESHOLD`` times, and PostgreSQL may then plan it once for all values (a *generic* plan).
With the call's status, kind and step as parameters that plan could not use the queue's partial index
and scanned and sorted every open call (the claim: 119 ms instead of 1 ms). Ids and numbers stay
parameters: they choose no index, and agents of one role and scope keep one statement text, which a
pooled connection prepares once for all of them.

A run's values must be like their stand-ins (an ``int`` for an id, an aware date-time, a text; never
``None``), as Django would treat them otherwise, and a query that locks rows runs only inside a
transaction, as Django requires.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.transaction import TransactionManagementError
from psycopg import sql as psycopg_sql

M = TypeVar("M", bound=Model)

# Stand-ins no real value takes: a negative id, an instant of 1970 (to the microsecond), a text.
STAND_IN_ID = -(2**31) + 17
STAND_IN_TIME = dt.datetime(1970, 1, 1, 0, 0, 0, 17, tzinfo=dt.UTC)
STAND_IN_TEXT = "core.prepared: stand-in"


def _adapt(connection: Any, value: Any) -> Any:
    """``value`` as a compiled statement holds it among its parameters."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _is_in(param: Any, by_value: dict[Any, str]) -> bool:
    try:
        return param in by_value
    except TypeError:  # a list or other unhashable parameter is no stand-in
        return False


@dataclass
class _Compiled:
    compiler: Any  # Django's compiler, set up by compiling: its select and related-object layout
    sql: str
    params: tuple[Any, ...]
    slots: dict[int, str]  # parameter position → the name of the value it takes
    sent: str = ""  # the statement as sent: on PostgreSQL with the fixed texts and flags written in
    # What its placeholders take, in order: a stand-in's name or a fixed parameter's position (None: all).
    sent_slots: tuple[int | str, ...] | None = None
    checked: bool = False
    empty: bool = False  # the queryset can have no rows (``none()``, ``pk__in=[]``): nothing is sent
    _reading: _Reading | None = None

    def reading(self) -> _Reading:
        if self._reading is None:
            self._reading = _Reading(self.compiler)
        return self._reading


class _Reading:
    """How a compiled query's rows become values and instances, worked out once (Django's
    ``results_iter`` and ``ModelIterable`` work it out again for every run: the converters of each
    column, the related objects' populators)."""

    def __init__(self, compiler: Any) -> None:
        self.alias = compiler.using
        self.width = compiler.col_count if compiler.has_extra_select else None
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())
        klass_info = compiler.klass_info
        if klass_info is None:  # values_list(): no instances
            return
        self.model = klass_info["model"]
        fields_at = klass_info["select_fields"]
        self.start, self.end = fields_at[0], fields_at[-1] + 1
        self.names = [column[0].target.attname for column in compiler.select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, compiler.select, self.alias)
        self.annotations = list(compiler.annotation_col_map.items())

    def converted(self, rows: list[Any], connection: Any) -> list[tuple[Any, ...]]:
        """The rows as Django's ``results_iter`` gives them: trimmed to the select, converted."""
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        return [tuple(_converted(row, self.converters, connection)) for row in rows]

    def instances(self, rows: list[Any], connection: Any) -> list[Any]:
        """The instances as Django's ``ModelIterable`` builds them (the queryset's related objects and
        annotations included)."""
        made = []
        for row in self.converted(rows, connection):
            obj = self.model.from_db(self.alias, self.names, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            made.append(obj)
        return made


_COLUMN_CONVERTERS: dict[tuple[type[Model], str], list[tuple[int, Any]]] = {}


def from_rows(model: type[M], rows: list[Any], *, using: str) -> list[M]:
    """Instances of ``model`` from rows of all its concrete columns in their order (what a hand-written
    statement's ``RETURNING`` or ``SELECT`` gives), converted as the ORM converts them. The converters are
    worked out once per model and database (``raw()`` works them out, and the columns, on every run)."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    converters = _COLUMN_CONVERTERS.get((model, using))
    if converters is None:
        compiler = model._base_manager.none().query.get_compiler(using=using)
        columns = [field.get_col(model._meta.db_table) for field in fields]
        converters = _COLUMN_CONVERTERS[(model, using)] = list(compiler.get_converters(columns).items())
    names = [field.attname for field in fields]
    made = []
    for row in rows:
        if len(row) != len(names):
            raise ValueError(f"{model.__name__} has {len(names)} columns, the row {len(row)}")
        made.append(model.from_db(using, names, _converted(row, converters, connection)))
    return made


def _converted(row: Any, converters: list[tuple[int, Any]], connection: Any) -> list[Any]:
    """The row's values with each column's converters applied, as Django's ``apply_converters``."""
    values = list(row)
    for position, (functions, expression) in converters:
        for convert in functions:
            values[position] = convert(values[position], expression, connection)
    return values


_PLACEHOLDER = re.compile(r"%%|%s")


def _written_in(
    connection: Any, sql: str, params: tuple[Any, ...], slots: dict[int, str]
) -> tuple[str, tuple[int | str, ...]]:
    """``sql`` with each fixed text and flag written in as psycopg's literal for it (what client-side
    binding sends), and for each placeholder left, in order, the stand-in's name or the fixed
    parameter's position."""
    connection.ensure_connection()
    context = connection.connection
    kept: list[int | str] = []
    position = 0

    def written(match: re.Match[str]) -> str:
        nonlocal position
        if match.group() == "%%":
            return "%%"
        at, position = position, position + 1
        value = params[at]
        if at in slots or not isinstance(value, (str, bool)):
            kept.append(slots.get(at, at))
            return "%s"
        # Psycopg reads the statement for placeholders still: a per cent sign in a literal is doubled.
        return psycopg_sql.Literal(value).as_string(context).replace("%", "%%")

    sent = _PLACEHOLDER.sub(written, sql)
    if position != len(params):
        raise ImproperlyConfigured(f"{len(params)} parameters for {position} placeholders in: {sql}")
    return sent, tuple(kept)


@dataclass
class PreparedQuery(Generic[M]):
    """``build(**values)`` → the queryset; ``stand_ins`` maps each changing value's name to its
    stand-in (:data:`STAND_IN_ID`, :data:`STAND_IN_TIME`, :data:`STAND_IN_TEXT`). Other keyword
    arguments of a run go to ``build`` as they are, and must be told apart by the run's ``variant``
    (one statement is compiled per database and variant)."""

    build: Callable[..., QuerySet[M]]
    stand_ins: dict[str, Any]
    kept: int = 1024  # compiled statements kept (the oldest is dropped when there would be more)
    _compiled: dict[Hashable, _Compiled] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if len(set(self.stand_ins.values())) != len(self.stand_ins):
            raise ImproperlyConfigured(f"{self.build.__qualname__}: two values have the same stand-in.")

    def statement(self, *, using: str, variant: Hashable = (), **values: Any) -> tuple[str, list[Any]]:
        """The compiled SQL and its parameters for ``values``; ``EmptyResultSet`` (as from Django's
        compiler) when the queryset can have no rows."""
        compiled = self._prepare(using, variant, values)
        if compiled.empty:
            raise EmptyResultSet
        return self._sent(compiled, using, values)

    def all(self, *, using: str, variant: Hashable = (), **values: Any) -> list[M]:
        """The model instances the queryset built with ``values`` would give."""
        compiled, rows = self._run(using, variant, values)
        return [] if compiled is None else compiled.reading().instances(rows, connections[using])

    def rows(self, *, using: str, variant: Hashable = (), **values: Any) -> list[tuple[Any, ...]]:
        """The rows of a ``values_list()`` queryset built with ``values``, converted as Django does
        (a date-time read from SQLite's text, a decimal, JSON)."""
        compiled, rows = self._run(using, variant, values)
        return [] if compiled is None else compiled.reading().converted(rows, connections[using])

    def _run(
        self, using: str, variant: Hashable, values: dict[str, Any]
    ) -> tuple[_Compiled | None, list[Any]]:
        """The compiled query and the rows its statement for ``values`` gives on this thread's
        connection (``None`` and no rows for a queryset that can have no rows)."""
        compiled = self._prepare(using, variant, values)
        if compiled.empty:
            return None, []
        connection = connections[using]
        locks = compiled.compiler.query.select_for_update and connection.features.has_select_for_update
        if locks and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        with connection.cursor() as cursor:
            cursor.execute(*self._sent(compiled, using, values))
            return compiled, cursor.fetchall()

    def get(self, *, using: str, variant: Hashable = (), **values: Any) -> M:
        """The one instance, as ``QuerySet.get`` (``DoesNotExist``, ``MultipleObjectsReturned``)."""
        rows = self.all(using=using, variant=variant, **values)
        if len(rows) == 1:
            return rows[0]
        model = self._prepare(using, variant, values).compiler.query.model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}.")

    def _sent(self, compiled: _Compiled, using: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
        """The statement and the parameters it is sent with for ``values``."""
        if compiled.sent_slots is None:
            return compiled.sql, self._params(compiled, using, values)
        connection = connections[using]
        return compiled.sent, [
            compiled.params[slot] if isinstance(slot, int) else _adapt(connection, values[slot])
            for slot in compiled.sent_slots
        ]

    def _params(self, compiled: _Compiled, using: str, values: dict[str, Any]) -> list[Any]:
        """Every parameter of the compiled statement, the stand-ins' replaced by ``values``."""
        connection = connections[using]
        params = list(compiled.params)
        for position, name in compiled.slots.items():
            params[position] = _adapt(connection, values[name])
        return params

    def _refuse_unlike(self, values: dict[str, Any]) -> None:
        """A value Django would have treated otherwise than it treated the stand-in: ``None`` (``IS NULL``,
        not ``= NULL``), a naive date-time (made aware in the current zone), another type (``"5"``)."""
        for name, stand_in in self.stand_ins.items():
            value = values[name]
            naive = isinstance(value, dt.datetime) and value.utcoffset() is None
            if not isinstance(value, type(stand_in)) or isinstance(value, bool) or naive:
                raise TypeError(f"{self.build.__qualname__}: {name} must be like {stand_in!r}, not {value!r}")

    def _prepare(self, using: str, variant: Hashable, values: dict[str, Any]) -> _Compiled:
        self._refuse_unlike(values)
        compiled = self._compiled.get((using, variant))
        if compiled is None:
            compiled = self._compile(using, {**values, **self.stand_ins})
            while len(self._compiled) >= self.kept:  # the oldest first (a dict keeps insertion order)
                self._compiled.pop(next(iter(self._compiled)), None)
            self._compiled[(using, variant)] = compiled
        if not compiled.checked:
            self._check(compiled, using, values)
        return compiled

    def _compile(self, using: str, values: dict[str, Any], *, sent: bool = True) -> _Compiled:
        connection = connections[using]
        compiler = self.build(**values).query.get_compiler(using=using)
        try:
            sql, params = self._compiled_sql(compiler, connection)
        except EmptyResultSet:
            return _Compiled(compiler=compiler, sql="", params=(), slots={}, empty=True)
        by_value = {_adapt(connection, stand_in): name for name, stand_in in self.stand_ins.items()}
        slots = {
            position: by_value[param] for position, param in enumerate(params) if _is_in(param, by_value)
        }
        compiled = _Compiled(compiler=compiler, sql=sql, params=tuple(params), slots=slots)
        if sent and connection.vendor == "postgresql":
            compiled.sent, compiled.sent_slots = _written_in(connection, sql, params, slots)
        return compiled

    @staticmethod
    def _compiled_sql(compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        """Django compiles ``FOR UPDATE`` only inside a transaction (a lock released at once is usually
        a mistake): such a query is compiled in one, which sends nothing to PostgreSQL; any other query
        outside one (on SQLite a transaction begins by taking the write lock, ``BEGIN IMMEDIATE``)."""
        locks = compiler.query.select_for_update and connection.features.has_select_for_update
        if not (locks and connection.get_autocommit()):
            return compiler.as_sql()
        with transaction.atomic(using=connection.alias, savepoint=False):
            return compiler.as_sql()

    def _check(self, compiled: _Compiled, using: str, values: dict[str, Any]) -> None:
        """Once per compiled statement: the queryset compiled with the real values is the same (or as
        empty)."""
        fresh = self._compile(using, values, sent=False)  # the statement as sent derives from these
        if (fresh.sql, list(fresh.params)) != (compiled.sql, self._params(compiled, using, values)):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__} cannot be prepared: its statement depends on the values"
                " other than by holding them (a value derived from one, or a different query)."
            )
        compiled.checked = True
