"""Permissions staff standards, training, activities and inspections (issue 16) add to the roles of
DESIGN §4; ``performance/roles.py`` merges this table with the scorecard's.

The quality office runs the 双创 inspections (records and verifies findings) and keeps the training
register and the activity register; department heads rectify the findings of their departments and
read their staff's training; the checkup centre registers free screenings at activities; agents (the
trainees of the customer-service centre) read courses, sessions and activities; leaders read the yearly
statistics; administrators configure posts, criteria, courses, health days and areas.
"""

from __future__ import annotations


def _crud(*models: str) -> tuple[str, ...]:
    return tuple(f"performance.{a}_{m}" for m in models for a in ("view", "add", "change", "delete"))


_READ_TRAINING = (
    "performance.view_course",
    "performance.view_trainingsession",
    "performance.view_attendance",
    "performance.view_post",
)
_READ_ACTIVITIES = (
    "performance.view_activity",
    "performance.view_activityattachment",
    "performance.view_healthday",
)
_READ_INSPECTIONS = (
    "performance.view_inspectionround",
    "performance.view_finding",
    "performance.view_findingphoto",
    "performance.view_inspectionarea",
)
_STAFF_RECORDS = (
    "performance.view_postassignment",
    "performance.view_admissionassessment",
    "performance.view_admissioncriterion",
)
STATISTICS = "performance.view_standards_statistics"

_OFFICE = (
    *_READ_TRAINING,
    *_READ_ACTIVITIES,
    *_READ_INSPECTIONS,
    *_STAFF_RECORDS,
    STATISTICS,
    "performance.add_trainingsession",
    "performance.add_attendance",
    "performance.add_activity",
    "performance.change_activity",
    "performance.add_activityattachment",
    "performance.add_inspectionround",
    "performance.add_finding",
    "performance.inspect_finding",
    "performance.add_postassignment",
    "performance.add_admissionassessment",
    "performance.view_screening",
    "performance.view_trainingyear",
)

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (*_READ_TRAINING, *_READ_ACTIVITIES),
    "checkup_staff": (*_READ_ACTIVITIES, "performance.view_screening", "performance.add_screening"),
    "quality_officer": _OFFICE,
    "dept_head": (
        *_READ_TRAINING,
        *_READ_ACTIVITIES,
        *_READ_INSPECTIONS,
        *_STAFF_RECORDS,
        STATISTICS,
        "performance.rectify_finding",
    ),
    "executive": (STATISTICS, *_READ_ACTIVITIES),
    "admin": (
        *_OFFICE,
        "performance.add_screening",
        "performance.rectify_finding",
        *_crud("post", "admissioncriterion", "course", "trainingyear", "healthday", "inspectionarea"),
    ),
}
