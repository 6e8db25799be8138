"""Models of complaints, compliments and suggestions, one module per sub-domain: the cases and their
configuration (policy, routing map, category lexicon). Tables keep their ``desk_*`` names."""

from carebridge.complaints.models.complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintDeadline,
    ComplaintNote,
    ComplaintPause,
    ComplaintTransition,
    RecoveryAction,
)
from carebridge.complaints.models.config import CategoryKeyword, ComplaintPolicy, RoutingRule

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
