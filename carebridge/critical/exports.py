"""Excel export of notifications: one row per notification with its times, masked identifiers only;
cells a spreadsheet would read as a formula are escaped (``core.excel``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.excel import sheet_bytes
from carebridge.critical.models import Notification


def masked_name(name: str) -> str:
    """``王**``: the export identifies the person by visit number; the name only hints."""
    return name[:1] + "*" * max(len(name) - 1, 0)


def _at(value: object) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""  # type: ignore[arg-type]


def _minutes(later: object, earlier: object) -> float | str:
    if not later or not earlier:
        return ""
    return round((later - earlier).total_seconds() / 60, 1)  # type: ignore[operator]


def notifications_excel(rows: Iterable[Notification], *, title: str) -> bytes:
    header = [
        _("Visit"),
        _("Person"),
        _("Class"),
        _("Status"),
        _("Results"),
        _("Detected at"),
        _("First attempt at"),
        _("Minutes to first attempt"),
        _("Read back at"),
        _("Minutes to read-back"),
        _("Communicated to"),
    ]
    body = (
        [
            n.visit.number,
            masked_name(n.patient.name),
            n.severity,
            n.get_status_display(),
            "；".join(f"{f.rule.name} {f.value}" for f in n.findings.all() if f.is_current),
            _at(n.detected_at),
            _at(n.first_attempt_at),
            _minutes(n.first_attempt_at, n.detected_at),
            _at(n.read_back_at),
            _minutes(n.read_back_at, n.detected_at),
            n.read_back_to,
        ]
        for n in rows
    )
    return sheet_bytes(
        title=title, header=header, rows=body, widths=(16, 10, 6, 14, 40, 17, 17, 10, 17, 10, 14)
    )


def communication_fhir(
    notification: Notification, *, mrn_system: str = "urn:carebridge:lxq-demo:mrn"
) -> dict:
    """The notification as a FHIR R4 ``Communication`` (for interop's ``/fhir/r4/Communication``): one
    per read-back or unable-to-reach sign-off, ``about`` the results' Observations, ``payload`` the
    sentence the pages show. Identifiers: the MRN only (no national ID, no phone)."""
    from carebridge.critical.selectors.record import communication_of

    record = communication_of(notification)
    status = (
        "completed"
        if record is not None and record.read_back
        else ("not-done" if record is not None else "in-progress")
    )
    resource: dict = {
        "resourceType": "Communication",
        "id": f"critical-{notification.pk}",
        "status": status,
        "category": [
            {
                "coding": [
                    {
                        "system": "urn:carebridge:critical-class",
                        "code": notification.severity,
                        "display": notification.get_severity_display(),
                    }
                ]
            }
        ],
        "priority": "stat" if notification.severity == "A" else "urgent",
        "subject": {"identifier": {"system": mrn_system, "value": notification.patient.mrn}},
        "about": [
            {"reference": f"Observation/{finding.result_id}"}
            for finding in notification.findings.all()
            if finding.is_current
        ],
    }
    if record is not None:
        resource["sent"] = record.at.isoformat()
        resource["payload"] = [{"contentString": record.sentence}]
        if notification.read_back_to:
            resource["recipient"] = [{"display": notification.read_back_to}]
    return resource
