"""Every database connection: parameters the driver cannot send are bad input; PostgreSQL connections
read timestamps with psycopg's C parser and keep long statements parsed (issue 18).

**Parameters.** SQLite's driver cannot bind a number past 64 bits: it raises ``OverflowError`` before
the database sees the statement, and the request ended in a 500 (the API fuzzing found such ids and
counts in filters and bodies). :func:`sendable_parameters` turns that into Django's ``DataError`` —
what PostgreSQL itself raises for a number too large for its column (psycopg sends such a number as a
``numeric``) —, which the API answers with a 400 (``core.api.exceptions``), and logs it with the
statement (not its values). With queries recorded (``DEBUG``, the query-count tests) Django binds the
values once more to log the statement; on SQLite that second binding gives the recorded statement
without its values instead of raising again. The serializers and forms still bound ids and counts
themselves (``lib.text.is_id``, ``core.validators.COUNT_MAX``), with a message that names the field;
this is the net under them.

**Timestamps.**

Django registers its own loader for ``timestamptz`` on every psycopg connection: a subclass of psycopg's
pure-Python loader that parses the text with a regular expression and then replaces the time zone with
the connection's. Every date and time read from PostgreSQL went through it (about 3 µs each in the
queue API's profile, half the time of the hand-written queue query). When the session's time zone is
UTC and Django wants UTC back, as it does with ``USE_TZ`` (always here), psycopg's C loader returns the
very same value: :class:`UtcTimestamptzLoader` keeps Django's class (Django reads its ``timezone`` to
decide whether to register its own loader on a cursor) and hands the parsing to the C loader.

**Long statements.** Before sending a statement psycopg turns its ``%s`` placeholders into ``$1…``, and
keeps the result for statements of up to 4,096 bytes (``psycopg._queries.MAX_CACHED_STATEMENT_LENGTH``):
longer ones, it says, are mostly an ORM's one-off bulk inserts. Ours are the statements compiled once
and run all day (``core.prepared.PreparedQuery``): the follow-up claim (5,045 bytes) and the call's locked
read (4,343) were parsed again on every call, ~20 µs each. :func:`keep_long_statements_parsed` raises
the bound to :data:`LONGEST_KEPT_STATEMENT` at start-up; the cap on parameters (50) still keeps bulk
inserts out, and the cache stays psycopg's (128 statements, least recently used out). The ORM's own
longer statements now enter it too (a few MB a process at most): a run of one-off ones can push the
hot ones out, which are then parsed again, as all of them were before.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DataError
from psycopg import _queries, adapters
from psycopg.abc import AdaptContext
from psycopg.postgres import types
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

logger = logging.getLogger(__name__)
LONGEST_KEPT_STATEMENT = 16_384
TIMESTAMPTZ_OID = types["timestamptz"].oid
# psycopg's global map holds its fastest loader: the C one when psycopg[binary] or [c] is installed.
FASTEST = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


class UtcTimestamptzLoader(TimestamptzLoader):
    """``timestamptz`` text to an aware UTC datetime, parsed by the C loader (registered only on a
    connection whose session time zone is UTC, where the C loader answers ``datetime.timezone.utc``)."""

    timezone = dt.UTC

    def __init__(self, oid: int, context: AdaptContext | None = None):
        super().__init__(oid, context)
        # The C loader's own method, looked up on the instance by psycopg's row maker: no Python frame
        # per value.
        self.load = FASTEST(oid, context).load  # type: ignore[misc,method-assign]


def fast_timestamps(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: use :class:`UtcTimestamptzLoader` where it gives Django's own answer."""
    if connection.vendor != "postgresql" or FASTEST is None or FASTEST is TimestamptzLoader:
        return
    raw = connection.connection
    if connection.timezone is not dt.UTC or raw.info.parameter_status("TimeZone") != "UTC":
        return
    raw.adapters.register_loader(TIMESTAMPTZ_OID, UtcTimestamptzLoader)


def sendable_parameters(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """A Django execute wrapper: ``OverflowError`` while the driver binds a parameter is a ``DataError``."""
    try:
        return execute(sql, params, many, context)
    except OverflowError as error:
        # A caller's number, or one the server computed: the statement says which (its values may be a
        # patient's, so they stay out of the log).
        logger.warning("A parameter the database cannot take (%s) in: %s", error, sql)
        raise DataError(f"a parameter the database cannot take: {error}") from error


def guard_parameters(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: install :func:`sendable_parameters` once per connection object, first in
    the list (``connection.execute_wrapper()`` removes the last one when its block ends, and a connection
    may be opened inside such a block); on SQLite, let the recorded statement do without its values."""
    if sendable_parameters not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, sendable_parameters)
    ops = connection.ops
    if connection.vendor == "sqlite" and "last_executed_query" not in vars(ops):
        bound = ops.last_executed_query

        def last_executed_query(cursor: Any, sql: str, params: Any) -> str:
            try:
                return bound(cursor, sql, params)
            except OverflowError:  # the values cannot be bound a second time either
                return sql

        ops.last_executed_query = last_executed_query


def keep_long_statements_parsed() -> None:
    """Let psycopg keep the parsed form of statements up to :data:`LONGEST_KEPT_STATEMENT` bytes (see the
    module's text). A psycopg without the setting is refused at start-up rather than silently slower."""
    if not isinstance(getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", None), int):
        raise ImproperlyConfigured("psycopg no longer has MAX_CACHED_STATEMENT_LENGTH: see core/db.py")
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST_KEPT_STATEMENT)
