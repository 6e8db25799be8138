"""Claiming calls from the queue: two agents never get the same patient, even when they click together.

A claim is one conditional ``UPDATE … SET claimed_by = me WHERE id = … AND (claimed_by IS NULL OR
claimed_until < now OR claimed_by = me) AND <still callable>``; the database applies it to one row
atomically (SQLite takes the write lock for the statement, PostgreSQL re-checks the condition after the
row lock), so of many concurrent claims exactly one changes a row. No ``SELECT … FOR UPDATE`` is needed
and nothing waits on a lock longer than the statement. A claim lapses after the policy's
``claim_minutes``; :func:`claims_release_expired` clears lapsed claims for the lists.

"Next call" (:func:`call_claim_next`) is one statement too: ``UPDATE … WHERE id = (SELECT id FROM <the
actor's queue> ORDER BY due, tier LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id``. On PostgreSQL the
sub-select passes over rows another agent's claim holds locked and re-checks a row that changed since
the statement began, so twenty agents starting together each get a different call at once, none is
told "empty" while a claimable call is left, and none waits. On PostgreSQL the held-call check, the
claim length and the audit row ride in the same statement (one round trip per claim). SQLite has no row
locks: the statement runs under the database's write lock, which serialises claims
(bench/followup_queue.py measures both properties).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import AuditEvent
from carebridge.core.prepared import STAND_IN_TIME, PreparedQuery, from_rows
from carebridge.core.scope import scope_for, scope_variant
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, EscalationStep
from carebridge.followup.models import FollowupPolicy, Touchpoint
from carebridge.followup.models.plans import QUEUE_ORDER
from carebridge.followup.selectors.calls import call_queue
from carebridge.followup.services.defaults import policy_for


def _claimable(actor: Actor, now: dt.datetime) -> Q:
    """Still a phone call to make, and free (or lapsed, or already the actor's).

    Only the touchpoint's own columns: with a join Django would write ``WHERE id IN (subquery)``, and
    PostgreSQL re-checks a blocked UPDATE's condition on the new row version only for the target table
    itself, so the patient's consent is checked by the queue selector before the claim instead."""
    return (
        Q(status__in=OPEN_TOUCHPOINT, kind__in=CALL_KINDS, step=EscalationStep.PHONE)
        # Not before its redial time: an agent who read the queue just before a colleague recorded
        # "no answer" must not dial the family again a few seconds later (bench/followup_queue.py).
        & (Q(available_at__isnull=True) | Q(available_at__lte=now))
        & (Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=actor))
    )


def _claim_minutes(touchpoint: Touchpoint) -> int:
    return policy_for(touchpoint.hospital).claim_minutes


def call_claim(*, touchpoint: Touchpoint, actor: Actor, now: dt.datetime | None = None) -> Touchpoint:
    """Take a call for ``actor``; refuse with a ``ValidationError`` when someone else holds it."""
    now = now or timezone.now()
    if not call_queue(user=actor, now=now, include_claimed=True).filter(pk=touchpoint.pk).exists():
        raise PermissionDenied(_("This call is not in your queue."))
    until = now + dt.timedelta(minutes=_claim_minutes(touchpoint))
    with transaction.atomic():
        claimed = Touchpoint.objects.filter(_claimable(actor, now), pk=touchpoint.pk).update(
            claimed_by=actor, claimed_until=until, updated_at=now
        )
        if not claimed:
            raise ValidationError({"touchpoint": [_("Another agent has just taken this call.")]})
        audit_record(actor=actor, action="touchpoint.claim", obj=touchpoint, summary=f"until {until:%H:%M}")
    touchpoint.refresh_from_db()
    return touchpoint


def call_claim_next(*, actor: Any, now: dt.datetime | None = None) -> Touchpoint | None:
    """Take the first free call of the actor's queue (the soonest due, then the highest tier); ``None``
    only when no call of the queue is free. The call the actor already holds comes back first (one call
    at a time); otherwise one statement claims the first call nobody holds, skipping those other agents
    are claiming at this moment instead of waiting for them or giving up.

    On PostgreSQL the whole claim is one statement (:func:`_claim_next_statement`: the held call, the
    claim, the claim's length from the call's hospital policy and the audit row); elsewhere it is the
    same steps one after another in a transaction. The touchpoint comes back without its relations."""
    now = now or timezone.now()
    alias = router.db_for_write(Touchpoint)
    connection = connections[alias]
    variant = scope_variant(actor)
    try:
        held_select = _HELD.statement(using=alias, variant=variant, actor=actor, now=now)
        first_select = _FIRST.statement(using=alias, variant=variant, actor=actor, now=now)
    except EmptyResultSet:  # no queue at all: not the actor's permission, or an empty scope
        return None
    if connection.vendor == "postgresql":
        return _claim_next_statement(held_select, first_select, actor=actor, now=now, alias=alias)
    with connection.cursor() as cursor:
        cursor.execute(*held_select)
        held = cursor.fetchone()
    if held is not None:
        return Touchpoint.objects.get(pk=held[0])
    hospital_id, minutes = _actor_claim_minutes(actor)
    with transaction.atomic():
        pk = _claim_first(*first_select, actor=actor, now=now, minutes=minutes)
        if pk is None:
            return None
        touchpoint = Touchpoint.objects.get(pk=pk)
        if touchpoint.hospital_id != hospital_id:
            # An actor of several hospitals claimed a call of another hospital than their own.
            touchpoint.claimed_until = now + dt.timedelta(minutes=_claim_minutes(touchpoint))
            Touchpoint.objects.filter(pk=pk).update(claimed_until=touchpoint.claimed_until)
        audit_record(
            actor=actor,
            action="touchpoint.claim",
            obj=touchpoint,
            summary=f"until {touchpoint.claimed_until:%H:%M}",
        )
    return touchpoint


def _held_select(*, actor: Any, now: dt.datetime) -> QuerySet[Touchpoint, Any]:
    """The call the actor holds now."""
    return (
        call_queue(user=actor, now=now)
        .select_related(None)
        .filter(claimed_by=actor, claimed_until__gte=now)
        .values("pk")[:1]
    )


def _first_select(*, actor: Any, now: dt.datetime) -> QuerySet[Touchpoint, Any]:
    """The first call the actor may claim now, locked, skipping rows other agents are claiming."""
    first = (
        call_queue(user=actor, now=now)
        .select_related(None)
        .filter(_claimable(actor, now))
        .order_by(*QUEUE_ORDER)
        .values("pk")[:1]
    )
    if connections[router.db_for_write(Touchpoint)].features.has_select_for_update_skip_locked:
        first = first.select_for_update(skip_locked=True, of=("self",))
    return first


# Compiled once per actor (issue 18: building and compiling the two selects was 2.1 ms of the claim's
# 2.7 ms of CPU): the queue depends on the actor only through ``scope_variant``, on time only through
# ``now`` itself.
_HELD = PreparedQuery(_held_select, stand_ins={"now": STAND_IN_TIME})
_FIRST = PreparedQuery(_first_select, stand_ins={"now": STAND_IN_TIME})


def _claim_next_statement(
    held_select: tuple[str, list[Any]],
    first_select: tuple[str, list[Any]],
    *,
    actor: Any,
    now: dt.datetime,
    alias: str,
) -> Touchpoint | None:
    """PostgreSQL: the claim of :func:`call_claim_next` in one statement, one round trip.

    ``held`` is the call the actor already holds; when there is none, ``claimed`` updates the first
    claimable call (``first``, ``FOR UPDATE SKIP LOCKED``: rows other agents are claiming are passed
    over) for the claim length of that call's hospital, and ``audit`` writes its audit row from the row
    claimed. The statement returns the claimed row, or the held one, or nothing. Every sub-statement
    sees the same snapshot and the data-modifying ones run exactly once, so it is as atomic as the
    UPDATE alone."""
    connection = connections[alias]
    held, held_params = held_select
    first, first_params = first_select
    adapt = connection.ops.adapt_datetimefield_value
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    sql = _claim_sql(held, first, alias)
    params = [
        *held_params,
        actor.pk,
        adapt(now),
        adapt(now),
        FollowupPolicy._meta.get_field("claim_minutes").default,
        *first_params,
        adapt(timezone.now()),
        actor_id,
        Touchpoint._meta.label_lower,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = from_rows(Touchpoint, cursor.fetchall(), using=alias)
    return rows[0] if rows else None


@functools.lru_cache(maxsize=256)
def _claim_sql(held: str, first: str, alias: str) -> str:
    """The statement of :func:`_claim_next_statement` around the two sub-selects, written once per
    process for each pair (the queue of a role and scope; issue 18: its names were quoted on every
    claim)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    opts = Touchpoint._meta
    table = quote(opts.db_table)
    names = [quote(field.column) for field in opts.concrete_fields]
    columns, aliased = ", ".join(names), ", ".join(f"t.{name}" for name in names)
    policy, audit = FollowupPolicy._meta, AuditEvent._meta
    # Names come from the models; values, and the sub-selects' own parameters, go apart.
    return f"""
        WITH held AS ({held}),
        claimed AS (
            UPDATE {table} SET {quote("claimed_by_id")} = %s, {quote("updated_at")} = %s,
                {quote("claimed_until")} = %s::timestamptz + make_interval(mins => COALESCE(
                    (SELECT p.{quote("claim_minutes")} FROM {quote(policy.db_table)} p
                     WHERE p.{quote("hospital_id")} = {table}.{quote("hospital_id")}), %s))
            WHERE NOT EXISTS (SELECT 1 FROM held) AND {quote(opts.pk.column)} = ({first})
            RETURNING {columns}
        ),
        audit AS (
            INSERT INTO {quote(audit.db_table)} ({quote("at")}, {quote("actor_id")}, {quote("action")},
                {quote("object_type")}, {quote("object_id")}, {quote("summary")}, {quote("changes")})
            SELECT %s, %s, 'touchpoint.claim', %s, claimed.{quote(opts.pk.column)}::text,
                'until ' || to_char(claimed.{quote("claimed_until")} AT TIME ZONE 'UTC', 'HH24:MI'),
                '{{}}'::jsonb
            FROM claimed
        )
        SELECT {columns} FROM claimed
        UNION ALL
        SELECT {aliased} FROM {table} t WHERE t.{quote(opts.pk.column)} = (SELECT "pk" FROM held)
    """  # noqa: S608


def _actor_claim_minutes(actor: Any) -> tuple[int | None, int]:
    """The actor's own hospital (the hospital of nearly every call they claim) and its claim length."""
    scope = scope_for(actor)
    hospital_id = (
        next(iter(scope.hospital_ids)) if scope.hospital_ids and len(scope.hospital_ids) == 1 else None
    )
    minutes = (
        FollowupPolicy.objects.filter(hospital_id=hospital_id).values_list("claim_minutes", flat=True).first()
        if hospital_id is not None
        else None
    )
    default = FollowupPolicy._meta.get_field("claim_minutes").default
    return hospital_id, int(minutes if minutes is not None else default)


def _claim_first(select: str, params: list[Any], *, actor: Any, now: dt.datetime, minutes: int) -> int | None:
    """``UPDATE touchpoint SET claimed_by = actor … WHERE id = (the first claimable call, ``select``)
    RETURNING id``: the id claimed, or ``None``."""
    alias = router.db_for_write(Touchpoint)
    connection = connections[alias]
    opts = Touchpoint._meta
    quote = connection.ops.quote_name
    columns = [quote(name) for name in ("claimed_by_id", "claimed_until", "updated_at")]  # no db_column
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the model, the sub-select compiled by Django with its parameters apart.
            f"UPDATE {quote(opts.db_table)} SET {columns[0]} = %s, {columns[1]} = %s, {columns[2]} = %s"  # noqa: S608
            f" WHERE {quote(opts.pk.column)} = ({select}) RETURNING {quote(opts.pk.column)}",
            [actor.pk, adapt(now + dt.timedelta(minutes=minutes)), adapt(now), *params],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


@transaction.atomic
def call_release(*, touchpoint: Touchpoint, actor: Actor) -> Touchpoint:
    """Give a claimed call back to the queue (only the holder, or a supervisor, may)."""
    holder = touchpoint.claimed_by_id
    if holder is None:
        return touchpoint
    if holder != actor.pk and not actor.has_perm("followup.change_careplan"):
        raise PermissionDenied(_("Another agent holds this call."))
    Touchpoint.objects.filter(pk=touchpoint.pk, claimed_by_id=holder).update(
        claimed_by=None, claimed_until=None
    )
    audit_record(actor=actor, action="touchpoint.release", obj=touchpoint, summary=str(holder))
    touchpoint.refresh_from_db()
    return touchpoint


def claims_release_expired(*, now: dt.datetime | None = None) -> int:
    """Clear lapsed claims (they are claimable anyway; this keeps the "claimed by" columns honest)."""
    now = now or timezone.now()
    return Touchpoint.objects.filter(claimed_by__isnull=False, claimed_until__lt=now).update(
        claimed_by=None, claimed_until=None
    )
