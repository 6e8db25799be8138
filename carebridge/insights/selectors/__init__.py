"""Reads of the insights app, each starting from the scope helpers (``selectors.responses``)."""
