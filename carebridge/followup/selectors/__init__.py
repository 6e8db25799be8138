"""Reads of follow-up, one module per sub-domain; each starts from ``restrict()`` or the data scope."""
