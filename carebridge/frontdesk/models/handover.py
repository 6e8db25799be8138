"""Shift handover (交班) and work logs (工作日志): the seed's "交班和工作日志撰写等制度".

A :class:`Shift` is a hospital's configured working period (白班 08:00–17:00, 夜班 17:00–08:00 by
default). At each shift's end a :class:`Handover` is opened (by the beat task, or earlier by hand) with
the open matters the next shift must carry (:class:`HandoverItem`, gathered by the providers registered
with ``domain.carryover``), notes from the outgoing shift, and the acknowledgement of whoever takes over.
A :class:`WorkLog` is one agent's day: counts pre-filled from the records, plus free notes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups
from carebridge.frontdesk.choices import HandoverItemKind, HandoverStatus


class Shift(models.Model):
    """A working period of the desk (班次). ``ends_at`` earlier than ``starts_at`` runs past midnight."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="shifts")
    code = models.SlugField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=32)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "desk_shift"
        ordering = ["hospital_id", "starts_at"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="shift_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Handover(models.Model):
    """The handover at the end of one shift occurrence (交班), to the shift that follows (接班)."""

    # A handover belongs to the desk of a hospital, not to a department.
    scope_lookups = ScopeLookups(hospital="hospital")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="handovers")
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("shift")
    )
    # The local date on which the outgoing shift began (a night shift of 1 May ends on 2 May).
    shift_date = models.DateField(_("shift date"))
    next_shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="+", verbose_name=_("next shift")
    )
    handover_at = models.DateTimeField(_("handover time"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=HandoverStatus.choices, default=HandoverStatus.OPEN
    )
    notes = models.TextField(_("notes"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
        help_text=_("Empty when the scheduled task opened it."),
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledgement_note = models.TextField(_("acknowledgement note"), blank=True)

    class Meta:
        db_table = "desk_handover"
        ordering = ["-handover_at", "-id"]
        verbose_name = _("shift handover")
        verbose_name_plural = _("shift handovers")
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "shift", "shift_date"], name="handover_once_per_shift"
            )
        ]
        permissions = [("acknowledge_handover", _("Can take over a shift (acknowledge a handover)"))]

    def __str__(self) -> str:
        return f"{self.shift.name} {self.shift_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == HandoverStatus.OPEN


class HandoverItem(models.Model):
    """An open matter carried to the next shift: what it is, when it is due, and where to find it.

    ``kind`` and ``object_key`` identify the source (``complaint``/``42``); a provider of another module
    adds its own kinds, so ``kind`` has no fixed choices.
    """

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=32)
    object_key = models.CharField(_("object"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    due = models.DateTimeField(_("due"), null=True, blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)

    class Meta:
        db_table = "desk_handoveritem"
        ordering = ["due", "id"]
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        constraints = [
            models.UniqueConstraint(fields=["handover", "kind", "object_key"], name="handover_item_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        """The kind as the page shows it (a kind added by another module without a label shows as is)."""
        try:
            return str(HandoverItemKind(self.kind).label)
        except ValueError:
            return self.kind


class WorkLog(models.Model):
    """One agent's work log for one day (工作日志): counts from the records, plus free notes."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="work_logs")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="work_logs", verbose_name=_("agent")
    )
    day = models.DateField(_("day"))
    inquiries_answered = models.PositiveIntegerField(_("inquiries answered"), default=0)
    escorts_done = models.PositiveIntegerField(_("escorts done"), default=0)
    complaints_received = models.PositiveIntegerField(_("complaints received"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    counted_at = models.DateTimeField(_("counted at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "desk_worklog"
        ordering = ["-day", "author_id"]
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        constraints = [models.UniqueConstraint(fields=["author", "day"], name="worklog_once_per_day")]
        permissions = [("review_worklogs", _("Can read the work logs of other agents"))]

    def __str__(self) -> str:
        return f"{self.author} {self.day:%Y-%m-%d}"
