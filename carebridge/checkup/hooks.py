"""What the checkup centre registers at start-up: the patient-timeline entries of its visits.

The events it announces for the apps above it (``result_recorded``, ``signoff_checking``) are defined in
``domain.events``; receivers live in those apps' own ``hooks.py``.
"""
