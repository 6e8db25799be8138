"""The survey responses a user of the insights app may see: :func:`responses_visible`, the one place.

Every read of responses in this app starts here: the analysis pages, their API and background runs
(``selectors.analysis``), the instrument picker, and the monthly report with its response rate.

Permission: the insights pages show aggregates (indexes, shares, models), never one respondent's
questionnaire, so they need ``surveys.analyse_surveys`` — held by ward managers, the quality office,
department heads, executives and administrators — and not ``surveys.view_response``, the permission
to open single questionnaires in the surveys app, which ward managers, department heads and executives
do not hold. A user without ``surveys.analyse_surveys`` sees no response at all (agents, clinicians,
complaint officers, users without a role). Masked comments need ``insights.view_comments`` besides.

Scope: :func:`carebridge.core.scope.restrict` with that permission, then the rows in the user's
data scope along ``Response.scope_lookups`` (hospital, department).
"""

from __future__ import annotations

from django.db.models import QuerySet

from carebridge.core.models import Hospital
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.surveys.models import Response

ANALYSE_PERMISSION = "surveys.analyse_surveys"


def responses_visible(*, user: Actor, hospital: Hospital | None = None) -> QuerySet[Response]:
    """The responses ``user`` may analyse (of ``hospital`` when given): none without
    ``surveys.analyse_surveys``, else those of the hospital and departments in the user's scope."""
    queryset = Response.objects.all() if hospital is None else Response.objects.filter(hospital=hospital)
    return restrict(queryset, user, permission=ANALYSE_PERMISSION)
