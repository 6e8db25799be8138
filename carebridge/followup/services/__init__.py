"""Writes of follow-up, one module per sub-domain; import from the module that defines a service."""
