"""The permissions of the reports app. Reports own no table (they read every other app through its
selectors), so the permissions hang on a model without one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportAccess(models.Model):
    """Holder of the reports' permissions (no table, no rows)."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("report access")
        verbose_name_plural = _("report access")
        permissions = [
            ("view_centre_report", _("Can view the checkup centre's month and year report")),
            ("view_leadership_report", _("Can view the monthly leadership report")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
