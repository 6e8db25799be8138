"""The living dictionary's ranked Chinese search, and referral to external hospitals when a service is not
offered here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, FloatField, QuerySet, Sum, Value, When

from carebridge.core.choices import HospitalLevel
from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.knowledge.choices import EntryKind, Proximity
from carebridge.knowledge.domain import text
from carebridge.knowledge.domain.geo import Origin, distance_km, proximity
from carebridge.knowledge.domain.indexing import MODELS
from carebridge.knowledge.models import ExternalHospital, SearchToken
from carebridge.knowledge.selectors.entries import (
    department_profile_list,
    doctor_list,
    external_hospital_list,
    faq_list,
    hospital_profile_for,
    service_list,
    user_hospital,
)

GROUP_LIMIT = 10
REFERRAL_LIMIT = 5
_LEVEL_ORDER = {level: index for index, level in enumerate(HospitalLevel.values)}


@dataclass
class SearchHit:
    kind: str
    entry: Any
    score: float
    badges: list[str] = field(default_factory=list)  # "non_surgical", "not_offered"


@dataclass(frozen=True)
class ReferralOption:
    hospital: ExternalHospital
    score: float
    distance_km: float | None
    proximity: Proximity


@dataclass
class Referral:
    """External hospitals for a service this hospital does not offer: nearest first, and best-known first."""

    service: str
    origin: Origin
    nearest: list[ReferralOption]
    best_known: list[ReferralOption]


@dataclass
class SearchResults:
    query: str
    terms: list[text.QueryTerm]
    groups: dict[str, list[SearchHit]]
    referral: Referral | None = None

    @property
    def total(self) -> int:
        return sum(len(hits) for hits in self.groups.values())

    def group(self, kind: str) -> list[SearchHit]:
        return self.groups.get(kind, [])


_KIND_QUERYSETS: dict[str, Callable[..., QuerySet[Any]]] = {
    EntryKind.DEPARTMENT: department_profile_list,
    EntryKind.DOCTOR: doctor_list,
    EntryKind.SERVICE: service_list,
    EntryKind.EXTERNAL: external_hospital_list,
    EntryKind.FAQ: faq_list,
}


def _ranked_rows(user: Actor, terms: list[text.QueryTerm], kinds: list[str]) -> list[dict[str, Any]]:
    """``SUM(weight × factor) GROUP BY entry ORDER BY score DESC`` over the index, within the user's scope."""
    factor = Case(
        *(When(token=term.token, then=Value(term.factor)) for term in terms),
        default=Value(0.0),
        output_field=FloatField(),
    )
    tokens = scope_for(user).filter(SearchToken.objects.all(), hospital="hospital", department=None)
    return list(
        tokens.filter(token__in=[term.token for term in terms], kind__in=kinds)
        .values("kind", "object_id")
        .annotate(score=Sum(F("weight") * factor, output_field=FloatField()))
        .order_by("-score", "kind", "object_id")[:500]
    )


def _badges(kind: str, entry: Any) -> list[str]:
    badges = []
    if kind == EntryKind.DEPARTMENT and entry.non_surgical_option:
        badges.append("non_surgical")
    if kind == EntryKind.SERVICE:
        if entry.approach == "non_surgical":
            badges.append("non_surgical")
        if not entry.offered_here:
            badges.append("not_offered")
    return badges


def default_origin(user: Actor) -> Origin:
    """This hospital: its profile's coordinates and its region code."""
    hospital = user_hospital(user)
    if hospital is None:
        return Origin()
    profile = hospital_profile_for(hospital)
    if profile is not None and profile.latitude is not None and profile.longitude is not None:
        return Origin(float(profile.latitude), float(profile.longitude), hospital.region_id, hospital.name)
    return Origin(region_code=hospital.region_id, label=hospital.name)


def referral_options(
    hits: list[SearchHit], origin: Origin
) -> tuple[list[ReferralOption], list[ReferralOption]]:
    """The same hospitals in two orders: nearest first, and best-known first (then nearer, higher level)."""
    options = [
        ReferralOption(
            hit.entry,
            hit.score,
            distance_km(origin, hit.entry.latitude, hit.entry.longitude),
            proximity(origin.region_code, hit.entry.region_id),
        )
        for hit in hits
    ]

    def nearness(option: ReferralOption) -> tuple[Any, ...]:
        known = option.distance_km is not None
        return (
            not known,
            option.distance_km if known else 0.0,
            option.proximity,
            -option.hospital.reputation,
            option.hospital.name,
        )

    def fame(option: ReferralOption) -> tuple[Any, ...]:
        return (-option.hospital.reputation, _LEVEL_ORDER.get(option.hospital.level, 99), nearness(option))

    return sorted(options, key=nearness)[:REFERRAL_LIMIT], sorted(options, key=fame)[:REFERRAL_LIMIT]


def _referral(query: str, groups: dict[str, list[SearchHit]], origin: Origin) -> Referral | None:
    """Refer out when the best-matching service is one not offered here, or nothing here matches at all."""
    externals = groups.get(EntryKind.EXTERNAL, [])
    if not externals:
        return None
    services = groups.get(EntryKind.SERVICE, [])
    missing = [hit for hit in services if not hit.entry.offered_here]
    if services and services[0].entry.offered_here:
        return None
    if not services and groups.get(EntryKind.DEPARTMENT):
        return None
    nearest, best_known = referral_options(externals, origin)
    return Referral(missing[0].entry.name if missing else query, origin, nearest, best_known)


def knowledge_search(
    *, user: Actor, query: str, origin: Origin | None = None, limit: int = GROUP_LIMIT
) -> SearchResults:
    """Ranked hits per kind of entry, and a referral when the service asked for is not offered here."""
    query = (query or "").strip()[:200]
    terms = text.query_terms(query)
    kinds = [
        kind for kind, model in MODELS.items() if user.has_perm(f"knowledge.view_{model._meta.model_name}")
    ]
    results = SearchResults(query=query, terms=terms, groups={})
    if not terms or not kinds:
        return results
    rows = _ranked_rows(user, terms, kinds)
    scores: dict[str, dict[int, float]] = {}
    for row in rows:
        scores.setdefault(row["kind"], {})[row["object_id"]] = row["score"]
    for kind in kinds:
        by_id = scores.get(kind)
        if not by_id:
            continue
        wanted = sorted(by_id, key=lambda pk: -by_id[pk])[
            : max(limit, 20) if kind == EntryKind.EXTERNAL else limit
        ]
        entries = _KIND_QUERYSETS[kind](user=user).in_bulk(wanted)
        hits = [
            SearchHit(kind, entries[pk], by_id[pk], _badges(kind, entries[pk]))
            for pk in wanted
            if pk in entries
        ]
        hits.sort(key=lambda hit: (-hit.score, str(hit.entry)))
        results.groups[kind] = hits
    results.referral = _referral(query, results.groups, origin or default_origin(user))
    if EntryKind.EXTERNAL in results.groups:
        results.groups[EntryKind.EXTERNAL] = results.groups[EntryKind.EXTERNAL][:limit]
    return results
