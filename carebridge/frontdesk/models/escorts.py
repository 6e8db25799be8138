"""Escorts (陪诊送诊): accompanying a patient who cannot go alone from one place of the hospital to another.

requested → assigned → under way → done, or cancelled; the table is ``choices.ESCORT_TRANSITIONS``
and each change writes an :class:`EscortTransition` row (who, when, from, to, why) through
``services.escorts.escort_transition``. The time of each step is kept on the escort as well, for the
workspace and the statistics.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff, Transition
from carebridge.core.scope import DataScope, ScopeLookups
from carebridge.frontdesk.choices import EscortStatus, Mobility
from carebridge.patients.models import Patient


def _escort_scope(scope: DataScope, user: Any) -> Q:
    """Hospital-wide roles see every escort of their hospital; department roles the escorts of their
    departments and those they requested; anyone the escorts assigned to them."""
    condition = scope.q(hospital="hospital", department=None)
    if scope.department_ids is not None:
        condition &= Q(department__in=scope.department_ids) | Q(requested_by=user) | Q(assigned_to__user=user)
    return condition


class Escort(models.Model):
    """A request to accompany a patient (陪诊/送诊): from where, to where, when, and how they move."""

    scope_lookups = ScopeLookups(rule=_escort_scope)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="escorts")
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escorts",
        verbose_name=_("patient"),
    )
    patient_name = models.CharField(_("patient name"), max_length=64)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escorts",
        verbose_name=_("department"),
        help_text=_("The requesting or receiving department (decides who else may see the request)."),
    )
    from_place = models.CharField(_("from"), max_length=128)
    to_place = models.CharField(_("to"), max_length=128)
    scheduled_at = models.DateTimeField(_("when"), db_index=True)
    mobility = models.CharField(_("mobility"), max_length=16, choices=Mobility.choices)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EscortStatus.choices, default=EscortStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    assigned_to = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escorts",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "desk_escort"
        ordering = ["scheduled_at", "id"]
        verbose_name = _("escort")
        verbose_name_plural = _("escorts")
        indexes = [models.Index(fields=["hospital", "status", "scheduled_at"], name="escort_open_idx")]

    def __str__(self) -> str:
        return f"{self.patient_name}: {self.from_place} → {self.to_place}"


class EscortTransition(Transition):
    """One change of an escort's status: who, when, from, to and why (and to whom it was assigned)."""

    escort = models.ForeignKey(Escort, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=EscortStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=EscortStatus.choices)
    assigned_to = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )

    class Meta(Transition.Meta):
        db_table = "desk_escorttransition"
        verbose_name = _("escort transition")
        verbose_name_plural = _("escort transitions")

    def __str__(self) -> str:
        return f"{self.escort_id}: {self.from_status or '∅'} → {self.to_status}"
