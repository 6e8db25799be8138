"""The starting category lexicon (terms → complaint category, with weights); administrators edit it in the admin."""

from django.db import migrations

# (term, category, weight) — frozen here; later changes are made in the admin, not in this file.
LEXICON = [
    # 服务态度
    ("态度", "attitude", 2),
    ("冷漠", "attitude", 2),
    ("不耐烦", "attitude", 2),
    ("凶", "attitude", 1),
    ("训斥", "attitude", 2),
    ("脸色", "attitude", 1),
    ("爱答不理", "attitude", 2),
    ("服务差", "attitude", 2),
    ("吼", "attitude", 1),
    ("热情", "attitude", 1),
    ("耐心", "attitude", 1),
    ("周到", "attitude", 1),
    # 医疗质量
    ("误诊", "medical_quality", 3),
    ("漏诊", "medical_quality", 3),
    ("手术", "medical_quality", 1),
    ("并发症", "medical_quality", 2),
    ("治疗效果", "medical_quality", 2),
    ("疗效", "medical_quality", 1),
    ("病情加重", "medical_quality", 2),
    ("感染", "medical_quality", 1),
    ("医疗事故", "medical_quality", 3),
    ("开错药", "medical_quality", 3),
    ("检查结果", "medical_quality", 1),
    ("医术", "medical_quality", 1),
    # 护理
    ("护士", "nursing", 2),
    ("输液", "nursing", 2),
    ("打针", "nursing", 2),
    ("扎针", "nursing", 2),
    ("呼叫铃", "nursing", 2),
    ("换药", "nursing", 2),
    ("护理", "nursing", 2),
    ("鼓针", "nursing", 2),
    ("护工", "nursing", 1),
    # 费用
    ("收费", "fees", 2),
    ("多收", "fees", 3),
    ("退费", "fees", 3),
    ("费用", "fees", 2),
    ("乱收费", "fees", 3),
    ("发票", "fees", 1),
    ("医保", "fees", 1),
    ("报销", "fees", 1),
    ("价格", "fees", 1),
    ("账单", "fees", 2),
    ("贵", "fees", 1),
    # 等候时间
    ("排队", "waiting", 2),
    ("等了", "waiting", 2),
    ("等候", "waiting", 2),
    ("等待", "waiting", 1),
    ("挂号难", "waiting", 2),
    ("太慢", "waiting", 1),
    ("小时", "waiting", 1),
    ("迟到", "waiting", 1),
    ("插队", "waiting", 2),
    # 环境
    ("卫生间", "environment", 2),
    ("厕所", "environment", 2),
    ("脏", "environment", 2),
    ("噪音", "environment", 2),
    ("停车", "environment", 2),
    ("电梯", "environment", 2),
    ("空调", "environment", 1),
    ("异味", "environment", 2),
    ("环境", "environment", 1),
    ("病房", "environment", 1),
    ("ct片", "other", 1),
    ("片子", "other", 1),
    # 沟通
    ("解释", "communication", 2),
    ("没说清", "communication", 2),
    ("沟通", "communication", 2),
    ("告知", "communication", 2),
    ("不告诉", "communication", 2),
    ("听不懂", "communication", 2),
    ("知情", "communication", 1),
    ("不理解", "communication", 1),
    # 医德医风
    ("红包", "ethics", 3),
    ("回扣", "ethics", 3),
    ("索要", "ethics", 3),
    ("收礼", "ethics", 3),
    ("推销", "ethics", 2),
    ("过度检查", "ethics", 2),
    ("过度治疗", "ethics", 2),
    ("介绍去", "ethics", 1),
]


def seed(apps, schema_editor):
    CategoryKeyword = apps.get_model("desk", "CategoryKeyword")
    CategoryKeyword.objects.bulk_create(
        [CategoryKeyword(term=term, category=category, weight=weight) for term, category, weight in LEXICON],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    CategoryKeyword = apps.get_model("desk", "CategoryKeyword")
    for term, category, _weight in LEXICON:
        CategoryKeyword.objects.filter(term=term, category=category).delete()


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
