"""Printable QR-code sheets for the wards: A4 pages of cards, one card per invitation.

Each card carries the ward, the QR code of the invitation's link, the short link typed by hand, how long
it is valid, and the privacy note (the review's §4.4: explain the purpose of the survey, or answers are
careless). Named waves add the patient's masked name and the last digits of the record number so the
nurse hands each card to the right person; anonymous waves print nothing about the person. The same
template renders the screen's print view and the PDF (WeasyPrint, with the system's Noto CJK font, as
the complaint register does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from carebridge.surveys.domain.instruments import localised
from carebridge.surveys.domain.qr import qr_svg
from carebridge.surveys.models import Invitation, Wave
from carebridge.surveys.services.invitations import invitation_url

CARDS_PER_PAGE = 8  # 2 × 4 cards of about 95 × 68 mm on A4 portrait


@dataclass(frozen=True)
class Card:
    ward: str
    link: str
    qr: SafeString
    expires: dt.datetime
    person: str  # masked name and record-number tail; empty in anonymous waves


def _masked_name(name: str) -> str:
    """张伟 → 张*, 欧阳娜娜 → 欧***: enough for a nurse who knows the ward, nothing for anyone else."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _person(invitation: Invitation, anonymous: bool) -> str:
    if anonymous:
        return ""
    if invitation.patient is not None:
        return f"{_masked_name(invitation.patient.name)} ···{invitation.patient.mrn[-4:]}"
    if invitation.staff is not None:
        return _masked_name(invitation.staff.name)
    if invitation.customer is not None:
        return _masked_name(invitation.customer.name)
    return ""


def cards_for(wave: Wave, invitations: Iterable[Invitation]) -> list[Card]:
    """One card per invitation (expects ``ward``, ``department``, ``patient``… selected)."""
    cards = []
    for invitation in invitations:
        place = invitation.ward or invitation.department
        link = invitation_url(invitation)
        cards.append(
            Card(
                ward=str(place) if place else "",
                link=link,
                qr=qr_svg(link, size_mm=30, title=link),
                expires=timezone.localtime(invitation.expires_at),
                person=_person(invitation, wave.anonymous),
            )
        )
    return cards


def sheet_context(*, wave: Wave, cards: list[Card], pdf: bool) -> dict[str, Any]:
    language = translation.get_language() or "zh-hans"
    title = localised(wave.version.definition.get("title"), language) or wave.version.instrument.name
    pages = [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
    return {"wave": wave, "title": title, "pages": pages, "count": len(cards), "pdf": pdf}


def render_sheet_pdf(*, wave: Wave, cards: list[Card]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("surveys/wave_qr_sheet.html", sheet_context(wave=wave, cards=cards, pdf=True))
    return bytes(HTML(string=html).write_pdf())
