"""Enumerations of critical and important abnormal results (危急值 / 重要异常结果) and the notification's
life cycle (seed 003 篇7 2.2.5; CLSI GP47, Joint Commission NPSG.02.03.01, 危急值报告制度).

A notification is open until a person is reached and reads the result back, or until the whole
escalation ladder of its class is documented and a supervisor signs it off as unable to reach.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """Class A (危急: act at once) or B (重要异常: needs further diagnosis)."""

    A = "A", _("Class A (critical: immediate)")
    B = "B", _("Class B (important: further diagnosis)")


class RuleOperator(models.TextChoices):
    """How a rule compares one result, always in the item's canonical unit."""

    LT = "lt", _("Value below")
    LTE = "lte", _("Value at most")
    GT = "gt", _("Value above")
    GTE = "gte", _("Value at least")
    ABOVE_REFERENCE = "above_ref", _("Above its reference upper limit")
    GRADE_GTE = "grade_gte", _("Grade at least")
    CODED_ABOVE = "coded_above", _("Graded finding above")
    POSITIVE = "positive", _("Positive")
    CODED_IN = "coded_in", _("Finding is one of")


class RulePopulation(models.TextChoices):
    """Whose results a rule set judges: checkup customers, or inpatients and outpatients (the ward's
    list). A clinical result is judged by the clinical set in force, else by the checkup set."""

    CHECKUP = "checkup", _("Checkup customers")
    CLINICAL = "clinical", _("Inpatients and outpatients")


class NotificationStatus(models.TextChoices):
    NEW = "new", _("Not yet attempted")
    IN_PROGRESS = "in_progress", _("Being notified")
    READ_BACK = "read_back", _("Closed: reached, read back")
    UNREACHABLE = "unreachable", _("Closed: unable to reach (signed off)")
    WITHDRAWN = "withdrawn", _("Withdrawn: result corrected")


OPEN_STATUSES = frozenset({NotificationStatus.NEW, NotificationStatus.IN_PROGRESS})
CLOSED_STATUSES = frozenset({NotificationStatus.READ_BACK, NotificationStatus.UNREACHABLE})

NOTIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    NotificationStatus.NEW: frozenset(
        {NotificationStatus.IN_PROGRESS, NotificationStatus.READ_BACK, NotificationStatus.WITHDRAWN}
    ),
    NotificationStatus.IN_PROGRESS: frozenset(
        {NotificationStatus.READ_BACK, NotificationStatus.UNREACHABLE, NotificationStatus.WITHDRAWN}
    ),
    NotificationStatus.READ_BACK: frozenset(),
    NotificationStatus.UNREACHABLE: frozenset(),
    # A result corrected back into a critical range reopens the notification.
    NotificationStatus.WITHDRAWN: frozenset({NotificationStatus.NEW}),
}


class Outcome(models.TextChoices):
    READ_BACK = "read_back", _("Reached, read back")
    REACHED = "reached", _("Reached, no read-back")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REFUSED = "refused", _("Refused")
    # The non-telephone steps of the ladder.
    VISITED = "visited", _("Home visit made")
    LETTER_SENT = "letter_sent", _("Registered letter sent")


REACHED_OUTCOMES = frozenset({Outcome.READ_BACK, Outcome.REACHED})


class LadderStep(models.TextChoices):
    """The escalation ladder: whom to try next. Checkup customers: the person, their emergency contact,
    the employer's contact (group customers), a home visit or registered letter. Inpatients and
    outpatients: the ordering or attending doctor, the ward nurse, the department head."""

    PERSON = "person", _("The person")
    EMERGENCY_CONTACT = "emergency", _("Emergency contact")
    EMPLOYER = "employer", _("Employer's contact")
    HOME_VISIT = "home_visit", _("Home visit or registered letter")
    DOCTOR = "doctor", _("Ordering or attending doctor")
    WARD_NURSE = "ward_nurse", _("Ward nurse")
    DEPARTMENT_HEAD = "dept_head", _("Department head")


CHECKUP_LADDER: tuple[str, ...] = (
    LadderStep.PERSON,
    LadderStep.EMERGENCY_CONTACT,
    LadderStep.EMPLOYER,
    LadderStep.HOME_VISIT,
)
CLINICAL_LADDER: tuple[str, ...] = (LadderStep.DOCTOR, LadderStep.WARD_NURSE, LadderStep.DEPARTMENT_HEAD)


class EscalationKind(models.TextChoices):
    """The targets a notification can miss; each one escalates to the supervisor once."""

    FIRST_ATTEMPT = "first_attempt", _("No first attempt within the target")
    READ_BACK = "read_back", _("No read-back within the target")


class RecheckOutcome(models.TextChoices):
    """What the recheck found (closing the clinical loop; gives each rule's positive predictive value)."""

    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    NOT_SEEN = "not_seen", _("Did not see a doctor")
