"""Views of the insights API, by sub-domain."""
