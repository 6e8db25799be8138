"""Small dense linear algebra on one BLAS thread.

Factor extraction, rotations, parallel analysis's simulated fits and the SEM optimiser make
thousands of calls on p × p matrices with p ≈ 10-50. A multi-threaded BLAS/LAPACK gains nothing
at that size and, on a busy machine, loses a great deal: on the shared 2-core CI machine a 30 × 30
``eigh`` took 45 ms with OpenBLAS's two threads against 0.5 ms with one (bench/README.md). The
iterative parts therefore run inside ``one_blas_thread()``; the pass over the rows (the covariance
matrix of a million answers) keeps every thread. threadpoolctl restores the previous limit on exit;
without it (it comes with scikit-learn) nothing is limited.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import wraps
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def one_blas_thread() -> AbstractContextManager[Any]:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is installed with scikit-learn
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def single_threaded(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` inside ``one_blas_thread()``."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with one_blas_thread():
            return func(*args, **kwargs)

    return wrapper
