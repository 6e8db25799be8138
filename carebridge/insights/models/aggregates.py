"""The monthly satisfaction aggregate (满意度月度汇总) the dashboards read for closed months (issue 18).

Per hospital, instrument, department and calendar month (in the hospital's time zone) of submission:
``ResponseMonth`` holds n, Σ index and Σ index² of the scored responses (enough for the mean, the sample
SD and the interval), ``AnswerMonth`` the count of each answer value per item code (enough for a top-box
share at any threshold). Responses without a department are under ``department_id`` 0.

Where they live: on PostgreSQL two materialized views (``insights_responsemonth``,
``insights_answermonth``, each with a unique index so ``REFRESH MATERIALIZED VIEW CONCURRENTLY`` never
blocks a reader); on SQLite two tables of the same shape. Both are created by migration
``0004_monthly_aggregate`` (Django does not manage them: ``managed = False``) and rebuilt by
``services.aggregates.response_months_refresh`` — nightly by Celery beat, and after the demo loader and
survey imports. ``AggregateRefresh`` records when the last refresh started: the months that had ended
by then are read from the aggregate, later ones from the live tables
(``selectors.aggregates.monthly_cells``), and the last response id at its start (the data version of an
analysis counts the responses up to it once per refresh).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.scope import ScopeLookups


class ResponseMonth(models.Model):
    """One month × department × instrument of scored responses: n, Σ index, Σ index² (a view on
    PostgreSQL)."""

    pk = models.CompositePrimaryKey("hospital_id", "instrument_id", "department_id", "month")
    hospital_id = models.IntegerField()
    instrument_id = models.IntegerField()
    department_id = models.IntegerField()  # 0: the response names no department
    month = models.DateField()
    n = models.IntegerField()
    total = models.FloatField()
    squares = models.FloatField()

    # The scope of the responses it sums (hospital, department), so ``restrict`` scopes it the same way.
    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital_id", department="department_id")

    class Meta:
        managed = False
        db_table = "insights_responsemonth"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id}: n={self.n}"


class AnswerMonth(models.Model):
    """One month × department × instrument × item code × answer value: how many answers (a view on
    PostgreSQL). Answers "not applicable" and answers of unscored responses are left out."""

    pk = models.CompositePrimaryKey(
        "hospital_id", "instrument_id", "department_id", "month", "item_code", "value"
    )
    hospital_id = models.IntegerField()
    instrument_id = models.IntegerField()
    department_id = models.IntegerField()
    month = models.DateField()
    item_code = models.CharField(max_length=64)
    value = models.FloatField()
    answers = models.IntegerField()

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital_id", department="department_id")

    class Meta:
        managed = False
        db_table = "insights_answermonth"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.item_code}={self.value}: {self.answers}"


class AggregateRefresh(models.Model):
    """A refresh of the monthly aggregate: when it started (the months ended by then are complete in
    it, unless a response arrives late — the next refresh counts it) and when it finished."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # The highest response id when the refresh started. Ids are handed out in order, so an hour later
    # every response up to it has committed (``selectors.analysis.selection.data_version`` counts those
    # once per refresh and the later ones on every request).
    last_response_id = models.BigIntegerField(_("last response at the start"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"
        verbose_name = _("aggregate refresh")
        verbose_name_plural = _("aggregate refreshes")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
