"""The interviews and focus groups coded into comment topics, beside the survey comments' topics of the same
months; one session's points with their topics."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.excel import sheet_bytes
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION
from carebridge.surveys.selectors.qualitative import session_get

DEFAULT_DAYS = 365


def _date(value: str, default: dt.date) -> dt.date:
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        return default
    return parsed if dt.date(1900, 1, 1) <= parsed <= dt.date(2100, 12, 31) else default


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def qualitative(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    end = _date(request.GET.get("end", ""), today)
    start = _date(request.GET.get("start", ""), end - dt.timedelta(days=DEFAULT_DAYS))
    start = min(start, end)
    from carebridge.insights.selectors.qualitative import topic_comparison  # the text stack: lazily

    result = topic_comparison(user=request.user, start=start, end=end)
    if request.GET.get("format") == "xlsx":
        content = sheet_bytes(
            title=_("Coded topics"),
            header=[
                _("Topic"),
                _("Interview and focus-group points"),
                _("positive"),
                _("negative"),
                _("Survey comments"),
                _("positive"),
                _("negative"),
            ],
            rows=(
                [
                    r.label,
                    r.sessions.n,
                    r.sessions.positive,
                    r.sessions.negative,
                    r.survey.n,
                    r.survey.positive,
                    r.survey.negative,
                ]
                for r in result["rows"]
            ),
            widths=(28, 14, 10, 10, 14, 10, 10),
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="coded-topics.xlsx"'
        return response
    return render(request, "insights/qualitative.html", {**result, "start": start, "end": end})


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
@permission_required("surveys.view_qualitativesession", raise_exception=True)
def qualitative_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_get(user=request.user, pk=pk)
    from carebridge.insights.selectors.qualitative import coded_points  # the text stack: lazily

    return render(
        request, "insights/qualitative_session.html", {"session": session, "points": coded_points(session)}
    )
