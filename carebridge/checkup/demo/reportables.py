"""The starter catalogue of reportable findings for group reports, the reference population and an
illustrative reference prevalence table; idempotent per hospital. Used by the demo and by tests.

Definitions follow the Chinese guidelines named in each (thresholds as published). The reference
population is the **WHO World Standard Population 2000–2025** (Ahmad OB, Boschi-Pinto C, Lopez AD et al.
Age standardization of rates: a new WHO standard. GPE Discussion Paper Series No. 31, WHO 2001, table 4;
per 100 000, five-year groups summed into the bands here), which is for both sexes together: it is split
equally between men and women, as the source text says. The prevalence table is **illustrative** (made
for the demo, roughly the size of Chinese checkup populations' figures; not from 《北京市卫生与人群健康状况
报告》): it is flagged as such and every report that uses it says so. Administrators replace it with the
published table of their city (source and year) in the admin.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from carebridge.checkup.models import (
    ReferencePopulation,
    ReferencePrevalence,
    ReferenceRate,
    ReferenceStratum,
    ReportableFinding,
)
from carebridge.core.models import Hospital

# (code, name, definition, explanation, prevention, criteria)
FINDINGS: tuple[tuple[str, str, str, str, str, list[dict[str, object]]], ...] = (
    (
        "HTN",
        "血压升高（高血压）",
        "收缩压≥140 mmHg 和/或舒张压≥90 mmHg（《中国高血压防治指南（2018年修订版）》，单次体检测量）。",
        "长期血压升高损害心、脑、肾和血管，是脑卒中和冠心病最主要的危险因素；多数人没有症状。",
        "限盐（每日<5 g）、控制体重、规律运动、戒烟限酒；检出者应非同日复测血压，确诊后遵医嘱治疗。",
        [{"item": "SBP", "op": "gte", "value": 140}, {"item": "DBP", "op": "gte", "value": 90}],
    ),
    (
        "GLU",
        "血糖升高（糖尿病或空腹血糖受损）",
        "空腹血糖≥6.1 mmol/L 或糖化血红蛋白≥6.5%（《中国2型糖尿病防治指南（2020年版）》）。",
        "血糖升高提示糖代谢异常，可发展为糖尿病并引起心、脑、肾、眼和神经并发症。",
        "控制总热量、减少精制糖、增加运动、减重；检出者到内分泌科复查（OGTT）。",
        [{"item": "GLU", "op": "gte", "value": 6.1}, {"item": "HBA1C", "op": "gte", "value": 6.5}],
    ),
    (
        "LIPID",
        "血脂异常",
        "总胆固醇≥6.2、甘油三酯≥2.3、LDL-C≥4.1 或 HDL-C<1.0 mmol/L"
        "（《中国成人血脂异常防治指南（2016年修订版）》）。",
        "血脂异常是动脉粥样硬化性心血管疾病的主要危险因素。",
        "低脂低胆固醇饮食、增加膳食纤维、规律运动、戒烟；高危者遵医嘱用药。",
        [
            {"item": "TC", "op": "gte", "value": 6.2},
            {"item": "TG", "op": "gte", "value": 2.3},
            {"item": "LDL", "op": "gte", "value": 4.1},
            {"item": "HDL", "op": "lt", "value": 1.0},
        ],
    ),
    (
        "FATTY",
        "脂肪肝",
        "腹部超声提示脂肪肝。",
        "脂肪肝与肥胖、饮酒和代谢异常相关，部分可进展为脂肪性肝炎和肝纤维化。",
        "减重（体重下降5%–10%）、限酒、控制饮食、增加运动，定期复查肝功能和超声。",
        [{"item": "USABD", "op": "coded_in", "codes": ["fatty_liver"]}],
    ),
    (
        "BMI",
        "超重或肥胖",
        "体重指数≥24 kg/m²（《中国成人超重和肥胖症预防控制指南》：24–27.9 超重，≥28 肥胖）。",
        "超重和肥胖增加高血压、糖尿病、血脂异常、脂肪肝和部分肿瘤的风险。",
        "合理膳食、每周至少150分钟中等强度运动、减少久坐，目标为缓慢持续减重。",
        [{"item": "BMI", "op": "gte", "value": 24}],
    ),
    (
        "UA",
        "高尿酸血症",
        "血尿酸>420 μmol/L（《中国高尿酸血症与痛风诊疗指南（2019）》，不分性别）。",
        "高尿酸可引起痛风和尿酸性肾病，并与高血压、代谢综合征相关。",
        "多饮水、限制高嘌呤食物和含糖饮料、限酒、控制体重；检出者复查并到专科就诊。",
        [{"item": "UA", "op": "gt", "value": 420}],
    ),
    (
        "THYROID",
        "甲状腺结节",
        "甲状腺超声发现结节（TI-RADS 分类见个人报告）。",
        "甲状腺结节很常见，绝大多数为良性；少数（TI-RADS 4类及以上）需进一步检查。",
        "按个人报告建议定期复查超声；4类及以上者到甲状腺外科就诊。",
        [{"item": "USTHY", "op": "coded_in", "codes": ["nodule", "suspicious"]}],
    ),
    (
        "TUMOUR",
        "肿瘤标志物升高",
        "AFP、CEA、CA125、CA19-9 或 PSA 任一项高于参考上限。",
        "肿瘤标志物升高不等于患癌，炎症、吸烟等也可升高；需结合影像复查。",
        "按体检中心电话通知复查；戒烟、均衡饮食；按年龄参加相应的癌症筛查。",
        [{"item": code, "op": "high"} for code in ("AFP", "CEA", "CA125", "CA199", "PSA")],
    ),
)

# WHO World Standard Population 2000–2025 per 100 000 (both sexes), summed; stored per million and
# halved for each sex (× 10 / 2 = × 5): 20–39 = 8220+7930+7610+7150,
# 40–59 = 6590+6040+5370+4550, 60+ = 3720+2960+2210+1520+910+440+150+40+5.
WHO_BANDS: tuple[tuple[int, int | None, int], ...] = ((20, 39, 30910), (40, 59, 22550), (60, None, 11955))

# Illustrative prevalences (share) by finding: men and women, for the bands 20–39, 40–59, 60+.
ILLUSTRATIVE: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "HTN": (("0.12", "0.30", "0.50"), ("0.05", "0.20", "0.46")),
    "GLU": (("0.06", "0.14", "0.22"), ("0.03", "0.10", "0.20")),
    "LIPID": (("0.30", "0.40", "0.38"), ("0.12", "0.28", "0.38")),
    "FATTY": (("0.25", "0.35", "0.30"), ("0.08", "0.20", "0.25")),
    "BMI": (("0.40", "0.55", "0.50"), ("0.20", "0.38", "0.45")),
    "UA": (("0.20", "0.18", "0.16"), ("0.03", "0.06", "0.10")),
    "THYROID": (("0.10", "0.18", "0.25"), ("0.18", "0.28", "0.35")),
    "TUMOUR": (("0.03", "0.05", "0.08"), ("0.03", "0.05", "0.07")),
}


@transaction.atomic
def reportables_install(*, hospital: Hospital) -> list[ReportableFinding]:
    existing = list(ReportableFinding.objects.filter(hospital=hospital).order_by("sequence", "code"))
    if existing:
        return existing
    findings = ReportableFinding.objects.bulk_create(
        ReportableFinding(
            hospital=hospital,
            code=code,
            name=name,
            definition=definition,
            explanation=explanation,
            prevention=prevention,
            criteria=criteria,
            sequence=index * 10,
        )
        for index, (code, name, definition, explanation, prevention, criteria) in enumerate(FINDINGS, start=1)
    )
    population = ReferencePopulation.objects.create(
        hospital=hospital,
        name="WHO 世界标准人口 2000–2025（男女各半）",
        source="Ahmad OB et al. Age standardization of rates: a new WHO standard. "
        "GPE Discussion Paper No. 31, WHO 2001 (per 100 000; split equally by sex)",
        year=2001,
        is_default=True,
    )
    ReferenceStratum.objects.bulk_create(
        ReferenceStratum(population=population, sex=sex, age_min=low, age_max=high, size=size * 5)
        for sex in ("M", "F")
        for low, high, size in WHO_BANDS
    )
    table = ReferencePrevalence.objects.create(
        hospital=hospital,
        name="示例参考患病率（演示用）",
        source="Illustrative figures for the demo — not from 《北京市卫生与人群健康状况报告》",
        year=2024,
        is_illustrative=True,
        is_default=True,
    )
    by_code = {f.code: f for f in findings}
    ReferenceRate.objects.bulk_create(
        ReferenceRate(
            table=table,
            finding=by_code[code],
            sex=sex,
            age_min=low,
            age_max=high,
            rate=Decimal(rates[sex_index][band_index]),
        )
        for code, rates in ILLUSTRATIVE.items()
        for sex_index, sex in enumerate(("M", "F"))
        for band_index, (low, high, _size) in enumerate(WHO_BANDS)
    )
    return findings
