"""Methods beyond questionnaires (篇3 4.3 调查方式单一): structured interviews and focus groups whose notes
the insights app codes into the comment topics it finds in survey comments, and expert-panel reviews in
which experts rate the relevance of an instrument's items (content validity, ``lib/stats/cvi.py``).

The seed asks for respondents beyond patients — staff, managers, medical experts, the community — so a
session records whom it heard (``group``)."""

from __future__ import annotations

from typing import ClassVar, TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.scope import ScopeLookups


class SessionKind(models.TextChoices):
    INTERVIEW = "interview", _("Structured interview (结构化访谈)")
    FOCUS_GROUP = "focus_group", _("Focus group (焦点小组座谈)")


class RespondentGroup(models.TextChoices):
    PATIENTS = "patients", _("Patients (患者)")
    FAMILIES = "families", _("Families (家属)")
    STAFF = "staff", _("Doctors and nurses (医护人员)")
    MANAGERS = "managers", _("Managers (管理人员)")
    EXPERTS = "experts", _("Medical experts (医疗专家)")
    COMMUNITY = "community", _("Community and society (社会各界)")


class QualitativeSession(models.Model):
    """One structured interview or focus group: the guide it followed and the notes, one point per line
    (each line is coded into topics on reading)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    group = models.CharField(_("respondents"), max_length=16, choices=RespondentGroup.choices)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    facilitator = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    participants = models.PositiveIntegerField(_("participants"), default=1)
    guide = models.TextField(_("interview guide"), blank=True)
    notes = models.TextField(_("notes (one point per line)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview or focus group")
        verbose_name_plural = _("interviews and focus groups")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def points(self) -> list[str]:
        """The notes' points, one per non-empty line."""
        return [line.strip() for line in self.notes.splitlines() if line.strip()]


class ReviewItem(TypedDict):
    code: str
    text: str


class ExpertReview(models.Model):
    """An expert-panel review (专家评议) of an instrument's items: each expert rates every item's relevance
    on the 4-point scale; the content validity (I-CVI, S-CVI, modified kappa) follows from the ratings."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("what is reviewed"), max_length=200, blank=True)
    items = models.JSONField(_("items"))
    held_on = models.DateField(_("held on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert-panel review")
        verbose_name_plural = _("expert-panel reviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ExpertRating(models.Model):
    """One expert's ratings of a review's items (item code → 1–4)."""

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="ratings")
    expert = models.CharField(_("expert"), max_length=64)
    expertise = models.CharField(_("field"), max_length=64, blank=True)
    ratings = models.JSONField(_("ratings"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert rating")
        verbose_name_plural = _("expert ratings")
        ordering = ["review", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="expert_rates_once")]

    def __str__(self) -> str:
        return f"{self.review} · {self.expert}"
