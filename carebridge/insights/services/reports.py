"""The monthly report as the page, its downloads and the leadership report show it: computed on the
request for a month of fewer than ``INSIGHTS_INLINE_RESPONSES`` responses in the scope, by a worker from
that many up.

At 10,000,000 responses a month holds ~417,000 and computing its report took 24 s on the request — for
the first reader of each month and scope, again after the cache's hour, and after every new answer of
the current month. From the limit up :func:`report_show` answers from the **latest** report computed for
the same scope, month and instrument (kept ``LATEST_SECONDS`` with the fingerprint of the answers it
counted):

- the same answers: that report, current; when it is over an hour old a worker computes it again
  quietly (figures the answers do not carry, such as complaints closed since, may have moved);
- other answers: that report, marked as computed earlier, while a worker computes the new one (the page
  looks again every minute);
- none yet: the report's shell, ``preparing``, until a worker has computed the first. A month from
  half the limit up keeps its report computed on the request as the latest too, so a month that grows
  past the limit goes on showing its report (marked as earlier) rather than "being prepared".

A report is computed by a worker at most once per ``BUILD_LOCK_SECONDS`` (a lock in the cache, not
released when the task ends), so answers arriving all day, or a page polling, do not queue a build each.
A build keeps both versions of the report, quoting comments and not (readers with and without
``insights.view_comments`` share one build and one lock).
A build that fails, or that could not be sent to the workers, leaves its reason for the page
(``error``) until the next one is due; a first report asked for ``WAIT_LIMIT`` ago that no build has
reported on (a worker killed, none running) is said to be late rather than "being prepared". Reports
and locks live in the ``shared`` cache (Redis; a database table without it), which the web processes
and the workers all read.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carebridge.core.types import Actor

if TYPE_CHECKING:
    from carebridge.insights.selectors.report_document import Report, ReportPlan

logger = logging.getLogger(__name__)
# The Celery task that computes a report (``tasks.report_build_task`` registers under this name).
REPORT_BUILD_TASK = "carebridge.insights.tasks.report_build"
BUILD_LOCK_SECONDS = 15 * 60
RESEND_AFTER_SECONDS = 60  # the broker refused the task: ask again after this
LATEST_SECONDS = 40 * 24 * 3600
REFRESH_AFTER = dt.timedelta(hours=1)
# The first report asked for this long ago with no build done or failed: the page says so.
WAIT_LIMIT = dt.timedelta(seconds=2 * BUILD_LOCK_SECONDS)


@dataclass(frozen=True)
class ReportShown:
    """The report a page or download shows: computed for the current answers (``current``), or the last
    one computed for earlier answers, or — ``computed`` False — only its shell, while a worker prepares
    the first (``preparing``) or after its build failed (``error``, also given beside an earlier report)."""

    report: Report
    current: bool = True
    computed: bool = True
    error: str = ""

    @property
    def preparing(self) -> bool:
        return not self.computed and not self.error


def report_show(
    *, user: Actor, month: str | None, instrument: str | None = None, now: dt.datetime | None = None
) -> ReportShown:
    """The report of ``month`` for ``instrument`` in the user's scope (``ValidationError`` on bad input),
    computed on the request for a small month and by a worker for a large one."""
    # The report's statistics (pandas, scipy) load with the first report, not with the URL conf (issue 18).
    from carebridge.insights.selectors.report_document import (
        report_cached,
        report_cached_versions,
        report_plan,
    )

    plan = report_plan(user=user, month=month, instrument=instrument, now=now)
    shared = caches["shared"]
    if plan.responses < settings.INSIGHTS_INLINE_RESPONSES:
        if plan.responses * 2 < settings.INSIGHTS_INLINE_RESPONSES:
            return ReportShown(report_cached(plan, user=user))
        # Within reach of the limit: both versions kept as the latest too, so that the day the month
        # crosses it the page shows this report (marked as earlier) while a worker computes the next.
        versions = report_cached_versions(plan, user=user)
        _keep_versions(plan, versions)
        return ReportShown(versions[plan.quotes])
    latest = _latest(plan)
    if latest is not None and latest[0] == plan.fingerprint:
        if latest[1].generated_at < timezone.now() - REFRESH_AFTER:
            _queue_build(plan, user=user)
        return ReportShown(latest[1])
    _queue_build(plan, user=user)
    latest = _latest(plan) if current_app.conf.task_always_eager else latest  # computed at once then
    error = shared.get(f"{plan.base_key}:failed") or ""
    if latest is None:
        return ReportShown(plan.shell, current=False, computed=False, error=error or _waited(plan))
    return ReportShown(latest[1], current=latest[0] == plan.fingerprint, error=error)


def _waited(plan: ReportPlan) -> str:
    """What to say when the first report has been asked for ``WAIT_LIMIT`` and no build has reported
    back, failed or done (a worker killed mid-build, no worker consuming the queue): not "being
    prepared" for ever."""
    asked = caches["shared"].get(f"{plan.base_key}:since")
    if asked is None or asked > timezone.now() - WAIT_LIMIT:
        return ""
    return _("Not computed in %(minutes)s minutes: the workers may be stopped or busy.") % {
        "minutes": int((timezone.now() - asked).total_seconds() // 60)
    }


def _latest(plan: ReportPlan) -> tuple[str, Report] | None:
    entry = caches["shared"].get(plan.latest_key)
    return entry if isinstance(entry, tuple) else None


def _keep_versions(plan: ReportPlan, versions: dict[bool, Report]) -> None:
    """Keep both versions of a report as the latest, each unless the one kept was computed later (a
    slower, older build loses) or is this very report."""
    shared = caches["shared"]
    for quotes, report in versions.items():
        key = plan.latest_key_of(quotes)
        latest = shared.get(key)
        if not isinstance(latest, tuple) or latest[1].generated_at < report.generated_at:
            shared.set(key, (plan.fingerprint, report), LATEST_SECONDS)


def _queue_build(plan: ReportPlan, *, user: Actor) -> None:
    """Ask a worker for the planned report, unless one was asked for it in the last
    ``BUILD_LOCK_SECONDS``; when the workers cannot be reached, say so (and ask again next time)."""
    shared = caches["shared"]
    # One build for both versions of the report (with quotes and without: ``report_versions``).
    lock, failed = f"{plan.base_key}:building", f"{plan.base_key}:failed"
    if not shared.add(lock, True, BUILD_LOCK_SECONDS):
        return
    shared.add(f"{plan.base_key}:since", timezone.now(), LATEST_SECONDS)  # when the first was asked
    instrument = plan.shell.instrument
    user_id, month, language = user.pk, plan.shell.month.label, translation.get_language() or "zh-hans"
    code = instrument.code if instrument is not None else None
    arguments = {"user_id": user_id, "month": month, "instrument": code, "language": language}

    def send() -> None:
        if current_app.conf.task_always_eager:  # debugging: compute it at once, as ``delay`` would
            report_build(user_id=user_id, month=month, instrument=code, language=language)
            return
        try:
            current_app.send_task(REPORT_BUILD_TASK, kwargs=arguments)
        except Exception:  # the broker is down: the page says so, and the next view in a minute asks again
            logger.exception("Could not send the report of %s to the workers", month)
            shared.set(lock, True, RESEND_AFTER_SECONDS)
            shared.set(failed, _("The workers cannot be reached."), BUILD_LOCK_SECONDS)
        else:
            shared.delete(failed)  # a new build is on its way: the page prepares again

    transaction.on_commit(send)


def report_build(*, user_id: int | None, month: str, instrument: str | None, language: str) -> bool:
    """Compute a report as the user who asked for it sees it and keep it as the latest, with and without
    quotes (the Celery task calls this). False when that user is gone or inactive, or the report could
    not be computed (its reason is left for the page)."""
    from django.contrib.auth import get_user_model

    from carebridge.insights.selectors.report_document import report_plan, report_versions

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return False
    shared = caches["shared"]
    with translation.override(language):
        plan = None
        try:
            plan = report_plan(user=user, month=month, instrument=instrument)
            versions = report_versions(plan, user=user)
        except Exception as error:  # a bug: keep the worker alive, and tell the page
            logger.exception("The report of %s could not be computed", month)
            if plan is None:  # nothing to tell it by: the page says so after WAIT_LIMIT
                return False
            message = _("Internal error (%(type)s); the administrators have been told.") % {
                "type": type(error).__name__
            }
            shared.set(f"{plan.base_key}:failed", message, BUILD_LOCK_SECONDS)
            return False
    # Both versions: a reader with the other right (the executive beside the quality office) finds
    # theirs without a build of its own.
    _keep_versions(plan, versions)
    shared.delete_many([f"{plan.base_key}:failed", f"{plan.base_key}:since"])
    return True
