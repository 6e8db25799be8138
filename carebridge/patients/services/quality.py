"""The nightly data-quality check of the registry (run by the Celery beat schedule): stores the findings
of :mod:`carebridge.patients.domain.quality` as a report, with its audit row."""

from __future__ import annotations

from django.db import transaction

from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.patients.domain.quality import checked_patients, registry_findings
from carebridge.patients.models import DataQualityReport


@transaction.atomic
def registry_quality_check(*, hospital: Hospital, broker: str = "") -> DataQualityReport:
    """Check one hospital's registry and store the findings."""
    findings = registry_findings(hospital)
    report = DataQualityReport.objects.create(
        hospital=hospital, patients=checked_patients(hospital).count(), findings=findings, broker=broker[:32]
    )
    audit_record(
        actor=None,
        action="registry.quality_check",
        obj=report,
        summary=f"{hospital.code}: {sum(findings.values())} findings",
    )
    return report
