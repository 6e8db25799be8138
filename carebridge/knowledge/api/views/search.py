"""The living dictionary's ranked search through the API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.knowledge.api.serializers.search import SearchQuerySerializer, SearchResponseSerializer
from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.domain.geo import Origin
from carebridge.knowledge.selectors.search import ReferralOption, SearchHit, knowledge_search


def _hit(hit: SearchHit) -> dict[str, Any]:
    entry = hit.entry
    if hit.kind == EntryKind.DEPARTMENT:
        title, subtitle = entry.department.name, entry.place
        url = reverse("knowledge:department", args=[entry.department_id])
    elif hit.kind == EntryKind.DOCTOR:
        title, subtitle = entry.name, f"{entry.title} · {entry.department.name}"
        url = reverse("knowledge:doctor", args=[entry.pk])
    elif hit.kind == EntryKind.SERVICE:
        title, subtitle = entry.name, entry.department.name if entry.department else ""
        url = reverse("knowledge:service", args=[entry.pk])
    elif hit.kind == EntryKind.EXTERNAL:
        title, subtitle = entry.name, entry.get_level_display()
        url = reverse("knowledge:external", args=[entry.pk])
    else:
        title, subtitle = entry.question, entry.get_category_display()
        url = reverse("knowledge:faq_list") + f"#faq-{entry.pk}"
    return {
        "kind": hit.kind,
        "id": entry.pk,
        "title": title,
        "subtitle": str(subtitle),
        "score": round(hit.score, 3),
        "badges": hit.badges,
        "last_verified_at": entry.last_verified_at,
        "is_stale": entry.is_stale,
        "url": url,
    }


def _option(option: ReferralOption) -> dict[str, Any]:
    external = option.hospital
    return {
        "id": external.pk,
        "name": external.name,
        "level": external.level,
        "level_display": external.get_level_display(),
        "address": external.address,
        "phone": external.phone,
        "reputation": external.reputation,
        "distance_km": round(option.distance_km, 2) if option.distance_km is not None else None,
        "proximity": option.proximity.name.lower(),
    }


class KnowledgeSearchView(APIView):
    """Ranked search of the living dictionary, in Chinese (segmentation, synonyms, pinyin initials).

    ``results`` are ordered by score across kinds. When the best-matching service is not offered here,
    ``referral`` lists the external hospitals that offer it, nearest first and best-known first.
    """

    @extend_schema(parameters=[SearchQuerySerializer], responses={200: SearchResponseSerializer})
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("knowledge.view_departmentprofile"):
            raise PermissionDenied("You may not read the knowledge base.")
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        origin = None
        if "lat" in data:
            origin = Origin(data["lat"], data["lng"], data.get("region"), "")
        elif data.get("region"):
            origin = Origin(region_code=data["region"], label=data["region"])
        results = knowledge_search(user=request.user, query=data["q"], origin=origin, limit=data["limit"])
        hits = sorted((hit for hits in results.groups.values() for hit in hits), key=lambda h: -h.score)
        referral = results.referral
        body = {
            "query": results.query,
            "terms": [{"token": t.token, "factor": t.factor, "source": t.source} for t in results.terms],
            "results": [_hit(hit) for hit in hits],
            "referral": None
            if referral is None
            else {
                "service": referral.service,
                "origin": {
                    "label": referral.origin.label,
                    "latitude": referral.origin.latitude,
                    "longitude": referral.origin.longitude,
                    "region_code": referral.origin.region_code,
                },
                "nearest": [_option(o) for o in referral.nearest],
                "best_known": [_option(o) for o in referral.best_known],
            },
        }
        return Response(SearchResponseSerializer(body).data)
