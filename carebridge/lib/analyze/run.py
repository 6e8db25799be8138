"""The analyst's command line, ``manage.py analyze``, without Django: ``run(options)`` reads the CSV, maps
the options to one function of ``carebridge.lib.stats`` and returns the JSON-ready result; the
management command only parses arguments and prints. Contract and exit codes: docs/analyze.md.
"""

from __future__ import annotations

import difflib
import logging
import warnings
from collections.abc import Callable
from typing import Any

from carebridge.lib.analyze import decisions, measurement  # modules of this package
from carebridge.lib.analyze.context import Context, Options
from carebridge.lib.analyze.errors import AnalyzeError, ExitCode
from carebridge.lib.analyze.output import jsonable
from carebridge.lib.stats.errors import StatsInputError

Runner = Callable[[Context], dict[str, Any]]

ANALYSES: dict[str, Runner] = {
    "describe": measurement.run_describe,
    "reliability": measurement.run_reliability,
    "kmo": measurement.run_kmo,
    "efa": measurement.run_efa,
    "cfa": measurement.run_sem,
    "sem": measurement.run_sem,
    "pls": measurement.run_pls,
    "ahp": decisions.run_ahp,
    "entropy": decisions.run_entropy,
    "fuzzy": decisions.run_fuzzy,
    "ipa": decisions.run_ipa,
    "drivers": decisions.run_drivers,
    "adjust": decisions.run_adjust,
    "compare": decisions.run_compare,
    "text": decisions.run_text,
}


def check_analysis(name: str) -> None:
    if name not in ANALYSES:
        close = difflib.get_close_matches(name, list(ANALYSES), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise AnalyzeError(
            f"Unknown analysis {name!r}; {hint}choose one of: {', '.join(ANALYSES)}.", ExitCode.USAGE
        )


def run(options: Options) -> dict[str, Any]:
    """Run one analysis; every refusal comes out as an ``AnalyzeError`` with its exit code."""
    check_analysis(options.analysis)
    ctx = Context(options)
    # Libraries may log INFO chatter to the root logger; stderr is for the one-line error message.
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            result = ANALYSES[options.analysis](ctx)
        except StatsInputError as exc:
            raise AnalyzeError(str(exc), ExitCode.DATA) from exc
        finally:
            logging.disable(previous)
    for w in caught:
        # Numerical warnings (a near-singular matrix, an overflow in a bootstrap resample) are worth
        # a look, so they travel with the result; library deprecation notices are not.
        if issubclass(w.category, RuntimeWarning):
            ctx.warn(f"Numerical warning: {w.message}")
    return dict(jsonable(result))
