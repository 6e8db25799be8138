"""The router every app's API registers its viewsets with.

DRF's router matches any text as a detail id (``[^/.]+``), so ``/api/v1/patients/abc/`` reached the view
and ``int(pk)`` raised a 500. Here an id is digits unless the viewset says otherwise
(``lookup_value_regex``): anything else is a 404 like any unknown address.
"""

from __future__ import annotations

from typing import Any

from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if getattr(viewset, "lookup_value_regex", None) is None and viewset.lookup_field in ("pk", "id"):
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or viewset.lookup_field
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>[0-9]+)"
        return str(super().get_lookup_regex(viewset, lookup_prefix))
