"""Writes of the insights app: background analysis runs, and weights set with the AHP editor."""
