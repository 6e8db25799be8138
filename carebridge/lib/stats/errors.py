"""The one exception the statistics package raises for bad input.

Callers (views, the analyst command line, Celery tasks) catch ``StatsInputError`` and show its message
to the analyst as-is, so messages name the offending column, model or count in plain words.
"""

from __future__ import annotations


class StatsInputError(ValueError):
    """Input that a statistic cannot be computed on: unknown or non-numeric column, too few rows,
    a model that is not identified or does not converge."""
