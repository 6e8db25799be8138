"""Writes of the service desk (one module per sub-domain), re-exported here."""

from carebridge.desk.services.complaints import (
    ComplaintInput,
    complaint_attach,
    complaint_receive,
    complaint_record_feedback,
    complaint_update,
    note_add,
    recovery_action_add,
)
from carebridge.desk.services.escalation import complaint_escalate, complaints_escalate_overdue
from carebridge.desk.services.transitions import complaint_route, complaint_transition, deadlines_refresh

__all__ = [
    "ComplaintInput",
    "complaint_attach",
    "complaint_escalate",
    "complaint_receive",
    "complaint_record_feedback",
    "complaint_route",
    "complaint_transition",
    "complaint_update",
    "complaints_escalate_overdue",
    "deadlines_refresh",
    "note_add",
    "recovery_action_add",
]
