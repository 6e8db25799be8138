"""Enumerations of follow-up (随访/客户关系管理): care plans, touchpoints, tiers, calls and their life cycles.

The programme follows the paediatric ward's customer-relationship work of seed 003 (医院客服工作总结篇4):
a project manager (项目经理) meets the family at admission, talks with them before special examinations
or medication, interviews them before discharge, and has the attending doctor or nurse call within a week
of discharge; the customer-relationship office follows up by tier (A, B, C 三级回访). Every life cycle is an
explicit table; every change goes through ``services.transitions``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    IN_STAY = "in_stay", _("In hospital (住院中)")
    FOLLOW_UP = "follow_up", _("Following up (随访中)")
    CLOSED = "closed", _("Closed (已结束)")


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.IN_STAY: frozenset({PlanStatus.FOLLOW_UP, PlanStatus.CLOSED}),
    PlanStatus.FOLLOW_UP: frozenset({PlanStatus.CLOSED}),
    PlanStatus.CLOSED: frozenset({PlanStatus.FOLLOW_UP}),  # reopened, e.g. by a re-tier after closing
}


class TouchpointKind(models.TextChoices):
    ADMISSION_INTERVIEW = "admission_interview", _("Admission interview (入院访谈)")
    MID_STAY_TALK = "mid_stay_talk", _("Mid-stay talk (住院中途沟通)")
    PRE_DISCHARGE_INTERVIEW = "pre_discharge_interview", _("Pre-discharge interview (出院前访谈)")
    POST_DISCHARGE_CALL = "post_discharge_call", _("Post-discharge call by the doctor or nurse (出院回访)")
    FOLLOW_UP_CALL = "follow_up_call", _("Tiered follow-up call (分级随访)")
    STANDALONE_CALL = "standalone_call", _("Follow-up call outside a stay (院外随访电话)")


# Touchpoints made by phone: they enter a call queue, have call attempts and an escalation chain.
CALL_KINDS: frozenset[str] = frozenset(
    {TouchpointKind.POST_DISCHARGE_CALL, TouchpointKind.FOLLOW_UP_CALL, TouchpointKind.STANDALONE_CALL}
)
# Touchpoints of the stay, done face to face by the project manager.
STAY_KINDS: frozenset[str] = frozenset(
    {
        TouchpointKind.ADMISSION_INTERVIEW,
        TouchpointKind.MID_STAY_TALK,
        TouchpointKind.PRE_DISCHARGE_INTERVIEW,
    }
)


class StandaloneReason(models.TextChoices):
    """Why a follow-up call outside any care plan was made (``services.standalone``): the origin app
    names its reason; the call machinery (queue, calling hours, redials, escalation) is the same."""

    CHECKUP_ABNORMAL = "checkup_abnormal", _("Abnormal checkup finding (体检异常随访)")
    CRITICAL_RECHECK = "critical_recheck", _("Recheck after a critical result (危急值复查追踪)")
    CHRONIC_RECALL = "chronic_recall", _("Chronic-disease programme recall (慢病项目回访)")
    OTHER = "other", _("Other (其他)")


class RecheckOutcome(models.TextChoices):
    """What the call about a finding learnt: did the person see a doctor, and was the finding confirmed."""

    CONFIRMED = "confirmed", _("Seen by a doctor: finding confirmed (已就诊，证实)")
    NOT_CONFIRMED = "not_confirmed", _("Seen by a doctor: finding not confirmed (已就诊，未证实)")
    NOT_SEEN = "not_seen", _("Has not seen a doctor yet (未就诊)")


class TouchpointStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled (待办)")
    IN_PROGRESS = "in_progress", _("In progress (进行中)")
    DONE = "done", _("Done (已完成)")
    REFUSED = "refused", _("Refused by the patient (拒访)")
    LOST = "lost", _("Lost to follow-up (失访)")
    DECEASED = "deceased", _("Patient deceased (已故)")
    SKIPPED = "skipped", _("Skipped by policy (免访)")
    EXPIRED = "expired", _("Closed after its window (逾期关闭)")
    CANCELLED = "cancelled", _("Cancelled (已取消)")


OPEN_TOUCHPOINT: frozenset[str] = frozenset({TouchpointStatus.SCHEDULED, TouchpointStatus.IN_PROGRESS})
_CLOSING = frozenset(
    {
        TouchpointStatus.DONE,
        TouchpointStatus.REFUSED,
        TouchpointStatus.LOST,
        TouchpointStatus.DECEASED,
        TouchpointStatus.SKIPPED,
        TouchpointStatus.EXPIRED,
        TouchpointStatus.CANCELLED,
    }
)
TOUCHPOINT_TRANSITIONS: dict[str, frozenset[str]] = {
    TouchpointStatus.SCHEDULED: frozenset({TouchpointStatus.IN_PROGRESS}) | _CLOSING,
    TouchpointStatus.IN_PROGRESS: frozenset({TouchpointStatus.IN_PROGRESS}) | _CLOSING,
    # A closed touchpoint is reopened only by hand, with a reason (e.g. a wrong "deceased" report).
    **{status: frozenset({TouchpointStatus.IN_PROGRESS}) for status in _CLOSING},
}


class TierCode(models.TextChoices):
    """Follow-up tiers (回访级别) of the customer-relationship office."""

    A = "A", _("Tier A (A级)")
    B = "B", _("Tier B (B级)")
    C = "C", _("Tier C (C级)")


class MedicationFlag(models.TextChoices):
    """Discharge medication that calls for closer follow-up (出院带药)."""

    ANTICOAGULANT = "anticoagulant", _("Anticoagulant (抗凝药)")
    ANTIPLATELET = "antiplatelet", _("Antiplatelet (抗血小板药)")
    CHEMOTHERAPY = "chemotherapy", _("Chemotherapy (化疗药)")
    INSULIN = "insulin", _("Insulin (胰岛素)")
    IMMUNOSUPPRESSANT = "immunosuppressant", _("Immunosuppressant (免疫抑制剂)")
    OPIOID = "opioid", _("Opioid (阿片类镇痛药)")


class OwnerRule(models.TextChoices):
    """Who does a touchpoint of the template."""

    WARD_MANAGER = "ward_manager", _("The ward's project manager (项目经理)")
    CLINICIAN = "clinician", _("The attending doctor, else the primary nurse (主管医师/分管护士)")
    CALL_CENTRE = "call_centre", _("The customer-service call centre (客服中心)")


class Anchor(models.TextChoices):
    """What a template touchpoint's due time counts from."""

    ADMISSION = "admission", _("Admission")
    DISCHARGE = "discharge", _("Discharge")
    EVENT = "event", _("Before the scheduled examination or medication")


class MidStayTrigger(models.TextChoices):
    SPECIAL_EXAMINATION = "special_examination", _("Special examination (特殊检查)")
    SPECIAL_MEDICATION = "special_medication", _("Special medication (特殊用药)")
    OTHER = "other", _("Other (其他)")


class EscalationStep(models.TextChoices):
    """The chain of a call when nobody answers: phone → message → home visit or letter → lost (失访)."""

    PHONE = "phone", _("Phone (电话)")
    MESSAGE = "message", _("SMS or WeChat message (短信/微信)")
    VISIT_OR_LETTER = "visit_or_letter", _("Home visit or letter (家访/信函)")
    LOST = "lost", _("Lost to follow-up (失访)")


STEP_ORDER: tuple[str, ...] = (
    EscalationStep.PHONE,
    EscalationStep.MESSAGE,
    EscalationStep.VISIT_OR_LETTER,
    EscalationStep.LOST,
)


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone (电话)")
    SMS = "sms", _("SMS (短信)")
    WECHAT = "wechat", _("WeChat (微信)")
    HOME_VISIT = "home_visit", _("Home visit (家访)")
    LETTER = "letter", _("Letter (信函)")
    IN_PERSON = "in_person", _("Face to face (面谈)")


class CallOutcome(models.TextChoices):
    """The outcome of one attempt; phone outcomes drive the redial rules and the escalation chain."""

    REACHED = "reached", _("Reached (已接通)")
    NO_ANSWER = "no_answer", _("No answer (无人接听)")
    BUSY = "busy", _("Busy (占线)")
    WRONG_NUMBER = "wrong_number", _("Wrong number (号码错误)")
    REFUSED = "refused", _("Refused (拒访)")
    DECEASED = "deceased", _("Deceased (已故)")
    SENT = "sent", _("Message or letter sent (已发送)")
    FAILED = "failed", _("Not delivered or nobody found (未送达/未遇)")


PHONE_OUTCOMES: frozenset[str] = frozenset(
    {
        CallOutcome.REACHED,
        CallOutcome.NO_ANSWER,
        CallOutcome.BUSY,
        CallOutcome.WRONG_NUMBER,
        CallOutcome.REFUSED,
        CallOutcome.DECEASED,
    }
)
# Outcomes that mean a person answered for the patient.
REACHED_OUTCOMES: frozenset[str] = frozenset({CallOutcome.REACHED, CallOutcome.REFUSED})
CHANNEL_OUTCOMES: dict[str, frozenset[str]] = {
    ContactChannel.PHONE: PHONE_OUTCOMES,
    ContactChannel.SMS: frozenset({CallOutcome.SENT, CallOutcome.FAILED, CallOutcome.REACHED}),
    ContactChannel.WECHAT: frozenset({CallOutcome.SENT, CallOutcome.FAILED, CallOutcome.REACHED}),
    ContactChannel.HOME_VISIT: frozenset(
        {CallOutcome.REACHED, CallOutcome.FAILED, CallOutcome.REFUSED, CallOutcome.DECEASED}
    ),
    ContactChannel.LETTER: frozenset({CallOutcome.SENT, CallOutcome.FAILED, CallOutcome.REACHED}),
    ContactChannel.IN_PERSON: frozenset({CallOutcome.REACHED, CallOutcome.REFUSED}),
}


class NoConsentRoute(models.TextChoices):
    """What happens to a call for a patient who did not consent to be contacted (PIPL Art. 29)."""

    SKIP = "skip", _("Skip the call and record why (免访)")
    LETTER = "letter", _("Send a letter instead of calling (改为信函)")


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS (短信)")
    WECHAT = "wechat", _("WeChat (微信)")


class IssueKind(models.TextChoices):
    """Something raised during a call (closing the loop, 闭环)."""

    COMPLAINT = "complaint", _("Complaint (投诉)")
    SUGGESTION = "suggestion", _("Suggestion or need (建议/需求)")
    COMPLIMENT = "compliment", _("Compliment (表扬)")
    CLINICAL_QUESTION = "clinical_question", _("Clinical question for the department (临床问题)")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open (待处理)")
    ANSWERED = "answered", _("Answered (已答复)")


class TelephonyState(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("Answered")
    ENDED = "ended", _("Ended")


class ScriptTopic(models.TextChoices):
    """Sections of a call script (回访话术)."""

    GREETING = "greeting", _("Greeting and identification")
    HEALTH_STATUS = "health_status", _("Health status")
    MEDICATION = "medication", _("Medication")
    WARNING_SIGNS = "warning_signs", _("Warning signs")
    STAY_QUESTIONS = "stay_questions", _("Questions about the stay")
    CLOSING = "closing", _("Closing")


class EnrolmentStatus(models.TextChoices):
    """A patient's membership of a chronic-disease programme (关系营销, 篇5)."""

    ACTIVE = "active", _("Enrolled (在册)")
    LEFT = "left", _("Left the programme (已退出)")


ENROLMENT_MOVES: dict[str, frozenset[str]] = {
    EnrolmentStatus.ACTIVE: frozenset({EnrolmentStatus.LEFT}),
    EnrolmentStatus.LEFT: frozenset({EnrolmentStatus.ACTIVE}),  # re-enrolled
}


class RecallKind(models.TextChoices):
    """What a programme recall is for; every kind is a call in the follow-up queue."""

    CALL = "call", _("Check-in call (随访电话)")
    RECHECK = "recheck", _("Recheck reminder (复查提醒)")
    EDUCATION = "education", _("Health-education invitation (健康教育邀请)")


class MeetingKind(models.TextChoices):
    """Meetings of the ward programme (篇4 1.2(3)): the project managers' regular meeting and forums."""

    PM_MEETING = "pm_meeting", _("Project managers' meeting (项目经理例会)")
    FAMILY_FORUM = "family_forum", _("Patients' and families' forum (座谈会)")


class IntroductionTopic(models.TextChoices):
    """What the project manager introduces at the admission interview (篇4 1.1(1): 对医疗专家、医疗技术、
    医疗特色、诊治疗效、预后情况、服务流程等作具体的介绍与推广). The checklist is complete when every topic
    was covered."""

    EXPERTS = "experts", _("Medical experts (医疗专家)")
    TECHNIQUES = "techniques", _("Medical techniques (医疗技术)")
    SPECIALTIES = "specialties", _("The department's specialties (医疗特色)")
    OUTCOMES = "outcomes", _("Treatment outcomes (诊治疗效)")
    PROGNOSIS = "prognosis", _("Prognosis (预后情况)")
    SERVICE_FLOW = "service_flow", _("Service flow (服务流程)")


class StayItemStatus(models.TextChoices):
    """An item of the stay plan: open until done, or dropped with a reason."""

    OPEN = "open", _("Open (待办)")
    DONE = "done", _("Done (已完成)")
    DROPPED = "dropped", _("Dropped (已取消)")
