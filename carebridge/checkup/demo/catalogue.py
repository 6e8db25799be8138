"""A realistic starter catalogue for a Chinese tertiary hospital's checkup centre: rooms, items (LOINC
where one is certain, Chinese names, UCUM units, adult reference ranges as Chinese laboratories print
them — WS/T 404 for blood counts and biochemistry), packages ("1+X"), the advice library and a first
version of the five-level risk rules with their sources.

Every analyte of the seed's important-result list (篇7 2.2.5) is here: WBC, RBC, PLT, Hb; urine
microscopy WBC/RBC graded per high-power field, ketones, glucose, protein; faecal occult blood; fasting
and 2-hour glucose; creatine kinase; creatinine; the tumour markers AFP, CEA, CA125, CA19-9, PSA;
ultrasound and chest imaging findings that cannot exclude malignancy; TCT by Bethesda category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from carebridge.checkup.choices import Operator as Op
from carebridge.checkup.choices import Preparation as P
from carebridge.checkup.choices import Prescription as Rx
from carebridge.checkup.choices import RuleSource

FASTING = (P.FASTING,)


@dataclass(frozen=True)
class RoomSpec:
    code: str
    name: str
    stations: int
    minutes: int
    location: str


ROOMS: tuple[RoomSpec, ...] = (
    RoomSpec("BLD", "采血室", 4, 2, "一层东"),
    RoomSpec("SMP", "留样处（尿、便）", 2, 1, "一层东"),
    RoomSpec("GEN", "一般检查（身高体重血压）", 2, 2, "一层西"),
    RoomSpec("IM", "内科", 2, 4, "二层"),
    RoomSpec("SUR", "外科", 1, 4, "二层"),
    RoomSpec("EYE", "眼科", 1, 3, "二层"),
    RoomSpec("ECG", "心电图室", 2, 5, "二层"),
    RoomSpec("US", "超声室", 4, 8, "三层"),
    RoomSpec("XR", "放射科（DR）", 1, 3, "一层北"),
    RoomSpec("GYN", "妇科", 1, 6, "三层"),
)

# Graded urine microscopy (个/高倍视野) as the laboratory reports it; the seed's rule is "above 15–30".
MICROSCOPY = ("0-1", "1-3", "3-5", "5-10", "10-15", "15-30", "30-50", ">50", "满视野")


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    name_en: str
    kind: str
    category: str
    room: str
    unit: str = ""
    loinc: str = ""
    analyte: str = ""
    decimals: int = 2
    preparations: tuple[str, ...] = ()
    sex: str = "any"
    price: str = "10"
    key: bool = False
    abbreviation: str = ""
    # (sex, age_min, age_max, low, high) in the canonical unit; grades: (sex, None, None, grade).
    ranges: tuple[tuple, ...] = ()
    # (code, label, abnormal)
    codes: tuple[tuple[str, str, bool], ...] = ()


def _r(low: str | None, high: str | None, sex: str = "any") -> tuple:
    return (sex, None, None, Decimal(low) if low else None, Decimal(high) if high else None)


NORMAL_US = ("normal", "未见明显异常", False)
ITEMS: tuple[ItemSpec, ...] = (
    # General examination
    ItemSpec("HT", "身高", "Height", "numeric", "physical", "GEN", "cm", "8302-2", decimals=1, price="0"),
    ItemSpec("WT", "体重", "Weight", "numeric", "physical", "GEN", "kg", "29463-7", decimals=1, price="0"),
    ItemSpec(
        "BMI",
        "体重指数",
        "Body mass index",
        "numeric",
        "physical",
        "GEN",
        "kg/m2",
        "39156-5",
        decimals=1,
        price="0",
        key=True,
        ranges=(_r("18.5", "23.9"),),
    ),
    ItemSpec(
        "SBP",
        "收缩压",
        "Systolic blood pressure",
        "numeric",
        "physical",
        "GEN",
        "mm[Hg]",
        "8480-6",
        decimals=0,
        price="5",
        key=True,
        ranges=(_r("90", "139"),),
    ),
    ItemSpec(
        "DBP",
        "舒张压",
        "Diastolic blood pressure",
        "numeric",
        "physical",
        "GEN",
        "mm[Hg]",
        "8462-4",
        decimals=0,
        price="0",
        key=True,
        ranges=(_r("60", "89"),),
    ),
    ItemSpec("IMX", "内科检查", "Internal medicine examination", "text", "physical", "IM", price="15"),
    ItemSpec("SURX", "外科检查", "Surgical examination", "text", "physical", "SUR", price="15"),
    ItemSpec("EYEX", "眼科检查", "Eye examination", "text", "specialist", "EYE", price="20"),
    # Blood count (WS/T 405)
    ItemSpec(
        "WBC",
        "白细胞计数",
        "White blood cell count",
        "numeric",
        "blood_count",
        "BLD",
        "10*9/L",
        "6690-2",
        price="5",
        abbreviation="WBC",
        ranges=(_r("3.5", "9.5"),),
    ),
    ItemSpec(
        "RBC",
        "红细胞计数",
        "Red blood cell count",
        "numeric",
        "blood_count",
        "BLD",
        "10*12/L",
        "789-8",
        price="5",
        abbreviation="RBC",
        ranges=(_r("4.3", "5.8", "M"), _r("3.8", "5.1", "F")),
    ),
    ItemSpec(
        "HGB",
        "血红蛋白",
        "Haemoglobin",
        "numeric",
        "blood_count",
        "BLD",
        "g/L",
        "718-7",
        decimals=0,
        price="5",
        key=True,
        abbreviation="Hb",
        ranges=(_r("130", "175", "M"), _r("115", "150", "F")),
    ),
    ItemSpec(
        "PLT",
        "血小板计数",
        "Platelet count",
        "numeric",
        "blood_count",
        "BLD",
        "10*9/L",
        "777-3",
        decimals=0,
        price="5",
        abbreviation="PLT",
        ranges=(_r("125", "350"),),
    ),
    # Liver and kidney function (fasting)
    ItemSpec(
        "ALT",
        "丙氨酸氨基转移酶",
        "Alanine aminotransferase",
        "numeric",
        "liver",
        "BLD",
        "U/L",
        "1742-6",
        decimals=0,
        preparations=FASTING,
        price="8",
        key=True,
        abbreviation="ALT",
        ranges=(_r("9", "50", "M"), _r("7", "40", "F")),
    ),
    ItemSpec(
        "AST",
        "天门冬氨酸氨基转移酶",
        "Aspartate aminotransferase",
        "numeric",
        "liver",
        "BLD",
        "U/L",
        "1920-8",
        decimals=0,
        preparations=FASTING,
        price="8",
        abbreviation="AST",
        ranges=(_r("15", "40", "M"), _r("13", "35", "F")),
    ),
    ItemSpec(
        "TBIL",
        "总胆红素",
        "Total bilirubin",
        "numeric",
        "liver",
        "BLD",
        "umol/L",
        "14631-6",
        analyte="bilirubin",
        decimals=1,
        preparations=FASTING,
        price="8",
        ranges=(_r("0", "21"),),
    ),
    ItemSpec(
        "CREA",
        "肌酐",
        "Creatinine",
        "numeric",
        "kidney",
        "BLD",
        "umol/L",
        "14682-9",
        analyte="creatinine",
        decimals=0,
        preparations=FASTING,
        price="8",
        key=True,
        abbreviation="Cr",
        ranges=(_r("57", "97", "M"), _r("41", "73", "F")),
    ),
    ItemSpec(
        "UA",
        "尿酸",
        "Uric acid",
        "numeric",
        "kidney",
        "BLD",
        "umol/L",
        "14933-6",
        analyte="uric_acid",
        decimals=0,
        preparations=FASTING,
        price="8",
        key=True,
        abbreviation="UA",
        ranges=(_r("208", "428", "M"), _r("155", "357", "F")),
    ),
    ItemSpec(
        "BUN",
        "尿素",
        "Urea",
        "numeric",
        "kidney",
        "BLD",
        "mmol/L",
        "14937-7",
        analyte="urea",
        preparations=FASTING,
        price="8",
        ranges=(_r("3.1", "8.0"),),
    ),
    ItemSpec(
        "CK",
        "肌酸激酶",
        "Creatine kinase",
        "numeric",
        "enzymes",
        "BLD",
        "U/L",
        "2157-6",
        decimals=0,
        price="10",
        abbreviation="CK",
        ranges=(_r("50", "310", "M"), _r("40", "200", "F")),
    ),
    # Lipids and glucose (fasting); the 2-hour glucose two hours after breakfast
    ItemSpec(
        "TC",
        "总胆固醇",
        "Total cholesterol",
        "numeric",
        "lipids",
        "BLD",
        "mmol/L",
        "14647-2",
        analyte="cholesterol",
        preparations=FASTING,
        price="8",
        key=True,
        abbreviation="TC",
        ranges=(_r(None, "5.2"),),
    ),
    ItemSpec(
        "TG",
        "甘油三酯",
        "Triglycerides",
        "numeric",
        "lipids",
        "BLD",
        "mmol/L",
        "14927-8",
        analyte="triglycerides",
        preparations=FASTING,
        price="8",
        key=True,
        abbreviation="TG",
        ranges=(_r(None, "1.7"),),
    ),
    ItemSpec(
        "HDL",
        "高密度脂蛋白胆固醇",
        "HDL cholesterol",
        "numeric",
        "lipids",
        "BLD",
        "mmol/L",
        "14646-4",
        analyte="cholesterol",
        preparations=FASTING,
        price="8",
        abbreviation="HDL-C",
        ranges=(_r("1.0", None),),
    ),
    ItemSpec(
        "LDL",
        "低密度脂蛋白胆固醇",
        "LDL cholesterol",
        "numeric",
        "lipids",
        "BLD",
        "mmol/L",
        "22748-8",
        analyte="cholesterol",
        preparations=FASTING,
        price="8",
        key=True,
        abbreviation="LDL-C",
        ranges=(_r(None, "3.4"),),
    ),
    ItemSpec(
        "GLU",
        "空腹血糖",
        "Fasting glucose",
        "numeric",
        "glucose",
        "BLD",
        "mmol/L",
        "14771-0",
        analyte="glucose",
        preparations=FASTING,
        price="5",
        key=True,
        abbreviation="FPG",
        ranges=(_r("3.9", "6.1"),),
    ),
    ItemSpec(
        "GLU2H",
        "餐后2小时血糖",
        "2-hour postprandial glucose",
        "numeric",
        "glucose",
        "BLD",
        "mmol/L",
        analyte="glucose",
        preparations=(P.AFTER_MEAL,),
        price="5",
        key=True,
        abbreviation="2hPG",
        ranges=(_r(None, "7.8"),),
    ),
    ItemSpec(
        "HBA1C",
        "糖化血红蛋白",
        "Haemoglobin A1c",
        "numeric",
        "glucose",
        "BLD",
        "%",
        "4548-4",
        decimals=1,
        price="60",
        ranges=(_r("4.0", "6.0"),),
    ),
    ItemSpec(
        "TSH",
        "促甲状腺激素",
        "Thyroid-stimulating hormone",
        "numeric",
        "thyroid",
        "BLD",
        "m[IU]/L",
        "3016-3",
        price="40",
        ranges=(_r("0.27", "4.2"),),
    ),
    # Tumour markers
    ItemSpec(
        "AFP",
        "甲胎蛋白",
        "Alpha-fetoprotein",
        "numeric",
        "tumour_marker",
        "BLD",
        "ng/mL",
        "1834-1",
        price="40",
        key=True,
        abbreviation="AFP",
        ranges=(_r(None, "7.0"),),
    ),
    ItemSpec(
        "CEA",
        "癌胚抗原",
        "Carcinoembryonic antigen",
        "numeric",
        "tumour_marker",
        "BLD",
        "ng/mL",
        "2039-6",
        price="40",
        key=True,
        abbreviation="CEA",
        ranges=(_r(None, "5.0"),),
    ),
    ItemSpec(
        "CA125",
        "糖类抗原125",
        "Cancer antigen 125",
        "numeric",
        "tumour_marker",
        "BLD",
        "U/mL",
        "10334-1",
        sex="F",
        price="60",
        abbreviation="CA125",
        ranges=(_r(None, "35"),),
    ),
    ItemSpec(
        "CA199",
        "糖类抗原19-9",
        "Cancer antigen 19-9",
        "numeric",
        "tumour_marker",
        "BLD",
        "U/mL",
        "24108-3",
        price="60",
        abbreviation="CA19-9",
        ranges=(_r(None, "37"),),
    ),
    ItemSpec(
        "PSA",
        "前列腺特异性抗原",
        "Prostate-specific antigen",
        "numeric",
        "tumour_marker",
        "BLD",
        "ng/mL",
        "2857-1",
        sex="M",
        price="60",
        abbreviation="PSA",
        ranges=(_r(None, "4.0"),),
    ),
    # Urine (the sample after any full-bladder scan) and stool
    ItemSpec(
        "UPRO",
        "尿蛋白",
        "Urine protein",
        "grade",
        "urine",
        "SMP",
        loinc="20454-5",
        preparations=(P.EMPTIES_BLADDER,),
        price="3",
    ),
    ItemSpec(
        "UGLU",
        "尿糖",
        "Urine glucose",
        "grade",
        "urine",
        "SMP",
        loinc="25428-4",
        preparations=(P.EMPTIES_BLADDER,),
        price="3",
    ),
    ItemSpec(
        "UKET",
        "尿酮体",
        "Urine ketones",
        "grade",
        "urine",
        "SMP",
        loinc="2514-8",
        preparations=(P.EMPTIES_BLADDER,),
        price="3",
    ),
    ItemSpec(
        "UWBC",
        "尿白细胞（镜检）",
        "Urine leukocytes, microscopy",
        "coded",
        "urine",
        "SMP",
        loinc="5821-4",
        preparations=(P.EMPTIES_BLADDER,),
        price="3",
        codes=tuple((c, f"{c} /HP", i >= 3) for i, c in enumerate(MICROSCOPY)),
    ),
    ItemSpec(
        "URBC",
        "尿红细胞（镜检）",
        "Urine erythrocytes, microscopy",
        "coded",
        "urine",
        "SMP",
        loinc="13945-1",
        preparations=(P.EMPTIES_BLADDER,),
        price="3",
        codes=tuple((c, f"{c} /HP", i >= 2) for i, c in enumerate(MICROSCOPY)),
    ),
    ItemSpec("FOBT", "粪便潜血", "Faecal occult blood", "posneg", "stool", "SMP", loinc="2335-8", price="10"),
    # Heart, imaging, gynaecology
    ItemSpec(
        "ECG",
        "心电图",
        "Electrocardiogram",
        "coded",
        "ecg",
        "ECG",
        price="25",
        codes=(
            ("normal", "正常心电图", False),
            ("sinus_tachy", "窦性心动过速", True),
            ("sinus_brady", "窦性心动过缓", True),
            ("st_t", "ST-T改变", True),
            ("af", "心房颤动", True),
            ("block", "传导阻滞", True),
        ),
    ),
    ItemSpec(
        "USABD",
        "腹部超声（肝胆胰脾）",
        "Abdominal ultrasound",
        "coded",
        "ultrasound",
        "US",
        preparations=FASTING,
        price="120",
        codes=(
            NORMAL_US,
            ("fatty_liver", "脂肪肝", True),
            ("gallstone", "胆囊结石", True),
            ("liver_cyst", "肝囊肿", True),
            ("mass", "占位性病变，不能排除恶性", True),
        ),
    ),
    ItemSpec(
        "USTHY",
        "甲状腺超声",
        "Thyroid ultrasound",
        "coded",
        "ultrasound",
        "US",
        price="80",
        codes=(
            NORMAL_US,
            ("nodule", "甲状腺结节（TI-RADS 2–3类）", True),
            ("suspicious", "甲状腺结节（TI-RADS 4类及以上），不能排除恶性", True),
        ),
    ),
    ItemSpec(
        "USBRE",
        "乳腺超声",
        "Breast ultrasound",
        "coded",
        "ultrasound",
        "US",
        sex="F",
        price="80",
        codes=(
            NORMAL_US,
            ("nodule", "乳腺结节（BI-RADS 2–3类）", True),
            ("suspicious", "乳腺结节（BI-RADS 4类及以上），不能排除恶性", True),
        ),
    ),
    ItemSpec(
        "USPEL",
        "盆腔超声（子宫附件）",
        "Pelvic ultrasound",
        "coded",
        "ultrasound",
        "US",
        sex="F",
        preparations=(P.FULL_BLADDER,),
        price="80",
        codes=(
            NORMAL_US,
            ("fibroid", "子宫肌瘤", True),
            ("cyst", "卵巢囊肿", True),
            ("mass", "附件区占位，不能排除恶性", True),
        ),
    ),
    ItemSpec(
        "USPRO",
        "前列腺超声",
        "Prostate ultrasound",
        "coded",
        "ultrasound",
        "US",
        sex="M",
        preparations=(P.FULL_BLADDER,),
        price="60",
        codes=(NORMAL_US, ("hyperplasia", "前列腺增生", True), ("nodule", "前列腺结节，不能排除恶性", True)),
    ),
    ItemSpec(
        "CXR",
        "胸部正位片（DR）",
        "Chest radiograph",
        "coded",
        "imaging",
        "XR",
        preparations=(P.RADIATION,),
        price="60",
        codes=(
            NORMAL_US,
            ("small_nodule", "肺小结节", True),
            ("old_lesion", "陈旧性病变", True),
            ("mass", "肺部占位，不能排除恶性", True),
        ),
    ),
    ItemSpec(
        "GYNX", "妇科检查", "Gynaecological examination", "text", "specialist", "GYN", sex="F", price="20"
    ),
    ItemSpec(
        "TCT",
        "液基薄层细胞检测（TCT）",
        "Liquid-based cytology (TCT)",
        "coded",
        "cytology",
        "GYN",
        sex="F",
        price="150",
        codes=(
            ("NILM", "未见上皮内病变或恶性细胞（NILM）", False),
            ("ASC-US", "意义不明确的非典型鳞状细胞（ASC-US）", True),
            ("LSIL", "低级别鳞状上皮内病变（LSIL）", True),
            ("ASC-H", "不除外高级别病变的非典型鳞状细胞（ASC-H）", True),
            ("HSIL", "高级别鳞状上皮内病变（HSIL）", True),
            ("AGC", "非典型腺细胞（AGC）", True),
            ("SCC", "鳞状细胞癌（SCC）", True),
        ),
    ),
)

_BASIC = (
    "HT",
    "WT",
    "BMI",
    "SBP",
    "DBP",
    "IMX",
    "SURX",
    "EYEX",
    "WBC",
    "RBC",
    "HGB",
    "PLT",
    "ALT",
    "AST",
    "TBIL",
    "CREA",
    "UA",
    "BUN",
    "TC",
    "TG",
    "HDL",
    "LDL",
    "GLU",
    "UPRO",
    "UGLU",
    "UKET",
    "UWBC",
    "URBC",
    "FOBT",
    "ECG",
    "USABD",
    "CXR",
)
_OVER_40 = ("GLU2H", "CK", "AFP", "CEA", "USTHY")


@dataclass(frozen=True)
class PackageSpec:
    code: str
    name: str
    kind: str
    sex: str
    age_min: int | None
    age_max: int | None
    price: str
    items: tuple[str, ...]
    description: str = ""


PACKAGES: tuple[PackageSpec, ...] = (
    PackageSpec("M-U40", "男性基础套餐（40岁以下）", "standard", "M", 18, 40, "680", (*_BASIC, "USPRO")),
    PackageSpec(
        "F-U40",
        "女性基础套餐（40岁以下）",
        "standard",
        "F",
        18,
        40,
        "880",
        (*_BASIC, "USBRE", "USPEL", "GYNX", "TCT"),
    ),
    PackageSpec(
        "M-40",
        "男性中老年套餐（40岁及以上）",
        "standard",
        "M",
        40,
        None,
        "1380",
        (*_BASIC, *_OVER_40, "PSA", "CA199", "USPRO"),
    ),
    PackageSpec(
        "F-40",
        "女性中老年套餐（40岁及以上）",
        "standard",
        "F",
        40,
        None,
        "1580",
        (*_BASIC, *_OVER_40, "CA125", "CA199", "USBRE", "USPEL", "GYNX", "TCT"),
    ),
    PackageSpec(
        "X-TUMOUR",
        "肿瘤标志物筛查（1+X）",
        "addon",
        "any",
        None,
        None,
        "260",
        ("AFP", "CEA", "CA125", "CA199", "PSA"),
        "按性别自动选择项目",
    ),
    PackageSpec(
        "X-CARDIO", "心脑血管风险评估（1+X）", "addon", "any", None, None, "180", ("GLU2H", "HBA1C", "CK")
    ),
    PackageSpec("X-THYROID", "甲状腺专项（1+X）", "addon", "any", None, None, "120", ("TSH", "USTHY")),
)


@dataclass(frozen=True)
class AdviceSpec:
    code: str
    item: str
    operator: str
    finding: str
    conclusion: str
    advice: str
    prescriptions: tuple[str, ...] = ()
    threshold: str | None = None
    codes: tuple[str, ...] = ()


ADVICE: tuple[AdviceSpec, ...] = (
    AdviceSpec(
        "BMI-OBESE",
        "BMI",
        Op.GTE,
        "肥胖",
        "体重指数≥28，属肥胖。",
        "控制饮食总热量，每周至少150分钟中等强度运动，半年内减重5%–10%；必要时营养科就诊。",
        (Rx.WEIGHT, Rx.DIET, Rx.EXERCISE),
        threshold="28",
    ),
    AdviceSpec(
        "BMI-OVER",
        "BMI",
        Op.GTE,
        "超重",
        "体重指数24–27.9，属超重。",
        "减少高能量食物，增加身体活动，定期测量体重和腰围。",
        (Rx.WEIGHT, Rx.DIET, Rx.EXERCISE),
        threshold="24",
    ),
    AdviceSpec(
        "BP-HIGH",
        "SBP",
        Op.GTE,
        "血压升高",
        "收缩压≥140 mmHg。",
        "非同日复测血压3次，每日食盐少于5克；确诊高血压者心内科就诊。",
        (Rx.SMOKING_ALCOHOL, Rx.DIET, Rx.REGULAR_LIFE, Rx.MIND),
        threshold="140",
    ),
    AdviceSpec(
        "DBP-HIGH",
        "DBP",
        Op.GTE,
        "舒张压升高",
        "舒张压≥90 mmHg。",
        "非同日复测血压，低盐饮食，规律作息。",
        (Rx.DIET, Rx.REGULAR_LIFE),
        threshold="90",
    ),
    AdviceSpec(
        "GLU-DM",
        "GLU",
        Op.GTE,
        "空腹血糖升高",
        "空腹血糖≥7.0 mmol/L，达到糖尿病诊断切点。",
        "内分泌科就诊，复查空腹血糖、糖化血红蛋白，必要时行口服葡萄糖耐量试验。",
        (Rx.DIET, Rx.EXERCISE, Rx.WEIGHT),
        threshold="7.0",
    ),
    AdviceSpec(
        "GLU-IFG",
        "GLU",
        Op.GTE,
        "空腹血糖受损",
        "空腹血糖6.1–6.9 mmol/L。",
        "控制主食和甜食，增加运动，3个月后复查空腹血糖及糖化血红蛋白。",
        (Rx.DIET, Rx.EXERCISE, Rx.WEIGHT),
        threshold="6.1",
    ),
    AdviceSpec(
        "GLU2H-HIGH",
        "GLU2H",
        Op.GTE,
        "餐后血糖升高",
        "餐后2小时血糖≥7.8 mmol/L。",
        "内分泌科就诊评估糖耐量。",
        (Rx.DIET, Rx.EXERCISE),
        threshold="7.8",
    ),
    AdviceSpec(
        "TC-HIGH",
        "TC",
        Op.HIGH,
        "高胆固醇血症",
        "总胆固醇高于参考范围。",
        "少吃动物内脏、肥肉，增加膳食纤维；3–6个月后复查血脂，必要时心内科就诊。",
        (Rx.DIET, Rx.EXERCISE, Rx.WEIGHT),
    ),
    AdviceSpec(
        "TG-HIGH",
        "TG",
        Op.HIGH,
        "高甘油三酯血症",
        "甘油三酯高于参考范围。",
        "限制饮酒和精制糖，控制体重，复查血脂。",
        (Rx.SMOKING_ALCOHOL, Rx.DIET, Rx.WEIGHT),
    ),
    AdviceSpec(
        "LDL-HIGH",
        "LDL",
        Op.HIGH,
        "低密度脂蛋白胆固醇升高",
        "LDL-C高于参考范围。",
        "低脂饮食，规律运动，按心血管风险评估决定是否用药。",
        (Rx.DIET, Rx.EXERCISE),
    ),
    AdviceSpec(
        "ALT-HIGH",
        "ALT",
        Op.HIGH,
        "转氨酶升高",
        "丙氨酸氨基转移酶升高。",
        "戒酒，避免熬夜和不必要的药物，1个月后复查肝功能，必要时消化科就诊。",
        (Rx.SMOKING_ALCOHOL, Rx.REGULAR_LIFE),
    ),
    AdviceSpec(
        "UA-HIGH",
        "UA",
        Op.HIGH,
        "高尿酸血症",
        "血尿酸高于参考范围。",
        "低嘌呤饮食，少喝啤酒和含糖饮料，多饮水，复查血尿酸。",
        (Rx.DIET, Rx.SMOKING_ALCOHOL),
    ),
    AdviceSpec(
        "CREA-HIGH",
        "CREA",
        Op.HIGH,
        "血肌酐升高",
        "血肌酐高于参考范围。",
        "肾内科就诊，复查肾功能和尿常规。",
        (Rx.DIET,),
    ),
    AdviceSpec(
        "HGB-LOW",
        "HGB",
        Op.LOW,
        "贫血",
        "血红蛋白低于参考范围。",
        "血液科或消化科就诊查明原因，注意补充铁和蛋白质。",
        (Rx.DIET,),
    ),
    AdviceSpec(
        "FOBT-POS",
        "FOBT",
        Op.POSITIVE,
        "粪便潜血阳性",
        "粪便潜血试验阳性。",
        "消化科就诊，必要时行结肠镜检查。",
        (),
    ),
    AdviceSpec(
        "AFP-HIGH",
        "AFP",
        Op.HIGH,
        "甲胎蛋白升高",
        "甲胎蛋白高于参考范围。",
        "2–4周后复查，结合肝脏超声或增强CT明确原因。",
        (),
    ),
    AdviceSpec(
        "CEA-HIGH",
        "CEA",
        Op.HIGH,
        "癌胚抗原升高",
        "癌胚抗原高于参考范围。",
        "复查CEA，吸烟者戒烟；必要时胃肠镜及胸部CT。",
        (Rx.SMOKING_ALCOHOL,),
    ),
    AdviceSpec(
        "CA125-HIGH",
        "CA125",
        Op.HIGH,
        "CA125升高",
        "糖类抗原125高于参考范围。",
        "妇科就诊，结合盆腔超声复查。",
        (),
    ),
    AdviceSpec(
        "CA199-HIGH",
        "CA199",
        Op.HIGH,
        "CA19-9升高",
        "糖类抗原19-9高于参考范围。",
        "消化科就诊，结合影像学检查。",
        (),
    ),
    AdviceSpec(
        "PSA-HIGH",
        "PSA",
        Op.HIGH,
        "PSA升高",
        "前列腺特异性抗原高于参考范围。",
        "泌尿外科就诊，复查PSA及前列腺超声或MRI。",
        (),
    ),
    AdviceSpec(
        "UPRO-POS",
        "UPRO",
        Op.GRADE_GTE,
        "尿蛋白阳性",
        "尿蛋白阳性。",
        "复查尿常规，必要时肾内科就诊。",
        (Rx.DIET,),
        codes=("+",),
    ),
    AdviceSpec(
        "UGLU-POS",
        "UGLU",
        Op.GRADE_GTE,
        "尿糖阳性",
        "尿糖阳性。",
        "结合血糖结果，内分泌科就诊。",
        (Rx.DIET,),
        codes=("+",),
    ),
    AdviceSpec(
        "FATTY",
        "USABD",
        Op.CODED_IN,
        "脂肪肝",
        "超声提示脂肪肝。",
        "控制体重，戒酒，低脂饮食，6–12个月复查超声和肝功能。",
        (Rx.WEIGHT, Rx.DIET, Rx.EXERCISE, Rx.SMOKING_ALCOHOL),
        codes=("fatty_liver",),
    ),
    AdviceSpec(
        "GALLSTONE",
        "USABD",
        Op.CODED_IN,
        "胆囊结石",
        "超声提示胆囊结石。",
        "规律进食早餐，少油腻；有腹痛时肝胆外科就诊。",
        (Rx.DIET, Rx.REGULAR_LIFE),
        codes=("gallstone",),
    ),
    AdviceSpec(
        "US-MASS",
        "USABD",
        Op.CODED_IN,
        "腹部占位",
        "超声示占位性病变，不能排除恶性。",
        "尽快行增强CT或MRI，专科就诊。",
        (),
        codes=("mass",),
    ),
    AdviceSpec(
        "THY-NODULE",
        "USTHY",
        Op.CODED_IN,
        "甲状腺结节",
        "超声提示甲状腺结节。",
        "6–12个月复查甲状腺超声；4类及以上建议甲状腺外科就诊，必要时细针穿刺。",
        (Rx.MIND,),
        codes=("nodule", "suspicious"),
    ),
    AdviceSpec(
        "BREAST-NODULE",
        "USBRE",
        Op.CODED_IN,
        "乳腺结节",
        "超声提示乳腺结节。",
        "定期复查乳腺超声；4类及以上乳腺外科就诊。",
        (Rx.MIND,),
        codes=("nodule", "suspicious"),
    ),
    AdviceSpec(
        "LUNG-NODULE",
        "CXR",
        Op.CODED_IN,
        "肺部结节",
        "胸片提示肺部结节或占位。",
        "行胸部低剂量CT，按结节大小定期随访；戒烟。",
        (Rx.SMOKING_ALCOHOL,),
        codes=("small_nodule", "mass"),
    ),
    AdviceSpec(
        "ECG-ABN",
        "ECG",
        Op.ABNORMAL,
        "心电图异常",
        "心电图异常。",
        "心内科就诊，必要时动态心电图或心脏超声。",
        (Rx.REGULAR_LIFE, Rx.MIND),
    ),
    AdviceSpec(
        "TCT-ABN",
        "TCT",
        Op.ABNORMAL,
        "宫颈细胞学异常",
        "TCT提示宫颈细胞学异常。",
        "妇科就诊，行HPV检测，必要时阴道镜检查。",
        (),
    ),
)


@dataclass(frozen=True)
class RiskSpec:
    level: int
    name: str
    item: str
    operator: str
    source: str
    citation: str
    threshold: str | None = None
    codes: tuple[str, ...] = field(default_factory=tuple)


HTN = "《中国高血压防治指南（2018年修订版）》"
DM = "《中国2型糖尿病防治指南（2020年版）》"
LIPID = "《中国成人血脂异常防治指南（2016年修订版）》"
OBESITY = "《中国成人超重和肥胖症预防控制指南》"
CONSENSUS = "《健康体检重要异常结果管理专家共识（试行版）》（2019）"
TEXTBOOK = "《内科学》第9版（人民卫生出版社，全国高等学校教材）"
PANEL = "本院健康管理中心专家组讨论（2014）"
CERVIX = "《子宫颈癌筛查及异常管理相关问题专家共识》"
RISK_RULES: tuple[RiskSpec, ...] = (
    # Level 1: highly suspected tumour, severe chronic disease
    RiskSpec(
        1, "影像不能排除恶性（腹部）", "USABD", Op.CODED_IN, RuleSource.GUIDELINE, CONSENSUS, codes=("mass",)
    ),
    RiskSpec(
        1, "影像不能排除恶性（肺）", "CXR", Op.CODED_IN, RuleSource.GUIDELINE, CONSENSUS, codes=("mass",)
    ),
    RiskSpec(
        1, "甲状腺结节4类及以上", "USTHY", Op.CODED_IN, RuleSource.GUIDELINE, CONSENSUS, codes=("suspicious",)
    ),
    RiskSpec(
        1, "乳腺结节4类及以上", "USBRE", Op.CODED_IN, RuleSource.GUIDELINE, CONSENSUS, codes=("suspicious",)
    ),
    RiskSpec(1, "附件区占位", "USPEL", Op.CODED_IN, RuleSource.GUIDELINE, CONSENSUS, codes=("mass",)),
    RiskSpec(1, "前列腺结节", "USPRO", Op.CODED_IN, RuleSource.PANEL, PANEL, codes=("nodule",)),
    RiskSpec(
        1,
        "TCT高级别病变或癌",
        "TCT",
        Op.CODED_IN,
        RuleSource.GUIDELINE,
        CERVIX,
        codes=("ASC-H", "HSIL", "AGC", "SCC"),
    ),
    RiskSpec(1, "严重高血糖", "GLU", Op.GTE, RuleSource.TEXTBOOK, TEXTBOOK, threshold="11.1"),
    RiskSpec(1, "3级高血压", "SBP", Op.GTE, RuleSource.GUIDELINE, HTN, threshold="180"),
    RiskSpec(1, "重度贫血", "HGB", Op.LTE, RuleSource.GUIDELINE, CONSENSUS, threshold="60"),
    RiskSpec(1, "肾功能严重受损", "CREA", Op.GT, RuleSource.TEXTBOOK, TEXTBOOK, threshold="265"),
    # Level 2: moderate chronic disease, abnormal tumour markers
    RiskSpec(2, "甲胎蛋白升高", "AFP", Op.HIGH, RuleSource.PANEL, PANEL),
    RiskSpec(2, "癌胚抗原升高", "CEA", Op.HIGH, RuleSource.PANEL, PANEL),
    RiskSpec(2, "CA125升高", "CA125", Op.HIGH, RuleSource.PANEL, PANEL),
    RiskSpec(2, "CA19-9升高", "CA199", Op.HIGH, RuleSource.PANEL, PANEL),
    RiskSpec(2, "PSA升高", "PSA", Op.HIGH, RuleSource.PANEL, PANEL),
    RiskSpec(2, "粪便潜血阳性", "FOBT", Op.POSITIVE, RuleSource.GUIDELINE, CONSENSUS),
    RiskSpec(2, "糖尿病水平空腹血糖", "GLU", Op.GTE, RuleSource.GUIDELINE, DM, threshold="7.0"),
    RiskSpec(2, "2级高血压", "SBP", Op.GTE, RuleSource.GUIDELINE, HTN, threshold="160"),
    RiskSpec(2, "TCT低级别病变", "TCT", Op.CODED_IN, RuleSource.GUIDELINE, CERVIX, codes=("ASC-US", "LSIL")),
    RiskSpec(2, "血肌酐升高", "CREA", Op.GT, RuleSource.TEXTBOOK, TEXTBOOK, threshold="133"),
    RiskSpec(
        2, "心房颤动或传导阻滞", "ECG", Op.CODED_IN, RuleSource.TEXTBOOK, TEXTBOOK, codes=("af", "block")
    ),
    # Level 3: mild or newly diagnosed chronic disease
    RiskSpec(3, "1级高血压（收缩压）", "SBP", Op.GTE, RuleSource.GUIDELINE, HTN, threshold="140"),
    RiskSpec(3, "1级高血压（舒张压）", "DBP", Op.GTE, RuleSource.GUIDELINE, HTN, threshold="90"),
    RiskSpec(3, "空腹血糖受损", "GLU", Op.GTE, RuleSource.GUIDELINE, DM, threshold="6.1"),
    RiskSpec(3, "高胆固醇血症", "TC", Op.GTE, RuleSource.GUIDELINE, LIPID, threshold="6.2"),
    RiskSpec(3, "高LDL-C血症", "LDL", Op.GTE, RuleSource.GUIDELINE, LIPID, threshold="4.1"),
    RiskSpec(3, "高甘油三酯血症", "TG", Op.GTE, RuleSource.GUIDELINE, LIPID, threshold="2.3"),
    RiskSpec(3, "高尿酸血症", "UA", Op.HIGH, RuleSource.TEXTBOOK, TEXTBOOK),
    RiskSpec(
        3, "脂肪肝", "USABD", Op.CODED_IN, RuleSource.TEXTBOOK, TEXTBOOK, codes=("fatty_liver", "gallstone")
    ),
    RiskSpec(3, "转氨酶升高", "ALT", Op.HIGH, RuleSource.TEXTBOOK, TEXTBOOK),
    RiskSpec(3, "贫血", "HGB", Op.LOW, RuleSource.TEXTBOOK, TEXTBOOK),
    RiskSpec(3, "尿蛋白阳性", "UPRO", Op.GRADE_GTE, RuleSource.TEXTBOOK, TEXTBOOK, codes=("+",)),
    # Level 4: high-risk factors
    RiskSpec(4, "超重或肥胖", "BMI", Op.GTE, RuleSource.GUIDELINE, OBESITY, threshold="24"),
    RiskSpec(4, "血压正常高值", "SBP", Op.GTE, RuleSource.GUIDELINE, HTN, threshold="130"),
    RiskSpec(4, "边缘升高的总胆固醇", "TC", Op.HIGH, RuleSource.GUIDELINE, LIPID),
    RiskSpec(4, "边缘升高的甘油三酯", "TG", Op.HIGH, RuleSource.GUIDELINE, LIPID),
    RiskSpec(4, "边缘升高的LDL-C", "LDL", Op.HIGH, RuleSource.GUIDELINE, LIPID),
    RiskSpec(4, "甲状腺结节（2–3类）", "USTHY", Op.CODED_IN, RuleSource.PANEL, PANEL, codes=("nodule",)),
    RiskSpec(4, "乳腺结节（2–3类）", "USBRE", Op.CODED_IN, RuleSource.PANEL, PANEL, codes=("nodule",)),
    RiskSpec(4, "肺小结节", "CXR", Op.CODED_IN, RuleSource.PANEL, PANEL, codes=("small_nodule",)),
)
