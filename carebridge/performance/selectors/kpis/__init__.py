"""Computed KPIs: the registry (``registry.py``) and one module per area that registers its KPIs."""
