"""Demo steps of the performance app (``core.demo.steps`` imports this module)."""

from carebridge.performance.demo import actions as _actions  # noqa: F401 - registers step 89
