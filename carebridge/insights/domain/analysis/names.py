"""The names the analyses accept, without the statistics stack.

Forms, views and the parameter table (``kinds.PARAMETERS``) need these constants; the modules that compute
(``benchmark``, ``indexes``, ``frame``, ``common``) import pandas, scipy and statsmodels, which a web worker
must not load before the first analysis is asked for (issue 18: ``import carebridge.urls`` stays light).
"""

from __future__ import annotations

# Groupings of the index tables.
GROUPS = ("department", "ward", "hospital", "mode", "month")
# Units a benchmark compares.
UNITS = ("department", "ward", "hospital")
# Case-mix adjusters captured at submission.
ADJUSTER_KEYS = ("age_band", "sex", "edu", "srh", "service_line", "lag_days")
# The smallest unit whose figures are shown without a "small sample" flag.
UNIT_MINIMUM = 30
