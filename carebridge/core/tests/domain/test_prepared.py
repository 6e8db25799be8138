"""A prepared query gives what its queryset gives, compiles once, and refuses a query it cannot prepare
(``core.prepared``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat
from django.db.transaction import TransactionManagementError

from carebridge.core.models import AuditEvent, Staff
from carebridge.core.prepared import STAND_IN_ID, STAND_IN_TIME, PreparedQuery, from_rows
from carebridge.core.tests.factories import HospitalFactory, StaffFactory

DB = DEFAULT_DB_ALIAS


def staff_with_hospital(*, pk: int):
    return (
        Staff.objects.select_related("hospital")
        .annotate(label=Concat(F("name"), Value("@"), F("hospital__code"), output_field=CharField()))
        .filter(pk=pk)
    )


def events_since(*, actor: int, since: dt.datetime):
    return AuditEvent.objects.filter(actor_id=actor, at__gte=since).order_by("id").values_list("id")


@pytest.fixture
def staff(db):
    hospital = HospitalFactory(code="prep")
    return [StaffFactory(hospital=hospital, name=f"医生{n}") for n in range(3)]


def test_a_prepared_read_gives_the_instances_relations_and_annotations_of_its_queryset(staff):
    prepared = PreparedQuery(staff_with_hospital, stand_ins={"pk": STAND_IN_ID})
    for member in staff:
        got = prepared.get(using=DB, pk=member.pk)
        expected = staff_with_hospital(pk=member.pk).get()
        assert (got.pk, got.name, got.label) == (expected.pk, expected.name, f"{member.name}@prep")
        assert "hospital" in got._state.fields_cache  # read with the row, not fetched afterwards
        assert got.hospital.code == "prep"
        assert not got._state.adding and got._state.db == DB


def test_it_compiles_once_and_answers_like_get(staff, django_assert_num_queries):
    built = []

    def build(*, pk: int):
        built.append(pk)
        return staff_with_hospital(pk=pk)

    prepared = PreparedQuery(build, stand_ins={"pk": STAND_IN_ID})
    prepared.get(using=DB, pk=staff[0].pk)
    assert built == [STAND_IN_ID, staff[0].pk]  # compiled with the stand-in, checked once with the value
    with django_assert_num_queries(1):
        assert prepared.get(using=DB, pk=staff[1].pk).pk == staff[1].pk
    assert built == [STAND_IN_ID, staff[0].pk]
    with pytest.raises(Staff.DoesNotExist):
        prepared.get(using=DB, pk=staff[2].pk + 1000)


def test_the_statement_is_the_one_django_compiles_for_the_values(staff):
    prepared = PreparedQuery(events_since, stand_ins={"actor": STAND_IN_ID, "since": STAND_IN_TIME})
    shanghai = dt.timezone(dt.timedelta(hours=8))
    for actor, since in (
        (7, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
        (8, dt.datetime(2026, 12, 6, 8, tzinfo=shanghai)),
    ):
        expected = events_since(actor=actor, since=since).query.get_compiler(using=DB).as_sql()
        assert prepared.statement(using=DB, actor=actor, since=since) == (expected[0], list(expected[1]))


def test_variants_keep_statements_apart(staff):
    """Other arguments of a run go to the queryset as they are; the variant tells their statements apart."""

    def build(*, pk: int, named: bool):
        return Staff.objects.filter(pk=pk, name__startswith="医" if named else "x")

    prepared = PreparedQuery(build, stand_ins={"pk": STAND_IN_ID})
    assert len(prepared.all(using=DB, variant=True, pk=staff[0].pk, named=True)) == 1
    assert prepared.all(using=DB, variant=False, pk=staff[0].pk, named=False) == []


def test_a_query_that_derives_from_a_value_is_refused(staff):
    def build(*, since: dt.datetime):
        return AuditEvent.objects.filter(at__gte=since - dt.timedelta(days=1))

    prepared = PreparedQuery(build, stand_ins={"since": STAND_IN_TIME})
    with pytest.raises(ImproperlyConfigured, match="cannot be prepared"):
        prepared.all(using=DB, since=dt.datetime(2026, 12, 6, tzinfo=dt.UTC))


def test_rows_come_converted_as_from_the_queryset(staff):
    """Date-times (text on SQLite) and JSON come back as Django's converters make them."""
    for member in staff:
        AuditEvent.objects.create(
            actor=None,
            action="prepared.test",
            object_type="core.staff",
            object_id=str(member.pk),
            changes={"name": member.name},
        )

    def events(*, since: dt.datetime):
        return (
            AuditEvent.objects.filter(action="prepared.test", at__gte=since)
            .order_by("id")
            .values_list("object_id", "at", "changes")
        )

    prepared = PreparedQuery(events, stand_ins={"since": STAND_IN_TIME})
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    rows = prepared.rows(using=DB, since=since)
    assert rows == list(events(since=since))
    assert isinstance(rows[0][1], dt.datetime) and rows[0][2] == {"name": staff[0].name}
    assert prepared.rows(using=DB, since=dt.datetime(2999, 1, 1, tzinfo=dt.UTC)) == []


def test_rows_hold_only_the_select_where_django_adds_ordering_columns(staff):
    """A distinct query ordered by a column it does not select: Django selects that column too and
    trims it from the rows; so does the prepared read."""

    def names(*, hospital: int):
        return Staff.objects.filter(hospital_id=hospital).values_list("name").distinct().order_by("-id")

    prepared = PreparedQuery(names, stand_ins={"hospital": STAND_IN_ID})
    rows = prepared.rows(using=DB, hospital=staff[0].hospital_id)
    assert rows == list(names(hospital=staff[0].hospital_id)) == [("医生2",), ("医生1",), ("医生0",)]


def test_instances_from_a_hand_written_statement_are_converted_as_the_orms(staff):
    event = AuditEvent.objects.create(
        action="prepared.rows", object_type="core.staff", object_id="1", changes={"科室": ["甲", None]}
    )
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in AuditEvent._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [event.pk])  # noqa: S608
        rows = cursor.fetchall()

    (got,) = from_rows(AuditEvent, rows, using=DB)
    expected = AuditEvent.objects.get(pk=event.pk)
    assert [getattr(got, f.attname) for f in AuditEvent._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in AuditEvent._meta.concrete_fields
    ]
    assert got.changes == {"科室": ["甲", None]} and isinstance(got.at, dt.datetime) and got.at.tzinfo
    assert not got._state.adding and got._state.db == DB
    with pytest.raises(ValueError, match="columns"):
        from_rows(AuditEvent, [rows[0][:-1]], using=DB)


def test_a_query_empty_for_the_stand_in_only_is_refused_and_an_empty_one_answers_nothing(staff):
    def build(*, pk: int):
        return Staff.objects.none() if pk < 0 else Staff.objects.filter(pk=pk)

    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(build, stand_ins={"pk": STAND_IN_ID}).all(using=DB, pk=staff[0].pk)

    def never(*, pk: int):
        return Staff.objects.none()

    nothing = PreparedQuery(never, stand_ins={"pk": STAND_IN_ID})
    assert nothing.all(using=DB, pk=staff[0].pk) == []
    with pytest.raises(EmptyResultSet):
        nothing.statement(using=DB, pk=staff[0].pk)


@pytest.mark.parametrize("pk", [None, "5", True, 5.0])
def test_a_value_unlike_its_stand_in_is_refused(staff, pk):
    """Django would have treated it otherwise (``IS NULL``, a text made a number, …) than the stand-in."""
    prepared = PreparedQuery(staff_with_hospital, stand_ins={"pk": STAND_IN_ID})
    with pytest.raises(TypeError, match="pk must be like"):
        prepared.get(using=DB, pk=pk)


def test_a_naive_date_time_and_a_shared_stand_in_are_refused(staff):
    prepared = PreparedQuery(events_since, stand_ins={"actor": STAND_IN_ID, "since": STAND_IN_TIME})
    with pytest.raises(TypeError, match="since must be like"):
        prepared.statement(using=DB, actor=1, since=dt.datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ImproperlyConfigured, match="same stand-in"):
        PreparedQuery(events_since, stand_ins={"actor": STAND_IN_ID, "since": STAND_IN_ID})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_it_compiles_without_one_and_locks_only_inside_one(django_assert_num_queries):
    """On SQLite a transaction begins by taking the write lock: a read must not open one to compile."""
    member = StaffFactory(hospital=HospitalFactory(code="prep-tx"))
    prepared = PreparedQuery(staff_with_hospital, stand_ins={"pk": STAND_IN_ID})
    with django_assert_num_queries(1):  # the read itself, no BEGIN
        assert prepared.get(using=DB, pk=member.pk) == member

    def locked(*, pk: int):
        return Staff.objects.select_for_update().filter(pk=pk)

    locking = PreparedQuery(locked, stand_ins={"pk": STAND_IN_ID})
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            locking.get(using=DB, pk=member.pk)
    with transaction.atomic():
        assert locking.get(using=DB, pk=member.pk) == member


def named(*, pk: int, text: str = "50%的'护士'\\"):
    """A read with fixed values beside its stand-in: a text with a per cent sign, quotes and a backslash,
    a list of texts, a flag, a negative number, and Django's own ``%%`` (a prefix match on a column)."""
    return (
        Staff.objects.filter(Q(pk=pk) | Q(name=text), hospital__code__in=["prep", "其他"], is_active=True)
        .filter(id__gt=-5, name__startswith=F("name"))
        .order_by("id")
    )


def test_on_postgresql_fixed_texts_are_written_in_and_the_rest_is_sent(staff):
    """What the connection sends for the fixed texts and flags is their literal, so a statement psycopg
    prepares (the web workers' server-side binding) can be planned once with them; ids and numbers stay
    parameters (one statement text for every agent of a role). SQLite gets Django's own."""
    staff[2].name = "50%的'护士'\\"
    staff[2].save(update_fields=["name"])
    prepared = PreparedQuery(named, stand_ins={"pk": STAND_IN_ID})
    sql, params = prepared.statement(using=DB, pk=staff[0].pk)
    django_sql, django_params = named(pk=staff[0].pk).query.get_compiler(using=DB).as_sql()
    if connection.vendor == "postgresql":
        assert params == [staff[0].pk, -5]
        assert sql.count("%s") == 2 and "'其他'" in sql and "50%%的''护士''" in sql
        assert sql.count("%%") == django_sql.count("%%") + 1  # the prefix match's own kept, the text's
    else:
        assert (sql, params) == (django_sql, list(django_params))
    expected = [staff[0].pk, staff[2].pk]
    assert [member.pk for member in prepared.all(using=DB, pk=staff[0].pk)] == expected
    assert [member.pk for member in prepared.all(using=DB, pk=staff[1].pk)] == [staff[1].pk, staff[2].pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert [row[0] for row in cursor.fetchall()] == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side binding is psycopg's")
def test_the_server_prepares_it_with_the_stand_ins_and_numbers_only_and_plans_it_generically(staff):
    """The web workers bind on the server and psycopg prepares what a connection repeats: PostgreSQL
    holds the statement with two parameters (not the texts) and its generic plan gives the rows."""
    import psycopg

    staff[1].name = "50%的'护士'\\"
    staff[1].save(update_fields=["name"])
    sql, params = PreparedQuery(named, stand_ins={"pk": STAND_IN_ID}).statement(using=DB, pk=staff[0].pk)
    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, 0  # Django's connection prepares nothing
    try:
        with psycopg.Cursor(raw) as cursor:  # binds on the server, in the test's transaction
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            for _ in range(2):
                cursor.execute(sql, params)
                assert [row[0] for row in cursor.fetchall()] == [staff[0].pk, staff[1].pk]
            cursor.execute(
                "SELECT cardinality(parameter_types), statement FROM pg_prepared_statements"
                " WHERE statement LIKE %s",
                ["%50\\%的%"],
            )
            ((count, statement),) = cursor.fetchall()
    finally:
        raw.prepare_threshold = threshold
    assert count == 2 and "'其他'" in statement


def test_when_full_it_drops_its_oldest_statement_and_keeps_the_others(staff):
    built = []

    def build(*, pk: int, variant_of: str):
        built.append(variant_of)
        return staff_with_hospital(pk=pk)

    prepared = PreparedQuery(build, stand_ins={"pk": STAND_IN_ID}, kept=2)
    for name in ("first", "second", "third"):
        assert prepared.get(using=DB, variant=name, pk=staff[0].pk, variant_of=name).pk == staff[0].pk
    assert [variant for _, variant in prepared._compiled] == ["second", "third"]
    built.clear()
    prepared.get(using=DB, variant="third", pk=staff[1].pk, variant_of="third")
    assert built == []  # still compiled
    prepared.get(using=DB, variant="first", pk=staff[1].pk, variant_of="first")
    assert built == ["first", "first"] and [v for _, v in prepared._compiled] == ["third", "first"]
