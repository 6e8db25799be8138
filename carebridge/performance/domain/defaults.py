"""What a new installation starts with (editable in the admin): the health days of the calendar, the
admission criteria of 篇1 二1, the courses the seeds name, and the desk posts of the centre."""

from __future__ import annotations

# (month, day, name) — dates from general knowledge (the seeds name the days, not their dates).
HEALTH_DAYS: tuple[tuple[int, int, str], ...] = (
    (3, 24, "世界防治结核病日"),
    (4, 7, "世界卫生日"),
    (5, 31, "世界无烟日"),
    (9, 20, "全国爱牙日"),
    (10, 8, "全国高血压日"),
    (10, 20, "世界骨质疏松日"),
    (11, 14, "联合国糖尿病日"),
    (12, 1, "世界艾滋病日"),
)

# (area, name) of the admission standard: 个人品质、性格、能力、基础知识.
CRITERIA: tuple[tuple[str, str], ...] = (
    ("qualities", "服务意识与责任心"),
    ("qualities", "诚信与保密"),
    ("personality", "亲和力与耐心"),
    ("personality", "情绪稳定、抗压"),
    ("ability", "沟通与协调能力"),
    ("ability", "共情与应变能力"),
    ("knowledge", "医学与保健常识"),
    ("knowledge", "医院科室、专家与流程"),
)

# (code, title, hours, assessment, pass mark, mandatory for posts)
COURSES: tuple[tuple[str, str, str, str, int | None, tuple[str, ...]], ...] = (
    (
        "concepts",
        "服务理念（六项原则）",
        "4",
        "exam",
        60,
        ("guide", "consult", "complaint", "phone", "escort"),
    ),
    ("crm", "客户关系管理与服务营销", "6", "exam", 60, ("phone",)),
    ("marketing", "全员营销", "3", "attendance", None, ()),
    ("etiquette", "礼仪与规范用语", "4", "practical", 70, ("guide", "consult", "escort")),
    ("crisis", "危机感教育", "2", "attendance", None, ()),
    ("values", "医护人员价值取向", "2", "attendance", None, ()),
    ("infection", "传染病防治", "3", "exam", 60, ("guide", "consult", "complaint", "phone", "escort")),
)

# (code, name, minimum staff per week)
POSTS: tuple[tuple[str, str, int], ...] = (
    ("guide", "导诊台", 2),
    ("consult", "咨询台", 1),
    ("complaint", "投诉接待", 1),
    ("phone", "电话随访", 2),
    ("escort", "陪诊", 1),
)
