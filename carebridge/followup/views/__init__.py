"""Pages of follow-up, one module per sub-domain (plans, calls, the customer file, KPIs)."""
