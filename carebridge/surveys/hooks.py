"""Registrations of the surveys app, imported by ``SurveysConfig.ready()``."""

from __future__ import annotations
