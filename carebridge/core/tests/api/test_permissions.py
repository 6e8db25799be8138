"""``ModelPermissions`` checks the declared ``queryset``'s model rather than building the caller's scoped
queryset a second time: that is right only while every viewset's declaration names the model its
``get_queryset()`` returns. This walks every API view that uses it and holds the two equal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import get_resolver
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.tests.factories import HospitalFactory, make_persona

pytestmark = pytest.mark.django_db


def _views(patterns: Any) -> Iterator[type]:
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _views(pattern.url_patterns)
        elif (cls := getattr(pattern.callback, "cls", None)) is not None:
            yield cls


def _model_permission_views() -> list[type]:
    found = {
        cls
        for cls in _views(get_resolver().url_patterns)
        if any(isinstance(p, type) and issubclass(p, ModelPermissions) for p in cls.permission_classes)
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_the_walk_finds_the_api_viewsets():
    names = {cls.__name__ for cls in _model_permission_views()}
    assert {"PatientViewSet", "ComplaintViewSet", "WaveViewSet", "FindingViewSet"} <= names


def test_every_one_declares_its_queryset():
    assert [cls.__name__ for cls in _model_permission_views() if cls.queryset is None] == []


@pytest.mark.parametrize(
    "view_class",
    [cls for cls in _model_permission_views() if hasattr(cls, "get_queryset")],
    ids=lambda cls: cls.__name__,
)
def test_the_declared_model_is_the_one_get_queryset_returns(view_class):
    declared = view_class.queryset
    admin = make_persona("admin-walk", "admin", HospitalFactory(), is_superuser=True)
    request = Request(APIRequestFactory().get("/"))
    request.user = admin
    view = view_class(request=request, args=(), kwargs={}, format_kwarg=None, action="list")
    assert view.get_queryset().model is declared.model
