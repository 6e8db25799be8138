"""Comment topics (评论主题) and polarity of the free-text answers, with masked examples.

The topics and polarity come from ``stats.text`` (jieba and the hospital lexicons). Comments are
written by patients and often carry a phone number or an ID; every example shown is masked
(:func:`mask_comment`: national IDs, mobile numbers, landlines and any other run of seven or more digits
keep only their last four digits). Examples are only given when the caller allows them (leaders see
counts only) and never for a group of an anonymous wave below its ``min_report_group``.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from carebridge.core.masking import mask_text
from carebridge.insights.domain.analysis.common import clean
from carebridge.insights.domain.analysis.frame import ResponseFrame
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.text import analyze_comments

# Digits that still look like a phone after mask_text: landlines "0571-8888 8888", "88888888", long runs.
_DIGIT_RUN = re.compile(r"(?<![\d*])\d(?:[\d \-]{5,}\d)(?![\d*])")

TOPIC_LABELS = {
    "等候时间": _("Waiting time (等候时间)"),
    "就诊流程": _("Process (就诊流程)"),
    "服务态度": _("Attitude (服务态度)"),
    "医疗质量": _("Medical quality (医疗质量)"),
    "护理": _("Nursing (护理)"),
    "费用": _("Costs (费用)"),
    "环境": _("Environment (环境)"),
    "沟通": _("Communication (沟通)"),
    "停车/交通": _("Parking and transport (停车/交通)"),
    "餐饮": _("Food (餐饮)"),
}


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    digits = [c for c in run if c.isdigit()]
    if len(digits) < 7:
        return run
    keep = 4
    seen = 0
    out = []
    for char in reversed(run):
        if char.isdigit():
            seen += 1
            out.append(char if seen <= keep else "*")
        else:
            out.append(char)
    return "".join(reversed(out))


def mask_comment(text: str) -> str:
    """A comment with national IDs, mobile and landline numbers (any 7+ digit run) masked."""
    return _DIGIT_RUN.sub(_mask_run, mask_text(text))


def comment_topics(frame: ResponseFrame, *, include_examples: bool, examples: int = 3) -> dict[str, Any]:
    """Topics of the comments with counts by polarity and, if allowed, masked examples.

    Returns ``{"n", "polarity": {"positive", "negative", "neutral"}, "topics": [{"topic", "label",
    "n", "positive", "negative", "neutral", "negative_examples", "positive_examples"}],
    "examples_shown": bool}``.
    """
    texts = frame.comments["text"].tolist()
    empty = {
        "n": 0,
        "polarity": {"positive": 0, "negative": 0, "neutral": 0},
        "topics": [],
        "examples_shown": False,
    }
    if not texts:
        return empty
    if frame.suppressed(frame.n):
        return {**empty, "suppressed": True}
    try:
        summary = analyze_comments(texts, examples=examples if include_examples else 0)
    except StatsInputError:
        return empty
    topics = []
    for topic, row in summary.topics.iterrows():
        if not row["n"]:
            continue
        topics.append(
            {
                "topic": topic,
                "label": str(TOPIC_LABELS.get(str(topic), topic)),
                "n": int(row["n"]),
                "positive": int(row["positive"]),
                "negative": int(row["negative"]),
                "neutral": int(row["neutral"]),
                "negative_examples": [mask_comment(t) for t in row["negative_examples"]]
                if include_examples
                else [],
                "positive_examples": [mask_comment(t) for t in row["positive_examples"]]
                if include_examples
                else [],
            }
        )
    return clean(
        {
            "n": len(summary.comments),
            "polarity": summary.polarity,
            "topics": topics,
            "examples_shown": include_examples,
            "suppressed": False,
        }
    )
