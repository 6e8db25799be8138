"""Reads of the analysis pages: the selected responses in a user's scope, their frame, the results."""
