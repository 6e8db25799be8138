"""Demo step (issue 21, 篇3 4.3 "methods beyond questionnaires"): a paediatric family focus group and a
nurses' structured interview whose notes the insights app codes into comment topics beside the survey
comments, and an expert-panel review of the discharge questionnaire's items (six experts, content validity
I-CVI/S-CVI). Written through the services; no random draws (the other steps' streams stay as they were)."""

from __future__ import annotations

import datetime as dt

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import Staff
from carebridge.surveys.models import ReviewItem
from carebridge.surveys.services.qualitative import review_create, review_rate, session_record

FOCUS_GROUP_NOTES = """雾化治疗排队等候时间太长，孩子哭闹
护士态度很好，打针技术熟练
夜间病房噪音大，影响孩子休息
出院带药说明不清楚，回家后不知道怎么用
住院费用清单看不懂，希望有人解释
停车难，探视时找不到车位"""
INTERVIEW_NOTES = """夜班护士人手紧，巡视间隔长
家属沟通时间不够，解释病情常被打断
医生查房时间不固定，家长等候时间长"""
REVIEW_ITEMS: list[ReviewItem] = [
    {"code": "q1", "text": "入院时医护人员向您介绍了病区环境和规章制度"},
    {"code": "q2", "text": "护士对孩子的治疗和护理操作熟练"},
    {"code": "q3", "text": "医生向您解释了孩子的病情和治疗方案"},
    {"code": "q4", "text": "病房安静整洁，孩子能够休息好"},
    {"code": "q5", "text": "出院时医护人员告知了用药和复诊要求"},
    {"code": "q6", "text": "住院费用清楚明白"},
]
# Six experts' relevance ratings (1–4) of q1…q6: q6 divides the panel.
EXPERT_RATINGS = [
    ("儿科主任 张", "儿科临床", (4, 4, 4, 3, 4, 2)),
    ("护理部 王", "护理管理", (3, 4, 4, 4, 4, 3)),
    ("质控办 李", "医疗质量", (4, 3, 4, 4, 4, 2)),
    ("客服部 刘", "客户服务", (4, 4, 3, 4, 4, 4)),
    ("医学院 陈", "卫生统计", (3, 4, 4, 3, 4, 2)),
    ("家长代表 赵", "患者体验", (4, 4, 4, 4, 3, 3)),
]


@register_step(88, "interviews, a focus group and an expert-panel review")
def seed_qualitative(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    paediatrics = departments.get("PEDI")
    facilitator = (
        Staff.objects.filter(hospital=hospital, user__username="quality_officer").first()
        or Staff.objects.filter(hospital=hospital).order_by("pk").first()
    )
    if paediatrics is None or facilitator is None:
        return
    session_record(
        hospital=hospital, kind="focus_group", group="families", held_on=context.as_of - dt.timedelta(20),
        title="儿科家长焦点小组座谈", facilitator=facilitator, participants=8, department=paediatrics,
        guide="1. 住院期间最满意的是什么？\n2. 最希望改进的是什么？\n3. 出院时还有哪些疑问？",
        notes=FOCUS_GROUP_NOTES, actor=None,
    )  # fmt: skip
    session_record(
        hospital=hospital, kind="interview", group="staff", held_on=context.as_of - dt.timedelta(days=12),
        title="儿科护士结构化访谈", facilitator=facilitator, participants=1, department=paediatrics,
        guide="1. 您认为影响家长满意度的主要因素？\n2. 工作中遇到的困难？", notes=INTERVIEW_NOTES, actor=None,
    )  # fmt: skip
    review = review_create(
        hospital=hospital,
        title="儿科出院满意度问卷专家评议",
        subject="儿科住院患者满意度问卷（条目相关性）",
        items=REVIEW_ITEMS,
        held_on=context.as_of - dt.timedelta(days=30),
        actor=None,
    )
    for expert, field, ratings in EXPERT_RATINGS:
        review_rate(
            review=review,
            expert=expert,
            expertise=field,
            ratings={item["code"]: r for item, r in zip(REVIEW_ITEMS, ratings, strict=True)},
            actor=None,
        )
    context.log("methods beyond questionnaires: 1 focus group, 1 interview, 1 expert-panel review")
