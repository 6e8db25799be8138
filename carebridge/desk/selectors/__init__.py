"""Reads of the service desk, each through the user's data scope (one module per sub-domain)."""

from carebridge.desk.selectors.complaints import (
    DeadlineView,
    complaint_get,
    complaint_list,
    complaint_list_for_display,
    deadline_views,
    overdue_list,
)
from carebridge.desk.selectors.statistics import (
    StatRow,
    complaint_statistics,
    compliments_by_department,
    compliments_by_staff,
    statistics_base,
)

__all__ = [
    "DeadlineView",
    "StatRow",
    "complaint_get",
    "complaint_list",
    "complaint_list_for_display",
    "complaint_statistics",
    "compliments_by_department",
    "compliments_by_staff",
    "deadline_views",
    "overdue_list",
    "statistics_base",
]
