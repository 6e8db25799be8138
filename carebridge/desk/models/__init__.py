"""Models of the service desk. One module per sub-domain; later ones (inquiries, escorts, handover) join here."""

from carebridge.desk.models.complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintDeadline,
    ComplaintNote,
    ComplaintPause,
    ComplaintTransition,
    RecoveryAction,
)
from carebridge.desk.models.config import CategoryKeyword, ComplaintPolicy, RoutingRule

__all__ = [
    "CategoryKeyword",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintDeadline",
    "ComplaintNote",
    "ComplaintPause",
    "ComplaintPolicy",
    "ComplaintTransition",
    "RecoveryAction",
    "RoutingRule",
]
