"""Fixtures of the performance tests (messages asserted in English, the source language; SMS to a file
outbox); of the improvement-action tests: a department head of paediatrics, a nurse owner, satisfaction
answers of a department on given days; and of the staff-standards tests: a hospital with orthopaedics and
cardiology, the 双创 inspector Qian (quality office, hospital-wide), department heads Guo (orthopaedics) and
Zhou (cardiology: the outsider for orthopaedics' findings), the customer-service centre's desk posts and
staff, a course with a pass mark, and the clock."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from carebridge.core.models import Staff
from carebridge.core.tests.factories import DepartmentFactory, make_persona
from carebridge.performance.models import Course, InspectionArea, Post

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday morning: the hospital-wide cleaning inspection.
TUESDAY = dt.datetime(2025, 3, 11, 9, 0, tzinfo=SHANGHAI)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sms = {**settings.CAREBRIDGE["SMS"], "BACKEND": "file", "FILE_DIR": str(tmp_path / "outbox")}
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SMS": sms}
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def orthopaedics(hospital):
    return DepartmentFactory(hospital=hospital, code="ORTH", name="骨科", name_en="Orthopaedics")


@pytest.fixture
def csc(hospital):
    return DepartmentFactory(hospital=hospital, code="CSC", name="客户服务中心", kind="administrative")


@pytest.fixture
def inspector_qian(quality_officer_qian):
    Staff.objects.filter(user=quality_officer_qian).update(phone="13900000001")
    return quality_officer_qian


@pytest.fixture
def head_guo(hospital, orthopaedics):
    user = make_persona("guo", "dept_head", hospital, departments=[orthopaedics])
    Staff.objects.filter(user=user).update(phone="13900000002")
    return user


@pytest.fixture
def head_zhou(hospital, cardiology):
    return make_persona("zhouhead", "dept_head", hospital, departments=[cardiology])


@pytest.fixture
def ward_area(hospital, orthopaedics):
    return InspectionArea.objects.create(
        hospital=hospital,
        name="住院部三楼",
        department=orthopaedics,
        checklist=["地面", "卫生间", "垃圾分类"],
    )


@pytest.fixture
def desk(hospital, csc):
    """The customer-service centre: two posts, five staff, a mandatory course with a pass mark of 60."""
    posts = SimpleNamespace(
        guide=Post.objects.create(
            hospital=hospital, code="guide", name="导诊台", department=csc, minimum_staff=2
        ),
        phone=Post.objects.create(hospital=hospital, code="phone", name="电话随访", department=csc),
    )
    people = [
        Staff.objects.create(hospital=hospital, name=name, kind="agent", home_department=csc)
        for name in ("张敏", "李娜", "王芳", "刘洋", "陈静")
    ]
    course = Course.objects.create(
        hospital=hospital, code="etiquette", title="礼仪与规范用语", hours=4, pass_mark=60, renew_months=12
    )
    course.mandatory_for.add(posts.guide)
    return SimpleNamespace(posts=posts, people=people, course=course, department=csc)


@pytest.fixture
def head_he(hospital, paediatrics):
    """Department head He (儿科主任), scoped to paediatrics."""
    user = make_persona("he", "dept_head", hospital, departments=[paediatrics])
    user.staff.home_department = paediatrics
    user.staff.phone = "13700001111"
    user.staff.save()
    return user


@pytest.fixture
def nurse_owner(hospital, paediatrics):
    from carebridge.core.tests.factories import StaffFactory

    return StaffFactory(hospital=hospital, name="护士长刘", home_department=paediatrics, phone="13600002222")


@pytest.fixture
def answers(hospital):
    """``answers(department, day, scores)``: survey responses of ``department`` submitted on ``day``."""
    from carebridge.surveys.models import Response
    from carebridge.surveys.tests.factories import published_version

    version = published_version(hospital=hospital)

    def make(department, day: dt.datetime, scores):
        Response.objects.bulk_create(
            Response(
                hospital=hospital,
                version=version,
                department=department,
                mode="web",
                submitted_at=day,
                answers={},
                score=float(score),
            )
            for score in scores
        )

    return make
