"""Small request helpers shared by views."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server saw it (a proxy should set REMOTE_ADDR through its WSGI server)."""
    return request.META.get("REMOTE_ADDR") or None
