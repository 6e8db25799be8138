"""Panels that higher apps add to a lower app's record page, without the lower app naming them.

A complaint page cannot import the performance app (layers: an app imports only apps below it), yet it
must list the improvement actions raised from the complaint. The higher app registers a provider for a
model in its ``AppConfig.ready``; the page calls ``{% object_panels obj %}`` and gets every provider's
HTML. A provider is ``f(request, obj) -> str`` ("" to show nothing) and applies the user's scope itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

PanelProvider = Callable[[Any, models.Model], str]
_providers: dict[str, list[PanelProvider]] = defaultdict(list)


def panel_register(model_label: str) -> Callable[[PanelProvider], PanelProvider]:
    """Register a provider for the pages of ``model_label`` (``"complaints.complaint"``)."""

    def decorator(provider: PanelProvider) -> PanelProvider:
        if provider not in _providers[model_label.lower()]:
            _providers[model_label.lower()].append(provider)
        return provider

    return decorator


def panels_render(request: Any, obj: models.Model) -> SafeString:
    """The HTML of every provider registered for ``obj``'s model, in registration order."""
    parts = [provider(request, obj) for provider in _providers.get(obj._meta.label_lower, ())]
    # Providers return template output (already escaped); join it without escaping again.
    return format_html_join("", "{}", ((mark_safe(part),) for part in parts if part))  # noqa: S308
