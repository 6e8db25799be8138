"""Models of the service desk, one module per sub-domain: complaints, config, inquiries, escorts, handover."""

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
from carebridge.desk.models.escorts import Escort, EscortTransition
from carebridge.desk.models.handover import Handover, HandoverItem, Shift, WorkLog
from carebridge.desk.models.inquiries import Inquiry

__all__ = [
    "CategoryKeyword",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintDeadline",
    "ComplaintNote",
    "ComplaintPause",
    "ComplaintPolicy",
    "ComplaintTransition",
    "Escort",
    "EscortTransition",
    "Handover",
    "HandoverItem",
    "Inquiry",
    "RecoveryAction",
    "RoutingRule",
    "Shift",
    "WorkLog",
]
