"""Demo data of follow-up (``seed_demo`` step 42): see :mod:`carebridge.followup.demo.loader`."""
