"""factory_boy factories of the insights app's own model (survey answers come from ``support/``)."""

from __future__ import annotations

import factory

from carebridge.insights.choices import RunKind, RunStatus
from carebridge.insights.models import AnalysisRun


class AnalysisRunFactory(factory.django.DjangoModelFactory):
    """A background run of the drivers analysis, done, keyed by a made-up selection hash."""

    class Meta:
        model = AnalysisRun

    kind = RunKind.DRIVERS
    selection_hash = factory.Sequence(lambda n: f"{n:064x}")
    data_version = "10:10"
    status = RunStatus.DONE
    progress = 100
    result = factory.LazyFunction(dict)
