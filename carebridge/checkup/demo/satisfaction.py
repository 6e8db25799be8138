"""Demo step 62: the checkup centre's own satisfaction wave (issue #11 scope 9: "checkup customers are a
population for survey waves; a checkup satisfaction wave runs in the demo").

The surveys step (50) runs before the centre's three years of visits exist (step 60), so its monthly
checkup waves only see the registry's few checkup encounters. This step runs a census wave of the
library's ``checkup-experience`` instrument over the centre's customers of the last four weeks through
the surveys app's own services — ``wave_create``, ``wave_transition`` (open), ``wave_draw`` (the
population, timing and do-not-contact rules) and ``response_submit`` (web self-completion, and phone
interviews by the agent) — so the wave, its invitations, exclusions, answers, indexes and any
service-recovery cases are exactly what the product stores. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.surveys.choices import ItemType, PopulationKind, ResponseMode, VersionStatus, WaveStatus
from carebridge.surveys.domain import instruments
from carebridge.surveys.models import InstrumentVersion, Invitation
from carebridge.surveys.services.draws import wave_draw
from carebridge.surveys.services.responses import SubmissionRefused, response_submit
from carebridge.surveys.services.waves import WaveInput, wave_create, wave_transition

SHANGHAI = ZoneInfo("Asia/Shanghai")
INSTRUMENT = "checkup-experience"
PERIOD_DAYS = 28
RESPONSE_RATE = 0.55
PHONE_SHARE = 0.3
COMMENTS = (
    "体检流程安排合理，导检护士很耐心。",
    "空腹抽血排队有点久，希望早上多开一个窗口。",
    "报告解读很详细，医生讲得很清楚。",
    "B超室等候时间较长，其他都很好。",
    "环境干净，隐私保护做得好。",
    "报告出得比预期晚了两天。",
)


def _version() -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.filter(
            instrument__hospital__isnull=True, instrument__code=INSTRUMENT, status=VersionStatus.PUBLISHED
        )
        .order_by("-number")
        .first()
    )


def answers_for(definition: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One person's answers: a personal satisfaction level drives every scored item (plus noise)."""
    level = min(5.0, max(1.0, rng.gauss(4.0, 0.6)))
    answers: dict[str, Any] = {}
    for spec in instruments.iter_items(definition):
        if spec.item_type == ItemType.LIKERT:
            value = round(min(5.0, max(1.0, level + rng.gauss(0, 0.6))))
            answers[spec.code] = 6 - value if spec.reverse else value
        elif spec.item_type == ItemType.SCALE_0_10:
            answers[spec.code] = round(min(10.0, max(0.0, (level - 1) * 2.5 + rng.gauss(0, 1))))
        elif spec.item_type == ItemType.YES_NO:
            answers[spec.code] = 1 if level + rng.gauss(0, 0.5) > 3 else 0
        elif spec.item_type == ItemType.SINGLE and spec.options:
            answers[spec.code] = rng.choice(spec.options).get("value")
        elif spec.item_type == ItemType.TEXT and rng.random() < 0.25:
            answers[spec.code] = rng.choice(COMMENTS)
    return answers


@register_step(62, "checkup centre: a satisfaction wave of the last four weeks' customers")
def seed_checkup_satisfaction(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    centre = departments.get("CHKP")
    version = _version()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=("quality_officer", "agent"))
    }
    if centre is None or version is None or len(users) < 2:
        context.log("checkup: no satisfaction wave (no centre, library instrument or survey users)")
        return
    as_of = context.as_of
    now = dt.datetime(as_of.year, as_of.month, as_of.day, 9, 0, tzinfo=SHANGHAI)
    period_end = as_of - dt.timedelta(days=1)
    period_start = as_of - dt.timedelta(days=PERIOD_DAYS)
    opens = dt.datetime(period_start.year, period_start.month, period_start.day, 8, 0, tzinfo=SHANGHAI)
    rng = random.Random(context.seed + 62)  # noqa: S311 - deterministic demo data
    with transaction.atomic():
        wave = wave_create(
            hospital=hospital,
            actor=users["quality_officer"],
            data=WaveInput(
                name=f"体检中心检后满意度调查（{period_start:%m-%d}至{period_end:%m-%d}）",
                version=version,
                population=PopulationKind.CHECKUP_CUSTOMERS,
                departments=[centre],
                period_start=period_start,
                period_end=period_end,
                channels=("sms", "phone"),
                reminder_days=(3,),
                opens_at=opens,
                closes_at=now + dt.timedelta(days=21),
            ),
        )
        wave_transition(wave=wave, to=WaveStatus.OPEN, actor=users["quality_officer"], at=opens)
        # Drawn when it opens: each customer's invitation goes out two days after their visit.
        drawn = wave_draw(wave=wave, actor=users["quality_officer"], now=opens)
        answered = 0
        for invitation in Invitation.objects.filter(wave=wave).select_related("wave__version").order_by("id"):
            if rng.random() > RESPONSE_RATE:
                continue
            # Answered within three days of the message, and before this morning.
            latest = min(now, invitation.expires_at, invitation.send_after + dt.timedelta(hours=72))
            if latest <= invitation.send_after:
                continue
            at = invitation.send_after + (latest - invitation.send_after) * rng.uniform(0.05, 1.0)
            phone = rng.random() < PHONE_SHARE
            try:
                response_submit(
                    invitation=invitation,
                    answers=answers_for(version.definition, rng),
                    language="zh-hans",
                    mode=ResponseMode.PHONE if phone else ResponseMode.WEB,
                    now=at,
                    interviewer=users["agent"] if phone else None,
                )
            except SubmissionRefused:
                continue
            answered += 1
    context.log(f"checkup: satisfaction wave “{wave.name}”: {drawn.invited} invited, {answered} answered")
