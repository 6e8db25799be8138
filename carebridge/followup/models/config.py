"""Per-hospital configuration of follow-up: the policy (calling hours, redial and escalation rules), the
touchpoint template of a care plan, the tiers with their due windows, the tier rules, call scripts, and
which project manager (项目经理) looks after which ward.

Every table gets its default rows on first use (``carebridge.followup.services.defaults``), so a new
hospital works at once and an administrator edits rows rather than code.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.deadlines import Unit
from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.scope import ScopeLookups
from carebridge.followup.choices import (
    Anchor,
    MessageChannel,
    NoConsentRoute,
    OwnerRule,
    TierCode,
    TouchpointKind,
)

UNIT_CHOICES = [
    (Unit.HOURS.value, _("hours")),
    (Unit.CALENDAR_DAYS.value, _("calendar days")),
    (Unit.WORKING_DAYS.value, _("working days")),
]


class FollowupPolicy(models.Model):
    """A hospital's rules for calls: calling hours, redials, claims, the escalation chain and consent."""

    hospital = models.OneToOneField(Hospital, on_delete=models.CASCADE, related_name="followup_policy")
    calling_start = models.TimeField(_("calling hours start"), default=dt.time(8, 30))
    calling_end = models.TimeField(_("calling hours end"), default=dt.time(20, 30))
    retry_minutes = models.PositiveSmallIntegerField(_("retry after no answer (minutes)"), default=120)
    busy_retry_minutes = models.PositiveSmallIntegerField(_("retry after busy (minutes)"), default=30)
    max_attempts_per_day = models.PositiveSmallIntegerField(
        _("phone attempts per day"),
        default=3,
        help_text=_("After this many unanswered attempts in a day the call moves to the next day."),
    )
    phone_attempts_before_message = models.PositiveSmallIntegerField(
        _("phone attempts before a message"),
        default=6,
        help_text=_("Unanswered phone attempts after which the chain moves on to an SMS or WeChat message."),
    )
    message_channel = models.CharField(
        _("message channel"), max_length=8, choices=MessageChannel.choices, default=MessageChannel.SMS
    )
    message_wait_hours = models.PositiveSmallIntegerField(
        _("wait for a reply to the message (hours)"), default=48
    )
    visit_days = models.PositiveSmallIntegerField(
        _("days for the home visit or letter"),
        default=14,
        help_text=_("The project manager's time to visit or write before the patient may be declared lost."),
    )
    claim_minutes = models.PositiveSmallIntegerField(
        _("claim held for (minutes)"),
        default=15,
        help_text=_(
            "A claimed call returns to the queue when the agent has not recorded an outcome by then."
        ),
    )
    no_consent_route = models.CharField(
        _("patients without contact consent"),
        max_length=8,
        choices=NoConsentRoute.choices,
        default=NoConsentRoute.SKIP,
    )
    default_tier = models.CharField(
        _("tier when no rule matches"), max_length=1, choices=TierCode.choices, default=TierCode.C
    )
    message_text = models.CharField(
        _("message text"),
        max_length=255,
        default="",
        blank=True,
        help_text=_("Sent when the patient cannot be reached by phone; {hospital} is replaced."),
    )

    # Read through ``restrict()``: the rows of the hospital in scope.
    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        verbose_name = _("follow-up policy")
        verbose_name_plural = _("follow-up policies")

    def __str__(self) -> str:
        return str(self.hospital)


class TouchpointTemplate(models.Model):
    """A touchpoint every care plan of the hospital gets (the template, 服务流程): its timing and owner.

    Stay touchpoints count from admission (admission interview), from discharge (pre-discharge
    interview: due at discharge, offset 0) or from a scheduled event (mid-stay talk, due ``amount``
    before it); the post-discharge call counts from discharge.
    """

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="touchpoint_templates")
    kind = models.CharField(_("kind"), max_length=32, choices=TouchpointKind.choices)
    title = models.CharField(_("title"), max_length=128)
    anchor = models.CharField(_("counted from"), max_length=16, choices=Anchor.choices)
    amount = models.PositiveSmallIntegerField(_("due within"))
    unit = models.CharField(_("unit"), max_length=16, choices=UNIT_CHOICES)
    owner_rule = models.CharField(_("done by"), max_length=16, choices=OwnerRule.choices)
    instructions = models.TextField(_("instructions"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "id"]
        verbose_name = _("touchpoint template")
        verbose_name_plural = _("touchpoint templates")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "kind"], name="followup_template_kind_unique")
        ]

    def __str__(self) -> str:
        return self.title


class FollowupTier(models.Model):
    """A follow-up tier (A, B, C) of a hospital: its rank in the queue and whether it closes by itself."""

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="followup_tiers")
    code = models.CharField(_("tier"), max_length=1, choices=TierCode.choices)
    name = models.CharField(_("name"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    rank = models.PositiveSmallIntegerField(_("queue rank"), help_text=_("Lower ranks are called first."))
    auto_close_after_days = models.PositiveSmallIntegerField(
        _("auto-close after the due date (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: never closed automatically (tier A)."),
    )

    # Read through ``restrict()``: the rows of the hospital in scope.
    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        ordering = ["hospital_id", "rank"]
        verbose_name = _("follow-up tier")
        verbose_name_plural = _("follow-up tiers")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="followup_tier_unique")]

    def __str__(self) -> str:
        return self.name


class TierWindow(models.Model):
    """One follow-up call of a tier: the n-th call is due within ``amount`` ``unit`` after discharge."""

    tier = models.ForeignKey(FollowupTier, on_delete=models.CASCADE, related_name="windows")
    sequence = models.PositiveSmallIntegerField(_("call number"))
    amount = models.PositiveSmallIntegerField(_("due within"))
    unit = models.CharField(_("unit"), max_length=16, choices=UNIT_CHOICES, default=Unit.CALENDAR_DAYS.value)

    class Meta:
        ordering = ["tier_id", "sequence"]
        verbose_name = _("tier due window")
        verbose_name_plural = _("tier due windows")
        constraints = [
            models.UniqueConstraint(fields=["tier", "sequence"], name="followup_tier_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tier.code}#{self.sequence}: {self.amount} {self.unit}"


class TierRule(models.Model):
    """A rule of the tier policy: when every condition that is set holds, the stay gets ``tier``.

    Rules are tried by ``priority`` (lowest first); the first match wins. Within one condition any value
    matches (any ICD-10 prefix, any department, any medication flag); empty conditions are not checked.
    """

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="tier_rules")
    name = models.CharField(_("name"), max_length=128)
    tier = models.CharField(_("tier"), max_length=1, choices=TierCode.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), help_text=_("Lower numbers are tried first."))
    # ["I21", "I63", "C"]: a diagnosis code starting with one of these (dots ignored) matches.
    icd10_prefixes = models.JSONField(_("ICD-10 prefixes"), default=list, blank=True)
    surgery_grade_min = models.PositiveSmallIntegerField(_("surgery grade at least"), null=True, blank=True)
    critical = models.BooleanField(
        _("critical condition"), null=True, blank=True, help_text=_("Empty: either.")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments")
    )
    # ["anticoagulant", "chemotherapy"]: any of these discharge medication flags matches.
    medication_flags = models.JSONField(_("discharge medication"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # Read through ``restrict()``: the rows of the hospital in scope.
    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        ordering = ["hospital_id", "priority", "id"]
        verbose_name = _("tier rule")
        verbose_name_plural = _("tier rules")

    def __str__(self) -> str:
        return f"{self.priority}. {self.name} → {self.tier}"


class CallScript(models.Model):
    """What the caller says and asks for one kind of touchpoint (回访话术), shown on the call page.

    ``sections`` is a list of ``{"topic": ScriptTopic, "title": str, "prompts": [str, …]}``.
    """

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="call_scripts")
    kind = models.CharField(_("touchpoint kind"), max_length=32, choices=TouchpointKind.choices)
    title = models.CharField(_("title"), max_length=128)
    sections = models.JSONField(_("sections"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["hospital_id", "kind"]
        verbose_name = _("call script")
        verbose_name_plural = _("call scripts")
        constraints = [models.UniqueConstraint(fields=["hospital", "kind"], name="followup_script_unique")]

    def __str__(self) -> str:
        return self.title


class WardProjectManager(models.Model):
    """The project manager (项目经理) who owns the care plans of a ward; without a row, the ward manager
    scoped to the ward's department with the fewest open plans is chosen."""

    ward = models.OneToOneField(Ward, on_delete=models.CASCADE, related_name="project_manager")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff"))

    class Meta:
        verbose_name = _("ward project manager")
        verbose_name_plural = _("ward project managers")

    def __str__(self) -> str:
        return f"{self.ward} → {self.staff}"
