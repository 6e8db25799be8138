"""App-specific rules and calculations of the insights app: no writes, no request."""
