"""Writes of the insights app: background analysis runs, and weights set with the AHP editor."""

from carebridge.insights.services.runs import run_execute, run_request, runs_expire_stale
from carebridge.insights.services.weights import weights_set_by_ahp

__all__ = ["run_execute", "run_request", "runs_expire_stale", "weights_set_by_ahp"]
