"""What the insights app registers with the rest of CareBridge; ``apps.InsightsConfig.ready()`` imports
this module.

- **Survey imports.** surveys' ``responses_imported`` (sent once the import has committed) queues a
  refresh of the monthly aggregate, since imported answers usually belong to closed months.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from carebridge.insights.services.aggregates import response_months_queue
from carebridge.surveys.domain.events import responses_imported


@receiver(responses_imported, dispatch_uid="insights.response_months_after_import")
def _refresh_after_import(sender: Any, **kwargs: Any) -> None:
    response_months_queue()
