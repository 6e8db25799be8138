"""Registrations of the front desk (imported by ``FrontdeskConfig.ready``): the desk's own providers of the
matters a shift hands over (交班). Other apps (follow-up) register theirs in their own ``hooks``."""

from __future__ import annotations

from carebridge.frontdesk.domain.carryover import register
from carebridge.frontdesk.selectors.carryover import (
    complaints_near_deadline,
    escorts_not_finished,
    inquiries_unanswered,
)

register(complaints_near_deadline)
register(escorts_not_finished)
register(inquiries_unanswered)
