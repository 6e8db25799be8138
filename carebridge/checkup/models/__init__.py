"""Checkup models. ``models/__init__`` is the one package ``__init__`` that re-exports: Django finds an
app's models here, and callers import them as ``from carebridge.checkup.models import Visit``."""

from carebridge.checkup.models.catalogue import CodedValue, Item, Package, ReferenceRange, Room
from carebridge.checkup.models.customers import (
    ContractClass,
    DayCapacity,
    EmployerGroup,
    GroupContract,
    RosterImport,
    RosterMember,
)
from carebridge.checkup.models.groupreports import (
    GroupReportAdvice,
    ReferencePopulation,
    ReferencePrevalence,
    ReferenceRate,
    ReferenceStratum,
    ReportableFinding,
)
from carebridge.checkup.models.results import Result, RoomSignoff
from carebridge.checkup.models.review import (
    AdviceRule,
    ReportRelease,
    RiskRule,
    RiskRuleSet,
    VisitFinding,
)
from carebridge.checkup.models.visits import OrderedItem, QueueEntry, Visit, VisitTransition

__all__ = [
    "AdviceRule",
    "CodedValue",
    "ContractClass",
    "DayCapacity",
    "EmployerGroup",
    "GroupContract",
    "GroupReportAdvice",
    "Item",
    "OrderedItem",
    "Package",
    "QueueEntry",
    "ReferencePopulation",
    "ReferencePrevalence",
    "ReferenceRange",
    "ReferenceRate",
    "ReferenceStratum",
    "ReportRelease",
    "ReportableFinding",
    "Result",
    "RiskRule",
    "RiskRuleSet",
    "Room",
    "RoomSignoff",
    "RosterImport",
    "RosterMember",
    "Visit",
    "VisitFinding",
    "VisitTransition",
]
