"""Forms of the follow-up pages, one module per sub-domain; they parse and validate, the services write."""
