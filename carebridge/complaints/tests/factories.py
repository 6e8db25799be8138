"""How complaint tests make their records. Cases go through the intake service (a case is never laid out
by hand: its reference, first transition and deadlines come from the service); the offices are factory
departments with the default routing map installed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from carebridge.complaints.demo.loader import routing_install
from carebridge.complaints.models import Complaint
from carebridge.complaints.services.complaints import ComplaintInput, complaint_receive
from carebridge.core.models import Hospital
from carebridge.core.tests.factories import DepartmentFactory


def make_offices(hospital: Hospital) -> SimpleNamespace:
    """The offices complaints are routed to (医患办, 护理部, 纪检, 财务科), with the routing map installed."""
    made = SimpleNamespace(
        prel=DepartmentFactory(hospital=hospital, code="PREL", name="医患关系办公室", kind="administrative"),
        nurs=DepartmentFactory(hospital=hospital, code="NURS", name="护理部", kind="nursing"),
        disc=DepartmentFactory(hospital=hospital, code="DISC", name="纪检监察室", kind="administrative"),
        fin=DepartmentFactory(hospital=hospital, code="FIN", name="财务科", kind="administrative"),
    )
    routing_install(hospital=hospital)
    return made


def receive_case(hospital: Hospital, actor: Any, *, attachments: Any = (), **fields: Any) -> Complaint:
    """A case recorded through the intake service: a family member's complaint about attitude by default."""
    values = {
        "content": "护士态度冷漠，不耐烦",
        "channel": "walk_in",
        "complainant_name": "王先生",
        "complainant_phone": "13812345678",
        "complainant_class": "family",
    }
    values.update(fields)
    return complaint_receive(
        hospital=hospital, actor=actor, data=ComplaintInput(**values), attachments=attachments
    )
