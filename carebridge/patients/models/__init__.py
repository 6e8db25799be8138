"""The customer registry (客户档案): customers of every class, patients, phones, encounters, diagnoses,
merges of duplicate records, the patient access log, and the nightly data-quality report.

``models/__init__`` re-exports every model: callers write ``from carebridge.patients.models import Patient``.
"""

from carebridge.patients.models.access import PatientAccessLog
from carebridge.patients.models.encounters import Diagnosis, Encounter, PatientDepartment
from carebridge.patients.models.merges import PatientMerge
from carebridge.patients.models.patients import Customer, Patient, PatientPhone, Tag
from carebridge.patients.models.quality import DataQualityReport

__all__ = [
    "Customer",
    "DataQualityReport",
    "Diagnosis",
    "Encounter",
    "Patient",
    "PatientAccessLog",
    "PatientDepartment",
    "PatientMerge",
    "PatientPhone",
    "Tag",
]
