"""Writes of complaints, one module per sub-domain; callers import from the defining module."""
