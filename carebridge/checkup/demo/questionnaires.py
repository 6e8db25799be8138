"""Demo step 61: the live morning's people answered the health questionnaire (健康问卷) at check-in, most on
the centre's tablet, some on paper entered by the desk, through ``visit_questionnaire_record`` — so the
chief examiner's workstation shows their answers. Deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.models import Visit
from carebridge.checkup.services.questionnaire import health_questionnaire_version, visit_questionnaire_record
from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.surveys.choices import ResponseMode

ANSWERED = 0.85
CONCERNS = ("最近睡眠不好", "经常胃胀", "想了解血脂情况", "腰痛两个月", "")


def answers_for(rng: random.Random, *, age: int) -> dict[str, Any]:
    older = age >= 45
    answers: dict[str, Any] = {
        "h_htn": int(rng.random() < (0.3 if older else 0.08)),
        "h_dm": int(rng.random() < (0.12 if older else 0.03)),
        "h_lipid": int(rng.random() < (0.25 if older else 0.1)),
        "h_cvd": int(rng.random() < (0.05 if older else 0.01)),
        "h_family_cancer": int(rng.random() < 0.15),
        "l_smoke": rng.choices(("never", "quit", "smoker"), (60, 12, 28))[0],
        "l_alcohol": rng.choices(("none", "sometimes", "often"), (45, 40, 15))[0],
        "l_exercise": rng.choices(("0", "1_2", "3"), (40, 35, 25))[0],
        "t_symptoms": rng.sample(("chest", "dizzy", "cough"), rng.choice((0, 0, 0, 1))) or ["none"],
        "t_meds": int(rng.random() < (0.35 if older else 0.1)),
    }
    if answers["t_meds"]:
        answers["t_meds_list"] = rng.choice(("氨氯地平", "二甲双胍", "阿托伐他汀", "缬沙坦"))
    concern = rng.choice(CONCERNS)
    if concern:
        answers["t_concern"] = concern
    return answers


@register_step(61, "checkup centre: health questionnaires of the live morning")
def seed_health_questionnaires(context: DemoContext) -> None:
    desk = get_user_model().objects.filter(username="checkup_staff").first()
    visits = list(
        Visit.objects.filter(
            scheduled_for=context.as_of, status=VisitStatus.CHECKED_IN, questionnaire__isnull=True
        )
        .select_related("patient", "department")
        .order_by("number", "id")
    )
    if desk is None or not visits or health_questionnaire_version(visits[0].hospital_id) is None:
        context.log("checkup: no health questionnaires (no desk user, live visit or questionnaire)")
        return
    rng = random.Random(context.seed + 61)  # noqa: S311 - deterministic demo data
    answered = 0
    for visit in visits:
        if rng.random() > ANSWERED:
            continue
        birth = visit.patient.birth_date or dt.date(1980, 1, 1)
        visit_questionnaire_record(
            visit=visit,
            actor=desk,
            answers=answers_for(rng, age=context.as_of.year - birth.year),
            mode=ResponseMode.WEB if rng.random() < 0.7 else ResponseMode.PAPER,
            at=visit.checked_in_at,
        )
        answered += 1
    context.log(f"checkup: {answered} health questionnaires answered at check-in this morning")
