"""The instrument library (问卷库): ready questionnaires written for CareBridge, installed for every hospital.

Each instrument is one JSON file in this directory, in the export format of the builder
(``{"format": "carebridge-instrument", "format_version": 1, "instrument": {...}, "definition": {...}}``),
so a library file can also be imported by hand. Migration ``0003_instrument_library`` installs them as
library instruments (``hospital`` null) with published version 1; a hospital copies one to adapt it.
The wording is our own, plain Chinese with an English translation.

``inpatient-experience`` (discharged inpatients)
    ``nurses`` n1–n3, ``doctors`` d1–d4, ``responsiveness`` r1–r3 (r3 reverse-keyed), ``medicines``
    m1–m2 (shown after the screener ``med0`` = yes), ``discharge`` dc1–dc3, ``environment`` e1–e3,
    ``fees`` f1–f3, ``overall_rating`` with ``overall`` and ``recommend`` (0–10); unscored ``loyalty``
    (``come_back``, 0–10: would come back to this department, the scorecard's loyalty KPI),
    ``comments`` (``comment``) and ``about_you`` (``srh``, ``edu``, ``proxy``: case-mix adjusters).
``outpatient-experience`` (outpatients)
    ``registration`` o_reg1–3, ``doctor`` o_doc1–4, ``tests_pharmacy`` o_test1–3, ``environment``
    o_env1–3, ``fees`` o_fee1–2, ``overall_rating`` (``overall``, ``recommend``); ``comments``;
    ``about_you`` (``srh``, ``edu``).
``checkup-experience`` (checkup customers)
    ``booking`` c_book1–2, ``flow`` c_flow1–3, ``staff`` c_staff1–3, ``privacy`` c_priv1–2,
    ``report`` c_rep1–3, ``overall_rating`` (``overall``, ``recommend``); ``comments``; ``about_you``.
``staff-satisfaction`` (staff; meant for anonymous waves)
    ``work_environment``, ``management``, ``pay_recognition``, ``development``, ``teamwork``,
    ``workload`` (s_load1–3 reverse-keyed), ``overall_rating`` (``overall``, ``stay``); ``comments``;
    ``about_you`` (``job`` group only). Likert 5 throughout.
``csi`` (patients; 1–10 scales, one indicator ``<dimension>_i`` per dimension, equal weights)
    ``expectation`` exp1–exp3, ``quality`` qual1–qual4, ``value`` val1–val2, ``satisfaction``
    sat1–sat3, ``complaints`` cmp1–cmp2 (higher = handled better; "not applicable" if none was
    raised), ``loyalty`` loy1–loy2; unscored ``about`` (``comment``).
``recommendation`` (anyone)
    ``nps`` 0–10 and ``reason`` (free text).

Scored dimension weights sum to 1 in every instrument except the CSI (equal weights; its index is
estimated by PLS path modelling in the insights app).

Likert items have 5 points (frequency, agreement or satisfaction anchors) and offer "not applicable"
where an experience may not have happened (call button, new medicines, tests, a report explanation).
This module reads files only; it has no database access (the migration imports it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LIBRARY_DIR = Path(__file__).resolve().parent

# In the order the builder lists them.
LIBRARY_CODES: tuple[str, ...] = (
    "inpatient-experience",
    "outpatient-experience",
    "checkup-experience",
    "staff-satisfaction",
    "csi",
    "recommendation",
)


@cache
def _read(code: str) -> str:
    return (LIBRARY_DIR / f"{code}.json").read_text(encoding="utf-8")


def library_document(code: str) -> dict[str, Any]:
    """The export document of one library instrument (a fresh copy each call). KeyError if unknown."""
    if code not in LIBRARY_CODES:
        raise KeyError(code)
    document: dict[str, Any] = json.loads(_read(code))
    return document


def library_documents() -> list[dict[str, Any]]:
    """Every library instrument's export document, in :data:`LIBRARY_CODES` order."""
    return [library_document(code) for code in LIBRARY_CODES]
