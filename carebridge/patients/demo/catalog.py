"""The catalogue the deterministic demo-data generator draws from (示范数据目录).

Plain data, no Django: departments of a 三级甲等 general hospital in 南京 and a smaller
二级甲等 hospital to benchmark it against, the diagnoses each clinical department sees
(ICD-10, national clinical version 2.0 style), Chinese names, staff titles, home regions
and street names. Weights are relative integers for ``random.choices(..., weights=...)``;
they need not sum to anything in particular.

``level`` and ``hospital_type`` of a hospital spec, and ``kind`` of a department spec, are
the values of ``carebridge.core.choices.HospitalLevel``/``HospitalType``/``DepartmentKind``;
they are spelled out here so this module can be imported without Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "DEMO_HOSPITAL",
    "DEPARTMENTS",
    "DEPARTMENTS_BY_CODE",
    "DEPARTMENT_KINDS",
    "DIAGNOSES",
    "GIVEN_NAME_CHARS_FEMALE",
    "GIVEN_NAME_CHARS_MALE",
    "GIVEN_NAME_CHARS_NEUTRAL",
    "HOME_REGIONS",
    "ROUTING_OFFICES",
    "SECOND_HOSPITAL",
    "STAFF_TITLES",
    "STREETS",
    "SURGICAL_DEPARTMENTS",
    "SURNAMES",
    "DepartmentSpec",
    "Diagnosis",
    "HospitalSpec",
]

DEPARTMENT_KINDS: frozenset[str] = frozenset({"clinical", "medical_technical", "nursing", "administrative"})


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    """A department (科室) to create; ``wards`` is the number of inpatient wards (病区)."""

    code: str
    name: str
    name_en: str
    kind: str
    wards: int
    parent: str | None


class Diagnosis(NamedTuple):
    """A diagnosis a department sees: ICD-10 code, Chinese name and relative frequency."""

    code: str
    name: str
    weight: int


@dataclass(frozen=True, slots=True)
class HospitalSpec:
    """A hospital to create, with the codes of the departments it has."""

    code: str
    name: str
    name_en: str
    level: str  # HospitalLevel value: "3A" = 三级甲等, "2A" = 二级甲等
    level_zh: str
    hospital_type: str  # HospitalType value: "general" = 综合医院
    hospital_type_zh: str
    region: str  # GB/T 2260 county code
    department_codes: tuple[str, ...]


def _dept(
    code: str, name: str, name_en: str, kind: str, wards: int = 0, *, parent: str | None = None
) -> DepartmentSpec:
    return DepartmentSpec(code=code, name=name, name_en=name_en, kind=kind, wards=wards, parent=parent)


_C, _MT, _N, _A = "clinical", "medical_technical", "nursing", "administrative"

DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    # Internal medicine (内科系统)
    _dept("CARD", "心血管内科", "Cardiology", _C, 3),
    _dept("RESP", "呼吸与危重症医学科", "Pulmonary and Critical Care Medicine", _C, 2),
    _dept("GAST", "消化内科", "Gastroenterology", _C, 2),
    _dept("NEUR", "神经内科", "Neurology", _C, 2),
    _dept("ENDO", "内分泌科", "Endocrinology", _C, 1),
    _dept("NEPH", "肾内科", "Nephrology", _C, 1),
    _dept("HEMA", "血液科", "Haematology", _C, 1),
    _dept("ONCO", "肿瘤科", "Oncology", _C, 2),
    _dept("INFE", "感染科", "Infectious Diseases", _C, 1),
    # Surgery (外科系统)
    _dept("GSUR", "普通外科", "General Surgery", _C, 3),
    _dept("ORTH", "骨科", "Orthopaedics", _C, 3),
    _dept("NSUR", "神经外科", "Neurosurgery", _C, 2),
    _dept("CTSU", "心胸外科", "Cardiothoracic Surgery", _C, 1),
    _dept("UROL", "泌尿外科", "Urology", _C, 2),
    # Women and children
    _dept("GYNE", "妇科", "Gynaecology", _C, 1),
    _dept("OBST", "产科", "Obstetrics", _C, 2),
    _dept("PEDI", "儿科", "Paediatrics", _C, 2),
    _dept("NEON", "新生儿科", "Neonatology", _C, 1, parent="PEDI"),
    # Head, face and skin
    _dept("OPHT", "眼科", "Ophthalmology", _C, 1),
    _dept("ENT", "耳鼻咽喉科", "Otorhinolaryngology", _C, 1),
    _dept("STOM", "口腔科", "Stomatology", _C, 1),
    _dept("DERM", "皮肤科", "Dermatology", _C, 1),
    # Emergency, critical care, rehabilitation, traditional medicine
    _dept("EMER", "急诊科", "Emergency Medicine", _C, 1),
    _dept("ICU", "重症医学科", "Critical Care Medicine", _C, 1),
    _dept("REHA", "康复医学科", "Rehabilitation Medicine", _C, 1),
    _dept("TCM", "中医科", "Traditional Chinese Medicine", _C, 1),
    _dept("TUINA", "推拿科", "Tuina (Chinese Therapeutic Massage)", _C, 1, parent="TCM"),
    # Medical-technical (医技科室)
    _dept("CHKP", "体检中心", "Health Checkup Centre", _MT),
    _dept("LAB", "检验科", "Clinical Laboratory", _MT),
    _dept("RADI", "医学影像科", "Medical Imaging", _MT),
    _dept("PHAR", "药剂科", "Pharmacy", _MT),
    # Nursing and administration (职能科室)
    _dept("NURS", "护理部", "Nursing Department", _N),
    _dept("MEDA", "医务处", "Medical Affairs Office", _A),
    _dept("PREL", "医患关系办公室", "Patient Relations Office", _A),
    _dept("CSC", "客户服务中心", "Customer Service Centre", _A),
    _dept("QCO", "质量控制办公室", "Quality Control Office", _A),
    _dept("FIN", "财务科", "Finance Department", _A),
    _dept("DISC", "纪检监察室", "Discipline Inspection and Supervision Office", _A),
)

DEPARTMENTS_BY_CODE: dict[str, DepartmentSpec] = {spec.code: spec for spec in DEPARTMENTS}

# Offices a complaint can be routed to: 医患办 (general and clinical disputes), 护理部 (nursing),
# 纪检监察室 (red envelopes, kickbacks, staff conduct) and 财务科 (billing and refunds).
ROUTING_OFFICES: tuple[str, ...] = ("PREL", "NURS", "DISC", "FIN")

# Departments that perform graded operations (手术分级 1–4).
SURGICAL_DEPARTMENTS: frozenset[str] = frozenset(
    {"GSUR", "ORTH", "NSUR", "CTSU", "UROL", "GYNE", "OBST", "OPHT", "ENT", "STOM"}
)


def _dx(*rows: tuple[str, str, int]) -> tuple[Diagnosis, ...]:
    return tuple(Diagnosis(*row) for row in rows)


# Codes are WHO ICD-10 subcategories, which the national clinical version 2.0 keeps as the
# parents of its 6-character extensions; names are the clinical names used on Chinese wards.
DIAGNOSES: dict[str, tuple[Diagnosis, ...]] = {
    "CARD": _dx(
        ("I10", "原发性高血压", 20),
        ("I25.1", "冠状动脉粥样硬化性心脏病", 16),
        ("I20.0", "不稳定型心绞痛", 12),
        ("I21.9", "急性心肌梗死", 8),
        ("I50.9", "心力衰竭", 10),
        ("I48.0", "阵发性心房颤动", 7),
        ("I49.3", "室性期前收缩", 4),
        ("I47.1", "室上性心动过速", 3),
        ("I44.2", "三度房室传导阻滞", 2),
        ("I42.0", "扩张型心肌病", 2),
    ),
    "RESP": _dx(
        ("J18.9", "肺炎", 16),
        ("J44.1", "慢性阻塞性肺病伴有急性加重", 15),
        ("J45.9", "支气管哮喘", 6),
        ("J47", "支气管扩张症", 5),
        ("R91", "肺结节", 6),
        ("C34.9", "肺恶性肿瘤", 5),
        ("J96.0", "急性呼吸衰竭", 4),
        ("J84.1", "间质性肺疾病", 3),
        ("I26.9", "肺栓塞", 3),
        ("J90", "胸腔积液", 3),
        ("G47.3", "阻塞性睡眠呼吸暂停低通气综合征", 2),
    ),
    "GAST": _dx(
        ("K29.5", "慢性胃炎", 12),
        ("K25.9", "胃溃疡", 5),
        ("K26.9", "十二指肠溃疡", 5),
        ("K92.2", "上消化道出血", 6),
        ("K63.5", "结肠息肉", 7),
        ("K85.9", "急性胰腺炎", 5),
        ("K74.6", "肝硬化", 5),
        ("K76.0", "脂肪肝", 4),
        ("K21.0", "反流性食管炎", 4),
        ("K80.2", "胆囊结石", 3),
        ("K51.9", "溃疡性结肠炎", 2),
    ),
    "NEUR": _dx(
        ("I63.9", "脑梗死", 20),
        ("G45.9", "短暂性脑缺血发作", 6),
        ("R42", "头晕", 6),
        ("G40.9", "癫痫", 4),
        ("G20", "帕金森病", 4),
        ("G43.9", "偏头痛", 4),
        ("G51.0", "面神经麻痹", 3),
        ("G30.9", "阿尔茨海默病", 2),
        ("G61.0", "吉兰-巴雷综合征", 1),
        ("G35", "多发性硬化", 1),
    ),
    "ENDO": _dx(
        ("E11.9", "2型糖尿病", 20),
        ("E11.4", "2型糖尿病性周围神经病", 5),
        ("E10.9", "1型糖尿病", 2),
        ("E04.1", "甲状腺结节", 6),
        ("E05.0", "毒性弥漫性甲状腺肿", 4),
        ("E03.9", "甲状腺功能减退症", 5),
        ("E78.5", "高脂血症", 6),
        ("E79.0", "高尿酸血症", 3),
        ("E66.9", "肥胖症", 3),
        ("M81.9", "骨质疏松", 4),
        ("E26.0", "原发性醛固酮增多症", 1),
    ),
    "NEPH": _dx(
        ("N18.5", "慢性肾脏病5期", 8),
        ("N18.3", "慢性肾脏病3期", 5),
        ("Z49.1", "血液透析", 6),
        ("N04.9", "肾病综合征", 4),
        ("N03.9", "慢性肾小球肾炎", 4),
        ("N02.8", "IgA肾病", 3),
        ("N17.9", "急性肾损伤", 4),
        ("E11.2", "2型糖尿病肾病", 4),
        ("I12.9", "高血压肾病", 3),
        ("N39.0", "尿路感染", 5),
    ),
    "HEMA": _dx(
        ("D50.9", "缺铁性贫血", 6),
        ("D61.9", "再生障碍性贫血", 3),
        ("D69.3", "免疫性血小板减少症", 4),
        ("C92.0", "急性髓系白血病", 4),
        ("C91.0", "急性淋巴细胞白血病", 2),
        ("C83.3", "弥漫大B细胞淋巴瘤", 4),
        ("C90.0", "多发性骨髓瘤", 3),
        ("D46.9", "骨髓增生异常综合征", 2),
        ("D45", "真性红细胞增多症", 1),
        ("Z51.1", "肿瘤化学治疗疗程", 8),
    ),
    "ONCO": _dx(
        ("Z51.1", "肿瘤化学治疗疗程", 15),
        ("Z51.0", "放射治疗疗程", 5),
        ("C34.9", "肺恶性肿瘤", 10),
        ("C16.9", "胃恶性肿瘤", 6),
        ("C50.9", "乳房恶性肿瘤", 7),
        ("C18.9", "结肠恶性肿瘤", 5),
        ("C20", "直肠恶性肿瘤", 4),
        ("C22.0", "肝细胞癌", 4),
        ("C15.9", "食管恶性肿瘤", 4),
        ("C25.9", "胰腺恶性肿瘤", 2),
        ("C78.0", "肺继发恶性肿瘤", 3),
        ("C79.5", "骨继发恶性肿瘤", 2),
    ),
    "INFE": _dx(
        ("B18.1", "慢性乙型病毒性肝炎", 12),
        ("B18.2", "慢性丙型病毒性肝炎", 3),
        ("A15.0", "肺结核", 4),
        ("A09.9", "感染性腹泻", 4),
        ("J10.1", "流行性感冒", 5),
        ("U07.1", "新型冠状病毒感染", 5),
        ("B01.9", "水痘", 3),
        ("B27.9", "传染性单核细胞增多症", 2),
        ("B26.9", "流行性腮腺炎", 2),
        ("B24", "人类免疫缺陷病毒病", 2),
        ("A90", "登革热", 1),
    ),
    "GSUR": _dx(
        ("K80.1", "胆囊结石伴慢性胆囊炎", 10),
        ("K35.8", "急性阑尾炎", 8),
        ("K40.9", "腹股沟疝", 8),
        ("K56.6", "肠梗阻", 4),
        ("E04.1", "甲状腺结节", 5),
        ("C73", "甲状腺恶性肿瘤", 4),
        ("C16.9", "胃恶性肿瘤", 3),
        ("C18.9", "结肠恶性肿瘤", 3),
        ("D24", "乳腺纤维腺瘤", 3),
        ("K64.9", "痔", 4),
        ("K61.0", "肛周脓肿", 2),
    ),
    "ORTH": _dx(
        ("M51.2", "腰椎间盘突出", 15),
        ("M17.9", "膝关节骨关节病", 10),
        ("S72.0", "股骨颈骨折", 8),
        ("S72.1", "股骨粗隆间骨折", 5),
        ("M47.8", "颈椎病", 6),
        ("M48.0", "腰椎管狭窄", 4),
        ("S32.0", "腰椎骨折", 4),
        ("S52.5", "桡骨远端骨折", 4),
        ("S42.2", "肱骨近端骨折", 3),
        ("S82.6", "外踝骨折", 3),
        ("M75.1", "肩袖损伤", 3),
        ("M87.9", "股骨头坏死", 2),
    ),
    "NSUR": _dx(
        ("I61.9", "脑出血", 8),
        ("S06.5", "创伤性硬膜下血肿", 6),
        ("S06.0", "脑震荡", 4),
        ("S06.6", "创伤性蛛网膜下腔出血", 3),
        ("I60.9", "蛛网膜下腔出血", 3),
        ("I67.1", "颅内动脉瘤", 4),
        ("D32.0", "脑膜瘤", 5),
        ("D35.2", "垂体腺瘤", 3),
        ("C71.9", "脑胶质瘤", 3),
        ("G91.9", "脑积水", 2),
    ),
    "CTSU": _dx(
        ("C34.1", "肺上叶恶性肿瘤", 6),
        ("R91", "肺结节", 4),
        ("C15.9", "食管恶性肿瘤", 4),
        ("I25.1", "冠状动脉粥样硬化性心脏病", 5),
        ("I35.0", "主动脉瓣狭窄", 3),
        ("I34.0", "二尖瓣关闭不全", 3),
        ("I71.0", "主动脉夹层", 3),
        ("J93.1", "自发性气胸", 4),
        ("S27.0", "创伤性气胸", 2),
        ("D15.0", "胸腺瘤", 2),
        ("Q21.1", "房间隔缺损", 2),
    ),
    "UROL": _dx(
        ("N40", "前列腺增生", 12),
        ("N20.0", "肾结石", 10),
        ("N20.1", "输尿管结石", 8),
        ("N21.0", "膀胱结石", 2),
        ("N13.3", "肾积水", 3),
        ("C67.9", "膀胱恶性肿瘤", 4),
        ("C61", "前列腺恶性肿瘤", 4),
        ("C64", "肾恶性肿瘤", 3),
        ("N43.3", "睾丸鞘膜积液", 2),
        ("N39.0", "尿路感染", 3),
    ),
    "GYNE": _dx(
        ("D25.9", "子宫平滑肌瘤", 12),
        ("N83.2", "卵巢囊肿", 6),
        ("N80.1", "卵巢子宫内膜异位症", 4),
        ("N84.0", "子宫内膜息肉", 5),
        ("N87.1", "宫颈上皮内瘤变II级", 3),
        ("C53.9", "宫颈恶性肿瘤", 3),
        ("C54.1", "子宫内膜恶性肿瘤", 2),
        ("C56", "卵巢恶性肿瘤", 2),
        ("N73.9", "盆腔炎性疾病", 3),
        ("O00.1", "输卵管妊娠", 3),
        ("N81.2", "子宫脱垂", 2),
        ("N92.0", "月经过多", 2),
    ),
    "OBST": _dx(
        ("O80.0", "单胎顺产", 20),
        ("O82.0", "择期剖宫产", 12),
        ("O82.1", "急诊剖宫产", 4),
        ("O34.2", "瘢痕子宫妊娠", 6),
        ("O24.4", "妊娠期糖尿病", 6),
        ("O13", "妊娠期高血压", 4),
        ("O14.9", "子痫前期", 3),
        ("O42.9", "胎膜早破", 5),
        ("O60.1", "早产", 3),
        ("O72.1", "产后出血", 2),
        ("O21.0", "妊娠剧吐", 2),
        ("O03.9", "自然流产", 2),
    ),
    "PEDI": _dx(
        ("J06.9", "急性上呼吸道感染", 15),
        ("J18.9", "肺炎", 15),
        ("A08.4", "病毒性肠炎", 8),
        ("A08.0", "轮状病毒性肠炎", 3),
        ("J21.9", "急性毛细支气管炎", 6),
        ("J20.9", "急性支气管炎", 6),
        ("J03.9", "急性扁桃体炎", 4),
        ("B08.4", "手足口病", 5),
        ("J45.9", "支气管哮喘", 3),
        ("R56.0", "热性惊厥", 3),
        ("D50.9", "缺铁性贫血", 2),
    ),
    "NEON": _dx(
        ("P59.9", "新生儿黄疸", 15),
        ("P07.3", "早产儿", 10),
        ("P07.1", "低出生体重儿", 4),
        ("P23.9", "新生儿肺炎", 5),
        ("P22.0", "新生儿呼吸窘迫综合征", 4),
        ("P22.1", "新生儿暂时性呼吸增快", 4),
        ("P36.9", "新生儿败血症", 3),
        ("P70.4", "新生儿低血糖", 3),
        ("P21.9", "新生儿窒息", 2),
        ("P92.9", "新生儿喂养问题", 2),
        ("Q21.1", "房间隔缺损", 2),
    ),
    "OPHT": _dx(
        ("H25.9", "年龄相关性白内障", 20),
        ("H52.1", "近视", 8),
        ("H40.1", "原发性开角型青光眼", 4),
        ("H40.2", "原发性闭角型青光眼", 4),
        ("H33.0", "孔源性视网膜脱离", 3),
        ("E11.3", "糖尿病视网膜病变", 4),
        ("H35.3", "年龄相关性黄斑变性", 3),
        ("H11.0", "翼状胬肉", 4),
        ("H10.9", "结膜炎", 5),
        ("H16.9", "角膜炎", 2),
        ("H50.0", "共同性内斜视", 2),
    ),
    "ENT": _dx(
        ("J32.9", "慢性鼻窦炎", 8),
        ("J30.4", "变应性鼻炎", 5),
        ("J34.2", "鼻中隔偏曲", 5),
        ("J33.9", "鼻息肉", 4),
        ("J35.0", "慢性扁桃体炎", 4),
        ("J35.2", "腺样体肥大", 5),
        ("J38.1", "声带息肉", 3),
        ("H66.9", "中耳炎", 5),
        ("H91.2", "突发性聋", 5),
        ("H81.1", "良性阵发性位置性眩晕", 4),
        ("G47.3", "阻塞性睡眠呼吸暂停低通气综合征", 3),
        ("C11.9", "鼻咽恶性肿瘤", 2),
    ),
    "STOM": _dx(
        ("K02.9", "龋病", 10),
        ("K04.0", "牙髓炎", 8),
        ("K05.3", "慢性牙周炎", 8),
        ("K05.1", "慢性牙龈炎", 4),
        ("K01.1", "阻生牙", 8),
        ("K08.1", "牙列缺损", 5),
        ("K07.3", "牙列不齐", 4),
        ("K12.0", "复发性口腔溃疡", 4),
        ("K11.2", "涎腺炎", 1),
        ("Q37.9", "唇腭裂", 1),
    ),
    "DERM": _dx(
        ("L30.9", "湿疹", 10),
        ("L50.9", "荨麻疹", 8),
        ("L20.9", "特应性皮炎", 6),
        ("L40.0", "寻常型银屑病", 5),
        ("B02.9", "带状疱疹", 6),
        ("L70.0", "寻常痤疮", 6),
        ("B35.3", "足癣", 4),
        ("L80", "白癜风", 3),
        ("L23.9", "过敏性接触性皮炎", 3),
        ("L63.9", "斑秃", 2),
        ("L27.0", "药疹", 2),
    ),
    "EMER": _dx(
        ("R07.4", "胸痛", 10),
        ("R10.4", "腹痛", 10),
        ("R50.9", "发热", 6),
        ("R55", "晕厥", 5),
        ("T14.0", "浅表损伤", 6),
        ("S01.8", "头皮裂伤", 4),
        ("T51.0", "急性酒精中毒", 5),
        ("T60.0", "有机磷农药中毒", 2),
        ("T58", "一氧化碳中毒", 2),
        ("T78.2", "过敏性休克", 2),
        ("I21.9", "急性心肌梗死", 3),
        ("I46.9", "心脏骤停", 2),
    ),
    "ICU": _dx(
        ("A41.9", "脓毒症", 10),
        ("J96.0", "急性呼吸衰竭", 8),
        ("J80", "急性呼吸窘迫综合征", 4),
        ("R57.0", "心源性休克", 3),
        ("R57.1", "低血容量性休克", 2),
        ("I46.9", "心脏骤停", 3),
        ("T07", "多发性创伤", 4),
        ("K85.9", "重症急性胰腺炎", 3),
        ("I61.9", "脑出血", 3),
        ("N17.9", "急性肾损伤", 3),
    ),
    "REHA": _dx(
        ("I69.3", "脑梗死后遗症", 12),
        ("I69.1", "脑出血后遗症", 5),
        ("G81.9", "偏瘫", 5),
        ("T90.5", "颅脑损伤后遗症", 3),
        ("T91.3", "脊髓损伤后遗症", 3),
        ("G82.2", "截瘫", 2),
        ("G80.9", "脑性瘫痪", 3),
        ("Z96.6", "人工关节置换术后", 5),
        ("M17.9", "膝关节骨关节病", 4),
        ("M54.5", "腰痛", 4),
    ),
    "TCM": _dx(
        ("G47.0", "失眠", 6),
        ("K30", "功能性消化不良", 5),
        ("K59.0", "便秘", 5),
        ("R51", "头痛", 4),
        ("R53", "乏力", 3),
        ("N95.1", "围绝经期综合征", 3),
        ("N94.6", "痛经", 3),
        ("J06.9", "急性上呼吸道感染", 4),
        ("I10", "原发性高血压", 4),
        ("E11.9", "2型糖尿病", 3),
        ("M54.5", "腰痛", 4),
        ("M79.1", "肌痛", 2),
    ),
    "TUINA": _dx(
        ("M54.5", "腰痛", 12),
        ("M54.2", "颈痛", 10),
        ("M47.8", "颈椎病", 8),
        ("M51.2", "腰椎间盘突出", 8),
        ("M75.0", "肩周炎", 6),
        ("S33.5", "急性腰扭伤", 4),
        ("M62.6", "肌肉劳损", 3),
        ("M79.1", "肌痛", 3),
        ("M54.6", "胸背痛", 2),
        ("M77.1", "肱骨外上髁炎", 2),
        ("G51.0", "面神经麻痹", 2),
    ),
    "CHKP": _dx(
        ("Z00.0", "健康查体", 30),
        ("Z10.0", "职业健康检查", 8),
        ("Z02.1", "入职体检", 5),
        ("Z02.0", "入学体检", 2),
        ("Z00.1", "儿童常规健康检查", 2),
        ("Z01.4", "妇科检查", 5),
        ("Z01.0", "眼和视力检查", 3),
        ("Z12.3", "乳腺肿瘤筛查", 3),
        ("Z12.4", "宫颈肿瘤筛查", 3),
        ("Z13.1", "糖尿病筛查", 3),
        ("Z13.6", "心血管疾病筛查", 3),
    ),
}

# About 100 most common surnames, weights in basis points of the population (approximate,
# after the 2020 census ranking published by the Ministry of Public Security).
# fmt: off
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 712), ("李", 700), ("张", 674), ("刘", 510), ("陈", 461),
    ("杨", 322), ("黄", 245), ("赵", 219), ("吴", 200), ("周", 195),
    ("徐", 145), ("孙", 138), ("马", 129), ("朱", 128), ("胡", 116),
    ("郭", 115), ("何", 106), ("林", 102), ("高", 100), ("罗", 99),
    ("郑", 98), ("梁", 90), ("谢", 81), ("宋", 76), ("唐", 75),
    ("许", 73), ("韩", 72), ("冯", 70), ("邓", 70), ("曹", 69),
    ("彭", 65), ("曾", 64), ("肖", 63), ("田", 62), ("董", 60),
    ("袁", 59), ("潘", 58), ("于", 57), ("蒋", 56), ("蔡", 55),
    ("余", 54), ("杜", 53), ("叶", 52), ("程", 51), ("苏", 50),
    ("魏", 49), ("吕", 48), ("丁", 47), ("任", 46), ("沈", 45),
    ("姚", 44), ("卢", 43), ("姜", 42), ("崔", 41), ("钟", 40),
    ("谭", 39), ("陆", 38), ("汪", 37), ("范", 36), ("金", 35),
    ("石", 34), ("廖", 33), ("贾", 32), ("夏", 31), ("韦", 30),
    ("付", 29), ("方", 28), ("白", 27), ("邹", 26), ("孟", 25),
    ("熊", 24), ("秦", 23), ("邱", 22), ("江", 21), ("尹", 20),
    ("薛", 20), ("闫", 19), ("段", 19), ("雷", 18), ("侯", 18),
    ("龙", 17), ("史", 17), ("陶", 16), ("黎", 16), ("贺", 15),
    ("顾", 15), ("毛", 14), ("郝", 14), ("龚", 14), ("邵", 13),
    ("万", 13), ("钱", 13), ("严", 12), ("覃", 12), ("武", 12),
    ("戴", 12), ("莫", 11), ("孔", 11), ("向", 11), ("汤", 11),
)
# fmt: on

GIVEN_NAME_CHARS_MALE: tuple[str, ...] = tuple(
    "伟强磊军勇杰涛斌超刚辉鹏飞鑫波浩凯健俊帅旭龙峰建国志海东亮兵博昊豪毅坤锋鸿瑞"
    "卫荣德胜翔哲宏振雷彬康忠武松柏山岩钢铭达栋弘"
)
GIVEN_NAME_CHARS_FEMALE: tuple[str, ...] = tuple(
    "芳娜敏静丽艳娟霞秀燕玲桂萍红兰英梅琳雪婷颖慧莉倩洁琴璐瑶怡悦诗涵梦晶露蓉薇菲"
    "妍岚凤彩翠珍琪蕾佩娅媛婧茜馨婉娴淑雯玥妮琼蓓"
)
GIVEN_NAME_CHARS_NEUTRAL: tuple[str, ...] = tuple(
    "文明华林晨阳宇子一安晓小新可心乐嘉佳思雨星辰若清晴欣家永金春秋洋云青宁平和"
    "诚真远光丹艺逸泽沐言书语然景晗睿煜航笑初知亦恩"
)

# Titles (职称 and posts) by ``StaffKind`` value, from senior to junior.
STAFF_TITLES: dict[str, tuple[str, ...]] = {
    "doctor": ("主任医师", "副主任医师", "主治医师", "住院医师"),
    "nurse": ("主任护师", "副主任护师", "主管护师", "护师", "护士"),
    "technician": ("主任技师", "副主任技师", "主管技师", "技师", "技士"),
    "agent": ("客服主管", "客服专员", "导医"),
    "manager": ("病区项目经理", "项目经理", "随访专员"),
    "administrator": ("处长", "科长", "副科长", "科员"),
}

# Where patients live (GB/T 2260 county codes): mostly 南京, then the neighbouring cities of
# 江苏 and 安徽 that commute to 南京 for care, then a few from far provinces.
HOME_REGIONS: tuple[tuple[str, int], ...] = (
    # 南京市
    ("320106", 140),  # 鼓楼区 (the demo hospital's district)
    ("320102", 90),  # 玄武区
    ("320104", 90),  # 秦淮区
    ("320105", 70),  # 建邺区
    ("320115", 90),  # 江宁区
    ("320111", 60),  # 浦口区
    ("320113", 60),  # 栖霞区
    ("320114", 50),  # 雨花台区
    ("320116", 40),  # 六合区
    ("320117", 30),  # 溧水区
    ("320118", 20),  # 高淳区
    # 江苏: 镇江, 扬州, 常州, 淮安, 泰州
    ("321102", 10),  # 镇江市京口区
    ("321111", 8),  # 镇江市润州区
    ("321183", 14),  # 句容市
    ("321181", 8),  # 丹阳市
    ("321002", 8),  # 扬州市广陵区
    ("321003", 8),  # 扬州市邗江区
    ("321081", 10),  # 仪征市
    ("321012", 5),  # 扬州市江都区
    ("321084", 4),  # 高邮市
    ("320481", 5),  # 溧阳市
    ("320402", 3),  # 常州市天宁区
    ("320830", 5),  # 盱眙县
    ("321282", 3),  # 靖江市
    # 安徽: 马鞍山, 滁州, 合肥, 芜湖, 宣城
    ("340503", 8),  # 马鞍山市花山区
    ("340504", 8),  # 马鞍山市雨山区
    ("340521", 10),  # 当涂县
    ("340523", 8),  # 和县
    ("341102", 8),  # 滁州市琅琊区
    ("341103", 6),  # 滁州市南谯区
    ("341122", 8),  # 来安县
    ("341124", 8),  # 全椒县
    ("341181", 7),  # 天长市
    ("340104", 3),  # 合肥市蜀山区
    ("340181", 3),  # 巢湖市
    ("340202", 4),  # 芜湖市镜湖区
    ("341802", 4),  # 宣城市宣州区
    ("341302", 2),  # 宿州市埇桥区
    # Far provinces
    ("310104", 2),  # 上海市徐汇区
    ("110105", 1),  # 北京市朝阳区
    ("330106", 1),  # 杭州市西湖区
    ("370102", 1),  # 济南市历下区
    ("410105", 1),  # 郑州市金水区
    ("420106", 1),  # 武汉市武昌区
    ("360102", 1),  # 南昌市东湖区
    ("510107", 1),  # 成都市武侯区
    ("440106", 1),  # 广州市天河区
)

# fmt: off
STREETS: tuple[str, ...] = (
    "中山路", "中山北路", "中山南路", "中山东路", "汉中路", "汉中门大街", "北京东路",
    "北京西路", "广州路", "上海路", "湖南路", "中央路", "龙蟠中路", "虎踞路", "虎踞北路",
    "模范马路", "草场门大街", "江东中路", "江东北路", "应天大街", "集庆路", "建康路",
    "太平南路", "洪武路", "长江路", "珠江路", "进香河路", "丹凤街", "清凉门大街", "凤台南路",
    "雨花西路", "中华路", "水西门大街", "山西路", "云南路", "宁海路", "莫愁路", "黄埔路",
    "御道街", "光华路", "苜蓿园大街", "龙眠大道", "天元东路", "浦珠路", "和燕路",
)
# fmt: on

DEMO_HOSPITAL: HospitalSpec = HospitalSpec(
    code="lxq-demo",
    name="连心桥示范医院",
    name_en="CareBridge Demo Hospital",
    level="3A",
    level_zh="三级甲等",
    hospital_type="general",
    hospital_type_zh="综合医院",
    region="320106",
    department_codes=tuple(spec.code for spec in DEPARTMENTS),
)

# A district general hospital to benchmark the demo hospital against (对标): the common
# specialties only, and no wards for haematology, oncology, neurosurgery or neonatology.
# fmt: off
_SECOND_HOSPITAL_DEPARTMENTS: tuple[str, ...] = (
    "CARD", "RESP", "GAST", "NEUR", "ENDO", "GSUR", "ORTH", "UROL", "GYNE", "OBST", "PEDI",
    "OPHT", "ENT", "STOM", "EMER", "ICU", "TCM", "CHKP", "LAB", "RADI", "PHAR", "NURS",
    "MEDA", "PREL", "CSC", "QCO", "FIN", "DISC",
)
# fmt: on

SECOND_HOSPITAL: HospitalSpec = HospitalSpec(
    code="lxq-jiangning",
    name="连心桥江宁区人民医院",
    name_en="CareBridge Jiangning District People's Hospital",
    level="2A",
    level_zh="二级甲等",
    hospital_type="general",
    hospital_type_zh="综合医院",
    region="320115",
    department_codes=_SECOND_HOSPITAL_DEPARTMENTS,
)
