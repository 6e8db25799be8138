"""Services, examinations and treatments, offered here or referred out (服务项目)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department
from carebridge.knowledge.choices import EntryKind, TreatmentApproach
from carebridge.knowledge.models.entries import VerifiedEntry


class Service(VerifiedEntry):
    """A service, examination or treatment; ``offered_here`` false records one the hospital refers out."""

    kind = EntryKind.SERVICE
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_services",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=128)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_("Other names patients use, separated by commas (碎石, ESWL …)."),
    )
    description = models.TextField(_("description"), blank=True)
    approach = models.CharField(
        _("approach"), max_length=16, choices=TreatmentApproach.choices, default=TreatmentApproach.OTHER
    )
    offered_here = models.BooleanField(_("offered here"), default=True)
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("e.g. 本院暂无碎石设备，可转介外院")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "name"], name="knowledge_service_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return self.name
