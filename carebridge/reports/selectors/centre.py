"""The checkup centre's own report for the leadership (issue 14 item 6): one month or one year of the
centre — customers by sex, age (mean ± SD), occupation class and employer; spend per person; returning,
new and lost customers; turnaround from the visit to the report; satisfaction from the centre's own
survey waves; critical-result timeliness.

Every figure comes from the owning app's selector, so it equals that app's page: the customer figures
from ``checkup.selectors.statistics`` (its definitions, printed in :data:`DEFINITIONS`), the timeliness
from ``critical.selectors.kpis`` (the centre's rule set only), the share satisfied by the scorecard's
definition (``performance.selectors.kpis.ward.SATISFIED_DEFAULT``). The reads pass the report's own
permission (``reports.view_centre_report``) to ``restrict()``: the leadership reads the aggregates
without the right to open a visit, and the data scope still applies (the centre's staff see their
centre, the leadership the hospital). The report names no person.

The report is a Chinese document (as the monthly satisfaction report): its labels are computed under
zh-hans whatever the screen language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carebridge.checkup.selectors.statistics import (
    TARGET_DAYS,
    Period,
    Statistics,
    month_period,
    statistics,
    year_period,
)
from carebridge.core.scope import restrict, scope_for
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.core.types import Actor
from carebridge.critical.choices import RulePopulation
from carebridge.critical.selectors.kpis import Dashboard, critical_kpis
from carebridge.performance.selectors.kpis.ward import SATISFIED_DEFAULT
from carebridge.surveys.choices import InvitationStatus, PopulationKind
from carebridge.surveys.models import Invitation, Response

if TYPE_CHECKING:
    from carebridge.insights.domain.report.compute import Estimate

PERMISSION = "reports.view_centre_report"
MONTH, YEAR = "month", "year"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

# What each figure counts, printed on the report (page, PDF, Excel) so a reader can check it.
DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "体检客户",
        "统计期间内至少有一次已到检（签到及以后）体检的人，按人计；性别、年龄（首次到检时的周岁）、"
        "职业类别和单位取其期间内首次到检的记录。",
    ),
    ("人均消费", "期间内全部到检体检的费用合计 ÷ 体检客户数（元）。"),
    (
        "回头客",
        "本期体检、且在上一期（月报为上一个自然月，年报为上一年）也体检过的客户。",
    ),
    ("新客户", "本期体检、上一期未体检的客户。"),
    (
        "流失客户",
        "上一期体检过、本期未再体检的客户；流失率 = 流失客户 ÷ 上一期客户数（回头客 + 流失客户）。",
    ),
    (
        "报告周期",
        f"从到检（签到）日到报告发布日的天数，按报告发布日计入统计期间；目标 {TARGET_DAYS} 天内发布。",
    ),
    (
        "满意度",
        "体检中心满意度调查（检后客户调查）期间内提交的答卷：综合指数为 0–100 分的均值及 95% 置信区间"
        f"（t 分布）；满意率为总体评价（0–10 分）≥{SATISFIED_DEFAULT['minimum']} 分的答卷"
        "占作答总体评价答卷的比例，"
        "与平衡计分卡的定义相同；回收率为期间内发出的邀请中已作答的比例。",
    ),
    (
        "危急值及时率",
        "期间内检出的体检危急值（A 类）和重要异常结果（B 类）通知：自检出至首次联系、至复述确认的分钟数"
        "（中位数、P90），以及在该类别时限内完成的比例；无法联系为经督导签字确认无法联系的通知。",
    ),
)


@dataclass(frozen=True)
class ReportPeriod:
    kind: str  # MONTH or YEAR
    period: Period

    @property
    def label(self) -> str:
        return f"{self.period.start:%Y-%m}" if self.kind == MONTH else f"{self.period.start:%Y}"

    @property
    def chinese(self) -> str:
        start = self.period.start
        return f"{start.year}年{start.month}月" if self.kind == MONTH else f"{start.year}年"

    @property
    def previous_chinese(self) -> str:
        before = self.period.previous().start
        return f"{before.year}年{before.month}月" if self.kind == MONTH else f"{before.year}年"


def parse_period(value: str | None, *, today: dt.date | None = None) -> ReportPeriod:
    """``YYYY-MM`` (a month) or ``YYYY`` (a year); empty means last month. Anything else is a
    ``ValidationError`` on the field ``period``."""
    if not value:
        first = (today or timezone.localdate()).replace(day=1)
        last = first - dt.timedelta(days=1)
        return ReportPeriod(MONTH, month_period(last.year, last.month))
    month, year = _MONTH.match(value), _YEAR.match(value)
    if month and 1900 <= int(month.group(1)) <= 2100 and 1 <= int(month.group(2)) <= 12:
        return ReportPeriod(MONTH, month_period(int(month.group(1)), int(month.group(2))))
    if year and 1900 <= int(year.group(1)) <= 2100:
        return ReportPeriod(YEAR, year_period(int(year.group(1))))
    raise ValidationError({"period": _("Give the period as YYYY-MM (a month) or YYYY (a year).")})


@dataclass
class Satisfaction:
    """The centre's survey waves in the period."""

    n: int
    index: Estimate | None
    satisfied: int
    satisfied_answers: int
    invited: int
    answered: int

    @property
    def share_satisfied(self) -> float | None:
        return self.satisfied / self.satisfied_answers if self.satisfied_answers else None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


@dataclass
class CentreReport:
    hospital: str
    scope_label: str
    period: ReportPeriod
    figures: Statistics
    satisfaction: Satisfaction
    critical: Dashboard | None
    generated_at: dt.datetime
    summary: list[str] = field(default_factory=list)
    definitions: tuple[tuple[str, str], ...] = DEFINITIONS


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start, end


def centre_satisfaction(*, user: Actor, period: Period) -> Satisfaction:
    """Answers to the centre's waves (population: checkup customers) submitted in the period."""
    from carebridge.insights.domain.report.compute import estimate  # numpy on first use, not at import

    start, end = _bounds(period)
    checkup = Q(wave__population=PopulationKind.CHECKUP_CUSTOMERS)
    responses = restrict(Response.objects.all(), user, permission=PERMISSION).filter(
        checkup, submitted_at__gte=start, submitted_at__lt=end
    )
    rows = list(responses.order_by("id").values_list("score", "answers"))
    item, minimum = str(SATISFIED_DEFAULT["item"]), float(str(SATISFIED_DEFAULT["minimum"]))
    rated = [answers[item] for _score, answers in rows if isinstance((answers or {}).get(item), int | float)]
    invitations = restrict(Invitation.objects.all(), user, permission=PERMISSION).filter(
        checkup, sent_at__gte=start, sent_at__lt=end
    )
    return Satisfaction(
        n=len(rows),
        index=estimate([float(score) for score, _answers in rows if score is not None]),
        satisfied=sum(1 for value in rated if value >= minimum),
        satisfied_answers=len(rated),
        invited=invitations.count(),
        answered=invitations.filter(status=InvitationStatus.COMPLETED).count(),
    )


def _summary(report: CentreReport) -> list[str]:
    """What the period was, in figures (no comparison is stated here: the leadership report states
    changes, and only significant ones)."""
    s, when = report.figures, report.period.chinese
    if not s.customers:
        return [f"{when}体检中心没有到检的客户。"]
    out = [
        f"{when}体检中心共接待体检客户 {s.customers:,} 人（{s.visits:,} 人次），"
        f"人均消费 {s.spend_per_person} 元；回头客 {s.returning:,} 人，新客户 {s.new:,} 人，"
        f"较{report.period.previous_chinese}流失 {s.lost:,} 人。"
    ]
    if s.turnaround.n:
        within = s.turnaround.share_within or 0.0
        out.append(
            f"发布报告 {s.turnaround.n:,} 份，报告周期中位数 {s.turnaround.p50:.1f} 天，"
            f"{within * 100:.1f}% 在 {s.turnaround.target_days} 天内发布。"
        )
    sat = report.satisfaction
    if sat.index is not None:
        out.append(
            f"满意度调查答卷 {sat.n:,} 份，综合指数 {sat.index.mean:.1f} 分"
            f"（95% 置信区间 {sat.index.low:.1f}–{sat.index.high:.1f}）。"
        )
    return out


def centre_report(*, user: Actor, period: ReportPeriod, now: dt.datetime | None = None) -> CentreReport:
    """The centre's report of ``period`` within the user's scope (the caller checks the permission)."""
    hospital = staff_hospital(user=user)
    scope = scope_for(user)
    with translation.override("zh-hans"):
        figures = statistics(user=user, period=period.period, permission=PERMISSION)
        critical = (
            critical_kpis(
                user=user,
                start=period.period.start,
                end=period.period.end,
                now=now,
                population=RulePopulation.CHECKUP,
            )
            if user.has_perm("critical.view_critical_kpis")
            else None
        )
    report = CentreReport(
        hospital=hospital.name,
        scope_label="全院" if scope.department_ids is None else "本中心",
        period=period,
        figures=figures,
        satisfaction=centre_satisfaction(user=user, period=period.period),
        critical=critical,
        generated_at=now or timezone.now(),
    )
    report.summary = _summary(report)
    return report
