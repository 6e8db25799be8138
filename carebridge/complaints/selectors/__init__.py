"""Reads of complaints, each through the user's data scope; callers import from the defining module."""
