"""The interfaces of the demo hospital: the HIS (LXQ-HIS) and the LIS (LXQ-LIS) registered as senders,
each with its system account (``his-interface``, ``lis-interface``; no password, a token for FHIR).
``manage.py interop_demo_day`` then replays a day of traffic into the running demo over MLLP."""

from __future__ import annotations

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.interop.services.setup import sender_register, system_account_create

MRN_SYSTEM = "urn:carebridge:lxq-demo:mrn"
SENDERS = (("LXQ-HIS", "HIS 医院信息系统", "his-interface"), ("LXQ-LIS", "LIS 检验信息系统", "lis-interface"))


@register_step(70, "interfaces: the HIS and the LIS as senders")
def seed_interop(context: DemoContext) -> None:
    hospital = context.data["hospitals"][0][0]
    for facility, name, username in SENDERS:
        account = system_account_create(hospital=hospital, username=username)
        sender_register(
            hospital=hospital, facility=facility, name=name, account=account, mrn_system=MRN_SYSTEM
        )
    context.log("interfaces: senders LXQ-HIS and LXQ-LIS")
