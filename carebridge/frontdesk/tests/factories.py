"""factory_boy factories of the desk's daily work (inquiries, escorts). Services are used where a test is
about behaviour; factories only lay out the records a read needs."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from carebridge.core.tests.factories import HospitalFactory
from carebridge.frontdesk.models import Escort, Inquiry


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    hospital = factory.SubFactory(HospitalFactory)
    channel = "walk_in"
    category = "directions"
    question = "抽血在哪里？"
    answer = "门诊楼一楼东侧。"
    received_at = factory.LazyFunction(timezone.now)
    answered_at = factory.LazyAttribute(lambda o: o.received_at + dt.timedelta(minutes=2))
    answered_by = factory.SelfAttribute("received_by")


class EscortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escort

    hospital = factory.SubFactory(HospitalFactory)
    patient_name = "王大爷"
    from_place = "门诊大厅"
    to_place = "CT室"
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
    mobility = "wheelchair"
    requested_at = factory.LazyFunction(timezone.now)
