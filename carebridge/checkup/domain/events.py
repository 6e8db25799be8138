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
"""

from __future__ import annotations

from django.dispatch import Signal

result_recorded = Signal()
signoff_checking = Signal()
aftercare_excluding = Signal()
