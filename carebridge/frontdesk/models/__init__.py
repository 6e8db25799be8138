"""Models of the front desk, one module per sub-domain: inquiries, escorts, shift handover and work logs.
Tables keep their ``desk_*`` names."""

from carebridge.frontdesk.models.escorts import Escort, EscortTransition
from carebridge.frontdesk.models.handover import Handover, HandoverItem, Shift, WorkLog
from carebridge.frontdesk.models.inquiries import Inquiry

__all__ = [
    "Escort",
    "EscortTransition",
    "Handover",
    "HandoverItem",
    "Inquiry",
    "Shift",
    "WorkLog",
]
