"""Pages of the insights app (analysis tabs, the AHP editor, the monthly report)."""
