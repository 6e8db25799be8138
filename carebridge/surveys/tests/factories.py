"""Test data of the surveys app: a small valid definition and published versions made by the services.

``definition_small()`` is a questionnaire that exercises the schema without being long:

- ``care`` (weight 0.6): indicators ``care_comm`` (0.7: ``q1`` Likert 5 with NA, required, weight 2;
  ``q2`` Likert 5 with NA, reverse-keyed) and ``care_env`` (0.3: ``q3`` Likert 5);
- ``overall`` (weight 0.4): ``nps`` 0–10 recommendation, required;
- ``about`` (unscored): ``comment`` free text, shown only when ``nps`` is 0–6 (skip logic).

Other engineers' tests rely on these codes and weights; change them only together with those tests.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from carebridge.core.models import Hospital
from carebridge.surveys.choices import InstrumentKind, RespondentClass
from carebridge.surveys.models import Instrument, InstrumentVersion
from carebridge.surveys.services.instruments import version_publish

_LIKERT5 = {
    "zh-hans": ["非常不满意", "不满意", "一般", "满意", "非常满意"],
    "en": ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"],
}
_AGREE5 = {
    "zh-hans": ["非常不同意", "不同意", "一般", "同意", "非常同意"],
    "en": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
}

_DEFINITION_SMALL: dict[str, Any] = {
    "schema": 1,
    "code": "small",
    "title": {"zh-hans": "简短满意度调查", "en": "Short satisfaction survey"},
    "intro": {
        "zh-hans": "本调查用于改进服务，回答将严格保密。",
        "en": "Used to improve our service; answers stay confidential.",
    },
    "dimensions": [
        {
            "code": "care",
            "title": {"zh-hans": "医疗服务", "en": "Care"},
            "weight": 0.6,
            "indicators": [
                {
                    "code": "care_comm",
                    "title": {"zh-hans": "沟通", "en": "Communication"},
                    "weight": 0.7,
                    "items": [
                        {
                            "code": "q1",
                            "type": "likert",
                            "points": 5,
                            "na": True,
                            "required": True,
                            "weight": 2,
                            "text": {
                                "zh-hans": "医生向您解释病情清楚吗？",
                                "en": "Did the doctor explain your condition clearly?",
                            },
                            "labels": _LIKERT5,
                        },
                        {
                            "code": "q2",
                            "type": "likert",
                            "points": 5,
                            "na": True,
                            "reverse": True,
                            "weight": 1,
                            "text": {
                                "zh-hans": "我需要等很久才有人回应。",
                                "en": "I had to wait long before anyone responded.",
                            },
                            "labels": _AGREE5,
                        },
                    ],
                },
                {
                    "code": "care_env",
                    "title": {"zh-hans": "环境", "en": "Environment"},
                    "weight": 0.3,
                    "items": [
                        {
                            "code": "q3",
                            "type": "likert",
                            "points": 5,
                            "weight": 1,
                            "text": {"zh-hans": "病房干净整洁吗？", "en": "Was the room clean and tidy?"},
                            "labels": _LIKERT5,
                        }
                    ],
                },
            ],
        },
        {
            "code": "overall",
            "title": {"zh-hans": "总体", "en": "Overall"},
            "weight": 0.4,
            "indicators": [
                {
                    "code": "overall_i",
                    "title": {"zh-hans": "推荐意愿", "en": "Recommendation"},
                    "weight": 1,
                    "items": [
                        {
                            "code": "nps",
                            "type": "scale_0_10",
                            "required": True,
                            "weight": 1,
                            "text": {
                                "zh-hans": "您有多大可能向亲友推荐本院？（0=完全不可能，10=非常可能）",
                                "en": "How likely are you to recommend us to friends and family? (0–10)",
                            },
                        }
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
                    "title": {"zh-hans": "意见建议", "en": "Comments"},
                    "weight": 1,
                    "items": [
                        {
                            "code": "comment",
                            "type": "text",
                            "text": {
                                "zh-hans": "请告诉我们哪里做得不好。",
                                "en": "Please tell us what went wrong.",
                            },
                            "show_if": {"item": "nps", "in": [0, 1, 2, 3, 4, 5, 6]},
                        }
                    ],
                }
            ],
        },
    ],
}

_codes = itertools.count(1)


def definition_small() -> dict[str, Any]:
    """A fresh deep copy of the small valid definition (safe to modify in a test)."""
    return copy.deepcopy(_DEFINITION_SMALL)


def published_version(
    *,
    hospital: Hospital | None = None,
    definition: dict[str, Any] | None = None,
    code: str | None = None,
    respondent_class: str = RespondentClass.PATIENT,
    kind: str = InstrumentKind.OTHER,
) -> InstrumentVersion:
    """An instrument (library when ``hospital`` is None) with version 1 published by the service."""
    from carebridge.surveys.domain.instruments import content_hash

    body = definition if definition is not None else definition_small()
    code = code or f"test-instrument-{next(_codes)}"
    instrument = Instrument.objects.create(
        hospital=hospital,
        code=code,
        name=f"测试问卷 {code}",
        name_en=f"Test instrument {code}",
        kind=kind,
        respondent_class=respondent_class,
    )
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=1, definition=body, content_hash=content_hash(body)
    )
    return version_publish(version=version, actor=None)
