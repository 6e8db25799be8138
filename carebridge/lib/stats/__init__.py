"""Survey statistics for CareBridge insights: plain, typed functions on pandas DataFrames (no Django)."""
