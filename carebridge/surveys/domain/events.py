"""Events the surveys app announces for the apps above it, which connect their receivers in their own
``hooks.py``; surveys imports none of them.

``responses_imported`` is sent after a survey import that stored responses has committed
(``services.imports.responses_import``): the insights app recounts its monthly aggregate, since imported
responses usually belong to months already closed. Argument: ``batch`` (the ``ImportBatch``).
"""

from __future__ import annotations

from django.dispatch import Signal

responses_imported = Signal()
