"""Survey data for the insights tests: a rated questionnaire and responses drawn from a known model.

``definition_rated()`` has three scored dimensions — ``care`` (weight 0.5: ``c1``, ``c2`` reverse-keyed,
``c3``), ``env`` (0.3: ``e1``…``e3``) and ``overall_rating`` (0.2: ``overall`` and ``recommend``, 0–10)
— plus an unscored comment. ``add_responses`` writes responses as the submission service would (the
weighted score from ``instruments.score`` and the long Answer rows), with answers generated from one
latent satisfaction per respondent, shifted per department, so the psychometric and driver models have
real structure to find.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
from django.utils import timezone

from carebridge.surveys.domain.instruments import score
from carebridge.surveys.models import Answer, InstrumentVersion, Response

_LIKERT = {
    "zh-hans": ["很差", "差", "一般", "好", "很好"],
    "en": ["Very poor", "Poor", "Fair", "Good", "Very good"],
}


def _likert(code: str, text: str, *, reverse: bool = False, weight: float = 1) -> dict[str, Any]:
    return {
        "code": code,
        "type": "likert",
        "points": 5,
        "na": True,
        "reverse": reverse,
        "weight": weight,
        "text": {"zh-hans": text, "en": code},
        "labels": _LIKERT,
    }


_DEFINITION: dict[str, Any] = {
    "schema": 1,
    "code": "rated",
    "title": {"zh-hans": "住院体验（测试）", "en": "Inpatient experience (test)"},
    "dimensions": [
        {
            "code": "care",
            "title": {"zh-hans": "医护服务", "en": "Care"},
            "weight": 0.5,
            "indicators": [
                {
                    "code": "care_i",
                    "title": {"zh-hans": "医护", "en": "Care"},
                    "weight": 1,
                    "items": [
                        _likert("c1", "医生解释清楚", weight=2),
                        _likert("c2", "等了很久没人理", reverse=True),
                        _likert("c3", "护士态度好"),
                    ],
                }
            ],
        },
        {
            "code": "env",
            "title": {"zh-hans": "环境", "en": "Environment"},
            "weight": 0.3,
            "indicators": [
                {
                    "code": "env_clean",
                    "title": {"zh-hans": "卫生", "en": "Cleanliness"},
                    "weight": 2,
                    "items": [_likert("e1", "病房干净"), _likert("e2", "卫生间干净")],
                },
                {
                    "code": "env_quiet",
                    "title": {"zh-hans": "安静", "en": "Quiet"},
                    "weight": 1,
                    "items": [_likert("e3", "夜间安静")],
                },
            ],
        },
        {
            "code": "overall_rating",
            "title": {"zh-hans": "总体评价", "en": "Overall"},
            "weight": 0.2,
            "indicators": [
                {
                    "code": "overall_i",
                    "title": {"zh-hans": "总体", "en": "Overall"},
                    "weight": 1,
                    "items": [
                        {"code": "overall", "type": "scale_0_10", "text": {"zh-hans": "总体评分"}},
                        {"code": "recommend", "type": "scale_0_10", "text": {"zh-hans": "推荐意愿"}},
                    ],
                }
            ],
        },
        {
            "code": "about",
            "title": {"zh-hans": "意见", "en": "Comments"},
            "scored": False,
            "weight": 0,
            "indicators": [
                {
                    "code": "about_i",
                    "title": {"zh-hans": "意见", "en": "Comments"},
                    "items": [{"code": "comment", "type": "text", "text": {"zh-hans": "您的意见"}}],
                }
            ],
        },
    ],
}


def definition_rated() -> dict[str, Any]:
    return copy.deepcopy(_DEFINITION)


def answers_from(z: float, rng: np.random.Generator) -> dict[str, Any]:
    """One respondent's answers from latent satisfaction ``z`` (about N(0, 1))."""

    def likert(noise: float = 0.6) -> int:
        return int(np.clip(round(3.6 + 0.9 * z + rng.normal(0, noise)), 1, 5))

    def eleven() -> int:
        return int(np.clip(round(7.0 + 1.8 * z + rng.normal(0, 0.9)), 0, 10))

    return {
        "c1": likert(),
        "c2": 6 - likert(),  # reverse-keyed: "I waited long" agrees when care was poor
        "c3": likert(),
        "e1": int(np.clip(round(3.4 + 0.5 * z + rng.normal(0, 0.7)), 1, 5)),
        "e2": int(np.clip(round(3.4 + 0.5 * z + rng.normal(0, 0.7)), 1, 5)),
        "e3": int(np.clip(round(3.2 + 0.4 * z + rng.normal(0, 0.8)), 1, 5)),
        "overall": eleven(),
        "recommend": eleven(),
    }


def add_response(
    version: InstrumentVersion,
    answers: dict[str, Any],
    *,
    department: Any = None,
    ward: Any = None,
    wave: Any = None,
    mode: str = "web",
    submitted_at: dt.datetime | None = None,
    adjusters: dict[str, Any] | None = None,
) -> Response:
    """One response as the submission service stores it: score, dimension scores and Answer rows."""
    overall, dimensions = score(version.definition, answers)
    response = Response.objects.create(
        hospital=department.hospital if department is not None else wave.hospital,
        wave=wave,
        version=version,
        department=department,
        ward=ward,
        mode=mode,
        submitted_at=submitted_at or timezone.now(),
        answers=answers,
        score=overall,
        dimension_scores=dimensions,
        adjusters=adjusters or {},
    )
    items = {item.code: item for item in version.items.all()}
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item=items[code],
            value=None if value == "na" else float(value),
            not_applicable=value == "na",
        )
        for code, value in answers.items()
        if code in items and items[code].scale_max is not None
    )
    return response


def add_responses(
    version: InstrumentVersion,
    *,
    department: Any,
    n: int,
    seed: int,
    shift: float = 0.0,
    months: int = 3,
    wave: Any = None,
    phone_share: float = 0.0,
    comments: tuple[str, ...] = (),
) -> list[Response]:
    """``n`` responses of ``department`` spread over the last ``months`` months (latent mean ``shift``)."""
    rng = np.random.default_rng(seed)
    now = timezone.now()
    responses = []
    for i in range(n):
        z = float(rng.normal(shift, 1.0))
        answers = answers_from(z, rng)
        if comments:
            answers["comment"] = comments[i % len(comments)]
        overall, dimensions = score(version.definition, answers)
        responses.append(
            Response(
                hospital=department.hospital,
                wave=wave,
                version=version,
                department=department,
                mode="phone" if rng.random() < phone_share else "web",
                submitted_at=now - dt.timedelta(days=int(rng.integers(0, 30 * months))),
                answers=answers,
                score=overall,
                dimension_scores=dimensions,
                adjusters={
                    "age_band": str(rng.choice(["18-44", "45-64", "65+"])),
                    "sex": str(rng.choice(["F", "M"])),
                    "srh": int(rng.integers(1, 6)),
                    "lag_days": int(rng.integers(2, 40)),
                    "service_line": department.code,  # as submission records it: the department
                },
            )
        )
    created = Response.objects.bulk_create(responses)  # ids come back on PostgreSQL and SQLite ≥ 3.35
    items = {item.code: item for item in version.items.all() if item.scale_max is not None}
    Answer.objects.bulk_create(
        Answer(response=r, item=items[code], value=float(value))
        for r in created
        for code, value in r.answers.items()
        if code in items
    )
    return created


def make_rated_version(hospital: Any) -> InstrumentVersion:
    """The rated questionnaire, published by the instrument service."""
    from carebridge.surveys.tests.factories import published_version

    return published_version(hospital=hospital, definition=definition_rated())


def make_survey_data(version: InstrumentVersion, cardiology: Any, paediatrics: Any) -> dict[str, Any]:
    """60 cardiology responses (higher satisfaction, each with a comment) and 50 paediatrics ones."""
    return {
        "version": version,
        "cardiology": add_responses(
            version,
            department=cardiology,
            n=60,
            seed=11,
            shift=0.4,
            comments=("医生态度很好，但是排队太久了，我的电话13812345678", "病房很干净"),
        ),
        "paediatrics": add_responses(
            version, department=paediatrics, n=50, seed=12, shift=-0.3, phone_share=0.4
        ),
    }
