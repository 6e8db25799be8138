"""What the FHIR read and search endpoints return: patients, encounters, results (Observation) and
checkup visits with results (DiagnosticReport), always in the caller's permissions and data scope."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from carebridge.checkup.choices import VisitKind
from carebridge.checkup.models import Result, Visit
from carebridge.checkup.selectors.clinical import CLINICAL_READ
from carebridge.core.scope import restrict
from carebridge.interop.domain.fhir import ITEM_SYSTEM
from carebridge.lib.text import is_id
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.selectors.encounters import encounter_list
from carebridge.patients.selectors.patients import patient_list

LOINC = "http://loinc.org"


class SearchError(ValueError):
    """A search parameter this server does not understand (answered 400 with an OperationOutcome)."""


def _patient_id(value: str) -> int:
    text = value.removeprefix("Patient/")
    if not is_id(text):
        raise SearchError(f"subject={value}: use Patient/<id>.")
    return int(text)


def patients(*, user: Any, params: dict[str, str], mrn_system: str) -> QuerySet[Patient]:
    rows = patient_list(user=user).select_related("hospital").prefetch_related("phones").order_by("id")
    if "_id" in params:
        rows = rows.filter(pk=_patient_id(params["_id"]))
    if "identifier" in params:
        system, bar, value = params["identifier"].rpartition("|")
        if bar and system != mrn_system:
            return rows.none()
        rows = rows.filter(mrn=value)
    return rows


def encounters(*, user: Any, params: dict[str, str]) -> QuerySet[Encounter]:
    rows = (
        encounter_list(user=user)
        .select_related("department", "ward", "patient")
        .order_by("-started_at", "id")
    )
    subject = params.get("subject") or params.get("patient")
    if subject:
        rows = rows.filter(patient_id=_patient_id(subject))
    return rows


def _date_filter(field: str, value: str) -> Q:
    prefixes = {"ge": "gte", "le": "lte", "gt": "gt", "lt": "lt", "eq": None}
    prefix, rest = (value[:2], value[2:]) if value[:2] in prefixes else ("eq", value)
    try:
        day = dt.date.fromisoformat(rest[:10])
    except ValueError:
        raise SearchError(f"date={value}: use YYYY-MM-DD with an optional ge/le/gt/lt prefix.") from None
    lookup = prefixes[prefix]
    if lookup is None:
        return Q(**{f"{field}__date": day})
    return Q(**{f"{field}__date__{lookup}": day})


def observations(*, user: Any, params: dict[str, str]) -> QuerySet[Result]:
    """The centre's results to who may see its visits; a ward's (clinical) results to who may see the
    ward's encounters (``checkup.selectors.clinical``)."""
    checkup = restrict(Result.objects.filter(visit__kind=VisitKind.CHECKUP), user)
    clinical = restrict(Result.objects.filter(visit__kind=VisitKind.CLINICAL), user, permission=CLINICAL_READ)
    rows = (
        (checkup | clinical)
        .select_related("item", "visit__patient", "visit__encounter")
        .order_by("-recorded_at", "id")
    )
    subject = params.get("subject") or params.get("patient")
    if subject:
        rows = rows.filter(visit__patient_id=_patient_id(subject))
    if "code" in params:
        system, bar, code = params["code"].rpartition("|")
        if not bar:
            rows = rows.filter(Q(item__code=code) | Q(item__loinc=code))
        elif system == ITEM_SYSTEM:
            rows = rows.filter(item__code=code)
        elif system == LOINC:
            rows = rows.filter(item__loinc=code)
        else:
            return rows.none()
    for value in params.getlist("date") if hasattr(params, "getlist") else [params.get("date", "")]:
        if value:
            rows = rows.filter(_date_filter("recorded_at", value))
    return rows


def reports(*, user: Any, params: dict[str, str]) -> QuerySet[Visit]:
    with_results = Visit.all_kinds.filter(results__isnull=False)
    checkup = restrict(with_results.filter(kind=VisitKind.CHECKUP), user)
    clinical = restrict(with_results.filter(kind=VisitKind.CLINICAL), user, permission=CLINICAL_READ)
    rows = (checkup | clinical).distinct().select_related("patient").order_by("-scheduled_for", "id")
    subject = params.get("subject") or params.get("patient")
    if subject:
        rows = rows.filter(patient_id=_patient_id(subject))
    return rows


def critical_available() -> bool:
    """Critical-result notifications (issue #13, app ``critical``) are served when that app is installed."""
    return apps.is_installed("carebridge.critical")


def communications(*, user: Any, params: dict[str, str], pk: str | None = None) -> list[Any]:
    """Closed and open critical-result notifications in the user's scope, newest first (as Communication).

    Loaded by name: ``critical`` is a lower layer, but this endpoint must not break an installation
    without it."""
    notifications = import_module("carebridge.critical.models").Notification
    rows = (
        restrict(notifications.objects.all(), user)
        .select_related("patient", "read_back_by", "signed_off_by")
        .prefetch_related("findings__rule")
        .order_by("-detected_at", "-id")
    )
    subject = params.get("subject") or params.get("patient")
    if subject:
        rows = rows.filter(patient_id=_patient_id(subject))
    if pk is not None:
        number = pk.removeprefix("critical-")
        if not is_id(number):
            return []
        rows = rows.filter(pk=int(number))
    return list(rows[:200])


def communication_resource(notification: Any, *, mrn_system: str) -> dict[str, Any]:
    resource: dict[str, Any] = import_module("carebridge.critical.exports").communication_fhir(
        notification, mrn_system=mrn_system
    )
    return resource
