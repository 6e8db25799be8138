"""Input and output serializers of the insights API, by sub-domain."""
