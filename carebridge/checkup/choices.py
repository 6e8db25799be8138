"""Enumerations of the health-checkup centre (体检中心) and the visit's life cycle.

The flow follows seed 003 篇6–篇8 (检前—检中—检后): a visit is booked (individual or employer group),
checked in on the day, walks the rooms under the guide nurse (导检护士), leaves the centre, is concluded
and signed by the chief examiner (总检医生) and its report is released to the person.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemKind(models.TextChoices):
    NUMERIC = "numeric", _("Numeric value")
    GRADE = "grade", _("Semi-quantitative grade (- ± + ++ +++ ++++)")
    POSNEG = "posneg", _("Positive or negative")
    CODED = "coded", _("Coded finding (imaging, pathology)")
    TEXT = "text", _("Free text")


class ItemCategory(models.TextChoices):
    PHYSICAL = "physical", _("Physical examination")
    BLOOD_COUNT = "blood_count", _("Blood count")
    LIVER = "liver", _("Liver function")
    KIDNEY = "kidney", _("Kidney function")
    LIPIDS = "lipids", _("Blood lipids")
    GLUCOSE = "glucose", _("Blood glucose")
    ENZYMES = "enzymes", _("Cardiac enzymes")
    URINE = "urine", _("Urine routine")
    STOOL = "stool", _("Stool routine")
    TUMOUR_MARKER = "tumour_marker", _("Tumour markers")
    THYROID = "thyroid", _("Thyroid function")
    ECG = "ecg", _("Electrocardiogram")
    ULTRASOUND = "ultrasound", _("Ultrasound")
    IMAGING = "imaging", _("Radiology")
    CYTOLOGY = "cytology", _("Cytology")
    SPECIALIST = "specialist", _("Specialist examination")


class Preparation(models.TextChoices):
    """What an item needs from the person; the next-room suggestion (``domain.routing``) obeys them."""

    FASTING = "fasting", _("Fasting (before breakfast)")
    AFTER_MEAL = "after_meal", _("Two hours after a meal")
    FULL_BLADDER = "full_bladder", _("Full bladder")
    EMPTIES_BLADDER = "empties_bladder", _("Urine sample (after full-bladder scans)")
    RADIATION = "radiation", _("Radiation: not when a pregnancy is possible")


class SexScope(models.TextChoices):
    ANY = "any", _("Both sexes")
    MALE = "M", _("Men only")
    FEMALE = "F", _("Women only")


class PackageKind(models.TextChoices):
    STANDARD = "standard", _("Standard package")
    ADDON = "addon", _("Add-on module (1+X)")
    PERSONAL = "personal", _("Personalised package")


class OccupationClass(models.TextChoices):
    """The group types the seed reports on (篇7 1): civil servants, public institutions, enterprises,
    agriculture."""

    CIVIL_SERVANT = "civil_servant", _("Civil servant (公务员)")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution staff (事业单位公职人员)")
    ENTERPRISE = "enterprise", _("Enterprise staff (厂矿企业人员)")
    AGRICULTURE = "agriculture", _("Agriculture (农业从业人员)")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    EMPLOYER = "employer", _("Employer group (团检)")
    INSURER = "insurer", _("Insurer")
    SCHOOL = "school", _("School")
    TOWNSHIP = "township", _("Township hospital")


class VisitKind(models.TextChoices):
    """What a visit row holds. ``clinical``: the results of an inpatient's or outpatient's encounter (a
    ward's laboratory results from the LIS), kept with the centre's result machinery so that the same
    filing, flags and critical-result rules apply; never a checkup, so ``Visit.objects`` leaves it out
    of every list, statistic, task and report of the centre (docs/architecture.md)."""

    CHECKUP = "checkup", _("Health checkup")
    CLINICAL = "clinical", _("Clinical results of an encounter")


class VisitStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    EXAMINED = "examined", _("Left the centre (检毕)")
    SIGNED = "signed", _("Signed by the chief examiner")
    RELEASED = "released", _("Report released")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.BOOKED: frozenset({VisitStatus.CHECKED_IN, VisitStatus.CANCELLED, VisitStatus.NO_SHOW}),
    VisitStatus.CHECKED_IN: frozenset({VisitStatus.EXAMINED, VisitStatus.CANCELLED}),
    VisitStatus.EXAMINED: frozenset({VisitStatus.SIGNED}),
    # A signature may be withdrawn (with a reason) before the report goes out, to correct it.
    VisitStatus.SIGNED: frozenset({VisitStatus.RELEASED, VisitStatus.EXAMINED}),
    VisitStatus.RELEASED: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
    VisitStatus.NO_SHOW: frozenset(),
}
# Visits that count as customers examined (statistics, group reports, the health record).
EXAMINED_STATUSES = frozenset(
    {VisitStatus.CHECKED_IN, VisitStatus.EXAMINED, VisitStatus.SIGNED, VisitStatus.RELEASED}
)
# Results may be filed while the person is in the centre and until the chief examiner signs.
RESULT_STATUSES = frozenset({VisitStatus.CHECKED_IN, VisitStatus.EXAMINED})


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    RESULTED = "resulted", _("Resulted")
    WAIVED = "waived", _("Waived")


class QueueStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    IN_SERVICE = "in_service", _("In the room")
    DONE = "done", pgettext_lazy("queue status", "Done")
    MOVED = "moved", _("Moved to another room")
    LEFT = "left", _("Left the queue")


OPEN_QUEUE = frozenset({QueueStatus.WAITING, QueueStatus.IN_SERVICE})


class ResultFlag(models.TextChoices):
    NORMAL = "N", _("Normal")
    LOW = "L", _("Low")
    HIGH = "H", _("High")
    ABNORMAL = "A", _("Abnormal")


class ResultSource(models.TextChoices):
    ROOM = "room", _("Entered in the room")
    HL7 = "hl7", _("HL7 v2 message")
    FHIR = "fhir", _("FHIR bundle")
    CSV = "csv", _("CSV file")


# Semi-quantitative grades in order (urine dipstick and the like).
GRADES: tuple[str, ...] = ("-", "±", "+", "++", "+++", "++++")


class Operator(models.TextChoices):
    """How a rule (advice or risk) matches one result."""

    HIGH = "high", _("Flagged high")
    LOW = "low", _("Flagged low")
    ABNORMAL = "abnormal", _("Flagged abnormal (any direction)")
    GTE = "gte", _("Value at least")
    GT = "gt", _("Value above")
    LTE = "lte", _("Value at most")
    LT = "lt", _("Value below")
    GRADE_GTE = "grade_gte", _("Grade at least")
    POSITIVE = "positive", _("Positive")
    CODED_IN = "coded_in", _("Finding is one of")


class Prescription(models.TextChoices):
    """The health prescription (健康保健处方) of 篇8 2.3: seven lifestyle instructions."""

    SMOKING_ALCOHOL = "smoking_alcohol", _("Stop smoking, limit alcohol (戒烟限酒)")
    REGULAR_LIFE = "regular_life", _("Keep a regular life (坚持规律生活)")
    WEIGHT = "weight", _("Control your weight (控制体重减肥)")
    DIET = "diet", _("Balanced, scientific diet (科学饮食营养均衡)")
    EXERCISE = "exercise", _("Exercise in moderation (适当运动)")
    TEMPER = "temper", _("Cultivate a good temper (培养良好性格)")
    MIND = "mind", _("Keep your peace of mind (保持心理平衡)")


class RiskLevel(models.IntegerChoices):
    """The five warning levels of 《疾病及相关危险因素分层预警方案》 (篇7 2.2.4)."""

    LEVEL_1 = 1, _("Level 1: highly suspected tumour or severe chronic disease")
    LEVEL_2 = 2, _("Level 2: moderate chronic disease or abnormal tumour markers")
    LEVEL_3 = 3, _("Level 3: mild or newly diagnosed chronic disease")
    LEVEL_4 = 4, _("Level 4: high-risk factors for chronic disease")
    LEVEL_5 = 5, _("Level 5: normal, or mild chronic disease well controlled")


class RuleSource(models.TextChoices):
    """Where a risk rule comes from (篇7 2.2.4 ①②③)."""

    TEXTBOOK = "textbook", _("National university textbook")
    GUIDELINE = "guideline", _("National guideline or expert consensus")
    PANEL = "panel", _("In-house expert panel")


class RosterMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("Import nothing if any row has an error")
    VALID_ROWS = "valid", _("Import the valid rows only")


class RosterImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    PARTIAL = "partial", _("Valid rows imported")
    REJECTED = "rejected", _("Rejected: nothing imported")


class SuggestionKind(models.TextChoices):
    ROOM = "room", _("Go to a room")
    MEAL = "meal", _("Have breakfast")
    WAIT = "wait", _("Wait")
    DONE = "done", _("Everything is done")
