"""Services of the surveys app: every write, one transaction with its audit row."""
