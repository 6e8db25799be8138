"""Rules and calculations of satisfaction measurement that write nothing and need no request."""
