"""Demo steps of the performance app (``seed_demo`` imports this module): each sub-domain's module
registers its own steps."""

from carebridge.performance.demo import (
    actions,  # noqa: F401 - registers step 89
    scorecards,  # noqa: F401 - registers steps 80–83
    standards,  # noqa: F401 - registers step 75
)
