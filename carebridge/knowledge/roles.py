"""Permissions this app adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Every role reads the living dictionary (the desk, the wards and the offices all answer patients'
questions); agents keep it up to date, administrators too; leadership only reads.
"""

from __future__ import annotations

_MODELS = (
    "hospitalprofile",
    "departmentprofile",
    "service",
    "doctor",
    "clinicsession",
    "externalhospital",
    "faq",
)
READ = tuple(f"knowledge.view_{model}" for model in _MODELS)
EDIT = tuple(f"knowledge.{action}_{model}" for model in _MODELS for action in ("add", "change"))

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (*READ, *EDIT),
    "ward_manager": READ,
    "clinician": READ,
    "checkup_staff": READ,
    "complaint_officer": READ,
    "quality_officer": READ,
    "dept_head": READ,
    "executive": READ,
    "admin": (*READ, *EDIT),
}
