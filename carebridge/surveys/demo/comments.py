"""The demo's free-text comments (意见与建议): a small bank of realistic Chinese comments.

Praise and complaints about waiting, attitude, fees, the environment and discharge explanations. A
respondent's weakest dimension picks the topic of a complaint, so the text agrees with the scores (a
weak ward's patients complain about discharge explanations); low scorers comment more often and
complain more. Plain data and one pure function; no Django.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

PRAISE: tuple[str, ...] = (
    "护士很细心，每天都主动询问情况，非常感谢。",
    "医生耐心解释病情和治疗方案，让我们很放心。",
    "整体服务很好，环境干净整洁，值得推荐。",
    "主治医生技术好、态度好，感谢全体医护人员。",
    "出院时护士把用药和复诊时间讲得很清楚，谢谢！",
    "预约挂号很方便，检查当天就出了结果。",
    "导诊人员热情，一路带我们去做检查。",
    "体检流程安排合理，报告解读很详细。",
)
# Complaints by topic; the key is the dimension a low score in which leads to the topic.
COMPLAINTS: dict[str, tuple[str, ...]] = {
    "waiting": (
        "排队时间太长，挂号、缴费、取药都要排，等了一上午。",
        "预约了时间还是等了两个多小时，很不满意，希望改进叫号。",
        "检查要等好几天才能排上，耽误治疗。",
    ),
    "attitude": (
        "个别护士态度生硬，按铃很久才来，说话不耐烦。",
        "医生看病太匆忙，问几句就开单子，没怎么解释，很失望。",
        "窗口工作人员态度差，问路也爱答不理。",
    ),
    "fees": (
        "费用清单看不明白，有几项收费不清楚，希望解释。",
        "检查项目太多，费用太高，感觉有过度检查，不满意。",
        "医保报销手续繁琐，跑了好几个窗口，体验很差。",
    ),
    "environment": (
        "病房卫生间不够干净，晚上走廊太吵休息不好。",
        "停车太难，指示牌不清楚，找科室找了半天。",
        "候诊区座位太少，空调也坏了，环境很差。",
    ),
    "discharge": (
        "出院时没人讲清楚回家后怎么吃药、什么时候复查，很不满意。",
        "出院小结写得太简单，回家后出现不适不知道该找谁，很失望。",
        "出院手续办了很久，也没有人交代注意事项，服务太差。",
    ),
    "workload": (
        "夜班太多，人手长期不够，希望增加编制。",
        "非临床的表格和检查太多，占用了照顾病人的时间，很不满意。",
    ),
    "pay": (
        "绩效分配不透明，多劳不一定多得，很不满意。",
        "培训和进修机会太少，很失望，希望多给年轻人机会。",
    ),
}
SUGGESTIONS: tuple[str, ...] = (
    "建议增加自助缴费机，并在周末开放更多窗口。",
    "希望出院后能有专人电话随访。",
    "建议食堂提供更多适合病人的饮食。",
)
# Which complaint topic a low dimension leads to.
TOPIC_OF_DIMENSION: dict[str, str] = {
    "nurses": "attitude",
    "doctors": "attitude",
    "doctor": "attitude",
    "staff": "attitude",
    "responsiveness": "waiting",
    "registration": "waiting",
    "flow": "waiting",
    "booking": "waiting",
    "tests_pharmacy": "waiting",
    "fees": "fees",
    "environment": "environment",
    "privacy": "environment",
    "discharge": "discharge",
    "report": "discharge",
    "medicines": "discharge",
    "workload": "workload",
    "pay_recognition": "pay",
    "development": "pay",
    "management": "pay",
}


def pick_comment(
    rng: np.random.Generator, *, overall: float | None, dimension_scores: Mapping[str, float]
) -> str:
    """A comment for a respondent with these 0–100 indexes, or "" (most people leave the box empty).

    About 20% of satisfied respondents write praise or a suggestion; below 60 most write, mostly a
    complaint about their weakest dimension."""
    score = 75.0 if overall is None else overall
    writes = 0.2 if score >= 75 else 0.45 if score >= 60 else 0.75
    if rng.random() >= writes:
        return ""
    complains = 0.1 if score >= 75 else 0.5 if score >= 60 else 0.9
    if rng.random() >= complains:
        pool = PRAISE if score >= 60 or rng.random() < 0.5 else SUGGESTIONS
        return str(pool[rng.integers(len(pool))])
    rated = {d: v for d, v in dimension_scores.items() if d in TOPIC_OF_DIMENSION}
    topic = TOPIC_OF_DIMENSION[min(rated, key=lambda d: rated[d])] if rated else "waiting"
    options = COMPLAINTS[topic]
    return str(options[rng.integers(len(options))])
