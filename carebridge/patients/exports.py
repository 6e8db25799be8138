"""Exports of the patient list (Excel and CSV): identifiers masked, every exported record logged."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carebridge.core.excel import safe_cell, sheet_bytes
from carebridge.core.masking import mask_national_id, mask_phone
from carebridge.core.services.audit import audit_record
from carebridge.patients.choices import AccessAction, AccessChannel
from carebridge.patients.models import Patient, PatientAccessLog

MAX_EXPORT_ROWS = 20_000


def _rows(patients: list[Patient]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("MRN"),
        _("Name"),
        _("Sex"),
        _("Birth date"),
        _("National ID"),
        _("Phone"),
        _("Region"),
        _("Tags"),
        _("Consents to be contacted"),
        _("Consents to surveys"),
    ]
    rows = []
    for patient in patients:
        phones = list(patient.phones.all())
        rows.append(
            [
                patient.mrn,
                patient.name,
                patient.get_sex_display(),
                patient.birth_date.isoformat() if patient.birth_date else "",
                mask_national_id(patient.national_id),
                mask_phone(phones[0].number) if phones else "",
                patient.region_name or "",
                ", ".join(t.name for t in patient.tags.all()),
                _("yes") if patient.contact_consent else _("no"),
                _("yes") if patient.survey_consent else _("no"),
            ]
        )
    return header, rows


@transaction.atomic
def export_patients(
    *, patients: QuerySet[Patient], user: Any, file_format: str, ip_address: str | None
) -> HttpResponse:
    if file_format not in {"xlsx", "csv"}:
        return HttpResponse(_("Unknown export format."), status=400)
    selected = list(patients[: MAX_EXPORT_ROWS + 1])
    if len(selected) > MAX_EXPORT_ROWS:
        return HttpResponse(
            ngettext(
                "More than %(n)s patient matches; narrow the filters before exporting.",
                "More than %(n)s patients match; narrow the filters before exporting.",
                MAX_EXPORT_ROWS,
            )
            % {"n": MAX_EXPORT_ROWS},
            status=400,
        )
    PatientAccessLog.objects.bulk_create(
        PatientAccessLog(
            user=user, patient=p, action=AccessAction.EXPORT, channel=AccessChannel.WEB, ip_address=ip_address
        )
        for p in selected
    )
    audit_record(
        actor=user,
        action="patient.export",
        object_type="patients.patient",
        object_id="*",
        summary=ngettext("Exported %(n)s patient", "Exported %(n)s patients", len(selected))
        % {"n": len(selected)},
        changes={"rows": len(selected)},
    )
    header, rows = _rows(selected)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([safe_cell(value) for value in row] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="patients-{stamp}.csv"'
        return response
    content = sheet_bytes(
        title=_("Patients"), header=header, rows=rows, widths=(14, 10, 6, 12, 22, 14, 24, 16, 10, 10)
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="patients-{stamp}.xlsx"'
    return response
