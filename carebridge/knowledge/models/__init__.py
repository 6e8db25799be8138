"""The hospital's living dictionary (活字典): what the desk must know to answer any question.

Per hospital: the hospital's own profile (history, address, coordinates), department profiles, services
(offered here or not), doctors with their weekly clinic sessions, external hospitals for referral, and FAQ.
``models/__init__`` re-exports every model: callers write ``from carebridge.knowledge.models import Faq``.
"""

from carebridge.knowledge.models.catalogue import Service
from carebridge.knowledge.models.doctors import ClinicSession, Doctor
from carebridge.knowledge.models.entries import VerifiedEntry
from carebridge.knowledge.models.faq import Faq
from carebridge.knowledge.models.profiles import DepartmentProfile, HospitalProfile
from carebridge.knowledge.models.referrals import ExternalHospital
from carebridge.knowledge.models.search import SearchToken

__all__ = [
    "ClinicSession",
    "DepartmentProfile",
    "Doctor",
    "ExternalHospital",
    "Faq",
    "HospitalProfile",
    "SearchToken",
    "Service",
    "VerifiedEntry",
]
