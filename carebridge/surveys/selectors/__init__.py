"""Selectors of the surveys app: every read, scoped."""
