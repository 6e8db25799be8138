"""On PostgreSQL, timestamps are parsed by psycopg's C loader and come back exactly as Django's own loader
gives them: aware, in UTC, to the microsecond; long statements are parsed once (``core/db.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg import _queries
from psycopg.types.datetime import TimestamptzLoader

from carebridge.core.db import (
    FASTEST,
    LONGEST_KEPT_STATEMENT,
    TIMESTAMPTZ_OID,
    UtcTimestamptzLoader,
    fast_timestamps,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a loader of PostgreSQL's driver"),
]

# The server sends every value in the session's zone (UTC, "+00"); the literals' own offsets only vary
# the instants.
LITERALS = [
    "2026-12-06 15:04:05.123456+08",
    "2026-03-29 01:59:59+00",
    "1900-01-01 00:00:00.5-05:30",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


class DjangoUtcLoader(BaseTzLoader):
    timezone = dt.UTC


def test_the_connection_reads_timestamps_with_the_c_parser():
    assert FASTEST is not TimestamptzLoader  # psycopg[binary]'s loader, not the pure-Python one
    with connection.cursor() as cursor:
        assert cursor.connection.adapters.get_loader(TIMESTAMPTZ_OID, 0) is UtcTimestamptzLoader


def test_a_session_in_another_time_zone_keeps_djangos_loader():
    """The C loader answers in the session's zone; Django's replaces it by UTC. Where the session is not
    in UTC the two differ, and Django's stays."""
    with connection.cursor() as cursor:
        raw = cursor.connection
        raw.adapters.register_loader(TIMESTAMPTZ_OID, DjangoUtcLoader)
        try:
            cursor.execute("SET LOCAL TIME ZONE 'Asia/Shanghai'")
            fast_timestamps(sender=None, connection=connection)
            assert raw.adapters.get_loader(TIMESTAMPTZ_OID, 0) is DjangoUtcLoader
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
            fast_timestamps(sender=None, connection=connection)
            assert raw.adapters.get_loader(TIMESTAMPTZ_OID, 0) is UtcTimestamptzLoader
        finally:
            raw.adapters.register_loader(TIMESTAMPTZ_OID, UtcTimestamptzLoader)


@pytest.mark.parametrize("literal", LITERALS)
def test_a_timestamp_reads_as_djangos_own_loader_reads_it(literal):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [literal])
        (ours,) = cursor.fetchone()
        cursor.execute("SELECT %s::timestamptz::text", [literal])
        (text,) = cursor.fetchone()
    djangos = DjangoUtcLoader(TIMESTAMPTZ_OID, None).load(text.encode())
    assert ours == djangos and ours.tzinfo is dt.UTC
    assert (ours.year, ours.microsecond) == (djangos.year, djangos.microsecond)


def test_a_model_field_round_trips_through_the_orm():
    at = dt.datetime(2026, 12, 6, 7, 8, 9, 10, tzinfo=dt.UTC)
    user = get_user_model().objects.create(username="zhao", last_login=at)
    read = get_user_model().objects.values_list("last_login", flat=True).get(pk=user.pk)
    assert read == at and read.tzinfo is dt.UTC


def test_a_long_statement_is_parsed_once_and_kept():
    """psycopg keeps the parsed form of statements longer than its own 4,096-byte bound, as the ones
    compiled once are (the follow-up claim: 5,045 bytes): the second run is a hit in its cache (the
    server-side binding's or the client-side one's, whichever the connection uses)."""
    statement = "SELECT " + ", ".join(f"{i} AS column_{i:04d}" for i in range(400)) + ", %s AS chosen"
    assert len(statement.encode()) > 4096
    assert _queries.MAX_CACHED_STATEMENT_LENGTH == LONGEST_KEPT_STATEMENT > len(statement.encode())
    with connection.cursor() as cursor:
        cursor.execute(statement, [1])
        hits = _parsed_hits()
        cursor.execute(statement, [2])
        assert cursor.fetchone()[-1] == 2
        assert _parsed_hits() == hits + 1


def _parsed_hits() -> int:
    return _queries._query2pg.cache_info().hits + _queries._query2pg_client.cache_info().hits
