"""Filing FHIR R4 bundles: a ``transaction`` is all-or-nothing (one database transaction; the first
problem undoes everything and answers an OperationOutcome), a ``batch`` files each entry on its own.
The records are filed by the same services as HL7 v2 (``services.filing``); the bundle is kept in the
inbound log under its key (Bundle.identifier or Bundle.id), and a re-sent bundle files nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital, Staff
from carebridge.followup.services.discharge import stay_discharge
from carebridge.interop.choices import AckCode, Channel, MessageStatus
from carebridge.interop.domain import fhir
from carebridge.interop.domain.records import AdtRecord, IntakeError, PersonRecord, ResultRecord
from carebridge.interop.models import InboundMessage, Sender
from carebridge.interop.services.filing import (
    Effect,
    adt_file,
    effect,
    patient_find,
    patient_upsert,
    results_file,
    stay_key,
)
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter, Patient


@dataclass
class BundleOutcome:
    status: int
    entries: list[dict[str, Any]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)


@dataclass
class _Context:
    hospital: Hospital
    source: str
    mrn_system: str
    actor: Any
    key: str
    patients: dict[str, Patient] = field(default_factory=dict)
    stays: dict[str, str] = field(default_factory=dict)  # encounter fullUrl → visit number


def mrn_system_for(hospital: Hospital) -> str:
    sender = Sender.objects.filter(hospital=hospital, is_active=True).order_by("id").first()
    return sender.mrn_system if sender else f"urn:carebridge:{hospital.code}:mrn"


def _context(actor: Any, key: str) -> _Context:
    staff = Staff.objects.filter(user=actor).select_related("hospital").first()
    if staff is None or not actor.has_perm("interop.submit_messages"):
        raise PermissionDenied(_("This account may not send to the interfaces."))
    sender = Sender.objects.filter(account=actor, is_active=True).first()
    return _Context(
        hospital=staff.hospital,
        source=sender.facility if sender else f"fhir-{actor.get_username()}",
        mrn_system=sender.mrn_system if sender else mrn_system_for(staff.hospital),
        actor=actor,
        key=key,
    )


def _patient(ctx: _Context, ref: fhir.Ref) -> Patient:
    if ref.full_url:
        if ref.full_url not in ctx.patients:
            raise IntakeError(
                _("%(ref)s is not a Patient of this bundle.") % {"ref": ref.full_url}, code="204"
            )
        return ctx.patients[ref.full_url]
    if ref.stored_id is not None:
        patient = Patient.objects.filter(hospital=ctx.hospital, pk=ref.stored_id).first()
        if patient is None:
            raise IntakeError(_("Unknown patient: Patient/%(id)s.") % {"id": ref.stored_id}, code="204")
        return patient
    if ref.system != ctx.mrn_system:
        raise IntakeError(
            _("Unknown identifier system %(system)s; this hospital's MRNs are %(mrn)s.")
            % {"system": ref.system or "-", "mrn": ctx.mrn_system},
            code="204",
        )
    return patient_find(ctx.hospital, ref.value)


def _visit_of(ctx: _Context, ref: fhir.Ref | None) -> tuple[str, int | None]:
    """``(visit number, stored encounter id)`` an Observation's or DiagnosticReport's encounter names."""
    if ref is None:
        return "", None
    if ref.full_url:
        return ctx.stays.get(ref.full_url, ""), None
    if ref.stored_id is not None:
        if not Encounter.objects.filter(hospital=ctx.hospital, pk=ref.stored_id).exists():
            raise IntakeError(_("Unknown encounter: Encounter/%(id)s.") % {"id": ref.stored_id}, code="204")
        return "", ref.stored_id
    return ref.value, None


def _file(ctx: _Context, entries: list[fhir.Entry]) -> tuple[list[Effect], list[dict[str, Any]]]:
    """File entries in bundle order (patients first, then stays, then results); the entries' responses."""
    effects: list[Effect] = []
    responses: dict[int, dict[str, Any]] = {}
    for entry in (e for e in entries if e.resource_type == "Patient"):
        assert entry.person is not None  # noqa: S101 - read by entries_of
        patient = patient_upsert(hospital=ctx.hospital, person=entry.person, actor=ctx.actor, effects=effects)
        ctx.patients[entry.full_url or f"#{entry.index}"] = patient
        responses[entry.index] = {"status": "200 OK", "location": f"Patient/{patient.pk}"}
    for entry in (e for e in entries if e.resource_type == "Encounter"):
        assert entry.stay is not None and entry.subject is not None  # noqa: S101
        patient = _patient(ctx, entry.subject)
        key = stay_key(ctx.source, entry.stay.visit_number)
        existing = Encounter.objects.filter(source_key=key).first()
        if existing is None:
            event = "A01" if entry.stay.patient_class == "I" else "A04"
            effects += adt_file(
                hospital=ctx.hospital,
                source=ctx.source,
                record=AdtRecord(event=event, person=PersonRecord(mrn=patient.mrn), stay=entry.stay),
                actor=ctx.actor,
            )
            existing = Encounter.objects.get(source_key=key)
        ended_at = entry.stay.ended_at
        if (
            entry.finished
            and ended_at
            and existing.ended_at is None
            and existing.kind == EncounterKind.INPATIENT
        ):
            plan = stay_discharge(encounter=existing, ended_at=ended_at, actor=ctx.actor)
            effects += [effect(existing, "discharged"), effect(plan, "discharged")]
        ctx.stays[entry.full_url or f"#{entry.index}"] = entry.stay.visit_number
        responses[entry.index] = {"status": "201 Created", "location": f"Encounter/{existing.pk}"}
    reports = {e.full_url: e for e in entries if e.resource_type == "DiagnosticReport"}
    report_of_result = {ref: rep for rep in reports.values() for ref in rep.results}
    groups: dict[tuple[int, str, int | None, str], list[fhir.Entry]] = {}
    for entry in (e for e in entries if e.resource_type == "Observation"):
        assert entry.subject is not None  # noqa: S101
        patient = _patient(ctx, entry.subject)
        report = report_of_result.get(entry.full_url)
        number, encounter_id = _visit_of(ctx, entry.encounter or (report.encounter if report else None))
        # The report's identifier is the laboratory order a ward's results are filed under.
        order = fhir.identifier_value(report.resource)[1] if report is not None else ""
        groups.setdefault((patient.pk, number, encounter_id, order), []).append(entry)
    for (patient_pk, number, encounter_id, order), group in groups.items():
        patient = Patient.objects.get(pk=patient_pk)
        filed = results_file(
            hospital=ctx.hospital,
            source=ctx.source,
            control_id=ctx.key,
            record=ResultRecord(
                person=PersonRecord(mrn=patient.mrn),
                visit_number=number,
                encounter_id=encounter_id,
                order_numbers=(order,) if order else (),
                observations=tuple(e.observation for e in group if e.observation is not None),
            ),
            actor=ctx.actor,
            channel=Channel.FHIR,
        )
        effects += filed
        for entry, made in zip(group, filed, strict=True):
            responses[entry.index] = {"status": "201 Created", "location": f"Observation/{made['id']}"}
    for entry in reports.values():
        responses[entry.index] = {"status": "200 OK"}
    return effects, [{"response": responses.get(e.index, {"status": "200 OK"})} for e in entries]


def bundle_receive(*, body: Any, actor: Any) -> BundleOutcome:
    """File a transaction or batch Bundle as ``actor`` (a system account); never raises for bad input."""
    try:
        kind, key, raw_entries = fhir.validate(body)
    except fhir.BundleError as error:
        return BundleOutcome(400, issues=error.issues)
    payload = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    key = key or "sha256-" + hashlib.sha256(payload).hexdigest()[:40]
    ctx = _context(actor, key)
    logged = InboundMessage.objects.filter(
        channel=Channel.FHIR, source=ctx.source, control_id=key[:64]
    ).first()
    if logged is not None and logged.status == MessageStatus.ACCEPTED:
        return BundleOutcome(200, entries=json.loads(logged.ack or "[]"))
    try:
        entries = fhir.entries_of(raw_entries, ctx.mrn_system)
    except fhir.BundleError as error:
        return BundleOutcome(400, issues=error.issues)
    if kind == "transaction":
        try:
            with transaction.atomic():
                effects, responses = _file(ctx, entries)
                _log(
                    ctx,
                    payload=payload,
                    logged=logged,
                    status=MessageStatus.ACCEPTED,
                    error="",
                    effects=effects,
                    responses=responses,
                )
        except IntakeError as error:
            _log(
                ctx,
                payload=payload,
                logged=logged,
                status=MessageStatus.FAILED,
                error=error.text,
                effects=[],
                responses=[],
            )
            return BundleOutcome(422, issues=[error.text])
        return BundleOutcome(200, entries=responses)
    results: list[dict[str, Any]] = []
    all_effects: list[Effect] = []
    problems = []
    for entry in entries:
        try:
            with transaction.atomic():
                effects, responses = _file(ctx, [entry])
            all_effects += effects
            results += responses
        except IntakeError as error:
            problems.append(error.text)
            results.append(
                {"response": {"status": "422 Unprocessable Entity", "outcome": outcome([error.text])}}
            )
    status = MessageStatus.FAILED if problems else MessageStatus.ACCEPTED
    _log(
        ctx,
        payload=payload,
        logged=logged,
        status=status,
        error="; ".join(problems),
        effects=all_effects,
        responses=results,
    )
    return BundleOutcome(200, entries=results)


def bundle_account(row: InboundMessage) -> Any:
    """The system account a logged Bundle came from: its sender's account, or the account named in a
    source of the form ``fhir-<username>`` (a system account without a registered sender)."""
    from django.contrib.auth import get_user_model

    sender = (
        Sender.objects.filter(facility=row.source, account__isnull=False).select_related("account").first()
    )
    if sender is not None:
        return sender.account
    if row.source.startswith("fhir-"):
        return get_user_model().objects.filter(username=row.source.removeprefix("fhir-")).first()
    return None


def bundle_replay(row: InboundMessage) -> BundleOutcome:
    """File a failed Bundle again, as the account that sent it (after its mapping or data were fixed):
    the same key, so the log row is updated rather than duplicated, and a transaction stays all or
    nothing. Entries of a batch that were filed the first time are found, not filed twice."""
    account = bundle_account(row)
    if account is None:
        raise IntakeError(_("The account that sent this Bundle no longer exists."), code="207")
    return bundle_receive(body=json.loads(bytes(row.payload).decode("utf-8")), actor=account)


@transaction.atomic
def _log(
    ctx: _Context,
    *,
    payload: bytes,
    logged: InboundMessage | None,
    status: str,
    error: str,
    effects: list[Effect],
    responses: list[dict[str, Any]],
) -> None:
    row = logged or InboundMessage(channel=Channel.FHIR, source=ctx.source[:64], control_id=ctx.key[:64])
    if logged is not None:
        row.attempts += 1
    row.received_at = row.received_at or timezone.now()
    row.hospital, row.message_type, row.charset, row.payload = ctx.hospital, "Bundle", "utf-8", payload
    row.status = status
    row.ack_code = AckCode.AA if status == MessageStatus.ACCEPTED else AckCode.AE
    row.ack = json.dumps(responses, ensure_ascii=False) if status == MessageStatus.ACCEPTED else ""
    row.error, row.effects, row.processed_at = error, list(effects), timezone.now()
    row.save()


def outcome(issues: list[str], *, code: str = "processing") -> dict[str, Any]:
    """An OperationOutcome with one error issue per text."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": text} for text in issues],
    }
