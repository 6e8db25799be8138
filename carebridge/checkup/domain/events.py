"""Events the checkup centre announces for the apps above it (critical results, interop), which connect
their receivers in their own ``hooks.py``; checkup imports none of them.

``result_recorded`` is sent by :func:`carebridge.checkup.services.results.result_record` after the result
row is written, inside its transaction: a receiver that writes (a critical-result notification task)
commits or rolls back with the result. Arguments: ``result`` (the saved ``Result``), ``created`` (False
for a correction), ``actor``.

``signoff_checking`` is sent while the chief examiner signs (and by the quality check on the
workstation): each receiver returns a list of problems (texts) that stop the signature, e.g. critical
results not yet notified. Argument: ``visit``.

``aftercare_excluding`` is sent when a signed visit is handed to phone follow-up
(``services.aftercare``): each receiver returns the ids of the visit's results it follows up itself
(the critical-result app: the critical ones), and those are left out of the follow-up call. Argument:
``visit``.

``visit_notes`` is sent by the visit page and the individual report: each receiver returns a list of
:class:`VisitNote` (e.g. "communicated to X at T by Y, read back" from critical results), shown on the
visit, beside the results they concern and in the report. Arguments: ``visit``, ``user`` (``None`` for
the report the person opens through their own link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.dispatch import Signal

result_recorded = Signal()
signoff_checking = Signal()
aftercare_excluding = Signal()
visit_notes = Signal()


@dataclass(frozen=True)
class VisitNote:
    """A line an app above adds to a visit: a title, a sentence, and the results it concerns."""

    title: str
    text: str
    result_ids: tuple[int, ...] = field(default_factory=tuple)


def notes_for(visit: object, user: object) -> list[VisitNote]:
    """Every note the apps above have for ``visit`` (``user=None``: the person's own report)."""
    notes: list[VisitNote] = []
    for _receiver, answer in visit_notes.send(sender=type(visit), visit=visit, user=user):
        answers: list[Any] = list(answer or ())
        notes.extend(note for note in answers if isinstance(note, VisitNote))
    return notes
