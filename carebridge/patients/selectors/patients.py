"""Reads of patient records, in the user's data scope: a patient is visible when they belong to a
hospital in the scope and, for users scoped to departments, have at least one encounter in one of those
departments (``Patient.scope_lookups``, applied by ``restrict()``). Out of scope answers 404, like absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, F, Q, QuerySet
from django.db.models.lookups import BuiltinLookup, StartsWith
from django.http import Http404

from carebridge.core.models import Department
from carebridge.core.models.organisation import region_full_names
from carebridge.core.scope import restrict
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.core.types import Actor
from carebridge.core.validators import normalise_national_id, normalise_phone
from carebridge.lib.text import is_digits
from carebridge.patients.models import Patient, PatientPhone


def patient_list(*, user: Actor, include_merged: bool = False) -> QuerySet[Patient]:
    """Patients the user may see; records merged into another one only when asked for."""
    base = Patient.objects.all() if include_merged else Patient.objects.filter(merged_into__isnull=True)
    return restrict(base, user, "view")


def patient_list_for_display(*, user: Actor, include_merged: bool = False) -> QuerySet[Patient]:
    """Rows of a list with their hospital and phones, in one query per relation. No join to the regions
    (``Patient.region_name`` reads their names once per process; :func:`patient_rows_ready` warms a page)
    nor to the record a row was merged into (lists show the survivors)."""
    return (
        patient_list(user=user, include_merged=include_merged)
        .select_related("hospital")
        .prefetch_related("phones")  # in PatientPhone's order: the primary number first, then as added
    )


def patient_rows_ready(rows: Iterable[Patient]) -> None:
    """Read the region names of a page of patients at once (one query at most; none once every region on
    the page was read in this process)."""
    region_full_names(row.region_id for row in rows)


def patient_get(*, user: Actor, pk: int, include_merged: bool = False) -> Patient:
    """One patient in the user's scope, or 404 (out of scope looks the same as absent)."""
    queryset = patient_list_for_display(user=user, include_merged=include_merged)
    queryset = queryset.select_related("region__parent__parent", "merged_into").prefetch_related("tags")
    patient = queryset.filter(pk=pk).first()
    if patient is None:
        raise Http404("No such patient in your scope.")
    return patient


def department_choices(*, user: Actor) -> QuerySet[Department]:
    return departments_in_scope(user=user).order_by("code")


class _LikePattern(StartsWith):
    """``startswith`` with its pattern given whole (escaped, ending in ``%``): the same SQL and parameter
    as ``startswith`` of the unescaped text, but the parameter is the value given, so a compiled statement
    can take another pattern in its place (``patients.selectors.lookup``)."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        return BuiltinLookup.process_rhs(self, compiler, connection)  # no escaping, no ``%`` added


def _starts_with(column: str, pattern: str) -> Q:
    return Q(_LikePattern(F(column), pattern))


@dataclass(frozen=True)
class SearchTerms:
    """What the desk's search box was given, read once: the ``kind`` of branch and the values it matches
    (LIKE patterns already escaped and ending in ``%``)."""

    kind: str
    values: dict[str, str]


def search_terms(query: str, *, using: str = DEFAULT_DB_ALIAS) -> SearchTerms:
    """The branch of :func:`patient_search` a query takes, and its values.

    4 digits → the tail of a phone number (or an MRN); 11 digits → a full mobile number; 18 characters
    → a national ID; Latin letters → pinyin initials (``zw`` finds 张伟) or a Latin name; digits and
    letters → an MRN prefix; anything else → the start of the name (``张`` finds every 张).
    """
    query = query.strip()
    if not query:
        return SearchTerms("all", {})
    like = connections[using].ops.prep_for_like_query
    phone = normalise_phone(query)
    if is_digits(phone) and len(phone) in (4, 11):
        return SearchTerms("phone_tail" if len(phone) == 4 else "phone_number", {"digits": phone})
    national_id = normalise_national_id(query)
    if len(national_id) == 18 and is_digits(national_id[:17]):
        return SearchTerms("national_id", {"national_id": national_id})
    if query.isascii() and query.replace(" ", "").isalpha():
        initials = like(query.replace(" ", "").lower()) + "%"
        return SearchTerms("letters", {"initials": initials, "name": like(query) + "%"})
    if query.isascii() and query.isalnum():
        whole = sorted({query, query.upper()})
        values = {f"mrn{index}": mrn for index, mrn in enumerate(whole)}
        values.update({f"mrn{index}_prefix": like(mrn) + "%" for index, mrn in enumerate(whole)})
        return SearchTerms(f"mrn{len(whole)}", values)
    return SearchTerms("name", {"name": like(query) + "%"})


def patient_search(queryset: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    """The desk's one search box: what the query looks like decides what it matches
    (:func:`search_terms`). Every branch uses an index, so the search stays fast on a registry of
    millions."""
    terms = search_terms(query, using=queryset.db)
    return searched(queryset, terms.kind, **terms.values)


def searched(queryset: QuerySet[Patient], kind: str, **values: str) -> QuerySet[Patient]:
    """``queryset`` filtered by a search of ``kind`` with ``values`` (:class:`SearchTerms`)."""
    if kind == "all":
        return queryset
    if kind in ("phone_tail", "phone_number"):
        # One semi-join on a UNION of two index look-ups: an OR of a semi-join and an equality would make
        # PostgreSQL scan the whole registry.
        digits = values["digits"]
        phones = PatientPhone.objects.filter(
            **({"tail": digits} if kind == "phone_tail" else {"number": digits})
        )
        mrns = Patient.objects.filter(mrn=digits).order_by().values("pk")
        return queryset.filter(pk__in=phones.order_by().values("patient_id").union(mrns))
    if kind == "national_id":
        return queryset.filter(national_id=values["national_id"])
    if kind == "letters":
        return queryset.filter(
            _starts_with("name_initials", values["initials"]) | _starts_with("name", values["name"])
        )
    if kind.startswith("mrn"):
        # A whole MRN is the usual case and is unique: it finds that record alone, from the index; only when
        # no record of the scope has it is the query an MRN prefix. One statement either way (the
        # existence test is evaluated once, before the rows).
        whole, prefix = mrn_conditions(values)
        return queryset.filter(whole | (prefix & ~Exists(queryset.filter(whole))))
    if kind == "name":
        return queryset.filter(_starts_with("name", values["name"]))
    raise ValueError(f"No search of kind {kind!r}")


def mrn_conditions(values: Mapping[str, str]) -> tuple[Q, Q]:
    """An MRN search's two conditions from its values (:class:`SearchTerms`, or a part of them): one of
    the whole MRNs (``mrn0``, ``mrn1``), and one of their prefixes (``mrn0_prefix``, …)."""
    whole = [value for name, value in sorted(values.items()) if not name.endswith("_prefix")]
    prefix = Q()
    for name, value in sorted(values.items()):
        if name.endswith("_prefix"):
            prefix |= _starts_with("mrn", value)
    return (Q(mrn__in=whole) if whole else Q()), prefix


def patient_pick_label(patient: Patient) -> str:
    """A patient in a picker: name, sex, birth year and MRN (no national ID or phone in clear)."""
    year = f"{patient.birth_date:%Y}" if patient.birth_date else "—"
    return f"{patient.name} · {patient.get_sex_display()} · {year} · {patient.mrn}"
