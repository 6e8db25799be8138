"""A small demo-like dictionary: the seed's spinal-stenosis and kidney-stone cases (hospital in 鼓楼区)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from carebridge.knowledge.services.doctors import SessionInput
from carebridge.knowledge.services.profiles import department_profile_save
from carebridge.knowledge.tests import factories as kf


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dictionary(hospital, cardiology):
    """骨科 (surgery for 腰椎管狭窄), 推拿科 and 中医科 (non-surgical), 心内科 (unrelated), 泌尿外科 without
    lithotripsy, and four external hospitals: the nearest offering 碎石 is not the best-known one."""
    kf.hospital_profile(hospital)
    orth, orth_profile = kf.department(
        hospital,
        "ORTH",
        "骨科",
        treatment_scope="腰椎管狭窄、腰椎间盘突出、颈椎病、骨折、骨关节炎",
        special_techniques="脊柱外科微创手术、腰椎管狭窄减压融合、人工关节置换",
        introduction="骨科设脊柱外科、关节外科与创伤骨科。",
        building="门诊楼",
        floor="5楼",
    )
    kf.service(hospital, "腰椎管狭窄减压手术", orth, synonyms="椎管减压", approach="surgical")
    tuina, _ = kf.department(
        hospital,
        "TUINA",
        "推拿科",
        non_surgical_option=True,
        treatment_scope="腰腿痛、腰椎间盘突出的保守治疗，颈椎病、肩周炎、腰肌劳损",
        special_techniques="推拿手法、正骨、小儿推拿",
    )
    kf.service(hospital, "推拿治疗", tuina, synonyms="按摩、手法治疗", approach="non_surgical")
    tcm, _ = kf.department(
        hospital,
        "TCM",
        "中医科",
        non_surgical_option=True,
        treatment_scope="腰痛、腰腿痛的中医保守治疗，失眠、脾胃病、体质调理",
        special_techniques="针灸、艾灸、拔罐、中药",
    )
    department_profile_save(
        department=cardiology, actor=None, values={"treatment_scope": "高血压、冠心病、心律失常"}
    )
    urology, _ = kf.department(hospital, "UROL", "泌尿外科", treatment_scope="肾结石、输尿管结石、前列腺增生")
    eswl = kf.service(
        hospital, "体外冲击波碎石", urology, synonyms="ESWL", offered_here=False, note="本院暂无碎石设备"
    )
    doctor = kf.doctor(
        hospital,
        "张建国",
        orth,
        title="主任医师",
        specialties="腰椎管狭窄、脊柱微创",
        sessions=(SessionInput(1, "am", "expert", "门诊楼501"), SessionInput(3, "full", "disease", "")),
    )
    # Distances from the hospital (32.0584, 118.779): 金陵泌尿 ≈ 2.1 km, 第三人民 ≈ 4.3 km, 钟山 ≈ 8.1 km.
    nearest = kf.external(
        hospital,
        "金陵泌尿专科医院",
        coordinates=(32.04, 118.77),
        region="320106",
        reputation=60,
        services_offered="体外冲击波碎石、前列腺",
        level="2A",
    )
    famous = kf.external(
        hospital,
        "钟山医科大学第一附属医院",
        coordinates=(32.093, 118.848),
        region="320102",
        reputation=95,
        services_offered="体外冲击波碎石、肾移植",
    )
    middle = kf.external(
        hospital,
        "南京市第三人民医院",
        coordinates=(32.02, 118.79),
        region="320104",
        reputation=85,
        services_offered="ESWL、血液透析",
    )
    no_coordinates = kf.external(
        hospital, "句容市人民医院", region="321183", reputation=45, services_offered="结石碎石"
    )
    unrelated = kf.external(
        hospital,
        "紫金儿童医院",
        coordinates=(32.045, 118.83),
        region="320102",
        reputation=90,
        services_offered="小儿外科、儿童哮喘",
    )
    parking = kf.faq(
        hospital, "医院停车场在哪里？", "门诊楼地下停车场。", category="transport", keywords="停车"
    )
    return SimpleNamespace(
        orth=orth,
        orth_profile=orth_profile,
        tuina=tuina,
        tcm=tcm,
        cardiology=cardiology,
        urology=urology,
        eswl=eswl,
        doctor=doctor,
        nearest=nearest,
        famous=famous,
        middle=middle,
        no_coordinates=no_coordinates,
        unrelated=unrelated,
        parking=parking,
    )
