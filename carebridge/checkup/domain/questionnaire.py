"""The health questionnaire (健康问卷) a person answers before or at check-in (篇7 2.2.6 "检前": 健康问卷),
as a surveys instrument in the builder's export format: history and family history, lifestyle, how
they are today. The chief examiner reads the answers beside the results. Installed per hospital by
``services.questionnaire.health_questionnaire_install`` (a hospital may then edit it in the builder and
publish a new version; the newest published version is used)."""

from __future__ import annotations

from typing import Any

HEALTH_QUESTIONNAIRE_CODE = "checkup-health"


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "en": en}


def _yes_no(code: str, zh: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "type": "yes_no", "required": False, "weight": 1, "text": _text(zh, en), **extra}


def _single(code: str, zh: str, en: str, options: list[tuple[str, str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "type": "single",
        "required": False,
        "text": _text(zh, en),
        "options": [{"value": value, "label": _text(z, e)} for value, z, e in options],
        **extra,
    }


def _group(code: str, zh: str, en: str, items: list[dict[str, Any]], *, scored: bool) -> dict[str, Any]:
    group: dict[str, Any] = {
        "code": code,
        "title": _text(zh, en),
        "weight": 1,
        "indicators": [{"code": f"{code}_i", "title": _text(zh, en), "weight": 1, "items": items}],
    }
    if not scored:
        group["scored"] = False
    return group


DEFINITION: dict[str, Any] = {
    "schema": 1,
    "code": HEALTH_QUESTIONNAIRE_CODE,
    "title": _text("健康体检问卷", "Health questionnaire"),
    "intro": _text(
        "请在体检前如实填写，供总检医生评估参考。内容严格保密。",
        "Please answer before your checkup; the chief examiner reads it with your results. Confidential.",
    ),
    "dimensions": [
        # Scored (the surveys app needs one scored dimension): the share of "yes" is a rough burden index.
        _group(
            "history",
            "既往史与家族史",
            "Medical and family history",
            [
                _yes_no(
                    "h_htn", "是否曾被诊断为高血压？", "Have you been diagnosed with high blood pressure?"
                ),
                _yes_no("h_dm", "是否曾被诊断为糖尿病？", "Have you been diagnosed with diabetes?"),
                _yes_no(
                    "h_lipid",
                    "是否曾被诊断为血脂异常？",
                    "Have you been told your blood lipids are abnormal?",
                ),
                _yes_no(
                    "h_cvd", "是否患过冠心病或脑卒中？", "Have you had coronary heart disease or a stroke?"
                ),
                _yes_no(
                    "h_family_cancer",
                    "父母、兄弟姐妹或子女中是否有人患恶性肿瘤？",
                    "Has a parent, sibling or child had cancer?",
                ),
            ],
            scored=True,
        ),
        _group(
            "lifestyle",
            "生活方式",
            "Lifestyle",
            [
                _single(
                    "l_smoke",
                    "吸烟情况",
                    "Smoking",
                    [
                        ("never", "从不吸烟", "Never"),
                        ("quit", "已戒烟", "Quit"),
                        ("smoker", "吸烟", "Smoker"),
                    ],
                ),
                _single(
                    "l_alcohol",
                    "饮酒情况",
                    "Alcohol",
                    [
                        ("none", "不饮酒", "None"),
                        ("sometimes", "偶尔", "Sometimes"),
                        ("often", "经常", "Often"),
                    ],
                ),
                _single(
                    "l_exercise",
                    "每周锻炼（30分钟以上）次数",
                    "Exercise of 30 minutes or more, per week",
                    [
                        ("0", "少于1次", "Less than once"),
                        ("1_2", "1–2次", "Once or twice"),
                        ("3", "3次及以上", "Three times or more"),
                    ],
                ),
            ],
            scored=False,
        ),
        _group(
            "today",
            "今日情况",
            "Today",
            [
                {
                    "code": "t_symptoms",
                    "type": "multiple",
                    "required": False,
                    "text": _text("近期是否有以下不适？", "Have you recently had any of these?"),
                    "options": [
                        {"value": v, "label": _text(z, e)}
                        for v, z, e in (
                            ("chest", "胸闷或胸痛", "Chest tightness or pain"),
                            ("dizzy", "头晕或头痛", "Dizziness or headache"),
                            ("weight", "体重明显下降", "Losing weight without trying"),
                            ("cough", "持续咳嗽", "A lasting cough"),
                            ("none", "以上都没有", "None of these"),
                        )
                    ],
                },
                _yes_no("t_meds", "目前是否长期服药？", "Do you take medicines regularly?"),
                {
                    "code": "t_meds_list",
                    "type": "text",
                    "required": False,
                    "text": _text("请写出药名", "Which medicines?"),
                    "show_if": {"item": "t_meds", "in": [1]},
                },
                {
                    "code": "t_concern",
                    "type": "text",
                    "required": False,
                    "text": _text("希望医生特别关注的问题", "Anything you want the doctor to look at"),
                },
            ],
            scored=False,
        ),
    ],
}

DOCUMENT: dict[str, Any] = {
    "format": "carebridge-instrument",
    "format_version": 1,
    "instrument": {
        "code": HEALTH_QUESTIONNAIRE_CODE,
        "name": "健康体检问卷",
        "name_en": "Health questionnaire (checkup)",
        "kind": "other",
        "respondent_class": "patient",
        "description": "体检前或登记时填写：既往史与家族史、生活方式、今日情况；总检时与结果一并查看。",
    },
    "definition": DEFINITION,
}
