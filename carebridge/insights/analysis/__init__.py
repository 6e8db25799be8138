"""The analysis layer of satisfaction measurement (DESIGN §5.4): from a selection of responses, in a
user's data scope, to computed results — weighted indexes with CIs, item distributions, the
psychometric panel, the CSI model, IPA, key drivers, adjusted benchmarking, trends, comment topics.

Entry points (stable; the leadership report and the API call them):

* :class:`Selection` — instrument (required), version, wave, department, period;
* :func:`analyse` ``(*, user, selection, kind, parameters=None, progress=None) -> dict`` — one analysis
  (``KINDS``: indexes, distributions, trends, benchmark, ipa, comments, psychometrics, csi, drivers),
  scoped, JSON-ready; :data:`HEAVY` ones are better run with ``services.runs.run_request``;
* :func:`responses_for` and :func:`load_frame` to build a :class:`ResponseFrame` once and call the
  module functions (``index_summary``, ``group_indexes``, ``nps_summary``, ``monthly_trends``,
  ``item_distributions``, ``benchmark``, ``ipa_grid``, ``key_drivers``, ``csi_model``,
  ``psychometric_panel``, ``comment_topics``) on it without reloading.

The statistics themselves live in ``carebridge.lib.stats`` (no Django); this package only turns
responses into frames, chooses the models from the instrument's definition, and shapes results.
"""

from carebridge.insights.analysis.ahp import AhpCheck, ahp_check, matrix_from_upper
from carebridge.insights.analysis.benchmark import benchmark
from carebridge.insights.analysis.comments import comment_topics, mask_comment
from carebridge.insights.analysis.csi import csi_model
from carebridge.insights.analysis.drivers import ipa_grid, key_drivers
from carebridge.insights.analysis.frame import ResponseFrame, load_frame, respondent_indexes
from carebridge.insights.analysis.indexes import group_indexes, index_summary, monthly_trends, nps_summary
from carebridge.insights.analysis.items import item_distributions
from carebridge.insights.analysis.kinds import HEAVY, KINDS, analyse, clean_parameters, compute
from carebridge.insights.analysis.psychometrics import cfa_syntax, psychometric_panel
from carebridge.insights.analysis.selection import (
    Selection,
    data_version,
    responses_for,
    selection_key,
)

__all__ = [
    "HEAVY",
    "KINDS",
    "AhpCheck",
    "ResponseFrame",
    "Selection",
    "ahp_check",
    "analyse",
    "benchmark",
    "cfa_syntax",
    "clean_parameters",
    "comment_topics",
    "compute",
    "csi_model",
    "data_version",
    "group_indexes",
    "index_summary",
    "ipa_grid",
    "item_distributions",
    "key_drivers",
    "load_frame",
    "mask_comment",
    "matrix_from_upper",
    "monthly_trends",
    "nps_summary",
    "psychometric_panel",
    "respondent_indexes",
    "responses_for",
    "selection_key",
]
