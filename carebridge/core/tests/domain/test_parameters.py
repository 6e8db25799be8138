"""A parameter the database driver cannot send is a ``DataError`` (bad input, a 400 in the API), not an
``OverflowError`` that ends the request in a 500 (``core.db.sendable_parameters``)."""

from __future__ import annotations

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext

from carebridge.core.db import guard_parameters, sendable_parameters

TOO_LARGE = 2**70


def test_an_overflow_while_binding_becomes_a_data_error():
    def execute(sql, params, many, context):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    with pytest.raises(DataError, match="cannot take") as raised:
        sendable_parameters(execute, "SELECT %s", [TOO_LARGE], False, {})
    assert isinstance(raised.value.__cause__, OverflowError)


def test_other_errors_and_results_pass_through():
    assert sendable_parameters(lambda *args: "rows", "SELECT 1", None, False, {}) == "rows"

    def failing(sql, params, many, context):
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        sendable_parameters(failing, "SELECT 1", None, False, {})


@pytest.mark.django_db
def test_installed_once_and_first_and_kept_by_a_temporary_wrapper():
    connection.ensure_connection()
    guard_parameters(sender=None, connection=connection)  # as on a reconnection of the same connection
    assert connection.execute_wrappers.count(sendable_parameters) == 1

    def passing(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    connection.execute_wrappers.remove(sendable_parameters)
    try:
        with connection.execute_wrapper(passing):
            guard_parameters(sender=None, connection=connection)  # a connection opened inside the block
            assert connection.execute_wrappers == [sendable_parameters, passing]
        assert connection.execute_wrappers == [sendable_parameters]
    finally:
        if sendable_parameters not in connection.execute_wrappers:
            connection.execute_wrappers.insert(0, sendable_parameters)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's driver cannot bind a number past 64 bits")
def test_a_statement_with_a_number_past_64_bits_is_a_data_error():
    # (The ORM's own lookups already treat an id no column can hold as matching nothing.)
    with connection.cursor() as cursor, pytest.raises(DataError):
        cursor.execute("SELECT %s", [TOO_LARGE])


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's driver cannot bind a number past 64 bits")
def test_with_queries_recorded_too(caplog):
    # DEBUG and the query-count tests bind the values again to record the statement.
    with (
        CaptureQueriesContext(connection) as recorded,
        connection.cursor() as cursor,
        pytest.raises(DataError),
    ):
        cursor.execute("SELECT %s", [TOO_LARGE])
    assert recorded.captured_queries[-1]["sql"] == "SELECT %s"
    assert "cannot take" in caplog.text and "SELECT %s" in caplog.text
    assert str(TOO_LARGE) not in caplog.text
