"""Importing results from a CSV or Excel file, with a preview: every row is tried in a savepoint and
reported (filed, or why not); a file with errors imports nothing unless the user asks to import the valid
rows; a preview rolls everything back. Rows are filed by the centre's ``result_record`` (source ``csv``,
key = file digest + line), so importing the same file twice files nothing twice."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital
from carebridge.core.types import Actor
from carebridge.interop.choices import AckCode, Channel, MessageStatus
from carebridge.interop.domain.records import IntakeError, ObservationRecord, PersonRecord, ResultRecord
from carebridge.interop.domain.tables import Row, TableError, read_rows
from carebridge.interop.models import InboundMessage
from carebridge.interop.services.filing import Effect, results_file


@dataclass(frozen=True)
class RowOutcome:
    line: int
    ok: bool
    message: str


@dataclass
class ImportReport:
    rows: list[RowOutcome] = field(default_factory=list)
    imported: int = 0
    committed: bool = False
    error: str = ""

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


class _Preview(Exception):
    """Raised to roll back a preview."""


def _file_row(hospital: Hospital, digest: str, row: Row, actor: Actor) -> list[Effect]:
    values = row.values
    missing = [name for name in ("mrn", "visit_number", "code", "value") if not values.get(name)]
    if missing:
        raise IntakeError(_("Empty: %(columns)s.") % {"columns": ", ".join(missing)}, code="101")
    return results_file(
        hospital=hospital,
        source="file",
        control_id=digest,
        record=ResultRecord(
            person=PersonRecord(mrn=values["mrn"]),
            visit_number=values["visit_number"],
            observations=(
                ObservationRecord(
                    key=str(row.line),
                    code=values["code"],
                    system=values.get("system", ""),
                    value=values["value"],
                    unit=values.get("unit", ""),
                    location=_("line %(line)s") % {"line": row.line},
                ),
            ),
        ),
        actor=actor,
        channel=Channel.CSV,
    )


def results_import(
    *, hospital: Hospital, content: bytes, filename: str, actor: Actor, commit: bool, valid_only: bool = False
) -> ImportReport:
    if not actor.has_perm("checkup.add_result"):
        raise PermissionDenied(_("You are not allowed to enter results."))
    report = ImportReport()
    try:
        rows = read_rows(content, filename)
    except TableError as error:
        report.error = str(error)
        return report
    digest = hashlib.sha256(content).hexdigest()[:32]
    effects: list[Effect] = []
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        effects += _file_row(hospital, digest, row, actor)
                    report.rows.append(RowOutcome(row.line, True, ""))
                except IntakeError as error:
                    report.rows.append(RowOutcome(row.line, False, error.text))
            if not commit or (report.failed and not valid_only):
                raise _Preview
            report.imported, report.committed = len(effects), True
            InboundMessage.objects.update_or_create(
                channel=Channel.CSV,
                source="file",
                control_id=digest,
                defaults={
                    "hospital": hospital,
                    "message_type": filename[-24:],
                    "payload": content,
                    "status": MessageStatus.ACCEPTED,
                    "ack_code": AckCode.AA,
                    "effects": effects,
                    "received_at": timezone.now(),
                    "processed_at": timezone.now(),
                    "error": "; ".join(f"{r.line}: {r.message}" for r in report.rows if not r.ok)[:2000],
                },
            )
    except _Preview:
        pass
    return report
