"""How the demo's wards do at follow-up, and the texts the demo writes (deterministic with ``context.rng``).

The paediatric wards, where the programme started, do best; two wards fall short on purpose: 骨科三病区
(ORTH-3, low reach) and 呼吸与危重症医学科二病区 (RESP-2, calls made late).
"""

from __future__ import annotations

from dataclasses import dataclass

from carebridge.core.models import Ward
from carebridge.followup.choices import IssueKind, MedicationFlag


# Shares of calls per ward profile (the paediatric wards run the programme; two wards fall short).
@dataclass(frozen=True)
class Profile:
    reach_first: float  # someone answers the first attempt
    reach_retry: float  # … a later attempt
    unreachable: float  # patients who never answer the phone
    late: float  # calls first tried after their window
    forgotten: float  # tier B/C calls nobody tries (closed when their window lapses)
    interview_late: float = 0.03  # admission interviews done after their 24 hours


# Phone numbers go stale: about one patient in fourteen never answers (numbers changed, left the city),
# and half of those are found by a visit or letter — follow-up is never 100 %, not even in paediatrics.
DEFAULT = Profile(reach_first=0.64, reach_retry=0.45, unreachable=0.07, late=0.06, forgotten=0.01)
PROFILES: dict[str, Profile] = {
    "PEDI": Profile(
        reach_first=0.72, reach_retry=0.55, unreachable=0.04, late=0.03, forgotten=0.005, interview_late=0.01
    ),
    "NEON": Profile(
        reach_first=0.72, reach_retry=0.55, unreachable=0.04, late=0.03, forgotten=0.005, interview_late=0.01
    ),
    "ORTH-3": Profile(
        reach_first=0.42, reach_retry=0.30, unreachable=0.14, late=0.12, forgotten=0.06, interview_late=0.15
    ),
    "RESP-2": Profile(
        reach_first=0.60, reach_retry=0.45, unreachable=0.05, late=0.45, forgotten=0.08, interview_late=0.10
    ),
}
FAILED_NOTES = ("家访未遇，邻居称已搬离", "信函退回：查无此人", "地址不详，无法投递", "多次上门无人应答")
NEEDS = (
    "陪护床位",
    "饮食指导",
    "费用清单解释",
    "检查前告知",
    "用药指导",
    "康复锻炼指导",
    "儿童游戏区",
    "心理疏导",
    "出院后复诊预约",
)
EXPECTATIONS = (
    "尽快明确诊断",
    "少做不必要的检查",
    "手术顺利，恢复快",
    "控制症状，早日出院",
    "了解出院后注意事项",
)
PREFERENCES = ("上午10点后电话联系", "请先联系家属", "可以微信联系", "晚上不方便接电话", "希望由主管医生回访")
ISSUES = (
    (IssueKind.SUGGESTION, "希望出院带药能附上用药时间表。", "已转科室，出院宣教单增加用药时间表。"),
    (IssueKind.SUGGESTION, "复诊挂号太难，希望给随访病人留号。", "已反馈门诊部，开通随访复诊预约。"),
    (IssueKind.COMPLIMENT, "感谢病区护士照顾周到，特别是夜班护士。", "已转达病区并记入表扬。"),
    (IssueKind.CLINICAL_QUESTION, "伤口有点红，问是否需要回院换药。", "主管医生回电，建议次日门诊换药。"),
    (IssueKind.CLINICAL_QUESTION, "出院后血压偏高，问药量是否调整。", "主管医生回电指导调整用药。"),
)
MEDICATION: dict[str, tuple[tuple[str, float], ...]] = {
    "CARD": ((MedicationFlag.ANTICOAGULANT, 0.15), (MedicationFlag.ANTIPLATELET, 0.35)),
    "CTSU": ((MedicationFlag.ANTICOAGULANT, 0.4),),
    "NEUR": ((MedicationFlag.ANTIPLATELET, 0.3),),
    "ENDO": ((MedicationFlag.INSULIN, 0.5),),
    "ONCO": ((MedicationFlag.CHEMOTHERAPY, 0.55), (MedicationFlag.OPIOID, 0.15)),
    "HEMA": ((MedicationFlag.CHEMOTHERAPY, 0.45),),
    "NEPH": ((MedicationFlag.IMMUNOSUPPRESSANT, 0.2),),
    "ORTH": ((MedicationFlag.ANTICOAGULANT, 0.2), (MedicationFlag.OPIOID, 0.1)),
    "GSUR": ((MedicationFlag.OPIOID, 0.08),),
}


def profile_for(ward: Ward | None, department_code: str) -> Profile:
    if ward is not None and ward.code in PROFILES:
        return PROFILES[ward.code]
    return PROFILES.get(department_code, DEFAULT)
