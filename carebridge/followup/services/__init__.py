"""Writes of follow-up (one module per sub-domain), re-exported here."""

from carebridge.followup.services.calls import call_record, escalations_advance
from carebridge.followup.services.discharge import plan_retier, stay_discharge
from carebridge.followup.services.issues import call_issue_answer, call_issue_raise
from carebridge.followup.services.plans import (
    care_plan_open,
    care_plans_ensure,
    midstay_talk_schedule,
    touchpoint_complete,
)
from carebridge.followup.services.queue import (
    call_claim,
    call_claim_next,
    call_release,
    claims_release_expired,
)
from carebridge.followup.services.telephony import TelephonyEvent, telephony_event_receive
from carebridge.followup.services.transitions import touchpoint_close

__all__ = [
    "TelephonyEvent",
    "call_claim",
    "call_claim_next",
    "call_issue_answer",
    "call_issue_raise",
    "call_record",
    "call_release",
    "care_plan_open",
    "care_plans_ensure",
    "claims_release_expired",
    "escalations_advance",
    "midstay_talk_schedule",
    "plan_retier",
    "stay_discharge",
    "telephony_event_receive",
    "touchpoint_close",
    "touchpoint_complete",
]
