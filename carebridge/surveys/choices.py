"""Enumerations of satisfaction measurement: item types, sampling, life cycles, modes and channels.

The review in seed 003 names six failures of hospital satisfaction surveys; the first four are fixed here:
standard versioned instruments (``ItemType``, ``VersionStatus``), a weighted indicator system (weights live
in the instrument definition), several modes and customer classes (``ResponseMode``, ``RespondentClass``),
and control of how surveys are done (``SamplingMethod``, ``ExclusionReason``, the invitation life cycle).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.patients.choices import CustomerClass

# Respondent classes are the registry's customer classes (DESIGN §5.1): patients, families, staff, payers…
RespondentClass = CustomerClass


class ItemType(models.TextChoices):
    LIKERT = "likert", _("Likert scale (4, 5 or 7 points)")
    SCALE_0_10 = "scale_0_10", _("0–10 scale")
    SCALE_1_10 = "scale_1_10", _("1–10 scale (CSI)")
    YES_NO = "yes_no", _("Yes / no")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


# Item types whose answer is one number on an ordered scale, so they can be scored and analysed.
SCORED_TYPES: frozenset[str] = frozenset(
    {ItemType.LIKERT, ItemType.SCALE_0_10, ItemType.SCALE_1_10, ItemType.YES_NO}
)


class InstrumentKind(models.TextChoices):
    INPATIENT = "inpatient", _("Inpatient experience")
    OUTPATIENT = "outpatient", _("Outpatient experience")
    CHECKUP = "checkup", _("Health-checkup customers")
    STAFF = "staff", _("Staff satisfaction")
    CSI = "csi", _("Customer satisfaction index (CSI)")
    RECOMMENDATION = "recommendation", _("Recommendation (one question)")
    OTHER = "other", _("Other")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class PopulationKind(models.TextChoices):
    """Whom a wave samples from."""

    INPATIENTS_DISCHARGED = "inpatients_discharged", _("Inpatients discharged in a period")
    OUTPATIENTS = "outpatients", _("Outpatients seen in a period")
    CHECKUP_CUSTOMERS = "checkup_customers", _("Health-checkup customers in a period")
    STAFF = "staff", _("Staff of given departments")
    CUSTOMERS = "customers", _("Registered customers of a class (families, payers, community…)")
    OPEN = "open", _("Open link (no list; anyone with the link or QR code)")


class SamplingMethod(models.TextChoices):
    CENSUS = "census", _("Census (everyone eligible)")
    SIMPLE_RANDOM = "simple_random", _("Simple random sample")
    STRATIFIED = "stratified", _("Stratified random sample")


class WaveStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


WAVE_TRANSITIONS: dict[str, frozenset[str]] = {
    WaveStatus.DRAFT: frozenset({WaveStatus.OPEN}),
    WaveStatus.OPEN: frozenset({WaveStatus.CLOSED}),
    WaveStatus.CLOSED: frozenset({WaveStatus.OPEN}),
}


class Channel(models.TextChoices):
    """How an invitation reaches the person."""

    SMS = "sms", _("SMS with link")
    QR = "qr", _("Printed QR code sheet")
    LINK = "link", _("Link (e-mail, WeChat, portal)")
    PHONE = "phone", _("Phone interview by an agent")
    PAPER = "paper", _("Paper questionnaire")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for its sending window")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Delivery failed")
    OPENED = "opened", _("Opened")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_I = InvitationStatus
# The invitation life cycle: what each status may become. Answering, expiry and withdrawal end it.
INVITATION_TRANSITIONS: dict[str, frozenset[str]] = {
    _I.PENDING: frozenset({_I.SENT, _I.FAILED, _I.OPENED, _I.COMPLETED, _I.EXPIRED, _I.WITHDRAWN}),
    _I.SENT: frozenset({_I.DELIVERED, _I.FAILED, _I.OPENED, _I.COMPLETED, _I.EXPIRED, _I.WITHDRAWN}),
    _I.DELIVERED: frozenset({_I.OPENED, _I.COMPLETED, _I.EXPIRED, _I.WITHDRAWN}),
    _I.FAILED: frozenset({_I.SENT, _I.DELIVERED, _I.OPENED, _I.COMPLETED, _I.EXPIRED, _I.WITHDRAWN}),
    _I.OPENED: frozenset({_I.COMPLETED, _I.EXPIRED, _I.WITHDRAWN}),
    _I.COMPLETED: frozenset(),
    _I.EXPIRED: frozenset(),
    _I.WITHDRAWN: frozenset(),
}

# Invitations that can still be answered.
ANSWERABLE: frozenset[str] = frozenset(
    {
        InvitationStatus.PENDING,
        InvitationStatus.SENT,
        InvitationStatus.DELIVERED,
        InvitationStatus.FAILED,
        InvitationStatus.OPENED,
    }
)


class ExclusionReason(models.TextChoices):
    """Why an eligible person of the population was not invited; each is counted on the wave."""

    NO_SURVEY_CONSENT = "no_survey_consent", _("No consent to surveys")
    DECEASED = "deceased", _("Deceased")
    DO_NOT_CONTACT = "do_not_contact", _("On the do-not-contact list")
    RECENTLY_SURVEYED = "recently_surveyed", _("Surveyed within the minimum interval")
    IN_TREATMENT = "in_treatment", _("Still in treatment")
    OUTSIDE_WINDOW = "outside_window", _("Outside the timing window")
    NO_CONTACT_ROUTE = "no_contact_route", _("No phone number for the channel")
    NOT_SAMPLED = "not_sampled", _("Eligible but not drawn in the sample")
    QUOTA_MET = "quota_met", _("The stratum's quota of responses was already met")


class ResponseMode(models.TextChoices):
    WEB = "web", _("Web self-completion")
    PHONE = "phone", _("Phone interview")
    PAPER = "paper", _("Paper entry")
    IMPORT = "import", _("Imported file")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")


class TriggerKind(models.TextChoices):
    """What opens a service-recovery case in the desk the moment a response arrives."""

    ITEM_AT_OR_BELOW = "item_at_or_below", _("An item scored at or below a threshold")
    DETRACTOR = "detractor", _("A recommendation score of 0–6 (detractor)")
    COMPLAINT_TEXT = "complaint_text", _("A comment that reads like a complaint")
