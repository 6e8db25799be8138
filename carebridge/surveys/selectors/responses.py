"""Reads of responses, phone lists, imports and recovery triggers, scoped by ``core.scope``.

Responses belong to a hospital and (mostly) a department: hospital-wide users (the quality office, agents,
administrators) see every response of their hospital; department-scoped users only those of their
departments. Breakdowns never show a group smaller than the wave's ``min_report_group``
(:func:`suppress_small_groups`), so an anonymous staff survey cannot single anybody out.

The public answering pages have no user: :func:`invitation_for_token` looks the invitation up by its
token, which is the respondent's credential.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.db import connection, models
from django.db.models import Avg, Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from carebridge.core.models import Hospital
from carebridge.core.scope import restrict, scope_for
from carebridge.core.types import Actor
from carebridge.surveys.choices import ANSWERABLE, Channel, VersionStatus
from carebridge.surveys.domain import anonymity, instruments
from carebridge.surveys.models import (
    ImportBatch,
    InstrumentVersion,
    Invitation,
    Item,
    RecoveryCase,
    RecoveryTrigger,
    Response,
    Wave,
)

TOKEN_MAX_LENGTH = 43


# What the public pages and a submission read of an invitation, in one statement on the unique token: the
# invitation, its wave, the version's identity (its definition comes from :func:`version_content`, once per
# process), the hospital's name and the few columns of the patient, stay and department the case-mix
# adjusters need. The ORM's seven-table ``select_related`` of every column it replaced cost 1.7 ms to plan
# and 3.5 ms of Python per request (issue 18); the same query through the ORM with these columns alone
# still spent 2 ms compiling it, so the statement is written once per process from the models' metadata
# and its rows are turned into instances with the database's converters, as the ORM would.
_TOKEN_LOOKUP: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    # (model label, table alias, the relation it fills as "alias.field", the field names it reads)
    ("surveys.Invitation", "i", None, ()),  # every concrete field
    ("surveys.Wave", "w", "i.wave", (
        "id", "hospital", "name", "version", "status", "respondent_class", "anonymous", "min_report_group",
        "opens_at", "closes_at", "owner",
    )),
    ("surveys.InstrumentVersion", "v", "w.version", (
        "id", "instrument", "number", "status", "content_hash", "created_at",
    )),
    ("core.Hospital", "h", "w.hospital", ("id", "name")),
    ("core.Department", "d", "i.department", ("id", "code", "name")),
    ("patients.Patient", "p", "i.patient", ("id", "sex", "birth_date")),
    ("patients.Encounter", "e", "i.encounter", ("id", "ended_at")),
)  # fmt: skip


@dataclass(frozen=True)
class _LookupPart:
    model: type[models.Model]
    relation: tuple[str, str] | None  # (alias of the owner, field on the owner)
    attnames: list[str]
    converters: list[tuple[Any, list[Any]]]  # (column expression, converters) per field


@functools.cache
def _token_lookup(vendor: str) -> tuple[str, dict[str, _LookupPart]]:
    """The statement and how to read its row, for one database vendor (its converters differ)."""
    del vendor  # the cache key: the converters come from the connection of that vendor
    quote = connection.ops.quote_name
    parts: dict[str, _LookupPart] = {}
    columns: list[str] = []
    for label, alias, relation, names in _TOKEN_LOOKUP:
        model = apps.get_model(label)
        fields = [f for f in model._meta.concrete_fields if not names or f.name in names]
        converters = []
        for field in fields:
            column = field.get_col(alias)
            converters.append(
                (column, [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)])
            )
            columns.append(f"{alias}.{quote(field.column)}")
        owner = None if relation is None else tuple(relation.split("."))
        parts[alias] = _LookupPart(model, owner, [f.attname for f in fields], converters)  # type: ignore[arg-type]

    def table(alias: str) -> str:
        return f"{quote(parts[alias].model._meta.db_table)} {alias}"

    def join(alias: str, kind: str) -> str:
        owner, name = parts[alias].relation or ("", "")
        field = parts[owner].model._meta.get_field(name)
        assert isinstance(field, models.ForeignKey)  # noqa: S101 - the table above names foreign keys only
        key = str(field.target_field.column)
        return f"{kind} JOIN {table(alias)} ON {alias}.{quote(key)} = {owner}.{quote(field.column)}"

    # Identifiers from the models' metadata, quoted; the token is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {table('i')} "  # noqa: S608
        f"{join('w', 'INNER')} {join('v', 'INNER')} {join('h', 'INNER')} "
        f"{join('d', 'LEFT OUTER')} {join('p', 'LEFT OUTER')} {join('e', 'LEFT OUTER')} "
        f"WHERE i.{quote('token')} = %s"
    )
    return sql, parts


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation of a public link, or None (an unknown token looks like any other unknown page).

    One statement (``_TOKEN_LOOKUP``) fills the invitation, ``.wave`` (``.version``, ``.hospital``),
    ``.department``, ``.patient`` and ``.encounter`` with the columns listed there; any other column is
    loaded on first access, as for a deferred field. ``invitation.wave.version.definition`` comes from
    the process's cache of published versions (:func:`version_content`)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    sql, parts = _token_lookup(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    if row is None:
        return None
    objects: dict[str, models.Model | None] = {}
    values = iter(row)
    for alias, part in parts.items():
        read = []
        for column, converters in part.converters:
            value = next(values)
            for convert in converters:
                value = convert(value, column, connection)
            read.append(value)
        objects[alias] = (
            None if read[0] is None else part.model.from_db(connection.alias, part.attnames, read)
        )
    for alias, part in parts.items():
        owner = None if part.relation is None else objects[part.relation[0]]
        if part.relation is not None and owner is not None:
            relation = owner._meta.get_field(part.relation[1])
            assert isinstance(relation, models.ForeignKey)  # noqa: S101 - as above
            relation.set_cached_value(owner, objects[alias])
    invitation = cast(Invitation, objects["i"])
    version = invitation.wave.version
    version.definition = version_content(version).definition
    return invitation


@dataclass(frozen=True)
class VersionContent:
    """What a submission reads of a published version: its definition and its items' ids by code."""

    definition: dict[str, Any]
    item_ids: dict[str, int]


# Published versions never change (``InstrumentVersion.save`` refuses, and their items are written at
# publication), so each process reads one once. The key holds the content hash and the creation time too:
# a test database that rolls back reuses primary keys for other versions.
_VERSION_CONTENT: dict[tuple[int, str, Any], VersionContent] = {}
_VERSION_CONTENT_MAX = 256


def version_content(version: InstrumentVersion) -> VersionContent:
    """The definition and item ids of ``version`` (read once per process when it is published; drafts,
    which may still change, are read every time). Two queries on a miss, none on a hit."""
    key = (version.pk, version.content_hash, version.created_at)
    cached = _VERSION_CONTENT.get(key)
    if cached is not None:
        return cached
    definition = InstrumentVersion.objects.values_list("definition", flat=True).get(pk=version.pk)
    item_ids = dict(Item.objects.filter(version_id=version.pk).order_by().values_list("code", "id"))
    content = VersionContent(definition=definition, item_ids=item_ids)
    if version.status != VersionStatus.DRAFT:
        if len(_VERSION_CONTENT) >= _VERSION_CONTENT_MAX:
            _VERSION_CONTENT.clear()
        _VERSION_CONTENT[key] = content
        instruments.freeze_items(definition)
    return content


def response_list(*, user: Actor, hospital: Hospital | None = None) -> QuerySet[Response]:
    """The survey responses ``user`` may see — the one definition, for every app that reads responses.

    Nothing without ``surveys.view_response``; otherwise the responses of the user's hospital, and for
    department-scoped users only those of their departments (``Response.scope_lookups`` through
    ``restrict``). Anonymous responses are included (they carry hospital and department, no person).
    ``hospital`` narrows to one hospital (a report about it). Unordered beyond the model's default
    (newest first); callers add their own filters and ``select_related``.
    """
    queryset = restrict(Response.objects.all(), user, "view")
    if hospital is not None:
        queryset = queryset.filter(hospital=hospital)
    return queryset


def _too_small_anonymous_waves(queryset: QuerySet[Response]) -> list[int]:
    """Anonymous waves with fewer responses in ``queryset`` than their smallest reported group."""
    counts = (
        queryset.filter(wave__anonymous=True)
        .values("wave_id", "wave__min_report_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [row["wave_id"] for row in counts if row["n"] < max(row["wave__min_report_group"], 2)]


def response_list_for_display(*, user: Actor) -> QuerySet[Response]:
    """Responses to list one by one: those of an anonymous wave only once it has at least its smallest
    reported group in the user's scope (one or two responses would point at the few who answered)."""
    queryset = response_list(user=user)
    small = _too_small_anonymous_waves(queryset)
    if small:
        queryset = queryset.exclude(wave_id__in=small)
    return queryset.select_related("wave", "version__instrument", "department", "interviewer")


def anonymise(*, user: Actor, responses: Iterable[Response]) -> None:
    """Set ``shown`` on each response of an anonymous wave: the department, month and mode it may show
    (:func:`carebridge.surveys.domain.anonymity.generalise` over the wave's responses in the user's
    scope). Serializers and pages show nothing else of its context; named responses get ``shown = None``."""
    responses = list(responses)
    waves = {r.wave_id: r.wave for r in responses if r.wave is not None and r.wave.anonymous}
    shown: dict[int, anonymity.Shown] = {}
    for wave in waves.values():
        rows = [
            anonymity.Row(pk=pk, department_id=department, day=timezone.localdate(submitted), mode=mode)
            for pk, department, submitted, mode in response_list(user=user)
            .filter(wave=wave)
            .values_list("pk", "department_id", "submitted_at", "mode")
            .order_by("pk")
        ]
        shown.update(anonymity.generalise(rows, k=wave.min_report_group))
    withheld = anonymity.Shown(None, None, None)
    for response in responses:
        anonymous = response.wave_id in waves
        response.shown = shown.get(response.pk, withheld) if anonymous else None  # type: ignore[attr-defined]


def response_get(*, user: Actor, pk: int) -> Response:
    response = (
        response_list_for_display(user=user)
        .select_related("patient", "ward", "stratum")
        # The cases in the order they were opened (the table has no default order).
        .prefetch_related(
            Prefetch(
                "recovery_cases",
                queryset=RecoveryCase.objects.select_related("complaint").order_by("created_at", "id"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if response is None:
        raise Http404("No such response in your scope.")
    return response


def wave_list_for_responses(*, user: Actor) -> QuerySet[Wave]:
    """Waves of the user's hospital (responses inside them are narrowed by department separately)."""
    return scope_for(user).filter(
        Wave.objects.select_related("version__instrument"), hospital="hospital", department=None
    )


def wave_get_for_responses(*, user: Actor, pk: int) -> Wave:
    wave = wave_list_for_responses(user=user).filter(pk=pk).first()
    if wave is None:
        raise Http404("No such wave in your scope.")
    return wave


def invitation_list(*, user: Actor) -> QuerySet[Invitation]:
    """Invitations the user may work on (``surveys.view_invitation``), by hospital and department."""
    return restrict(Invitation.objects.all(), user, "view")


def phone_list(*, user: Actor, wave: Wave) -> QuerySet[Invitation]:
    """The wave's invitations still to be interviewed by phone (or entered from paper)."""
    return (
        invitation_list(user=user)
        .filter(wave=wave, status__in=ANSWERABLE, channel__in=[Channel.PHONE, Channel.PAPER])
        .select_related("patient", "department", "ward")
        .order_by("send_after", "id")
    )


def invitation_for_entry(*, user: Actor, pk: int) -> Invitation:
    """One invitation in scope for a phone interview or paper entry, or 404."""
    invitation = (
        invitation_list(user=user)
        .select_related("wave__version__instrument", "patient", "department", "encounter")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation in your scope.")
    return invitation


def import_batch_list(*, user: Actor) -> QuerySet[ImportBatch]:
    return restrict(ImportBatch.objects.select_related("wave", "uploaded_by"), user, "view")


def import_batch_get(*, user: Actor, pk: int) -> ImportBatch:
    batch = import_batch_list(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404("No such import in your scope.")
    return batch


def recovery_trigger_list(*, user: Actor) -> QuerySet[RecoveryTrigger]:
    return restrict(RecoveryTrigger.objects.select_related("instrument"), user, "view").order_by("id")


def recovery_case_list(*, user: Actor) -> QuerySet[RecoveryCase]:
    """Cases opened by responses the user may read."""
    return RecoveryCase.objects.filter(response__in=response_list(user=user)).select_related(
        "complaint", "trigger", "response__department"
    )


@dataclass(frozen=True)
class GroupRow:
    """One group of a breakdown: its label, n and mean index; ``suppressed`` hides n and mean."""

    key: Any
    label: str
    n: int
    mean: float | None
    suppressed: bool = False


def suppress_small_groups(rows: Iterable[GroupRow], *, minimum: int) -> list[GroupRow]:
    """Hide every group with fewer than ``minimum`` responses (n and mean are withheld, not zeroed).

    A single hidden group could be recovered from the total by subtraction, so when exactly one group
    is hidden the next smallest is hidden with it.
    """
    rows = list(rows)
    small = [row for row in rows if row.n < minimum]
    if len(small) == 1:
        shown = sorted((row for row in rows if row.n >= minimum), key=lambda row: row.n)
        small.extend(shown[:1])
    hidden = {id(row) for row in small}
    return [
        GroupRow(row.key, row.label, 0, None, suppressed=True) if id(row) in hidden else row for row in rows
    ]


def response_breakdown(*, user: Actor, wave: Wave) -> list[GroupRow]:
    """Responses of a wave per department (n, mean overall index), small groups suppressed."""
    grouped: Sequence[dict[str, Any]] = list(
        response_list(user=user)
        .filter(wave=wave)
        .values("department_id", "department__name")
        .annotate(n=Count("id"), mean=Avg("score"))
        .order_by("department__name")
    )
    rows = [
        GroupRow(
            key=row["department_id"],
            label=row["department__name"] or "—",
            n=row["n"],
            mean=round(row["mean"], 1) if row["mean"] is not None else None,
        )
        for row in grouped
    ]
    return suppress_small_groups(rows, minimum=wave.min_report_group)
