"""A checkup visit (体检): booked, checked in, walked through the rooms, concluded by the chief examiner
and reported; the items ordered for it; its place in each room's queue; its life cycle.

The chief examiner's part (whether and when the person was seen, the overall conclusion, the health
prescription and the risk level with the rule that set it) is kept on the visit: the statistics and the
group reports read it without a join.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import (
    Channel,
    OccupationClass,
    OrderStatus,
    QueueStatus,
    RiskLevel,
    VisitKind,
    VisitStatus,
)
from carebridge.checkup.models.catalogue import Item, Package, Room
from carebridge.checkup.models.customers import ContractClass, EmployerGroup, RosterMember
from carebridge.core.models import Department, Hospital, Staff, Transition
from carebridge.core.scope import ScopeLookups
from carebridge.patients.models import Encounter, Patient

VISIT_SCOPE = ScopeLookups(hospital="visit__hospital", department="visit__department")


class CheckupVisitManager(models.Manager["Visit"]):
    """``Visit.objects``: checkups only. The results holders of clinical encounters (``kind=clinical``)
    are left out here, in one place, so no list, statistic, task, review queue or report of the centre
    can count them; the services that file or judge clinical results use ``Visit.all_kinds``."""

    def get_queryset(self) -> models.QuerySet[Visit]:
        return super().get_queryset().filter(kind=VisitKind.CHECKUP)


class Visit(models.Model):
    """One person's checkup on one day — or, with ``kind=clinical``, the results holder of one inpatient
    or outpatient encounter (its department is the encounter's, its results come from the LIS)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_visits")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="checkup_visits", verbose_name=_("centre")
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="checkup_visits", verbose_name=_("customer")
    )
    # The registry's encounter of kind "checkup", opened at check-in (one visit per such encounter); for
    # a clinical results holder, the inpatient or outpatient encounter its laboratory order belongs to.
    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, null=True, blank=True, related_name="checkup_visits"
    )
    # A clinical results holder: the laboratory order it stands for (``<encounter id>:<order number>``),
    # so a re-sent or corrected report finds it again.
    source_key = models.CharField(_("source key"), max_length=128, null=True, blank=True, unique=True)
    number = models.CharField(_("visit number"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=10, choices=VisitKind.choices, default=VisitKind.CHECKUP, db_index=True
    )
    scheduled_for = models.DateField(_("date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.BOOKED, db_index=True
    )
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.INDIVIDUAL
    )
    occupation_class = models.CharField(
        _("occupation class"), max_length=20, choices=OccupationClass.choices, default=OccupationClass.OTHER
    )
    group = models.ForeignKey(
        EmployerGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("employer group"),
    )
    contract_class = models.ForeignKey(
        ContractClass, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    roster_member = models.ForeignKey(
        RosterMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    package = models.ForeignKey(
        Package,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("package"),
    )
    addons = models.ManyToManyField(
        Package, blank=True, related_name="addon_visits", verbose_name=_("add-ons")
    )
    price = models.DecimalField(_("price (yuan)"), max_digits=9, decimal_places=2, default=0)
    # 专人陪检: a member of staff walks a first-timer through the centre.
    escort = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("escort")
    )
    # The health questionnaire (健康问卷, a surveys instrument) answered before or at check-in.
    questionnaire = models.OneToOneField(
        "surveys.Response",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkup_visit",
        verbose_name=_("health questionnaire"),
    )
    arrived_fasting = models.BooleanField(_("arrived fasting"), default=True)
    meal_at = models.DateTimeField(_("breakfast at"), null=True, blank=True)
    pregnancy_possible = models.BooleanField(_("pregnancy possible"), default=False)
    booked_at = models.DateTimeField(_("booked at"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True, db_index=True)
    examined_at = models.DateTimeField(_("left the centre at"), null=True, blank=True)
    # The chief examiner (总检).
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chief examiner"),
    )
    examiner_saw_at = models.DateTimeField(_("seen by the chief examiner at"), null=True, blank=True)
    unseen_reason = models.TextField(_("why signed without seeing the person"), blank=True)
    summary = models.TextField(_("overall conclusion"), blank=True)
    prescriptions = models.JSONField(_("health prescription"), default=list, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    risk_level = models.PositiveSmallIntegerField(
        _("risk level"), choices=RiskLevel.choices, null=True, blank=True, db_index=True
    )
    risk_level_computed = models.PositiveSmallIntegerField(
        _("risk level by the rules"), choices=RiskLevel.choices, null=True, blank=True
    )
    risk_rule = models.ForeignKey(
        "checkup.RiskRule", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    risk_ruleset = models.ForeignKey(
        "checkup.RiskRuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Every rule that matched: [{"rule", "level", "name", "item", "value"}].
    risk_matches = models.JSONField(_("matched risk rules"), default=list, blank=True)
    risk_override_reason = models.TextField(_("why the risk level was changed"), blank=True)
    released_at = models.DateTimeField(_("report released at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Every visit row, clinical holders included: for the services that file and judge clinical results.
    all_kinds = models.Manager()
    objects = CheckupVisitManager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        default_manager_name = "objects"
        base_manager_name = "all_kinds"
        verbose_name = _("checkup visit")
        verbose_name_plural = _("checkup visits")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "number"], name="checkup_visit_number_unique"),
            models.UniqueConstraint(
                fields=["encounter"],
                condition=models.Q(kind=VisitKind.CHECKUP),
                name="checkup_visit_encounter_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "scheduled_for", "status"], name="checkup_visit_day_idx"),
            models.Index(fields=["patient", "-scheduled_for"], name="checkup_visit_patient_idx"),
            # The scorecard's report turnaround counts this month's released reports live.
            models.Index(fields=["hospital", "released_at"], name="checkup_visit_released_idx"),
        ]
        permissions = [
            ("check_in_visit", _("Can check people in and out of the centre")),
            ("sign_visit", _("Can conclude and sign a checkup (总检)")),
            ("release_report", _("Can release checkup reports")),
            ("view_checkup_statistics", _("Can view the checkup centre's statistics")),
            ("view_health_record", _("Can view the checkup health record of a person")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.patient.name}"


class VisitTransition(Transition):
    """One change of a visit's status: who, when, from, to and why."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=VisitStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=VisitStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("visit transition")
        verbose_name_plural = _("visit transitions")


class OrderedItem(models.Model):
    """An item ordered for a visit (from its package, an add-on or by itself), with its state:
    ``performed_at`` when the room did it (the sample taken, the scan made), ``status`` for its result."""

    scope_lookups: ClassVar[ScopeLookups] = VISIT_SCOPE

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="orders")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="orders", verbose_name=_("item"))
    package = models.ForeignKey(Package, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    performed_at = models.DateTimeField(_("done in the room at"), null=True, blank=True)
    waived_reason = models.CharField(_("why waived"), max_length=255, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)

    class Meta:
        ordering = ["visit_id", "item__sequence", "item_id"]
        verbose_name = _("ordered item")
        verbose_name_plural = _("ordered items")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="checkup_order_unique")]
        indexes = [models.Index(fields=["visit", "status"], name="checkup_order_visit_idx")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.item}"


class QueueEntry(models.Model):
    """A person in a room's queue: joined (checked in at the room), called in, checked out."""

    scope_lookups: ClassVar[ScopeLookups] = VISIT_SCOPE

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="queue_entries")
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="queue_entries", verbose_name=_("room")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=QueueStatus.choices, default=QueueStatus.WAITING
    )
    joined_at = models.DateTimeField(_("joined at"))
    started_at = models.DateTimeField(_("called in at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("left at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("queue entry")
        verbose_name_plural = _("queue entries")
        indexes = [
            models.Index(fields=["room", "status"], name="checkup_queue_room_idx"),
            models.Index(fields=["visit", "status"], name="checkup_queue_visit_idx"),
        ]
        permissions = [("move_queueentry", _("Can move people between room queues (导检)"))]

    def __str__(self) -> str:
        return f"{self.room} · {self.visit_id} · {self.get_status_display()}"
