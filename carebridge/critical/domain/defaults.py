"""The default rule set: the seed's list of important abnormal results exactly (seed 003 篇7 2.2.5),
with its operators, in each item's canonical unit; and the default time limits and ladders.

Classes are the hospital's choice; the defaults (documented in docs/critical.md):

* **A (immediate)** where the finding can mean acute danger in the coming hours or days: WBC ≤ 3.0
  (infection risk), PLT < 90 (bleeding), Hb < 90 (significant anaemia, possible bleeding), CK > 2000
  (rhabdomyolysis, myocardial injury), urine ketones ≥ ++ (ketosis, possible ketoacidosis).
* **B (further diagnosis)** for everything else the seed lists: findings that need a recheck or further
  tests to reach a diagnosis (glucose, creatinine, urine findings, occult blood, tumour markers,
  imaging, cytology, RBC and high platelets).

Time limits: the seed sets none. Class A: first attempt within 15 minutes and read-back within 60 —
the 15 minutes Chinese hospitals commonly set for reporting a laboratory critical value under the
危急值报告制度 (a hospital default, not a national figure). Class B: first attempt within one day and
read-back within three: the seed's "第一时间" for results that need further diagnosis, as a working
default. Both are editable per hospital (``ClassPolicy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carebridge.critical.choices import CHECKUP_LADDER, RuleOperator, Severity

SEED_SOURCE = "seed 003 篇7 2.2.5"
DEFAULT_SET_CODE = "SEED-2.2.5"

RECHECK = "尽快在就近医院复查"  # recheck nearby, as the seed's customer-service staff advise


@dataclass(frozen=True)
class DefaultRule:
    code: str
    name: str
    severity: str
    operator: str
    item: str = ""  # the item's local code in the catalogue
    category: str = ""
    threshold: str = ""
    grade: str = ""
    codes: tuple[str, ...] = field(default_factory=tuple)
    advice: str = RECHECK


A, B = Severity.A, Severity.B
Op = RuleOperator

DEFAULT_RULES: tuple[DefaultRule, ...] = (
    DefaultRule(
        "WBC-LOW",
        "白细胞 ≤ 3.0×10⁹/L",
        A,
        Op.LTE,
        "WBC",
        threshold="3.0",
        advice="尽快复查血常规，注意预防感染；必要时血液科就诊",
    ),
    DefaultRule(
        "RBC-LOW",
        "红细胞 < 3.0×10¹²/L",
        B,
        Op.LT,
        "RBC",
        threshold="3.0",
        advice="复查血常规，血液科或内科就诊明确贫血原因",
    ),
    DefaultRule(
        "RBC-HIGH",
        "红细胞 > 7.0×10¹²/L",
        B,
        Op.GT,
        "RBC",
        threshold="7.0",
        advice="复查血常规，血液科就诊排除红细胞增多症",
    ),
    DefaultRule(
        "PLT-LOW",
        "血小板 < 90×10⁹/L",
        A,
        Op.LT,
        "PLT",
        threshold="90",
        advice="尽快复查血常规，避免外伤，血液科就诊",
    ),
    DefaultRule(
        "PLT-HIGH", "血小板 ≥ 400×10⁹/L", B, Op.GTE, "PLT", threshold="400", advice="复查血常规，血液科就诊"
    ),
    DefaultRule(
        "HB-LOW",
        "血红蛋白 < 90 g/L",
        A,
        Op.LT,
        "HGB",
        threshold="90",
        advice="尽快复查血常规，排除出血，血液科或消化科就诊",
    ),
    DefaultRule(
        "UWBC-HIGH",
        "尿白细胞 > 15–30/HP",
        B,
        Op.CODED_ABOVE,
        "UWBC",
        grade="15-30",
        advice="复查尿常规，泌尿外科或肾内科就诊",
    ),
    DefaultRule(
        "URBC-HIGH",
        "尿红细胞 > 15–30/HP",
        B,
        Op.CODED_ABOVE,
        "URBC",
        grade="15-30",
        advice="复查尿常规，泌尿外科或肾内科就诊，必要时泌尿系影像检查",
    ),
    DefaultRule(
        "UKET", "尿酮体 ≥ ++", A, Op.GRADE_GTE, "UKET", grade="++", advice="尽快查血糖、血酮，内分泌科就诊"
    ),
    DefaultRule(
        "UGLU", "尿糖 ≥ ++", B, Op.GRADE_GTE, "UGLU", grade="++", advice="复查空腹及餐后血糖，内分泌科就诊"
    ),
    DefaultRule(
        "UPRO",
        "尿蛋白 ≥ +",
        B,
        Op.GRADE_GTE,
        "UPRO",
        grade="+",
        advice="复查尿常规及24小时尿蛋白，肾内科就诊",
    ),
    DefaultRule(
        "FOBT", "粪便潜血阳性", B, Op.POSITIVE, "FOBT", advice="复查粪便潜血，消化科就诊，必要时胃肠镜检查"
    ),
    DefaultRule(
        "FPG-HIGH",
        "空腹血糖 ≥ 7.0 mmol/L",
        B,
        Op.GTE,
        "GLU",
        threshold="7.0",
        advice="复查空腹血糖及糖化血红蛋白，内分泌科就诊",
    ),
    DefaultRule(
        "2HPG-HIGH",
        "餐后2小时血糖 ≥ 11.1 mmol/L",
        B,
        Op.GTE,
        "GLU2H",
        threshold="11.1",
        advice="内分泌科就诊，必要时行OGTT",
    ),
    DefaultRule(
        "CK-HIGH",
        "肌酸激酶 > 2000 U/L",
        A,
        Op.GT,
        "CK",
        threshold="2000",
        advice="尽快就诊，复查心肌酶、肾功能，排除横纹肌溶解或心肌损伤",
    ),
    DefaultRule(
        "CREA-HIGH", "肌酐 > 133 μmol/L", B, Op.GT, "CREA", threshold="133", advice="复查肾功能，肾内科就诊"
    ),
    DefaultRule(
        "TM-HIGH",
        "肿瘤标志物高于参考上限",
        B,
        Op.ABOVE_REFERENCE,
        category="tumour_marker",
        advice="专科就诊复查，必要时影像学检查",
    ),
    DefaultRule(
        "IMG-MALIGN",
        "影像学不能排除恶性占位",
        B,
        Op.CODED_IN,
        codes=(
            "USABD:mass",
            "USTHY:suspicious",
            "USBRE:suspicious",
            "USPEL:mass",
            "USPRO:nodule",
            "CXR:mass",
        ),
        advice="尽快专科就诊，行增强CT/MRI或穿刺活检明确诊断",
    ),
    # Bethesda: intraepithelial lesions, atypical cells that cannot exclude HSIL, glandular atypia and
    # carcinoma. ASC-US (undetermined significance) is not pre-malignant by itself: it is not listed.
    DefaultRule(
        "TCT-MALIGN",
        "TCT 恶性或倾向恶性细胞",
        B,
        Op.CODED_IN,
        "TCT",
        codes=("LSIL", "ASC-H", "HSIL", "AGC", "SCC"),
        advice="妇科就诊，行阴道镜检查及活检",
    ),
)

# (first attempt minutes, read-back minutes)
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {Severity.A: (15, 60), Severity.B: (24 * 60, 3 * 24 * 60)}
DEFAULT_LADDER: tuple[str, ...] = CHECKUP_LADDER


# The ward's list (inpatients and outpatients: ``RulePopulation.CLINICAL``). Ward patients are watched by
# their doctors; the list therefore holds only values that need action within the hour. Shipped: the one
# class-A threshold we can cite — haemoglobin ≤ 60 g/L, the first A-class example of the 2019 national
# consensus (requirements §2). The hospital's medical affairs office adds the rest of its ward list as a
# new version (``rule_set_new_version``), each rule with its source.
WARD_SET_CODE = "WARD"
CONSENSUS_SOURCE = "《健康体检重要异常结果管理专家共识（试行版）》，中华健康管理学杂志，2019"
WARD_RULES: tuple[DefaultRule, ...] = (
    DefaultRule(
        "HGB-LE60",
        "血红蛋白 ≤ 60 g/L",
        A,
        Op.LTE,
        "HGB",
        threshold="60",
        advice="立即报告主管医生评估，必要时输血",
    ),
)
