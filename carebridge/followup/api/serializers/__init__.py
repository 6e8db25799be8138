"""Serializers of the follow-up API, one module per sub-domain."""
